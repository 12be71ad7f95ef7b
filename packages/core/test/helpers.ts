import { expect } from '@jest/globals';
import type { Tensor } from '@eagerflow/core';

/** Flat values of a (host-readable) tensor as plain numbers. */
export function vals(t: Tensor | null | undefined): number[] {
  if (!t) throw new Error('expected a tensor, found null');
  return Array.from(t.dataSync() as ArrayLike<number | bigint>, Number);
}

export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-5): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (!(Math.abs(g - w) <= tol * (1 + Math.abs(w)))) {
      throw new Error(`element ${i}: got ${g}, want ${w} (tol ${tol})\n got  [${Array.from(got).join(', ')}]\n want [${Array.from(want).join(', ')}]`);
    }
  }
}
