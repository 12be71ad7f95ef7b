import { defs, type Conv2DAttrs } from '@eagerflow/core';
import { gemm } from '../gemm.js';
import { im2col, isPointwise, scratchBuffer, tileRows } from '../im2col.js';
import type { CpuKernel } from '../kernel.js';

/** conv2d as im2col tiles × GEMM; a 1×1 stride-1 unpadded conv is one GEMM over pixels. */
export const conv2d: CpuKernel<Conv2DAttrs> = ([x, f], attrs) => {
  const g = defs.convGeometry('conv2d', x!.shape, f!.shape, attrs);
  const xv = x!.values as Float32Array;
  const fv = f!.values as Float32Array;
  const m = g.n * g.oh * g.ow;
  const k = g.kh * g.kw * g.ci;
  const y = new Float32Array(m * g.co);
  if (m === 0 || g.co === 0) return [y];
  if (isPointwise(g)) {
    gemm(m, g.co, k, xv, false, fv, false, y);
    return [y];
  }
  const rows = tileRows(k, m);
  const cols = scratchBuffer(0, rows * k);
  for (let m0 = 0; m0 < m; m0 += rows) {
    const r = Math.min(rows, m - m0);
    im2col(xv, g, m0, r, cols);
    gemm(r, g.co, k, cols.subarray(0, r * k), false, fv, false, y.subarray(m0 * g.co, (m0 + r) * g.co));
  }
  return [y];
};
