package org.optim4j.tensor.internal;

/**
 * The shape of one 2-D convolution, {@code torch.conv2d} on an [N, C, H, W] input with an
 * [O, C/groups, kH, kW] weight; the convolution kernels read every size from it.
 *
 * @param batch N, the number of images
 * @param inChannels C
 * @param height H of the input
 * @param width W of the input
 * @param outChannels O
 * @param kernelH kH
 * @param kernelW kW
 * @param strideH the vertical stride
 * @param strideW the horizontal stride
 * @param padH zero padding on the top and bottom
 * @param padW zero padding on the left and right
 * @param dilationH the vertical spacing of kernel taps
 * @param dilationW the horizontal spacing of kernel taps
 * @param groups the number of channel groups
 * @param outH the output height
 * @param outW the output width
 */
public record ConvGeometry(int batch, int inChannels, int height, int width, int outChannels, int kernelH,
    int kernelW, int strideH, int strideW, int padH, int padW, int dilationH, int dilationW, int groups, int outH,
    int outW) {

  /** Input channels per group, C/groups. */
  public int inPerGroup() {
    return inChannels / groups;
  }

  /** Output channels per group, O/groups. */
  public int outPerGroup() {
    return outChannels / groups;
  }

  /** Rows of one group's column matrix: (C/groups)·kH·kW, the depth of its matrix product. */
  public int colRows() {
    return inPerGroup() * kernelH * kernelW;
  }

  /** Output positions per image and channel, outH·outW. */
  public int colCols() {
    return outH * outW;
  }
}
