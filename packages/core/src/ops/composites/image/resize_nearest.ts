/** Nearest-neighbour resize: one gather per axis. */
import { engine } from '../../../engine.js';
import type { Tensor } from '../../../tensor.js';
import type { TensorLike } from '../../convert.js';
import { tensor as makeTensorFrom } from '../../create_values.js';
import { gather } from '../../api/array_ops.js';
import { hAxis, wAxis } from './common.js';
import { resizeArgs, resizeScale, type ResizeOptions } from './resize_common.js';

function nearestIndices(inSize: number, outSize: number, o: Required<ResizeOptions>): number[] {
  const scale = resizeScale(inSize, outSize, o.alignCorners);
  const out: number[] = [];
  for (let i = 0; i < outSize; i++) {
    const inPos = o.halfPixelCenters ? Math.fround((i + 0.5) * scale) : Math.fround(i * scale);
    let idx = Math.min(o.alignCorners ? Math.round(inPos) : Math.floor(inPos), inSize - 1);
    if (o.halfPixelCenters) idx = Math.max(0, idx);
    out.push(idx);
  }
  return out;
}

/** Nearest-neighbour resize (TensorFlow's ResizeNearestNeighbor coordinate rules); keeps the dtype. */
export function resizeNearestNeighbor(images: TensorLike, size: readonly number[], options: ResizeOptions = {}): Tensor {
  const { t, h, w, o } = resizeArgs('resizeNearestNeighbor', images, size, options);
  const ys = nearestIndices(t.shape[hAxis(t)]!, h, o);
  const xs = nearestIndices(t.shape[wAxis(t)]!, w, o);
  return engine.tidy(() => gather(gather(t, makeTensorFrom(ys, [h], 'int32'), hAxis(t)), makeTensorFrom(xs, [w], 'int32'), wAxis(t)));
}
