import { sizeOf } from '@eagerflow/core';
import type { PooledBuffer } from '../buffer_pool.js';
import { LINEAR_INDEX, LINEAR_MAIN, WG, wgslType, type WebGpuKernel } from '../kernel.js';
import { cachedProgram, declareBindings, uw, type Program } from '../runtime.js';

/** Inputs per dispatch (storage bindings per stage are limited: 8 guaranteed, one is the output). */
const MAX_IN = 7;

function addProgram(k: number, t: string): Program {
  return cachedProgram(`add_n|${k}|${t}`, () => {
    const sum = Array.from({ length: k }, (_, i) => `in${i}[i]`).join(' + ');
    return {
      inputs: k,
      outputs: 1,
      uniformWords: 1,
      code: () => `${declareBindings(Array(k).fill(`vec4<${t}>`), [`vec4<${t}>`], 1)}
${LINEAR_MAIN} {
  let i = ${LINEAR_INDEX};
  if (i >= ${uw(0)}) { return; }
  out0[i] = ${sum};
}`,
    };
  });
}

/** Sum of k same-shape tensors, up to 7 per dispatch (vec4; pool buffers are 16-byte multiples). */
export const addN: WebGpuKernel = (ctx, inputs, _attrs, [out]) => {
  const dst = ctx.output(out!);
  const n = sizeOf(out!.shape);
  if (n === 0) return [dst];
  const t = wgslType(out!.dtype);
  const threads = Math.ceil(n / 4);
  let pending: PooledBuffer[] = inputs.map((x) => x.buf);
  let acc: PooledBuffer | null = null;
  while (pending.length) {
    const take = pending.slice(0, acc ? MAX_IN - 1 : MAX_IN);
    pending = pending.slice(take.length);
    const group = acc ? [acc, ...take] : take;
    const target = pending.length ? ctx.scratch(n * 4) : dst;
    ctx.rt.dispatch(addProgram(group.length, t), group, [target], [threads], ctx.rt.grid(Math.ceil(threads / WG)));
    acc = target;
  }
  return [dst];
};
