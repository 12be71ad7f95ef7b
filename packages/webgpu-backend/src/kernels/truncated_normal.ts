import type { RandomNormalAttrs } from '@eagerflow/core';
import { LINEAR_INDEX, type WebGpuKernel } from '../kernel.js';
import { uw } from '../runtime.js';
import { normalKernel } from './philox_wgsl.js';

/**
 * One thread per element, core's truncatedNormalFloats: attempt a uses block (i >> 1,
 * substream a >> 1), lanes 2(i & 1) and 2(i & 1) + 1, sin for even a, cos for odd; the first
 * |z| < 2 is kept. P(|z| >= 2) ≈ 4.6%, so the attempt cap (bounded GPU loops) is never reached in
 * practice. Uniforms: n, k0, k1, c2, c3, mean, stddev.
 */
export const truncatedNormal: WebGpuKernel<RandomNormalAttrs> = normalKernel(
  'truncated_normal',
  1,
  `  let i = ${LINEAR_INDEX};
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
  out0[i] = bitcast<f32>(${uw(5)}) + bitcast<f32>(${uw(6)}) * z;`,
);
