package org.optim4j.tensor;

/**
 * Every operation that has a backward rule, with PyTorch's name of its backward node. The rules
 * themselves are in {@link Derivatives}; the gradcheck table test fails when one of these constants has
 * no gradcheck entry.
 */
enum Op {
  ACCUMULATE_GRAD("AccumulateGrad"),
  ADD("AddBackward0"),
  SUB("SubBackward0"),
  MUL("MulBackward0"),
  DIV("DivBackward0"),
  NEG("NegBackward0"),
  POW("PowBackward0"),
  POW_TENSOR("PowBackward1"),
  RPOW("PowBackward2"),
  SQRT("SqrtBackward0"),
  RSQRT("RsqrtBackward0"),
  EXP("ExpBackward0"),
  LOG("LogBackward0"),
  ABS("AbsBackward0"),
  SIGN("SignBackward0"),
  CLAMP("ClampBackward1"),
  MAXIMUM("MaximumBackward0"),
  MINIMUM("MinimumBackward0"),
  WHERE("WhereBackward0"),
  RELU("ReluBackward0"),
  SIGMOID("SigmoidBackward0"),
  TANH("TanhBackward0"),
  SUM("SumBackward1"),
  MEAN("MeanBackward1"),
  MAX_DIM("MaxBackward0"),
  MIN_DIM("MinBackward0"),
  MAX_ALL("MaxBackward1"),
  MIN_ALL("MinBackward1"),
  NORM("NormBackward1"),
  VAR("VarBackward0"),
  SOFTMAX("SoftmaxBackward0"),
  LOG_SOFTMAX("LogSoftmaxBackward0"),
  MM("MmBackward0"),
  BMM("BmmBackward0"),
  VIEW("ViewBackward0"),
  PERMUTE("PermuteBackward0"),
  EXPAND("ExpandBackward0"),
  NARROW("SliceBackward0"),
  SELECT("SelectBackward0"),
  CAT("CatBackward0"),
  CLONE("CloneBackward0"),
  TO_DTYPE("ToCopyBackward0"),
  INDEX_SELECT("IndexSelectBackward0"),
  ADDMM("AddmmBackward0"),
  CONVOLUTION("ConvolutionBackward0"),
  MAX_POOL2D("MaxPool2DWithIndicesBackward0"),
  AVG_POOL2D("AvgPool2DBackward0"),
  BATCH_NORM("NativeBatchNormBackward0"),
  DROPOUT("NativeDropoutBackward0"),
  EMBEDDING("EmbeddingBackward0"),
  NLL_LOSS("NllLossBackward0"),
  NLL_LOSS2D("NllLoss2DBackward0"),
  MSE_LOSS("MseLossBackward0");

  private final String backwardName;

  Op(String backwardName) {
    this.backwardName = backwardName;
  }

  String backwardName() {
    return backwardName;
  }
}
