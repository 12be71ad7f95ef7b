import { defs, sizeOf, type GatherAttrs } from '@eagerflow/core';
import { WG, type WebGpuKernel } from '../kernel.js';
import { uw } from '../runtime.js';
import { linearProgram } from './index_ops.js';

/**
 * out[b, o, n, i] = x[b, o, indices[b, n], i], one thread per output element. An index out of
 * range gives 0 (the CPU backend throws; a GPU kernel cannot without a readback).
 */
export const gather: WebGpuKernel<GatherAttrs> = (ctx, [x, indices], attrs, [out]) => {
  const dst = ctx.output(out!);
  const { O, A, I, N } = defs.gatherLayout(x!, indices!, attrs);
  const total = sizeOf(out!.shape);
  if (total === 0) return [dst];
  const program = linearProgram('gather', ['u32', 'i32'], ['u32'], 5, `
  let I = ${uw(4)}; let N = ${uw(3)}; let O = ${uw(1)}; let A = ${uw(2)};
  let ii = i % I; let r = i / I; let j = r % N; let r2 = r / N; let o = r2 % O; let b = r2 / O;
  let a = indices_at(b * N + j);
  if (a < 0 || u32(a) >= A) { out0[i] = 0u; return; }
  out0[i] = in0[((b * O + o) * A + u32(a)) * I + ii];`, 'fn indices_at(k: u32) -> i32 { return in1[k]; }');
  ctx.rt.dispatch(program, [x!.buf, indices!.buf], [dst], [total, O, A, N, I], ctx.rt.grid(Math.ceil(total / WG)));
  return [dst];
};
