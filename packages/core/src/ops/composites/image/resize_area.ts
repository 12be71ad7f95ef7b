/** Area resize: host-built overlap weights applied with two matmuls. */
import { engine } from '../../../engine.js';
import { OpError } from '../../../errors.js';
import type { Tensor } from '../../../tensor.js';
import type { TensorLike } from '../../convert.js';
import { reshape } from '../../api/shape_ops.js';
import { cast } from '../../api/cast.js';
import { tensor as makeTensorFrom } from '../../create_values.js';
import { matmul } from '../../api/linalg.js';
import { resizeArgs, resizeScale, type ResizeOptions } from './resize_common.js';

/**
 * [outSize, inSize] area weights along one axis (TensorFlow's ResizeArea): output i covers
 * [i·scale, (i+1)·scale) in input coordinates (float32 as TensorFlow); each input pixel [j, j+1)
 * gets its overlap with that footprint, divided by scale. Footprint cells past the last pixel are
 * read from the last pixel (TensorFlow's BoundIfNeeded).
 */
function areaWeights(inSize: number, outSize: number, alignCorners: boolean): number[] {
  const f = Math.fround;
  const scale = resizeScale(inSize, outSize, alignCorners);
  const m = new Array<number>(outSize * inSize).fill(0);
  // alignCorners with a single input pixel: scale 0, zero-width footprints (TensorFlow computes
  // 0 · 1/0 = NaN); the limit of the area mean, the pixel itself, is used instead.
  if (scale === 0) return m.fill(1);
  for (let i = 0; i < outSize; i++) {
    const lo = f(i * scale);
    const hi = f((i + 1) * scale);
    for (let j = Math.floor(lo); j < Math.ceil(hi); j++) {
      const overlap = j < lo ? (j + 1 > hi ? scale : f(j + 1 - lo)) : j + 1 > hi ? f(hi - j) : 1;
      m[i * inSize + Math.min(j, inSize - 1)] += overlap / scale;
    }
  }
  return m;
}

export interface ResizeAreaOptions {
  /** Corner pixels of input and output line up (scale (in-1)/(out-1)). Default false. */
  alignCorners?: boolean;
}

/**
 * Area resize to [newHeight, newWidth] (TensorFlow's ResizeArea): each output pixel is the
 * area-weighted mean of the input pixels its footprint (scale × scale, scale = in/out or, with
 * alignCorners, (in-1)/(out-1)) covers; downsampling by an integer factor gives block means,
 * upsampling repeats or blends neighbouring pixels. Applied as two host-computed weight matrices
 * (matmul along height, then width). HWC or NHWC; float32 out; differentiable with respect to the
 * images. TensorFlow's ResizeArea has no halfPixelCenters. With alignCorners, a side of one pixel
 * resized to several repeats that pixel (TensorFlow gives NaN there).
 */
export function resizeArea(images: TensorLike, size: readonly number[], options: ResizeAreaOptions = {}): Tensor {
  const op = 'resizeArea';
  if ((options as ResizeOptions).halfPixelCenters) throw new OpError(op, 'halfPixelCenters is not supported (TensorFlow\'s ResizeArea has only alignCorners), found halfPixelCenters: true');
  const { t, h, w, o } = resizeArgs(op, images, size, { alignCorners: options.alignCorners });
  return engine.tidy(() => {
    const f = cast(t, 'float32');
    const [N, H, W, C] = f.rank === 4 ? (f.shape as [number, number, number, number]) : [1, ...(f.shape as [number, number, number])];
    const wy = makeTensorFrom(areaWeights(H, h, o.alignCorners), [h, H], 'float32');
    const wx = makeTensorFrom(areaWeights(W, w, o.alignCorners), [w, W], 'float32');
    // [h, H] · [N, H, W·C] → [N, h, W·C]; then [w, W] · [N·h, W, C] → [N·h, w, C].
    const rows = matmul(wy, reshape(f, [N, H, W * C]));
    const out = matmul(wx, reshape(rows, [N * h, W, C]));
    return reshape(out, f.rank === 4 ? [N, h, w, C] : [h, w, C]);
  });
}
