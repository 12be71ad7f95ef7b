import { defs, sizeOf, type OneHotAttrs } from '@eagerflow/core';
import { WG, type WebGpuKernel } from '../kernel.js';
import { uw } from '../runtime.js';
import { linearProgram } from './index_ops.js';

function bits(v: number, dtype: string): number {
  const w = new Uint32Array(1);
  if (dtype === 'float32') new Float32Array(w.buffer)[0] = v;
  else if (dtype === 'int32') new Int32Array(w.buffer)[0] = v;
  else w[0] = v ? 1 : 0;
  return w[0]!;
}

/** One thread per output element (o, v, i): on where indices[o, i] == v (out-of-range rows stay off). */
export const oneHot: WebGpuKernel<OneHotAttrs> = (ctx, [indices], attrs, [out]) => {
  const dst = ctx.output(out!);
  const { inner } = defs.oneHotLayout(indices!, attrs);
  const total = sizeOf(out!.shape);
  if (total === 0) return [dst];
  const program = linearProgram('one_hot', ['i32'], ['u32'], 5, `
  let inner = ${uw(1)}; let depth = ${uw(2)};
  let ii = i % inner; let r = i / inner; let v = r % depth; let o = r / depth;
  out0[i] = select(${uw(4)}, ${uw(3)}, in0[o * inner + ii] == i32(v));`);
  ctx.rt.dispatch(program, [indices!.buf], [dst], [total, inner, attrs.depth, bits(attrs.onValue, attrs.dtype), bits(attrs.offValue, attrs.dtype)], ctx.rt.grid(Math.ceil(total / WG)));
  return [dst];
};
