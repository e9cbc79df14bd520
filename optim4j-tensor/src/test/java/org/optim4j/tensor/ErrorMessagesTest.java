package org.optim4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad input gets PyTorch's error text (torch 2.13, quoted from its output) with API.md's exception
 * mapping: RuntimeError → IllegalStateException, IndexError → IndexOutOfBoundsException.
 */
class ErrorMessagesTest {

  private static void assertMessage(Class<? extends Throwable> kind, String message, Executable call) {
    Throwable t = assertThrows(kind, call);
    assertEquals(message, t.getMessage());
  }

  @Test
  void broadcastShapeMismatch() {
    assertMessage(IllegalStateException.class,
        "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1",
        () -> Tensor.ones(2, 3).add(Tensor.ones(2, 4)));
  }

  @Test
  void backwardOnNonScalarWithoutGradient() {
    Tensor x = Tensor.ones(3).requiresGrad_(true);
    assertMessage(IllegalStateException.class, "grad can be implicitly created only for scalar outputs",
        () -> x.mul(2).backward());
  }

  @Test
  void backwardOnTensorWithoutGraph() {
    assertMessage(IllegalStateException.class,
        "element 0 of tensors does not require grad and does not have a grad_fn", () -> Tensor.ones(2, 2).backward());
  }

  @Test
  void inPlaceOnLeafThatRequiresGrad() {
    Tensor x = Tensor.ones(3).requiresGrad_(true);
    assertMessage(IllegalStateException.class,
        "a leaf Variable that requires grad is being used in an in-place operation.", () -> x.add_(1));
    assertMessage(IllegalStateException.class,
        "a view of a leaf Variable that requires grad is being used in an in-place operation.",
        () -> x.narrow(0, 0, 2).add_(1));
    assertEquals(3.0, x.sum().item(), "nothing was half-applied");
  }

  @Test
  @SuppressWarnings("try")
  void inPlaceOnLeafIsAllowedUnderNoGrad() {
    Tensor x = Tensor.ones(3).requiresGrad_(true);
    try (var ng = GradMode.noGrad()) {
      x.add_(1);
    }
    assertEquals(6.0, x.sum().item());
  }

  @Test
  void backwardThroughModifiedSavedOutput() {
    Tensor y = Tensor.ones(3).requiresGrad_(true);
    Tensor z = y.exp();
    z.add_(1);
    assertMessage(IllegalStateException.class,
        "one of the variables needed for gradient computation has been modified by an inplace operation: "
            + "[torch.FloatTensor [3]], which is output 0 of Exp, is at version 1; expected version 0 instead. "
            + "Hint: enable anomaly detection to find the operation that failed to compute its gradient, with "
            + "torch.autograd.set_detect_anomaly(True, check_nan=False).",
        () -> z.sum().backward());
  }

  @Test
  void backwardThroughModifiedSavedInput() {
    Tensor w = Tensor.ones(3).requiresGrad_(true);
    Tensor u = w.mul(2);
    Tensor v = u.mul(u);
    u.add_(1);
    assertMessage(IllegalStateException.class,
        "one of the variables needed for gradient computation has been modified by an inplace operation: "
            + "[torch.FloatTensor [3]], which is output 0 of Add, is at version 1; expected version 0 instead. "
            + "Hint: enable anomaly detection to find the operation that failed to compute its gradient, with "
            + "torch.autograd.set_detect_anomaly(True, check_nan=False).",
        () -> v.sum().backward());
  }

  @Test
  void secondBackwardWithoutRetainGraph() {
    Tensor q = Tensor.ones(2).requiresGrad_(true);
    Tensor r = q.mul(q).sum();
    r.backward();
    Throwable t = assertThrows(IllegalStateException.class, r::backward);
    assertTrue(t.getMessage().startsWith("Trying to backward through the graph a second time"), t.getMessage());
  }

  @Test
  void invalidViewShapes() {
    assertMessage(IllegalStateException.class, "shape '[4]' is invalid for input of size 6",
        () -> Tensor.ones(2, 3).view(4));
    assertMessage(IllegalStateException.class, "shape '[4, -1]' is invalid for input of size 6",
        () -> Tensor.ones(6).view(4, -1));
    assertMessage(IllegalStateException.class, "only one dimension can be inferred",
        () -> Tensor.ones(2, 3).view(-1, -1));
    assertMessage(IllegalStateException.class,
        "view size is not compatible with input tensor's size and stride (at least one dimension spans across two "
            + "contiguous subspaces). Use .reshape(...) instead.",
        () -> Tensor.ones(2, 3).t().view(6));
    assertEquals(6, Tensor.ones(2, 3).t().reshape(6).numel(), "reshape copies where view cannot");
  }

  @Test
  void invalidExpandAndDimension() {
    assertMessage(IllegalStateException.class,
        "The expanded size of the tensor (3) must match the existing size (2) at non-singleton dimension 0.  "
            + "Target sizes: [3, 3].  Tensor sizes: [2, 3]",
        () -> Tensor.ones(2, 3).expand(3, 3));
    assertMessage(IndexOutOfBoundsException.class, "Dimension out of range (expected to be in range of [-2, 1], but got 3)",
        () -> Tensor.ones(2, 3).sum(3, false));
  }

  @Test
  void inPlaceBroadcastMustKeepShape() {
    assertMessage(IllegalStateException.class, "output with shape [3] doesn't match the broadcast shape [2, 3]",
        () -> Tensor.ones(3).add_(Tensor.ones(2, 3)));
  }
}
