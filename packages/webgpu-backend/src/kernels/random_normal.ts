import { sizeOf, type RandomNormalAttrs } from '@eagerflow/core';
import { LINEAR_INDEX, LINEAR_MAIN, WG, type WebGpuKernel } from '../kernel.js';
import { declareBindings, uw, type Program } from '../runtime.js';
import { BOX_MULLER_WGSL, PHILOX_WGSL } from './philox_wgsl.js';

/**
 * One thread per Philox block: element 4b + l uses the word pair (l >> 1) of block b, sin for
 * even l, cos for odd (core's normalFloats layout). Uniforms: n, k0, k1, c2, c3, mean, stddev.
 */
const program: Program = {
  key: 'random_normal',
  inputs: 0,
  outputs: 1,
  uniformWords: 7,
  code: () => `${declareBindings([], ['f32'], 7)}
${PHILOX_WGSL}
${BOX_MULLER_WGSL}
${LINEAR_MAIN} {
  let b = ${LINEAR_INDEX};
  let n = ${uw(0)};
  if (b * 4u >= n) { return; }
  let w = ef_philox(vec4<u32>(b, 0u, ${uw(3)}, ${uw(4)}), vec2<u32>(${uw(1)}, ${uw(2)}));
  let mean = bitcast<f32>(${uw(5)});
  let stddev = bitcast<f32>(${uw(6)});
  for (var l = 0u; l < 4u; l++) {
    let j = b * 4u + l;
    if (j < n) {
      let pair = (l >> 1u) * 2u;
      out0[j] = mean + stddev * ef_box_muller(w[pair], w[pair + 1u], l & 1u);
    }
  }
}`,
};

export const randomNormal: WebGpuKernel<RandomNormalAttrs> = (ctx, _inputs, a, [out]) => {
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
  ctx.rt.dispatch(program, [], [dst], words, ctx.rt.grid(Math.ceil(n / 4 / WG)));
  return [dst];
};
