import { defs, type Conv2DBackpropInputAttrs } from '@eagerflow/core';
import { gemm } from '../gemm.js';
import { col2im, isPointwise, scratchBuffer, tileRows, transposeFilter } from '../im2col.js';
import type { CpuKernel } from '../kernel.js';

/** dx: per tile of output rows, cols = dy · Wᵀ (GEMM), then col2im scatters cols into dx. */
export const conv2dBackpropInput: CpuKernel<Conv2DBackpropInputAttrs> = ([dy, f], attrs) => {
  const g = defs.convGeometry('conv2dBackpropInput', attrs.inputShape, f!.shape, attrs);
  const dv = dy!.values as Float32Array;
  const fv = f!.values as Float32Array;
  const m = g.n * g.oh * g.ow;
  const k = g.kh * g.kw * g.ci;
  const dx = new Float32Array(g.n * g.h * g.w * g.ci);
  if (m === 0 || k === 0) return [dx];
  if (g.co === 0) return [dx];
  const fT = transposeFilter(fv, k, g.co, scratchBuffer(2, k * g.co).subarray(0, k * g.co));
  if (isPointwise(g)) {
    gemm(m, k, g.co, dv, false, fT, false, dx);
    return [dx];
  }
  const rows = tileRows(k, m);
  const cols = scratchBuffer(0, rows * k);
  for (let m0 = 0; m0 < m; m0 += rows) {
    const r = Math.min(rows, m - m0);
    const tile = cols.subarray(0, r * k);
    gemm(r, k, g.co, dv.subarray(m0 * g.co, (m0 + r) * g.co), false, fT, false, tile);
    col2im(tile, g, m0, r, dx);
  }
  return [dx];
};
