/** Colour-space conversions: RGB ↔ grayscale and RGB ↔ HSV (the HSV kernels are shared with hue_saturation.ts). */
import { engine } from '../../../engine.js';
import { OpError, fmtShape } from '../../../errors.js';
import type { Tensor } from '../../../tensor.js';
import { convert, type TensorLike } from '../../convert.js';
import * as E from '../../api/elementwise.js';
import { reduceSum } from '../../api/reduce.js';
import { concat, split, tile } from '../../api/array_ops.js';
import { inFloat } from './convert_dtype.js';

/** Weighted sum of R, G, B (0.2989, 0.5870, 0.1140) into one channel (TensorFlow's rgb_to_grayscale). */
export function rgbToGrayscale(images: TensorLike): Tensor {
  const op = 'rgbToGrayscale';
  const t = convert(images, 'images', op);
  if (t.rank < 1 || t.shape[t.rank - 1] !== 3) throw new OpError(op, `images must have 3 channels (last dimension), found shape ${fmtShape(t.shape)}`);
  return inFloat(op, t, (f) => reduceSum(E.mul(f, [0.2989, 0.587, 0.114]), -1, true));
}

/** Repeats the single channel three times (TensorFlow's grayscale_to_rgb). */
export function grayscaleToRgb(images: TensorLike): Tensor {
  const op = 'grayscaleToRgb';
  const t = convert(images, 'images', op);
  if (t.rank < 2 || t.shape[t.rank - 1] !== 1) throw new OpError(op, `images must have rank >= 2 and 1 channel (last dimension), found shape ${fmtShape(t.shape)}`);
  return tile(t, [...t.shape.slice(0, -1).map(() => 1), 3]);
}

export function checkRgb(op: string, t: Tensor, arg: string, minRank: number): void {
  if (t.rank < minRank || t.shape[t.rank - 1] !== 3) {
    const rank = minRank === 1 ? 'have' : `be at least ${minRank}-D with`;
    throw new OpError(op, `${arg} must ${rank} 3 channels (last dimension), found shape ${fmtShape(t.shape)}`);
  }
}

/** R, G, B (or H, S, V) as three [..., 1] tensors. */
export const channels3 = (t: Tensor): [Tensor, Tensor, Tensor] => split(t, 3, -1) as [Tensor, Tensor, Tensor];

/**
 * TensorFlow's RGBToHSV kernel as elementwise ops. Denominators of the unselected branches are
 * replaced by 1 where they would be 0 (gray or black pixels), so no inf/NaN reaches the gradients.
 */
export function rgbToHsvF(f: Tensor): Tensor {
  const [r, g, b] = channels3(f);
  const v = E.maximum(E.maximum(r, g), b);
  const range = E.sub(v, E.minimum(E.minimum(r, g), b));
  const vPos = E.greater(v, 0);
  const s = E.where(vPos, E.div(range, E.where(vPos, v, 1)), 0);
  const rPos = E.greater(range, 0);
  const norm = E.div(1 / 6, E.where(rPos, range, 1));
  let h = E.where(E.equal(r, v), E.mul(norm, E.sub(g, b)), E.where(E.equal(g, v), E.add(E.mul(norm, E.sub(b, r)), 2 / 6), E.add(E.mul(norm, E.sub(r, g)), 4 / 6)));
  h = E.where(rPos, h, 0);
  h = E.where(E.less(h, 0), E.add(h, 1), h);
  return concat([h, s, v], -1);
}

/** TensorFlow's HSVToRGB kernel: piecewise-linear channel ramps of 6·h, scaled by S and V. */
export function hsvToRgbF(f: Tensor): Tensor {
  const [h, s, v] = channels3(f);
  const dh = E.mul(h, 6);
  const dr = E.clipByValue(E.sub(E.abs(E.sub(dh, 3)), 1), 0, 1);
  const dg = E.clipByValue(E.sub(2, E.abs(E.sub(dh, 2))), 0, 1);
  const db = E.clipByValue(E.sub(2, E.abs(E.sub(dh, 4))), 0, 1);
  const oneMinusS = E.sub(1, s);
  const channel = (d: Tensor) => E.mul(E.add(oneMinusS, E.mul(s, d)), v);
  return concat([channel(dr), channel(dg), channel(db)], -1);
}

/**
 * RGB → HSV (TensorFlow's rgb_to_hsv): float32 [..., 3] in, [..., 3] out with hue in [0, 1)
 * (0 for gray pixels), saturation range/max (0 where max <= 0) and value max(R, G, B).
 * Differentiable almost everywhere.
 */
export function rgbToHsv(images: TensorLike): Tensor {
  const op = 'rgbToHsv';
  const t = convert(images, 'images', op);
  checkRgb(op, t, 'images', 1);
  if (t.dtype !== 'float32') throw new OpError(op, `images must be float32, found ${t.dtype} (convert int32 images with convertImageDtype first)`);
  return engine.tidy(() => rgbToHsvF(t));
}

/** HSV → RGB (TensorFlow's hsv_to_rgb): float32 [..., 3], hue in [0, 1]. Differentiable almost everywhere. */
export function hsvToRgb(images: TensorLike): Tensor {
  const op = 'hsvToRgb';
  const t = convert(images, 'images', op);
  checkRgb(op, t, 'images', 1);
  if (t.dtype !== 'float32') throw new OpError(op, `images must be float32, found ${t.dtype}`);
  return engine.tidy(() => hsvToRgbF(t));
}
