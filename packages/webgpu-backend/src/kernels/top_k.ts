import { sizeOf, type TopKAttrs } from '@eagerflow/core';
import { WG, wgslType, type WebGpuKernel } from '../kernel.js';
import { uw } from '../runtime.js';
import { linearProgram } from './index_ops.js';

/**
 * Rank selection: one thread per input element counts the elements ranked above it (larger, or
 * equal with a lower index: ties keep the lower index) and, when its rank is below k, writes
 * itself to that slot. Sorted output, no sort pass; O(n) work per element.
 */
export const topK: WebGpuKernel<TopKAttrs> = (ctx, [x], { k }, [outV, outI]) => {
  const values = ctx.output(outV!);
  const indices = ctx.output(outI!);
  const n = x!.shape[x!.shape.length - 1]!;
  const total = sizeOf(x!.shape);
  if (k === 0 || total === 0) return [values, indices];
  const t = wgslType(x!.dtype);
  const program = linearProgram(`top_k|${t}`, [t], [t, 'i32'], 3, `
  let n = ${uw(1)}; let k = ${uw(2)};
  let e = i % n; let base = i - e;
  let v = in0[i];
  var rank = 0u;
  for (var j = 0u; j < n; j++) {
    let w = in0[base + j];
    if (w > v || (w == v && j < e)) { rank++; }
  }
  if (rank < k) {
    let o = (base / n) * k + rank;
    out0[o] = v;
    out1[o] = i32(e);
  }`);
  ctx.rt.dispatch(program, [x!.buf], [values, indices], [total, n, k], ctx.rt.grid(Math.ceil(total / WG)));
  return [values, indices];
};
