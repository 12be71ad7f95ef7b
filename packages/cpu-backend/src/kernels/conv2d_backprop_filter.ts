import { defs, type Conv2DBackpropFilterAttrs } from '@eagerflow/core';
import { gemm } from '../gemm.js';
import { im2col, isPointwise, scratchBuffer, tileRows } from '../im2col.js';
import type { CpuKernel } from '../kernel.js';

/** dW = Σ over tiles of im2col(x)ᵀ · dy (GEMM with a transposed A), accumulated in place. */
export const conv2dBackpropFilter: CpuKernel<Conv2DBackpropFilterAttrs> = ([x, dy], attrs) => {
  const g = defs.convGeometry('conv2dBackpropFilter', x!.shape, attrs.filterShape, attrs);
  const xv = x!.values as Float32Array;
  const dv = dy!.values as Float32Array;
  const m = g.n * g.oh * g.ow;
  const k = g.kh * g.kw * g.ci;
  const size = k * g.co;
  const dw = new Float32Array(size);
  if (m === 0 || size === 0) return [dw];
  if (isPointwise(g)) {
    gemm(k, g.co, m, xv, true, dv, false, dw);
    return [dw];
  }
  const rows = tileRows(k, m);
  if (rows >= m) {
    const cols = scratchBuffer(0, m * k);
    im2col(xv, g, 0, m, cols);
    gemm(k, g.co, m, cols.subarray(0, m * k), true, dv, false, dw);
    return [dw];
  }
  const cols = scratchBuffer(0, rows * k);
  const part = scratchBuffer(1, size);
  for (let m0 = 0; m0 < m; m0 += rows) {
    const r = Math.min(rows, m - m0);
    im2col(xv, g, m0, r, cols);
    gemm(k, g.co, r, cols.subarray(0, r * k), true, dv.subarray(m0 * g.co, (m0 + r) * g.co), false, part.subarray(0, size));
    for (let i = 0; i < size; i++) dw[i] += part[i]!;
  }
  return [dw];
};
