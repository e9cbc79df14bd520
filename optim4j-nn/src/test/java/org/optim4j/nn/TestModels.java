package org.optim4j.nn;

import org.optim4j.tensor.Tensor;

/** Small models shared by the tests, each mirroring a PyTorch definition given in its comment. */
final class TestModels {
  private TestModels() {}

  /**
   * PyTorch:
   *
   * <pre>
   * class M(nn.Module):
   *     def __init__(self):
   *         super().__init__()
   *         self.layers = nn.Sequential(nn.Linear(4,5), nn.ReLU(),
   *                                     nn.Sequential(nn.Linear(5,5), nn.BatchNorm1d(5)), nn.Linear(5,2))
   *         self.head = nn.Linear(2,2)
   *         self.shared = self.head
   *         self.scale = nn.Parameter(torch.ones(1))
   *         self.register_buffer('step', torch.zeros(1))
   *         self.register_buffer('tmp', torch.zeros(1), persistent=False)
   * </pre>
   */
  static final class M extends Module {
    final Sequential layers = register("layers", new Sequential(new Linear(4, 5), new ReLU(),
        new Sequential(new Linear(5, 5), new BatchNorm1d(5)), new Linear(5, 2)));
    final Linear head = register("head", new Linear(2, 2));
    final Linear shared = register("shared", head);
    final Parameter scale = register("scale", new Parameter(Tensor.ones(1)));

    M() {
      registerBuffer("step", Tensor.zeros(1));
      registerBuffer("tmp", Tensor.zeros(1), false);
    }

    @Override
    public Tensor forward(Tensor x) {
      return shared.apply(head.apply(layers.apply(x))).mul(scale);
    }
  }

  /** The seed lab's MLP: Flatten, Linear(784,512), ReLU, Dropout(0.2), Linear(512,256), ReLU, Dropout(0.2), Linear(256,10). */
  static Sequential mlp() {
    return new Sequential(new Flatten(), new Linear(784, 512), new ReLU(), new Dropout(0.2), new Linear(512, 256),
        new ReLU(), new Dropout(0.2), new Linear(256, 10));
  }

  /** A module without forward. */
  static final class Empty extends Module {}
}
