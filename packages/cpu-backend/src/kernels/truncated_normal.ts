import { philox, sizeOf, type RandomNormalAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';

export const truncatedNormal: CpuKernel<RandomNormalAttrs> = (_inputs, a) => [philox.truncatedNormalFloats(a, sizeOf(a.shape), a.mean, a.stddev)];
