package org.optim4j.nn.utils;

import java.util.ArrayList;
import java.util.List;
import org.optim4j.tensor.internal.PyFormat;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.GradMode;
import org.optim4j.tensor.Tensor;

/**
 * Gradient clipping, PyTorch's {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}
 * (with the helpers {@code get_total_norm} and {@code clip_grads_with_norm_} they are built from).
 *
 * <pre>
 * clip_grad_norm_(params, max_norm, p):
 *   n_i   ← ‖g_i‖_p                      for every parameter i that has a gradient g_i
 *   total ← ‖(n_1, …, n_k)‖_p            a 0-dim tensor in the gradients' dtype
 *   coef  ← min(max_norm / (total + 1e−6), 1)   computed as tensors: reciprocal, then · max_norm, then clamp
 *   g_i   ← g_i · coef                   in place
 *   return total
 * </pre>
 *
 * <p>Everything runs under no-grad. Parameters without a gradient are skipped. As in PyTorch, the
 * coefficient is always applied (also when it is 1), and with float32 gradients it is a float32
 * tensor, so the results round exactly as PyTorch's. A sparse gradient contributes the norm of its
 * values.
 *
 * <pre>{@code
 * loss.backward();
 * Tensor norm = Utils.clipGradNorm_(model.parameters(), 1.0);
 * opt.step();
 * }</pre>
 */
public final class Utils {
  private Utils() {}

  /** Clips the gradient norm (p = 2) to {@code maxNorm}; returns the total norm before clipping. */
  public static Tensor clipGradNorm_(Iterable<? extends Tensor> parameters, double maxNorm) {
    return clipGradNorm_(parameters, maxNorm, 2.0, false);
  }

  /** Clips the gradient p-norm to {@code maxNorm}; returns the total norm before clipping. */
  public static Tensor clipGradNorm_(Iterable<? extends Tensor> parameters, double maxNorm, double normType) {
    return clipGradNorm_(parameters, maxNorm, normType, false);
  }

  /**
   * Scales the gradients of {@code parameters} in place so that their total {@code normType}-norm (as
   * if all gradients were one vector) is at most {@code maxNorm}, PyTorch's {@code clip_grad_norm_}.
   *
   * @param normType the p of the norm; {@code Double.POSITIVE_INFINITY} for the max-norm
   * @param errorIfNonfinite whether a NaN or infinite total norm is an error (otherwise the gradients
   *     are scaled by it anyway)
   * @return the total norm of the gradients before clipping, a 0-dim tensor (float32 0 when no
   *     parameter has a gradient)
   * @throws IllegalStateException {@code The total norm of order 2.0 for gradients from `parameters` is
   *     non-finite, so it cannot be clipped. ...} when {@code errorIfNonfinite}
   */
  public static Tensor clipGradNorm_(
      Iterable<? extends Tensor> parameters, double maxNorm, double normType, boolean errorIfNonfinite) {
    List<Tensor> params = new ArrayList<>();
    List<Tensor> grads = new ArrayList<>();
    for (Tensor p : parameters) {
      params.add(p);
      if (p.grad() != null) {
        grads.add(p.grad());
      }
    }
    Tensor totalNorm = getTotalNorm(grads, normType, errorIfNonfinite);
    clipGradsWithNorm_(params, maxNorm, totalNorm);
    return totalNorm;
  }

  /**
   * The {@code normType}-norm of the per-tensor norms of {@code tensors} (the norm of all of them as
   * one vector), PyTorch's {@code get_total_norm}; a 0-dim tensor of the promoted dtype, float32 0 for
   * no tensors.
   *
   * @throws IllegalStateException if {@code errorIfNonfinite} and the norm is NaN or infinite
   */
  @SuppressWarnings("try")
  public static Tensor getTotalNorm(Iterable<? extends Tensor> tensors, double normType, boolean errorIfNonfinite) {
    try (var noGrad = GradMode.noGrad()) {
      List<Tensor> norms = new ArrayList<>();
      DType dtype = null;
      for (Tensor t : tensors) {
        Tensor dense = t.isSparse() ? t.coalesce().values() : t;
        Tensor n = dense.norm(normType);
        norms.add(n);
        dtype = dtype == null ? n.dtype() : DType.promote(dtype, n.dtype());
      }
      if (norms.isEmpty()) {
        return Tensor.scalar(0.0);
      }
      for (int i = 0; i < norms.size(); i++) {
        norms.set(i, norms.get(i).to(dtype));
      }
      Tensor totalNorm = Tensor.stack(norms, 0).norm(normType);
      double value = totalNorm.item();
      if (errorIfNonfinite && (Double.isNaN(value) || Double.isInfinite(value))) {
        throw new IllegalStateException("The total norm of order " + PyFormat.pyFloat(normType) + " for gradients "
            + "from `parameters` is non-finite, so it cannot be clipped. To disable this error and scale the "
            + "gradients by the non-finite norm anyway, set `error_if_nonfinite=False`");
      }
      return totalNorm;
    }
  }

  /**
   * Multiplies the gradients of {@code parameters} in place by {@code min(maxNorm / (totalNorm + 1e-6),
   * 1)}, PyTorch's {@code clip_grads_with_norm_}; the coefficient is computed as a tensor in {@code
   * totalNorm}'s dtype.
   */
  @SuppressWarnings("try")
  public static void clipGradsWithNorm_(Iterable<? extends Tensor> parameters, double maxNorm, Tensor totalNorm) {
    try (var noGrad = GradMode.noGrad()) {
      List<Tensor> grads = new ArrayList<>();
      for (Tensor p : parameters) {
        if (p.grad() != null) {
          grads.add(p.grad());
        }
      }
      if (grads.isEmpty()) {
        return;
      }
      Tensor denominator = totalNorm.add(1e-6);
      Tensor clipCoef = Tensor.onesLike(denominator).div(denominator).mul(maxNorm);
      Tensor clipCoefClamped = clipCoef.clampMax(1.0);
      for (Tensor g : grads) {
        g.mul_(clipCoefClamped);
      }
    }
  }

  /**
   * Clamps every gradient of {@code parameters} in place to {@code [-clipValue, clipValue]}, PyTorch's
   * {@code clip_grad_value_}. Parameters without a gradient are skipped.
   */
  @SuppressWarnings("try")
  public static void clipGradValue_(Iterable<? extends Tensor> parameters, double clipValue) {
    try (var noGrad = GradMode.noGrad()) {
      for (Tensor p : parameters) {
        if (p.grad() != null) {
          p.grad().clamp_(-clipValue, clipValue);
        }
      }
    }
  }
}
