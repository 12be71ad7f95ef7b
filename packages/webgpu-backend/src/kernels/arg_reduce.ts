import { sizeOf, type ArgReduceAttrs } from '@eagerflow/core';
import { LINEAR_INDEX, LINEAR_MAIN, WG, wgslType, type WebGpuKernel } from '../kernel.js';
import { cachedProgram, declareBindings, uw, type Program } from '../runtime.js';

/** One thread per output walks the axis; a strict comparison keeps the first index on ties. */
function argProgram(op: 'max' | 'min', t: string): Program {
  return cachedProgram(`arg_reduce|${op}|${t}`, () => ({
    inputs: 1,
    outputs: 1,
    uniformWords: 3,
    code: () => `${declareBindings([t], ['i32'], 3)}
${LINEAR_MAIN} {
  let i = ${LINEAR_INDEX};
  if (i >= ${uw(0)}) { return; }
  let len = ${uw(1)};
  let inner = ${uw(2)};
  let o = i / inner;
  let j = i - o * inner;
  var p = o * len * inner + j;
  var best = in0[p];
  var arg = 0u;
  for (var k = 1u; k < len; k++) {
    p += inner;
    let v = in0[p];
    if (v ${op === 'max' ? '>' : '<'} best) { best = v; arg = k; }
  }
  out0[i] = i32(arg);
}`,
  }));
}

export const argReduce: WebGpuKernel<ArgReduceAttrs> = (ctx, [x], { op, axis }, [out]) => {
  const dst = ctx.output(out!);
  const n = sizeOf(out!.shape);
  if (n === 0) return [dst];
  const rank = x!.shape.length;
  const a = axis < 0 ? axis + rank : axis;
  const len = x!.shape[a]!;
  const inner = sizeOf(x!.shape.slice(a + 1));
  ctx.rt.dispatch(argProgram(op, wgslType(x!.dtype)), [x!.buf], [dst], [n, len, inner], ctx.rt.grid(Math.ceil(n / WG)));
  return [dst];
};
