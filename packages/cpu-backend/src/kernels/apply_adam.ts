import type { ApplyAdamAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';
import { allocF32Uninit } from '../pool.js';
import { simdUpdate } from '../wasm/wasm_update.js';

/** From this many elements on, the update runs in WebAssembly (wasm_update.ts; same bits). */
const WASM_MIN_ELEMENTS = 256;

/**
 * One pass for var', m', v'. Each intermediate is rounded to float32 where the unfused ops
 * stored it (m', v', the normalized step), so results equal theirs bit for bit.
 */
export const applyAdam: CpuKernel<ApplyAdamAttrs> = ([w, m, s, g, lr], { beta1, beta2, epsilon }) => {
  const W = w!.values as Float32Array;
  const Mv = m!.values as Float32Array;
  const S = s!.values as Float32Array;
  const G = g!.values as Float32Array;
  const lrT = (lr!.values as Float32Array)[0]!;
  const n = W.length;
  const outW = allocF32Uninit(n);
  const outM = allocF32Uninit(n);
  const outS = allocF32Uninit(n);
  if (n >= WASM_MIN_ELEMENTS && W.length === n && Mv.length === n && S.length === n && G.length === n) {
    if (simdUpdate()?.adam(W, Mv, S, G, outW, outM, outS, n, beta1, beta2, epsilon, lrT)) return [outW, outM, outS];
  }
  adamLoop(W, Mv, S, G, outW, outM, outS, n, beta1, beta2, epsilon, lrT);
  return [outW, outM, outS];
};

/** The update in JS (below WASM_MIN_ELEMENTS, without WebAssembly SIMD; the tests' reference). */
export function adamLoop(W: Float32Array, Mv: Float32Array, S: Float32Array, G: Float32Array, outW: Float32Array, outM: Float32Array, outS: Float32Array, n: number, beta1: number, beta2: number, epsilon: number, lrT: number): void {
  const a1 = 1 - beta1;
  const a2 = 1 - beta2;
  const f = Math.fround;
  for (let i = 0; i < n; i++) {
    const gi = G[i]!;
    const mi = f(beta1 * Mv[i]! + a1 * gi);
    const vi = f(beta2 * S[i]! + a2 * gi * gi);
    outM[i] = mi;
    outS[i] = vi;
    outW[i] = W[i]! - lrT * f(mi / (Math.sqrt(vi) + epsilon));
  }
}
