import { defs, type Conv2DBackpropFilterAttrs } from '@eagerflow/core';
import { gemm } from '../gemm.js';
import { convColumns, isPointwise, tileRows } from '../im2col.js';
import type { CpuKernel } from '../kernel.js';
import { allocF32 } from '../pool.js';

/** dW = Σ over tiles of im2col(x)ᵀ · dy (GEMM), accumulated in place over tiles of output pixels. */
export const conv2dBackpropFilter: CpuKernel<Conv2DBackpropFilterAttrs> = ([x, dy], attrs) => {
  const g = defs.convGeometry('conv2dBackpropFilter', x!.shape, attrs.filterShape, attrs);
  const xv = x!.values as Float32Array;
  const dv = dy!.values as Float32Array;
  const m = g.n * g.oh * g.ow;
  const k = g.kh * g.kw * g.ci;
  const co = g.co;
  const size = k * co;
  const dw = allocF32(size);
  if (m === 0 || size === 0) return [dw];
  if (isPointwise(g)) {
    gemm(k, co, m, xv, true, dv, false, dw);
    return [dw];
  }
  const rows = tileRows(k, m);
  for (let m0 = 0; m0 < m; m0 += rows) {
    const r = Math.min(rows, m - m0);
    gemm(k, co, r, convColumns(xv, g, m0, r, false), false, dv.subarray(m0 * co, (m0 + r) * co), false, dw, m0 > 0);
  }
  return [dw];
};
