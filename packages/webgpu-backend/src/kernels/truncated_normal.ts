import { sizeOf, type RandomNormalAttrs } from '@eagerflow/core';
import { LINEAR_INDEX, LINEAR_MAIN, WG, type WebGpuKernel } from '../kernel.js';
import { declareBindings, uw, type Program } from '../runtime.js';
import { BOX_MULLER_WGSL, PHILOX_WGSL } from './philox_wgsl.js';

/**
 * One thread per element, core's truncatedNormalFloats: attempt a uses block (i >> 1,
 * substream a >> 1), lanes 2(i & 1) and 2(i & 1) + 1, sin for even a, cos for odd; the first
 * |z| < 2 is kept. P(|z| >= 2) ≈ 4.6%, so the attempt cap (bounded GPU loops) is never reached in
 * practice. Uniforms: n, k0, k1, c2, c3, mean, stddev.
 */
const program: Program = {
  key: 'truncated_normal',
  inputs: 0,
  outputs: 1,
  uniformWords: 7,
  code: () => `${declareBindings([], ['f32'], 7)}
${PHILOX_WGSL}
${BOX_MULLER_WGSL}
${LINEAR_MAIN} {
  let i = ${LINEAR_INDEX};
  if (i >= ${uw(0)}) { return; }
  let key = vec2<u32>(${uw(1)}, ${uw(2)});
  let lane = (i & 1u) * 2u;
  var block = vec4<u32>(0u);
  var z = 0.0;
  for (var a = 0u; a < 256u; a++) {
    if ((a & 1u) == 0u) { block = ef_philox(vec4<u32>(i >> 1u, a >> 1u, ${uw(3)}, ${uw(4)}), key); }
    z = ef_box_muller(block[lane], block[lane + 1u], a & 1u);
    if (abs(z) < 2.0) { break; }
  }
  out0[i] = bitcast<f32>(${uw(5)}) + bitcast<f32>(${uw(6)}) * z;
}`,
};

export const truncatedNormal: WebGpuKernel<RandomNormalAttrs> = (ctx, _inputs, a, [out]) => {
  const dst = ctx.output(out!);
  const n = sizeOf(a.shape);
  if (n === 0) return [dst];
  const words = new Uint32Array(7);
  words[0] = n;
  words[1] = a.key[0];
  words[2] = a.key[1];
  words[3] = a.counter[0];
  words[4] = a.counter[1];
  const f = new Float32Array(words.buffer);
  f[5] = a.mean;
  f[6] = a.stddev;
  ctx.rt.dispatch(program, [], [dst], words, ctx.rt.grid(Math.ceil(n / WG)));
  return [dst];
};
