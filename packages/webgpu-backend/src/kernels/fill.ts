import { sizeOf, type FillAttrs } from '@eagerflow/core';
import type { PooledBuffer } from '../buffer_pool.js';
import { LINEAR_INDEX, LINEAR_MAIN, WG, type KernelContext, type WebGpuKernel } from '../kernel.js';
import { declareBindings, uw, type Program } from '../runtime.js';

/** One repeated 32-bit pattern, four elements per thread (vec4 stores). */
const program: Program = {
  key: 'fill',
  inputs: 0,
  outputs: 1,
  uniformWords: 2,
  code: () => `${declareBindings([], ['vec4<u32>'], 2)}
${LINEAR_MAIN} {
  let i = ${LINEAR_INDEX};
  if (i >= ${uw(0)}) { return; }
  out0[i] = vec4<u32>(${uw(1)});
}`,
};

export const fill: WebGpuKernel<FillAttrs> = (ctx, _inputs, { value, dtype }, [out]) => {
  const dst = ctx.output(out!);
  const n = sizeOf(out!.shape);
  if (n === 0) return [dst];
  const words = new Uint32Array(2);
  if (dtype === 'float32') new Float32Array(words.buffer)[1] = value;
  else if (dtype === 'int32') new Int32Array(words.buffer)[1] = value;
  else words[1] = value ? 1 : 0;
  fillWords(ctx, dst, n, words[1]!);
  return [dst];
};

/** Sets the first n 32-bit words of `dst` to `bits`. */
export function fillWords(ctx: KernelContext, dst: PooledBuffer, n: number, bits: number): void {
  if (n === 0) return;
  // Pool buffers are 16-byte multiples, so writing whole vec4s past n stays inside the buffer.
  const threads = Math.ceil(n / 4);
  ctx.rt.dispatch(program, [], [dst], [threads, bits >>> 0], ctx.rt.grid(Math.ceil(threads / WG)));
}
