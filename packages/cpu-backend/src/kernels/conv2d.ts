import { defs, type Conv2DAttrs } from '@eagerflow/core';
import { columnsToKeep, dropColumns } from '../cols_cache.js';
import { gemm } from '../gemm.js';
import { channelMajor, im2col, im2colT, isPointwise, scratchBuffer, tileRows } from '../im2col.js';
import type { CpuKernel } from '../kernel.js';
import { allocF32, allocF32Uninit } from '../pool.js';

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
  if (m === 0 || co === 0 || k === 0) return [allocF32(m * co)];
  // Every element is written below (GEMM outputs, not accumulated).
  const y = allocF32Uninit(m * co);
  if (isPointwise(g)) {
    gemm(m, co, k, xv, false, fv, false, y);
    return [y];
  }
  const rows = tileRows(k, m);
  // The column tiles are written by im2col straight into the GEMM's operand memory.
  if (channelMajor(g)) {
    // yᵀ[co × r] = filterᵀ · colsT, then back to pixel-major.
    const yT = scratchBuffer(1, rows * co);
    // The columns are also kept for conv2d_backprop_filter on the same x (cols_cache.ts).
    const keep = columnsToKeep(xv, g, m * k);
    for (let m0 = 0; m0 < m; m0 += rows) {
      const r = Math.min(rows, m - m0);
      const produce = keep
        ? (dst: Float32Array, off: number) => {
            const tile = keep.subarray(m0 * k, (m0 + r) * k);
            im2colT(xv, g, m0, r, tile);
            dst.set(tile, off);
          }
        : (dst: Float32Array, off: number) => im2colT(xv, g, m0, r, dst.subarray(off, off + k * r));
      try {
        gemm(co, r, k, fv, true, produce, false, yT.subarray(0, co * r));
      } catch (e) {
        dropColumns();
        throw e;
      }
      for (let j = 0; j < co; j++) for (let i = 0, s = j * r, o = m0 * co + j; i < r; i++, o += co) y[o] = yT[s + i]!;
    }
    return [y];
  }
  for (let m0 = 0; m0 < m; m0 += rows) {
    const r = Math.min(rows, m - m0);
    gemm(r, co, k, (dst, off) => im2col(xv, g, m0, r, dst.subarray(off, off + r * k)), false, fv, false, y.subarray(m0 * co, (m0 + r) * co));
  }
  return [y];
};
