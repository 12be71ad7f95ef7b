import type { Tensor } from '../../tensor.js';
import { convert, type TensorLike } from '../convert.js';
import { checkRank4, resolveConvAttrs, type Conv2DAttrs, type HW, type Padding } from '../defs/conv_util.js';

/** ef.nn.conv2d's and ef.fused.conv2d's input and filter, converted and checked, with the attrs for their shapes. */
export function convOperands(
  op: string, xName: string, x: TensorLike, filter: TensorLike, strides: HW, padding: Padding, options: { dilations?: HW; dataFormat?: string },
): { tx: Tensor; tf: Tensor; attrs: Conv2DAttrs } {
  const tx = convert(x, xName, op);
  const tf = convert(filter, 'filter', op);
  checkRank4(op, xName, tx, '[batch, height, width, channels]');
  checkRank4(op, 'filter', tf, '[height, width, inChannels, outChannels]');
  return { tx, tf, attrs: resolveConvAttrs(op, tx.shape, tf.shape, strides, padding, options) };
}
