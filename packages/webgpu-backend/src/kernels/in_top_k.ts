import type { InTopKAttrs } from '@eagerflow/core';
import { WG, type WebGpuKernel } from '../kernel.js';
import { uw } from '../runtime.js';
import { linearProgram } from './index_ops.js';

/** One thread per row, TensorFlow's rule (see core's inTopKRow): fewer than k strictly larger. */
export const inTopK: WebGpuKernel<InTopKAttrs> = (ctx, [p, t], { k }, [out]) => {
  const dst = ctx.output(out!);
  const [rows, classes] = p!.shape as [number, number];
  if (rows === 0) return [dst];
  const program = linearProgram('in_top_k', ['f32', 'i32'], ['u32'], 3, `
  let c = ${uw(1)}; let k = i32(${uw(2)});
  let tgt = in1[i];
  if (tgt < 0 || u32(tgt) >= c) { out0[i] = 0u; return; }
  let tv = in0[i * c + u32(tgt)];
  if (!finite(tv)) { out0[i] = 0u; return; }
  var larger = 0;
  for (var j = 0u; j < c; j++) {
    let v = in0[i * c + j];
    if (!finite(v)) { out0[i] = 0u; return; }
    if (v > tv) { larger++; }
  }
  out0[i] = select(0u, 1u, larger < k);`, '// By bits: finite-math compilers may drop comparisons with inf and NaN.\nfn finite(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u; }');
  ctx.rt.dispatch(program, [p!.buf, t!.buf], [dst], [rows, classes, k], ctx.rt.grid(Math.ceil(rows / WG)));
  return [dst];
};
