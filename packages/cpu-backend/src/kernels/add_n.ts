import { allocArray } from '../pool.js';
import type { CpuKernel } from '../kernel.js';

export const addN: CpuKernel = (inputs, _attrs, [out]) => {
  const res = allocArray(out!.dtype, inputs[0]!.values.length) as Float32Array;
  res.set(inputs[0]!.values as Float32Array);
  for (let k = 1; k < inputs.length; k++) {
    const v = inputs[k]!.values as Float32Array;
    for (let i = 0; i < res.length; i++) res[i]! += v[i]!;
  }
  return [res];
};
