/**
 * Reductions. After merging dimensions the input is [outer, count, inner] when the reduced axes
 * are one contiguous block (otherwise a transpose moves them last first):
 *  - inner == 1 and long rows (row reduce): one workgroup per row, each thread folds a strided slice, then a
 *    workgroup tree (subgroup operations first when the device has them); very long rows with
 *    few of them are split in chunks (two passes) so enough workgroups run;
 *  - otherwise one thread per output walks the reduced axis (coalesced across columns),
 *    or, for few long columns, a transpose to the row form.
 */
import { sizeOf, stridesOf, type DType, type ReduceAttrs, type ReduceKind, type TensorInfo } from '@eagerflow/core';
import type { PooledBuffer } from '../buffer_pool.js';
import { LINEAR_INDEX, LINEAR_MAIN, WG, wgslType, type KernelContext, type WebGpuKernel } from '../kernel.js';
import { cachedProgram, declareBindings, uw, type Program } from '../runtime.js';
import { fillWords } from './fill.js';
import { gatherStrided } from './strided_copy.js';
import { WGSL_NAN_PRELUDE } from '../wgsl/scalar_expr.js';

/** Combining step and identity of each reduction, per storage type. */
function combine(op: ReduceKind, t: string, a: string, b: string): string {
  switch (op) {
    case 'sum':
    case 'mean':
      return `${a} + ${b}`;
    case 'prod':
      return `${a} * ${b}`;
    // f32: NaN-propagating (WGSL_NAN_PRELUDE), as on the CPU and in TensorFlow.
    case 'max':
    case 'any':
      return t === 'f32' ? `ef_max(${a}, ${b})` : `max(${a}, ${b})`;
    case 'min':
    case 'all':
      return t === 'f32' ? `ef_min(${a}, ${b})` : `min(${a}, ${b})`;
  }
  return t;
}

function identity(op: ReduceKind, t: string): string {
  switch (op) {
    case 'sum':
    case 'mean':
    case 'any':
      return `${t}(0)`;
    case 'prod':
    case 'all':
      return `${t}(1)`;
    case 'max':
      return t === 'f32' ? 'bitcast<f32>(ef_ninf_bits)' : 'i32(-2147483647 - 1)';
    case 'min':
      return t === 'f32' ? 'bitcast<f32>(ef_inf_bits)' : 'i32(2147483647)';
  }
}

/** `acc` → stored value: the mean divides by the reduced count (integer mean truncates). */
function finish(op: ReduceKind, t: string, divide: boolean): string {
  if (op !== 'mean' || !divide) return 'acc';
  return t === 'f32' ? `acc / f32(${uw(3)})` : `acc / i32(${uw(3)})`;
}

/**
 * Row reduction: one workgroup per (row, chunk). Uniforms: rows, count, chunks, divisor,
 * chunkLen, inner. A row's elements are `inner` apart (1: contiguous rows; more: the columns of
 * an [outer, count, inner] block, row = outer·inner + column). Output index row * chunks + chunk.
 */
function rowProgram(op: ReduceKind, dtype: DType, divide: boolean, subgroups: boolean): Program {
  return cachedProgram(`reduce_row|${op}|${dtype}|${divide}|${subgroups}`, () => {
    const t = wgslType(dtype);
    const c = (a: string, b: string) => combine(op, t, a, b);
    const sgOp = op === 'sum' || op === 'mean' ? 'subgroupAdd' : op === 'prod' ? 'subgroupMul' : op === 'max' || op === 'any' ? 'subgroupMax' : 'subgroupMin';
    const tree = subgroups
      ? `
  // Subgroup reduction, then one value per subgroup through workgroup memory.
  var s = ${sgOp}(acc);${t === 'f32' && (op === 'max' || op === 'min') ? `
  if (subgroupMax(select(0u, 1u, ef_isnan(acc))) == 1u) { s = bitcast<f32>(ef_nan_bits); }` : ''}
  if (sgLane == 0u) { partial[lid / sgSize] = s; }
  workgroupBarrier();
  let nsg = (${WG}u + sgSize - 1u) / sgSize;
  if (lid == 0u) {
    var r = partial[0];
    for (var k = 1u; k < nsg; k++) { r = ${c('r', 'partial[k]')}; }
    acc = r;
  }`
      : `
  partial[lid] = acc;
  workgroupBarrier();
  for (var stride = ${WG / 2}u; stride > 0u; stride = stride >> 1u) {
    if (lid < stride) { partial[lid] = ${c('partial[lid]', 'partial[lid + stride]')}; }
    workgroupBarrier();
  }
  acc = partial[0];`;
    const code = () => `${subgroups ? 'enable subgroups;\n' : ''}${declareBindings([t], [t], 6)}
${WGSL_NAN_PRELUDE}
var<workgroup> partial: array<${t}, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32${subgroups ? ', @builtin(subgroup_invocation_id) sgLane: u32, @builtin(subgroup_size) sgSize: u32' : ''}) {
  let g = wid.y * nwg.x + wid.x;
  let chunks = ${uw(2)};
  let row = g / chunks;
  let chunk = g - row * chunks;
  let valid = row < ${uw(0)};
  let count = ${uw(1)};
  let start = chunk * ${uw(4)};
  let end = min(count, start + ${uw(4)});
  let inner = ${uw(5)};
  let o = row / inner;
  let base = o * count * inner + (row - o * inner);
  var acc = ${identity(op, t)};
  if (valid) {
    for (var k = start + lid; k < end; k += ${WG}u) { acc = ${c('acc', 'in0[base + k * inner]')}; }
  }
  ${tree}
  if (lid == 0u && valid) { out0[g] = ${finish(op, t, divide)}; }
}`;
    return { inputs: 1, outputs: 1, uniformWords: 6, code };
  });
}

/** Column reduction: one thread per (outer, inner) output. Uniforms: outputs, count, inner, divisor. */
function columnProgram(op: ReduceKind, dtype: DType): Program {
  return cachedProgram(`reduce_col|${op}|${dtype}`, () => {
    const t = wgslType(dtype);
    const code = () => `${declareBindings([t], [t], 4)}
${WGSL_NAN_PRELUDE}
${LINEAR_MAIN} {
  let i = ${LINEAR_INDEX};
  if (i >= ${uw(0)}) { return; }
  let inner = ${uw(2)};
  let count = ${uw(1)};
  let o = i / inner;
  let j = i - o * inner;
  var p = o * count * inner + j;
  var acc = ${identity(op, t)};
  for (var k = 0u; k < count; k++) { acc = ${combine(op, t, 'acc', 'in0[p]')}; p += inner; }
  out0[i] = ${finish(op, t, true)};
}`;
    return { inputs: 1, outputs: 1, uniformWords: 4, code };
  });
}

/**
 * Reduces each row of a [rows, count] buffer into `dst` (rows values); with `inner` > 1 the
 * buffer is [rows / inner, count, inner] and each column is reduced (elements `inner` apart).
 */
function reduceRows(ctx: KernelContext, op: ReduceKind, dtype: DType, src: PooledBuffer, rows: number, count: number, dst: PooledBuffer, inner = 1): void {
  const subgroups = ctx.rt.features.has('subgroups') && ctx.rt.useSubgroups;
  // Few long rows: split each in chunks so at least ~256 workgroups run.
  let chunks = 1;
  if (count > 8 * WG * 4 && rows < 256) chunks = Math.min(Math.ceil(256 / rows), Math.ceil(count / (WG * 16)));
  if (chunks > 1) {
    const chunkLen = Math.ceil(count / chunks);
    chunks = Math.ceil(count / chunkLen);
    const partial = ctx.scratch(rows * chunks * 4);
    const first = rowProgram(op, dtype, false, subgroups);
    ctx.rt.dispatch(first, [src], [partial], [rows, count, chunks, count, chunkLen, inner], ctx.rt.grid(rows * chunks));
    const second = rowProgram(op, dtype, true, subgroups);
    ctx.rt.dispatch(second, [partial], [dst], [rows, chunks, 1, count, chunks, 1], ctx.rt.grid(rows));
    return;
  }
  const program = rowProgram(op, dtype, true, subgroups);
  ctx.rt.dispatch(program, [src], [dst], [rows, count, 1, count, count, inner], ctx.rt.grid(rows));
}

export function reduceInto(
  ctx: KernelContext, x: { shape: readonly number[]; dtype: DType; buf: PooledBuffer }, op: ReduceKind, axes: readonly number[], out: TensorInfo,
  dst = ctx.output(out),
): PooledBuffer {
  const nOut = sizeOf(out.shape);
  if (nOut === 0) return dst;
  const count = sizeOf(axes.map((d) => x.shape[d]!));
  if (count === 0) {
    // Reducing nothing gives the identity (0 for sum, 1 for prod, ∓inf for max/min, NaN mean).
    const words = new Uint32Array(1);
    const id = op === 'sum' || op === 'any' ? 0 : op === 'prod' || op === 'all' ? 1 : op === 'max' ? -Infinity : op === 'min' ? Infinity : NaN;
    if (x.dtype === 'float32') new Float32Array(words.buffer)[0] = id;
    else if (x.dtype === 'int32') new Int32Array(words.buffer)[0] = Number.isNaN(id) ? 0 : Number.isFinite(id) ? id : id > 0 ? 2147483647 : -2147483648; // int mean: 0 as on the CPU
    else words[0] = id;
    // A dispatch, not queue.writeBuffer: `dst` may be a buffer that commands already recorded in the
    // open batch still read (freed since, see BufferPool.acquire), and a queue write would run first.
    fillWords(ctx, dst, nOut, words[0]!);
    return dst;
  }
  const rank = x.shape.length;
  // Dimensions of size 1 do not matter; find whether the reduced ones form one block.
  const dims = [...Array(rank).keys()].filter((d) => x.shape[d] !== 1);
  const red = dims.filter((d) => axes.includes(d));
  const first = dims.indexOf(red[0]!);
  const contiguous = red.length === 0 || red.every((d, i) => dims[first + i] === d);
  let src = x.buf;
  let outer: number;
  let inner: number;
  if (contiguous && red.length > 0) {
    outer = sizeOf(dims.slice(0, first).map((d) => x.shape[d]!));
    inner = sizeOf(dims.slice(first + red.length).map((d) => x.shape[d]!));
  } else if (red.length === 0) {
    outer = nOut;
    inner = 1;
  } else {
    // Move the reduced axes last.
    const kept = dims.filter((d) => !axes.includes(d));
    const perm = [...kept, ...red];
    const s = stridesOf(x.shape);
    const tmp = ctx.scratch(sizeOf(x.shape) * 4);
    gatherStrided(ctx, x.buf, perm.map((d) => x.shape[d]!), perm.map((d) => s[d]!), tmp);
    src = tmp;
    outer = nOut;
    inner = 1;
  }
  if (inner > 1 && outer * inner < 4096 && count >= 1024) {
    // Few long columns (a bias gradient: [N·H·W, C] summed over rows). Narrow ones are reduced
    // in place, their elements `inner` apart (a few cache lines per warp read); wide ones are
    // transposed [outer, count, inner] → [outer, inner, count] first, so reads stay contiguous.
    if (inner <= 16) {
      reduceRows(ctx, op, x.dtype, src, outer * inner, count, dst, inner);
      return dst;
    }
    const tmp = ctx.scratch(outer * count * inner * 4);
    gatherStrided(ctx, src, [outer, inner, count], [count * inner, 1, inner], tmp);
    src = tmp;
    outer *= inner;
    inner = 1;
  }
  if (inner === 1 && count > 64) {
    reduceRows(ctx, op, x.dtype, src, outer, count, dst);
  } else {
    const program = columnProgram(op, x.dtype);
    ctx.rt.dispatch(program, [src], [dst], [nOut, count, inner, count], ctx.rt.grid(Math.ceil(nOut / WG)));
  }
  return dst;
}

export const reduce: WebGpuKernel<ReduceAttrs> = (ctx, [x], { op, axes }, [out]) => [reduceInto(ctx, x!, op, axes, out!)];
