import { philox, type RandomPermutationAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';

export const randomPermutation: CpuKernel<RandomPermutationAttrs> = (_inputs, a) => [philox.permutation(a, a.n)];
