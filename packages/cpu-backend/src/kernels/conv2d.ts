import { defs, type Conv2DAttrs } from '@eagerflow/core';
import { gemm } from '../gemm.js';
import { channelMajor, im2col, im2colT, isPointwise, scratchBuffer, tileRows } from '../im2col.js';
import type { CpuKernel } from '../kernel.js';
import { allocF32 } from '../pool.js';

/**
 * conv2d as im2col tiles × GEMM (tiles of output pixels keep the column buffer bounded); a 1×1
 * stride-1 unpadded conv is one GEMM over pixels; few output channels use the channel-major form.
 */
export const conv2d: CpuKernel<Conv2DAttrs> = ([x, f], attrs) => {
  const g = defs.convGeometry('conv2d', x!.shape, f!.shape, attrs);
  const xv = x!.values as Float32Array;
  const fv = f!.values as Float32Array;
  const m = g.n * g.oh * g.ow;
  const k = g.kh * g.kw * g.ci;
  const co = g.co;
  const y = allocF32(m * co);
  if (m === 0 || co === 0) return [y];
  if (k === 0) return [y];
  if (isPointwise(g)) {
    gemm(m, co, k, xv, false, fv, false, y);
    return [y];
  }
  const rows = tileRows(k, m);
  const cols = scratchBuffer(0, rows * k);
  if (channelMajor(g)) {
    // yᵀ[co × r] = filterᵀ · colsT, then back to pixel-major.
    const yT = scratchBuffer(1, rows * co);
    for (let m0 = 0; m0 < m; m0 += rows) {
      const r = Math.min(rows, m - m0);
      im2colT(xv, g, m0, r, cols);
      gemm(co, r, k, fv, true, cols.subarray(0, k * r), false, yT.subarray(0, co * r));
      for (let j = 0; j < co; j++) for (let i = 0, s = j * r, o = m0 * co + j; i < r; i++, o += co) y[o] = yT[s + i]!;
    }
    return [y];
  }
  for (let m0 = 0; m0 < m; m0 += rows) {
    const r = Math.min(rows, m - m0);
    im2col(xv, g, m0, r, cols);
    gemm(r, co, k, cols.subarray(0, r * k), false, fv, false, y.subarray(m0 * co, (m0 + r) * co));
  }
  return [y];
};
