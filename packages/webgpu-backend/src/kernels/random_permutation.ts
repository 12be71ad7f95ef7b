import type { RandomPermutationAttrs } from '@eagerflow/core';
import { LINEAR_INDEX, LINEAR_MAIN, WG, type WebGpuKernel } from '../kernel.js';
import { declareBindings, uw, type Program } from '../runtime.js';
import { PHILOX_WGSL } from './philox_wgsl.js';

/**
 * core's permutation: identity, then Fisher–Yates over the word stream (t = 0 .. n-2: i = n-1-t,
 * j = word(t) % (i + 1), swap). Pass 1 (parallel): out[i] = i and the n-1 words into scratch;
 * pass 2: the swaps, inherently sequential, in one invocation per dispatch, at most
 * SWAPS_PER_DISPATCH each (long single dispatches can lose the device on some drivers; dispatches
 * of one pass see each other's writes). Uniforms: n, k0, k1, c2, c3 / n, t0, t1.
 */
const SWAPS_PER_DISPATCH = 1 << 16;

const initProgram: Program = {
  key: 'random_permutation|init',
  inputs: 0,
  outputs: 2,
  uniformWords: 5,
  code: () => `${declareBindings([], ['i32', 'u32'], 5)}
${PHILOX_WGSL}
${LINEAR_MAIN} {
  let i = ${LINEAR_INDEX};
  let n = ${uw(0)};
  if (i >= n) { return; }
  out0[i] = i32(i);
  if ((i & 3u) == 0u && i + 1u < n) {
    let w = ef_philox(vec4<u32>(i >> 2u, 0u, ${uw(3)}, ${uw(4)}), vec2<u32>(${uw(1)}, ${uw(2)}));
    for (var l = 0u; l < 4u; l++) {
      if (i + l + 1u < n) { out1[i + l] = w[l]; }
    }
  }
}`,
};

const shuffleProgram: Program = {
  key: 'random_permutation|shuffle',
  inputs: 1,
  outputs: 1,
  uniformWords: 3,
  code: () => `${declareBindings(['u32'], ['i32'], 3)}
@compute @workgroup_size(1)
fn main() {
  let n = ${uw(0)};
  for (var t = ${uw(1)}; t < ${uw(2)}; t++) {
    let i = n - 1u - t;
    let j = in0[t] % (i + 1u);
    let tmp = out0[i];
    out0[i] = out0[j];
    out0[j] = tmp;
  }
}`,
};

export const randomPermutation: WebGpuKernel<RandomPermutationAttrs> = (ctx, _inputs, a, [out]) => {
  const dst = ctx.output(out!);
  const n = a.n;
  if (n === 0) return [dst];
  const words = ctx.scratch(Math.max(n - 1, 1) * 4);
  ctx.rt.dispatch(initProgram, [], [dst, words], [n, a.key[0], a.key[1], a.counter[0], a.counter[1]], ctx.rt.grid(Math.ceil(n / WG)));
  for (let t0 = 0; t0 < n - 1; t0 += SWAPS_PER_DISPATCH) ctx.rt.dispatch(shuffleProgram, [words], [dst], [n, t0, Math.min(t0 + SWAPS_PER_DISPATCH, n - 1)], [1]);
  return [dst];
};
