import { defs, type Conv2DAttrs } from '@eagerflow/core';
import { gemm, type Epilogue } from '../gemm.js';
import { convColumns, isPointwise, tileRows } from '../im2col.js';
import type { CpuInput, CpuKernel } from '../kernel.js';
import { allocF32, allocF32Uninit } from '../pool.js';

/**
 * conv2d as im2col tiles × GEMM, pixel-major (cols · filter, so the GEMM stores NHWC rows and
 * applies a fused op's epilogue as it does); a 1×1 stride-1 unpadded conv is one GEMM over pixels.
 */
export function conv2dWith(x: CpuInput, f: CpuInput, attrs: Conv2DAttrs, epilogue?: Epilogue): Float32Array {
  const g = defs.convGeometry('conv2d', x.shape, f.shape, attrs);
  const xv = x.values as Float32Array;
  const fv = f.values as Float32Array;
  const m = g.n * g.oh * g.ow;
  const k = g.kh * g.kw * g.ci;
  const co = g.co;
  if (m === 0 || co === 0) return allocF32(m * co);
  // Every element is written below (GEMM outputs, not accumulated).
  const y = allocF32Uninit(m * co);
  if (isPointwise(g) || k === 0) {
    gemm(m, co, k, xv, false, fv, false, y, false, epilogue);
    return y;
  }
  const rows = tileRows(k, m);
  for (let m0 = 0; m0 < m; m0 += rows) {
    const r = Math.min(rows, m - m0);
    gemm(r, co, k, convColumns(xv, g, m0, r, true), false, fv, false, y.subarray(m0 * co, (m0 + r) * co), false, epilogue);
  }
  return y;
}

export const conv2d: CpuKernel<Conv2DAttrs> = ([x, f], attrs) => [conv2dWith(x!, f!, attrs)];
