/**
 * Fused row kernels over the last axis (softmax, log-softmax, the two cross-entropies): one
 * workgroup of 64 threads per row; max and sum of exp(x - max) through a workgroup tree, then
 * every output of the row in the same dispatch (no intermediate tensors).
 */
import { sizeOf } from '@eagerflow/core';
import type { PooledBuffer } from '../buffer_pool.js';
import type { KernelContext } from '../kernel.js';
import { cachedProgram, declareBindings, uw, type Program } from '../runtime.js';
import { WGSL_NAN_PRELUDE } from '../wgsl/scalar_expr.js';

export type RowKind = 'softmax' | 'log_softmax' | 'softmax_cross_entropy' | 'sparse_softmax_cross_entropy';
const RW = 64;

function rowProgram(kind: RowKind): Program {
  return cachedProgram(`rows|${kind}`, () => {
    const ce = kind === 'softmax_cross_entropy' || kind === 'sparse_softmax_cross_entropy';
    const ins = kind === 'softmax_cross_entropy' ? ['f32', 'f32'] : kind === 'sparse_softmax_cross_entropy' ? ['i32', 'f32'] : ['f32'];
    const outs = ce ? ['f32', 'f32'] : ['f32'];
    const x = ce ? 'in1' : 'in0';
    const tree = (op: string) => `
  red[lid] = acc;
  workgroupBarrier();
  for (var s = ${RW / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { red[lid] = ${op}; }
    workgroupBarrier();
  }
  total = red[0];
  workgroupBarrier();`;
    let body: string;
    switch (kind) {
      case 'softmax':
        body = `if (valid) { for (var j = lid; j < c; j += ${RW}u) { out0[base + j] = ef_exp(${x}[base + j] - mx) / sum; } }`;
        break;
      case 'log_softmax':
        body = `let lse = mx + ef_log(sum);
  if (valid) { for (var j = lid; j < c; j += ${RW}u) { out0[base + j] = ${x}[base + j] - lse; } }`;
        break;
      case 'softmax_cross_entropy':
        // backprop = softmax·Σlabels - labels (exact for label rows that do not sum to 1).
        body = `let lse = mx + ef_log(sum);
  acc = 0.0;
  for (var j = lid; j < c; j += ${RW}u) { acc += in0[base + j]; }
  ${tree('red[lid] + red[lid + s]')}
  let labelSum = total;
  acc = 0.0;
  for (var j = lid; j < c; j += ${RW}u) {
    let v = ${x}[base + j] - lse;
    let l = in0[base + j];
    acc -= l * v;
    if (valid) { out1[base + j] = ef_exp(v) * labelSum - l; }
  }
  ${tree('red[lid] + red[lid + s]')}
  if (lid == 0u && valid) { out0[row] = total; }`;
        break;
      case 'sparse_softmax_cross_entropy':
        body = `let lse = mx + ef_log(sum);
  let label = in0[row];
  let ok = label >= 0 && u32(label) < c;
  for (var j = lid; j < c && valid; j += ${RW}u) {
    out1[base + j] = ef_exp(${x}[base + j] - lse) - select(0.0, 1.0, ok && u32(label) == j);
  }
  // An out-of-range label gives NaN (the CPU backend throws; a GPU kernel cannot).
  if (lid == 0u && valid) { out0[row] = select(bitcast<f32>(ef_nan_bits), lse - ${x}[base + u32(max(label, 0))], ok); }`;
        break;
    }
    const code = () => `${declareBindings(ins, outs, 2)}
var<workgroup> red: array<f32, ${RW}>;
// A NaN in the row (or inf - inf with a +inf in it) makes every output NaN, as on the CPU: WGSL's
// max may drop a NaN, and SwiftShader's exp(NaN) is +inf, its log(NaN) finite.
${WGSL_NAN_PRELUDE}
fn ef_log(x: f32) -> f32 { return select(log(x), x, ef_isnan(x)); }
@compute @workgroup_size(${RW})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row = wid.y * nwg.x + wid.x;
  let rows = ${uw(0)};
  let c = ${uw(1)};
  // Rows past the end still take part in the barriers; they read and write nothing.
  let base = min(row, rows - 1u) * c;
  var total = 0.0;
  let valid = row < rows;
  var acc = bitcast<f32>(ef_ninf_bits);
  for (var j = lid; j < c; j += ${RW}u) { acc = ef_max(acc, ${x}[base + j]); }
  ${tree('ef_max(red[lid], red[lid + s])')}
  let mx = total;
  acc = 0.0;
  for (var j = lid; j < c; j += ${RW}u) { acc += ef_exp(${x}[base + j] - mx); }
  ${tree('red[lid] + red[lid + s]')}
  let sum = total;
  ${body}
}`;
    return { inputs: ins.length, outputs: outs.length, uniformWords: 2, code };
  });
}

export function runRows(ctx: KernelContext, kind: RowKind, inputs: readonly PooledBuffer[], logitsShape: readonly number[], outs: PooledBuffer[]): PooledBuffer[] {
  const c = logitsShape[logitsShape.length - 1]!;
  const rows = c === 0 ? 0 : sizeOf(logitsShape) / c;
  if (rows === 0) return outs;
  ctx.rt.dispatch(rowProgram(kind), inputs, outs, [rows, c], ctx.rt.grid(rows));
  return outs;
}
