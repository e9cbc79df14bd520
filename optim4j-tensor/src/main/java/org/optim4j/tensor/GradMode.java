package org.optim4j.tensor;

/**
 * Per-thread switch that decides whether operations record the autograd graph, PyTorch's
 * {@code torch.no_grad()} / {@code torch.enable_grad()}.
 *
 * <pre>{@code
 * try (var ng = GradMode.noGrad()) {
 *   p.sub_(p.grad().mul(lr));
 * }
 * }</pre>
 */
public final class GradMode {
  private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

  /** A scope that restores the previous grad mode when closed. */
  public interface Scope extends AutoCloseable {
    /** Restores the grad mode that was in force when the scope was opened. */
    @Override
    void close();
  }

  private GradMode() {}

  /** Whether the current thread records the autograd graph. */
  public static boolean isEnabled() {
    return ENABLED.get()[0];
  }

  /** Sets whether the current thread records the autograd graph. */
  public static void setEnabled(boolean enabled) {
    ENABLED.get()[0] = enabled;
  }

  /** Disables gradient recording until the returned scope is closed. */
  public static Scope noGrad() {
    return set(false);
  }

  /** Enables gradient recording until the returned scope is closed. */
  public static Scope enableGrad() {
    return set(true);
  }

  private static Scope set(boolean enabled) {
    boolean[] flag = ENABLED.get();
    boolean previous = flag[0];
    flag[0] = enabled;
    return () -> flag[0] = previous;
  }
}
