import { defs, type Conv2DBackpropInputAttrs } from '@eagerflow/core';
import { gemm } from '../gemm.js';
import { channelMajor, convColumns, isPointwise, scratchBuffer, tileRows, transposeFilter } from '../im2col.js';
import type { CpuKernel } from '../kernel.js';
import { allocF32 } from '../pool.js';

/** dx: per tile of output pixels, cols = dy · filterᵀ (GEMM), added into dx by col2im as they leave the GEMM. */
export const conv2dBackpropInput: CpuKernel<Conv2DBackpropInputAttrs> = ([dy, f], attrs) => {
  const g = defs.convGeometry('conv2dBackpropInput', attrs.inputShape, f!.shape, attrs);
  const dv = dy!.values as Float32Array;
  const fv = f!.values as Float32Array;
  const m = g.n * g.oh * g.ow;
  const k = g.kh * g.kw * g.ci;
  const co = g.co;
  const dx = allocF32(g.n * g.h * g.w * g.ci);
  if (m === 0 || k === 0 || co === 0) return [dx];
  const rows = tileRows(k, m);
  if (channelMajor(g) && !isPointwise(g)) {
    // colsT[k × r] = filter · dyᵀ, added into dx by col2im from the transposed layout.
    for (let m0 = 0; m0 < m; m0 += rows) {
      const r = Math.min(rows, m - m0);
      gemm(k, r, co, fv, false, dv.subarray(m0 * co, (m0 + r) * co), true, convColumns(dx, g, m0, r, false));
    }
    return [dx];
  }
  const fT = transposeFilter(fv, k, co, scratchBuffer(2, k * co).subarray(0, k * co));
  if (isPointwise(g)) {
    gemm(m, k, co, dv, false, fT, false, dx);
    return [dx];
  }
  for (let m0 = 0; m0 < m; m0 += rows) {
    const r = Math.min(rows, m - m0);
    gemm(r, k, co, dv.subarray(m0 * co, (m0 + r) * co), false, fT, false, convColumns(dx, g, m0, r, true));
  }
  return [dx];
};
