import type { ApplyAdamAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';
import { allocF32Uninit } from '../pool.js';

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
  return [outW, outM, outS];
};
