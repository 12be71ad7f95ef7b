/** Bilinear resize: two gathers and a lerp per axis. */
import { engine } from '../../../engine.js';
import type { Tensor } from '../../../tensor.js';
import type { TensorLike } from '../../convert.js';
import * as E from '../../api/elementwise.js';
import { cast } from '../../api/cast.js';
import { tensor as makeTensorFrom } from '../../create_values.js';
import { gather } from '../../api/array_ops.js';
import { hAxis, wAxis } from './common.js';
import { resizeArgs, resizeScale, type ResizeOptions } from './resize_common.js';

/** lower/upper source indices and lerp weights per output index (TensorFlow's compute_interpolation_weights). */
function bilinearWeights(inSize: number, outSize: number, o: Required<ResizeOptions>): { lower: number[]; upper: number[]; lerp: number[] } {
  const scale = resizeScale(inSize, outSize, o.alignCorners);
  const lower: number[] = [];
  const upper: number[] = [];
  const lerp: number[] = [];
  for (let i = 0; i < outSize; i++) {
    const inPos = o.halfPixelCenters ? Math.fround(Math.fround((i + 0.5) * scale) - 0.5) : Math.fround(i * scale);
    const f = Math.floor(inPos);
    lower.push(Math.max(f, 0));
    upper.push(Math.min(Math.ceil(inPos), inSize - 1));
    lerp.push(inPos - f);
  }
  return { lower, upper, lerp };
}

/** Lerp along one axis: a + (b - a)·w with w broadcast along that axis. */
function lerpAxis(x: Tensor, axis: number, lower: number[], upper: number[], lerp: number[]): Tensor {
  const a = gather(x, makeTensorFrom(lower, [lower.length], 'int32'), axis);
  if (lower.every((l, i) => l === upper[i]) || lerp.every((v) => v === 0)) return a;
  const b = gather(x, makeTensorFrom(upper, [upper.length], 'int32'), axis);
  const wShape = x.shape.map((_, d) => (d === axis ? lerp.length : 1));
  return E.add(a, E.mul(E.sub(b, a), makeTensorFrom(lerp, wShape, 'float32')));
}

/**
 * Bilinear resize to [newHeight, newWidth] (TensorFlow's ResizeBilinear: resize_bilinear /
 * tf.image.resize(method='bilinear') is halfPixelCenters: true). HWC or NHWC; float32 out.
 * Differentiable with respect to the images.
 */
export function resizeBilinear(images: TensorLike, size: readonly number[], options: ResizeOptions = {}): Tensor {
  const { t, h, w, o } = resizeArgs('resizeBilinear', images, size, options);
  return engine.tidy(() => {
    const f = cast(t, 'float32');
    const hy = bilinearWeights(f.shape[hAxis(f)]!, h, o);
    const wx = bilinearWeights(f.shape[wAxis(f)]!, w, o);
    return lerpAxis(lerpAxis(f, hAxis(f), hy.lower, hy.upper, hy.lerp), wAxis(f), wx.lower, wx.upper, wx.lerp);
  });
}
