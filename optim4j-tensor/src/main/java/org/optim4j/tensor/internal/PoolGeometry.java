package org.optim4j.tensor.internal;

/**
 * The shape of one 2-D pooling: independent planes of H×W values, each pooled by a kH×kW window.
 *
 * @param planes the number of planes, N·C
 * @param height H of each input plane
 * @param width W of each input plane
 * @param kernelH kH
 * @param kernelW kW
 * @param strideH the vertical stride
 * @param strideW the horizontal stride
 * @param padH implicit padding on the top and bottom
 * @param padW implicit padding on the left and right
 * @param dilationH the vertical spacing of window taps (1 for average pooling)
 * @param dilationW the horizontal spacing of window taps (1 for average pooling)
 * @param outH the output height
 * @param outW the output width
 */
public record PoolGeometry(int planes, int height, int width, int kernelH, int kernelW, int strideH, int strideW,
    int padH, int padW, int dilationH, int dilationW, int outH, int outW) {

  /** Elements of one input plane, H·W. */
  public int inPlane() {
    return height * width;
  }

  /** Elements of one output plane, outH·outW. */
  public int outPlane() {
    return outH * outW;
  }
}
