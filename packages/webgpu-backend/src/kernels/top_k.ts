import { sizeOf, type TopKAttrs } from '@eagerflow/core';
import { WG, wgslType, type WebGpuKernel } from '../kernel.js';
import { uw } from '../runtime.js';
import { linearProgram } from './index_ops.js';
import { WGSL_NAN_PRELUDE } from '../wgsl/scalar_expr.js';

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
  // NaN ranks above every number (as on the CPU); among NaNs the lower index first. Without this
  // every NaN took rank 0 with the row's largest number (one slot, several writers) and with fewer
  // than k numbers the last slots were never written (stale pool memory). NaN by bits: finite-math
  // compilers may drop comparisons with it.
  const above = t === 'f32' ? 'ef_above(w, v, j < e)' : '(w > v || (w == v && j < e))';
  const prelude = `${WGSL_NAN_PRELUDE}
fn ef_above(w: f32, v: f32, before: bool) -> bool {
  let wn = ef_isnan(w);
  let vn = ef_isnan(v);
  if (wn || vn) { return wn && (!vn || before); }
  return w > v || (w == v && before);
}`;
  const program = linearProgram(`top_k|${t}`, [t], [t, 'i32'], 3, `
  let n = ${uw(1)}; let k = ${uw(2)};
  let e = i % n; let base = i - e;
  let v = in0[i];
  var rank = 0u;
  for (var j = 0u; j < n; j++) {
    let w = in0[base + j];
    if (${above}) { rank++; }
  }
  if (rank < k) {
    let o = (base / n) * k + rank;
    out0[o] = v;
    out1[o] = i32(e);
  }`, t === 'f32' ? prelude : '');
  ctx.rt.dispatch(program, [x!.buf], [values, indices], [total, n, k], ctx.rt.grid(Math.ceil(total / WG)));
  return [values, indices];
};
