/** Gradient clipping (tf.clip_by_global_norm, tf.clip_by_norm). */
import { engine } from '../engine.js';
import { OpError } from '../errors.js';
import { add, div, maximum, mul, sqrt, square } from '../ops/api/elementwise.js';
import { fill } from '../ops/api/creation.js';
import { reduceSum } from '../ops/api/reduce.js';
import { normAxes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { convert } from '../ops/convert.js';

/** sqrt(Σ‖t‖²) over the non-null tensors. */
export function globalNorm(tensors: readonly (Tensor | null)[]): Tensor {
  return engine.tidy(() => {
    const parts = tensors.filter((t): t is Tensor => t !== null).map((t) => reduceSum(square(t)));
    if (parts.length === 0) return fill([], 0);
    return sqrt(parts.reduce((a, b) => add(a, b)));
  });
}

/**
 * t · clipNorm / max(globalNorm, clipNorm) for each tensor; nulls stay null. Returns
 * [clipped, globalNorm] as TensorFlow does. `useNorm` skips computing the norm.
 */
export function clipByGlobalNorm(tList: readonly (Tensor | null)[], clipNorm: number, useNorm?: Tensor): [(Tensor | null)[], Tensor] {
  if (!(clipNorm > 0)) throw new OpError('clipByGlobalNorm', `clipNorm must be positive, found ${clipNorm}`);
  return engine.tidy(() => {
    const norm = useNorm ?? globalNorm(tList);
    const scale = div(clipNorm, maximum(norm, clipNorm));
    const clipped = tList.map((t) => (t === null ? null : mul(t, scale)));
    return [clipped, norm] as [(Tensor | null)[], Tensor];
  });
}

/** t · clipNorm / max(‖t‖, clipNorm) (over `axes`, all by default). */
export function clipByNorm(t: Tensor, clipNorm: number, axes?: number[]): Tensor {
  const x = convert(t, 't', 'clipByNorm');
  const dims = normAxes('clipByNorm', axes, x.rank);
  return engine.tidy(() => {
    const n = sqrt(reduceSum(square(x), dims, true));
    return mul(x, div(clipNorm, maximum(n, clipNorm)));
  });
}
