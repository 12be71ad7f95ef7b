import { defs, type Conv2DBackpropFilterAttrs } from '@eagerflow/core';
import { takeColumns } from '../cols_cache.js';
import { gemm } from '../gemm.js';
import { channelMajor, im2col, im2colT, isPointwise, tileRows } from '../im2col.js';
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
  const major = channelMajor(g);
  const rows = tileRows(k, m);
  // The forward conv2d on this x may have kept its (channel-major) columns.
  const kept = major ? takeColumns(xv, g, m * k) : null;
  for (let m0 = 0; m0 < m; m0 += rows) {
    const r = Math.min(rows, m - m0);
    const dyTile = dv.subarray(m0 * co, (m0 + r) * co);
    // The column tile is written by im2col straight into the GEMM's operand memory.
    if (kept) gemm(k, co, r, (dst, off) => dst.set(kept.subarray(m0 * k, (m0 + r) * k), off), false, dyTile, false, dw, m0 > 0);
    else if (major) gemm(k, co, r, (dst, off) => im2colT(xv, g, m0, r, dst.subarray(off, off + k * r)), false, dyTile, false, dw, m0 > 0);
    else gemm(k, co, r, (dst, off) => im2col(xv, g, m0, r, dst.subarray(off, off + r * k)), true, dyTile, false, dw, m0 > 0);
  }
  return [dw];
};
