package org.optim4j.nn;

import org.optim4j.nn.functional.F;
import org.optim4j.nn.init.Init;
import org.optim4j.tensor.GradMode;
import org.optim4j.tensor.Generator;
import org.optim4j.tensor.Tensor;

/**
 * A lookup table of {@code numEmbeddings} vectors of size {@code embeddingDim}, PyTorch's {@code
 * torch.nn.Embedding}: int64 indices of any shape {@code (*)} give {@code (*, embeddingDim)}.
 *
 * <p>The {@code weight} is initialised from N(0, 1), with the row {@code paddingIdx} (if any) set to
 * zero; that row receives no gradient. With {@code sparse} the weight's gradient is a sparse COO
 * tensor (for optimizers such as SparseAdam).
 */
public class Embedding extends Module {
  private final int numEmbeddings;
  private final int embeddingDim;
  private final Integer paddingIdx;
  private final boolean sparse;

  /** A table without padding index and with a dense gradient. */
  public Embedding(int numEmbeddings, int embeddingDim) {
    this(numEmbeddings, embeddingDim, null, false);
  }

  /** A table whose row {@code paddingIdx} (negative counts from the end; null for none) stays zero. */
  public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx) {
    this(numEmbeddings, embeddingDim, paddingIdx, false);
  }

  /**
   * A table with every option.
   *
   * @param paddingIdx the row that is zero and gets no gradient (negative counts from the end), or null
   * @param sparse whether the weight's gradient is sparse
   * @throws IllegalArgumentException {@code Padding_idx must be within num_embeddings}
   */
  public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx, boolean sparse) {
    Integer idx = paddingIdx;
    if (idx != null) {
      if (idx >= numEmbeddings || idx < -numEmbeddings) {
        throw new IllegalArgumentException("Padding_idx must be within num_embeddings");
      }
      if (idx < 0) {
        idx = numEmbeddings + idx;
      }
    }
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx = idx;
    this.sparse = sparse;
    registerParameter("weight", new Parameter(Tensor.zeros(numEmbeddings, embeddingDim)));
    reset(null);
  }

  /** Re-draws the weight from N(0, 1) with the default generator and zeroes the padding row. */
  public void resetParameters() {
    reset(null);
  }

  /** Re-draws the weight from N(0, 1) with {@code generator} and zeroes the padding row. */
  public void resetParameters(Generator generator) {
    reset(generator);
  }

  @SuppressWarnings("try")
  private void reset(Generator generator) {
    Init.normal_(weight(), 0.0, 1.0, generator);
    if (paddingIdx != null) {
      try (var noGrad = GradMode.noGrad()) {
        weight().select(0, paddingIdx).fill_(0);
      }
    }
  }

  /** The table {@code (num_embeddings, embedding_dim)}. */
  public Parameter weight() {
    return parameter("weight");
  }

  /** The number of rows. */
  public int numEmbeddings() {
    return numEmbeddings;
  }

  /** The size of each vector. */
  public int embeddingDim() {
    return embeddingDim;
  }

  /** The padding row (non-negative), or null. */
  public Integer paddingIdx() {
    return paddingIdx;
  }

  /** Whether the weight's gradient is sparse. */
  public boolean sparse() {
    return sparse;
  }

  @Override
  public Tensor forward(Tensor input) {
    return F.embedding(input, weight(), paddingIdx, sparse);
  }

  /** {@code 10, 3}, plus {@code padding_idx=0} and {@code sparse=True} when set. */
  @Override
  public String extraRepr() {
    return numEmbeddings + ", " + embeddingDim + (paddingIdx != null ? ", padding_idx=" + paddingIdx : "")
        + (sparse ? ", sparse=True" : "");
  }
}
