import type { RandomNormalAttrs } from '@eagerflow/core';
import { LINEAR_INDEX, type WebGpuKernel } from '../kernel.js';
import { uw } from '../runtime.js';
import { normalKernel } from './philox_wgsl.js';

/**
 * One thread per Philox block: element 4b + l uses the word pair (l >> 1) of block b, sin for
 * even l, cos for odd (core's normalFloats layout). Uniforms: n, k0, k1, c2, c3, mean, stddev.
 */
export const randomNormal: WebGpuKernel<RandomNormalAttrs> = normalKernel(
  'random_normal',
  4,
  `  let b = ${LINEAR_INDEX};
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
  }`,
);
