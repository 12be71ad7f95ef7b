import { normAxis, sizeOf, type CumsumAttrs } from '@eagerflow/core';
import { WG, wgslType, type WebGpuKernel } from '../kernel.js';
import { uw } from '../runtime.js';
import { linearProgram } from './index_ops.js';

/** [outer, len, inner]: one thread per (outer, inner) column runs the scan (exclusive / reverse). */
export const cumsum: WebGpuKernel<CumsumAttrs> = (ctx, [x], { axis, exclusive, reverse }, [out]) => {
  const dst = ctx.output(out!);
  const a = normAxis('cumsum', axis, x!.shape.length);
  const outer = sizeOf(x!.shape.slice(0, a));
  const len = x!.shape[a]!;
  const inner = sizeOf(x!.shape.slice(a + 1));
  const cols = outer * inner;
  if (cols === 0 || len === 0) return [dst];
  const t = wgslType(x!.dtype);
  const program = linearProgram(`cumsum|${t}|${exclusive}|${reverse}`, [t], [t], 3, `
  let len = ${uw(1)}; let inner = ${uw(2)};
  let ii = i % inner; let o = i / inner;
  var acc = ${t}(0);
  for (var s = 0u; s < len; s++) {
    let p = (o * len + ${reverse ? 'len - 1u - s' : 's'}) * inner + ii;
    ${exclusive ? 'out0[p] = acc; acc += in0[p];' : 'acc += in0[p]; out0[p] = acc;'}
  }`);
  ctx.rt.dispatch(program, [x!.buf], [dst], [cols, len, inner], ctx.rt.grid(Math.ceil(cols / WG)));
  return [dst];
};
