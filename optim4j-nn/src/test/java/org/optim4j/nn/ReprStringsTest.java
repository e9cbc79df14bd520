package org.optim4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.optim4j.tensor.Tensor;

/** Module representations against the strings PyTorch 2.13 prints for the same modules. */
class ReprStringsTest {

  private static void check(String pytorch, Module m) {
    assertEquals(pytorch, m.toString());
  }

  @Test
  void layers() {
    check("Linear(in_features=3, out_features=4, bias=True)", new Linear(3, 4));
    check("Linear(in_features=3, out_features=4, bias=False)", new Linear(3, 4, false));
    check("Conv2d(1, 32, kernel_size=(5, 5), stride=(1, 1))", new Conv2d(1, 32, 5));
    check("Conv2d(2, 4, kernel_size=(2, 3), stride=(1, 2), padding=(1, 0), dilation=(2, 2), groups=2, bias=False)",
        new Conv2d(2, 4, new int[] {2, 3}, new int[] {1, 2}, new int[] {1, 0}, new int[] {2}, 2, false));
    check("Conv2d(2, 4, kernel_size=(3, 3), stride=(1, 1), padding=same)",
        new Conv2d(2, 4, new int[] {3}, new int[] {1}, "same", new int[] {1}, 1, true));
    check("Conv2d(2, 4, kernel_size=(3, 3), stride=(1, 1), padding=valid)",
        new Conv2d(2, 4, new int[] {3}, new int[] {1}, "valid", new int[] {1}, 1, true));
    check("Conv2d(2, 4, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1))", new Conv2d(2, 4, 3, 2, 1));
    check("Conv2d(1, 2, kernel_size=(3, 3), stride=(1, 1), bias=False)", new Conv2d(1, 2, 3, 1, 0, 1, 1, false));
    check("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)", new MaxPool2d(2));
    check("MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=2, ceil_mode=True)", new MaxPool2d(3, 2, 1, 2, true));
    check("MaxPool2d(kernel_size=(2, 3), stride=(2, 3), padding=0, dilation=1, ceil_mode=False)",
        new MaxPool2d(new int[] {2, 3}));
    check("MaxPool2d(kernel_size=2, stride=1, padding=0, dilation=(2, 2), ceil_mode=False)",
        new MaxPool2d(new int[] {2}, new int[] {1}, new int[] {0}, new int[] {2, 2}, false));
    check("AvgPool2d(kernel_size=2, stride=2, padding=0)", new AvgPool2d(2));
    check("AvgPool2d(kernel_size=3, stride=2, padding=1)",
        new AvgPool2d(new int[] {3}, new int[] {2}, new int[] {1}, true, false, 2));
    check("AvgPool2d(kernel_size=(2, 3), stride=(2, 3), padding=0)", new AvgPool2d(new int[] {2, 3}));
    check("ReLU()", new ReLU());
    check("ReLU(inplace=True)", new ReLU(true));
    check("Sigmoid()", new Sigmoid());
    check("Tanh()", new Tanh());
    check("Identity()", new Identity());
    check("Flatten(start_dim=1, end_dim=-1)", new Flatten());
    check("Flatten(start_dim=0, end_dim=2)", new Flatten(0, 2));
    check("Dropout(p=0.5, inplace=False)", new Dropout());
    check("Dropout(p=0.2, inplace=False)", new Dropout(0.2));
    check("Dropout(p=0.2, inplace=True)", new Dropout(0.2, true));
    check("Dropout(p=0.0, inplace=False)", new Dropout(0.0));
    check("BatchNorm1d(10, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)",
        new BatchNorm1d(10));
    check("BatchNorm2d(3, eps=0.001, momentum=None, affine=False, bias=False, track_running_stats=False)",
        new BatchNorm2d(3, 1e-3, null, false, false));
    check("BatchNorm2d(3, eps=1e-05, momentum=0.3, affine=True, bias=False, track_running_stats=True)",
        new BatchNorm2d(3, 1e-5, 0.3, true, true, false));
    check("Embedding(10, 3)", new Embedding(10, 3));
    check("Embedding(10, 3, padding_idx=0)", new Embedding(10, 3, 0));
    check("Embedding(10, 3, padding_idx=9, sparse=True)", new Embedding(10, 3, -1, true));
  }

  @Test
  void losses() {
    check("MSELoss()", new MSELoss());
    check("L1Loss()", new L1Loss("sum"));
    check("CrossEntropyLoss()", new CrossEntropyLoss());
    check("CrossEntropyLoss()", new CrossEntropyLoss(Tensor.ones(3), 1, "sum", 0.1));
    check("NLLLoss()", new NLLLoss());
  }

  @Test
  void containers() {
    check("Sequential(\n  (0): Flatten(start_dim=1, end_dim=-1)\n  (1): Linear(in_features=784, out_features=512, "
        + "bias=True)\n  (2): ReLU()\n  (3): Dropout(p=0.2, inplace=False)\n  (4): Linear(in_features=512, "
        + "out_features=256, bias=True)\n  (5): ReLU()\n  (6): Dropout(p=0.2, inplace=False)\n  (7): Linear("
        + "in_features=256, out_features=10, bias=True)\n)", TestModels.mlp());
    check("Sequential(\n  (0): Linear(in_features=2, out_features=2, bias=True)\n  (1): Sequential(\n    (0): Linear("
        + "in_features=2, out_features=3, bias=True)\n    (1): ReLU()\n  )\n  (2): ModuleList(\n    (0): Tanh()\n  )\n)",
        new Sequential(new Linear(2, 2), new Sequential(new Linear(2, 3), new ReLU()),
            new ModuleList(List.of(new Tanh()))));
    check("Sequential(\n  (0): Linear(in_features=2, out_features=2, bias=True)\n  (1): Linear(in_features=2, "
        + "out_features=2, bias=True)\n  (2): Linear(in_features=2, out_features=2, bias=True)\n  (3): ReLU()\n)",
        new Sequential(new Linear(2, 2), new Linear(2, 2), new Linear(2, 2), new ReLU()));
    check("Sequential(\n  (0): Linear(in_features=2, out_features=2, bias=True)\n  (1): Identity()\n  (2): Embedding("
        + "5, 2, padding_idx=3)\n)", new Sequential(new Linear(2, 2), new Identity(), new Embedding(5, 2, -2)));
    check("Sequential()", new Sequential());
    check("ModuleList()", new ModuleList());
    check("ParameterList()", new ParameterList());
    check("ModuleList(\n  (0): Linear(in_features=1, out_features=2, bias=True)\n  (1): ReLU()\n)",
        new ModuleList(List.of(new Linear(1, 2), new ReLU())));
    check("ModuleList(\n  (0-3): 4 x Linear(in_features=2, out_features=2, bias=True)\n)",
        new ModuleList(List.of(new Linear(2, 2), new Linear(2, 2), new Linear(2, 2), new Linear(2, 2))));
    check("ModuleList(\n  (0-1): 2 x Linear(in_features=2, out_features=2, bias=True)\n  (2): ReLU()\n  (3): Linear("
        + "in_features=2, out_features=2, bias=True)\n  (4-5): 2 x Sequential(\n    (0): ReLU()\n    (1): Tanh()\n  )\n)",
        new ModuleList(List.of(new Linear(2, 2), new Linear(2, 2), new ReLU(), new Linear(2, 2),
            new Sequential(new ReLU(), new Tanh()), new Sequential(new ReLU(), new Tanh()))));
    check("ParameterList(\n    (0): Parameter containing: [torch.float32 of size 2x3]\n    (1): Parameter containing: "
        + "[torch.float32 of size 4]\n    (2): Parameter containing: [torch.float32 of size ]\n)",
        new ParameterList(List.of(Tensor.zeros(2, 3), new Parameter(Tensor.zeros(4)), new Parameter(Tensor.scalar(1)))));
  }

  /** PyTorch's seed CNN {@code Net} with its four layers as attributes. */
  static final class Net extends Module {
    final Conv2d conv1 = register("conv1", new Conv2d(1, 32, 5));
    final Conv2d conv2 = register("conv2", new Conv2d(32, 64, 5));
    final Linear fc1 = register("fc1", new Linear(256, 200));
    final Linear fc2 = register("fc2", new Linear(200, 10));
  }

  @Test
  void customModule() {
    check("Net(\n  (conv1): Conv2d(1, 32, kernel_size=(5, 5), stride=(1, 1))\n  (conv2): Conv2d(32, 64, kernel_size=(5, "
        + "5), stride=(1, 1))\n  (fc1): Linear(in_features=256, out_features=200, bias=True)\n  (fc2): Linear("
        + "in_features=200, out_features=10, bias=True)\n)", new Net());
    check("M(\n  (layers): Sequential(\n    (0): Linear(in_features=4, out_features=5, bias=True)\n    (1): ReLU()\n    "
        + "(2): Sequential(\n      (0): Linear(in_features=5, out_features=5, bias=True)\n      (1): BatchNorm1d(5, "
        + "eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)\n    )\n    (3): Linear("
        + "in_features=5, out_features=2, bias=True)\n  )\n  (head): Linear(in_features=2, out_features=2, bias=True)\n  "
        + "(shared): Linear(in_features=2, out_features=2, bias=True)\n)", new TestModels.M());
  }
}
