package org.optim4j.tensor;

/**
 * The result of {@code max(dim)} / {@code min(dim)}: PyTorch's {@code (values, indices)} named tuple.
 *
 * @param values the extreme values
 * @param indices their int64 positions along the reduced dimension
 */
public record ValuesAndIndices(Tensor values, Tensor indices) {}
