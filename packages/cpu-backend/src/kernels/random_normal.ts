import { philox, sizeOf, type RandomNormalAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';

export const randomNormal: CpuKernel<RandomNormalAttrs> = (_inputs, a) => [philox.normalFloats(a, sizeOf(a.shape), a.mean, a.stddev)];
