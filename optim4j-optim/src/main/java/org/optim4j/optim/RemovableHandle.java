package org.optim4j.optim;

/**
 * Removes the hook it was returned for, PyTorch's {@code torch.utils.hooks.RemovableHandle}. Removing twice
 * does nothing; {@link #close()} removes, so a hook can live for the scope of a try-with-resources block.
 */
public final class RemovableHandle implements AutoCloseable {
  private final Runnable removal;
  private boolean removed;

  RemovableHandle(Runnable removal) {
    this.removal = removal;
  }

  /** Removes the hook. */
  public void remove() {
    if (!removed) {
      removed = true;
      removal.run();
    }
  }

  /** Same as {@link #remove()}. */
  @Override
  public void close() {
    remove();
  }
}
