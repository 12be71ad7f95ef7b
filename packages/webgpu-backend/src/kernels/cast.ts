import { sizeOf, type CastAttrs, type DType } from '@eagerflow/core';
import { LINEAR_INDEX, LINEAR_MAIN, WG, wgslType, type WebGpuKernel } from '../kernel.js';
import { cachedProgram, declareBindings, uw, type Program } from '../runtime.js';

/** float→int truncates toward zero; anything→bool is x != 0; bool is stored as u32. */
function convert(from: DType, to: DType): string {
  if (to === 'bool') return `select(0u, 1u, x != ${wgslType(from)}(0))`;
  if (from === to) return 'x';
  return `${wgslType(to)}(x)`;
}

function castProgram(from: DType, to: DType): Program {
  return cachedProgram(`cast|${from}>${to}`, () => ({
    inputs: 1,
    outputs: 1,
    uniformWords: 1,
    code: () => `${declareBindings([`vec4<${wgslType(from)}>`], [`vec4<${wgslType(to)}>`], 1)}
${LINEAR_MAIN} {
  let i = ${LINEAR_INDEX};
  if (i >= ${uw(0)}) { return; }
  let x = in0[i];
  out0[i] = ${convert(from, to).replace(`${wgslType(from)}(0)`, `vec4<${wgslType(from)}>(${wgslType(from)}(0))`).replace('select(0u, 1u,', 'select(vec4<u32>(0u), vec4<u32>(1u),').replace(`${wgslType(to)}(x)`, `vec4<${wgslType(to)}>(x)`)};
}`,
  }));
}

/** Four elements per thread; pool buffers are 16-byte multiples so the tail vec4 stays in bounds. */
export const cast: WebGpuKernel<CastAttrs> = (ctx, [x], { dtype }, [out]) => {
  const dst = ctx.output(out!);
  const n = sizeOf(out!.shape);
  if (n === 0) return [dst];
  const program = castProgram(x!.dtype, dtype);
  const threads = Math.ceil(n / 4);
  ctx.rt.dispatch(program, [x!.buf], [dst], [threads], ctx.rt.grid(Math.ceil(threads / WG)));
  return [dst];
};
