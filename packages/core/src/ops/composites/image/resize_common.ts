/** Options, argument checks and TensorFlow's scale rule shared by the resize methods. */
import { OpError, fmtShape } from '../../../errors.js';
import type { Tensor } from '../../../tensor.js';
import type { TensorLike } from '../../convert.js';
import { checkImageDtype, checkSize, hAxis, image3or4, wAxis } from './common.js';

export interface ResizeOptions {
  /** Corner pixels of input and output line up (scale (in-1)/(out-1)). Default false. */
  alignCorners?: boolean;
  /** Pixel centres at +0.5 (TensorFlow 2's tf.image.resize uses this). Default false. */
  halfPixelCenters?: boolean;
}

/** TensorFlow's CalculateResizeScale, in float32 as TensorFlow computes it. */
export function resizeScale(inSize: number, outSize: number, alignCorners: boolean): number {
  return alignCorners && outSize > 1 ? Math.fround((inSize - 1) / Math.fround(outSize - 1)) : Math.fround(inSize / Math.fround(outSize));
}

export function resizeArgs(op: string, images: TensorLike, size: readonly number[], options: ResizeOptions): { t: Tensor; h: number; w: number; o: Required<ResizeOptions> } {
  const t = image3or4(op, images, 'images');
  checkImageDtype(op, t, 'images');
  const [h, w] = checkSize(op, size);
  const o = { alignCorners: options.alignCorners ?? false, halfPixelCenters: options.halfPixelCenters ?? false };
  if (o.alignCorners && o.halfPixelCenters) throw new OpError(op, 'alignCorners and halfPixelCenters cannot both be true');
  if (t.shape[hAxis(t)] === 0 || t.shape[wAxis(t)] === 0) throw new OpError(op, `images must have a non-empty height and width, found shape ${fmtShape(t.shape)}`);
  return { t, h, w, o };
}
