import { defs, type UnsortedSegmentSumAttrs } from '@eagerflow/core';
import { allocArray } from '../pool.js';
import type { CpuKernel } from '../kernel.js';

/** Adds each row of data into its segment; negative ids are skipped, ids >= numSegments throw. */
export const unsortedSegmentSum: CpuKernel<UnsortedSegmentSumAttrs> = ([data, ids], { numSegments }, [out]) => {
  const { rows, inner } = defs.segmentLayout(data!, ids!, numSegments);
  const iv = ids!.values as Int32Array;
  for (let k = 0; k < rows; k++) if (iv[k]! >= numSegments) throw defs.segmentIdError(k, iv[k]!, numSegments);
  const res = allocArray(out!.dtype, numSegments * inner) as Float32Array;
  const dv = data!.values as Float32Array;
  for (let k = 0; k < rows; k++) {
    const s = iv[k]!;
    if (s < 0) continue;
    const o = s * inner;
    const d = k * inner;
    for (let i = 0; i < inner; i++) res[o + i]! += dv[d + i]!;
  }
  return [res];
};
