import { sizeOf } from '../../shape.js';
import { truncatedNormalFloats } from '../../random/philox.js';
import type { OpDef } from '../op_def.js';
import { checkNormal, stream, type RandomNormalAttrs } from './random_util.js';

/** Normal samples re-drawn (successive Philox substreams per element) until within two stddev. */
export const truncatedNormalDef: OpDef<RandomNormalAttrs> = {
  id: 'truncated_normal',
  random: true,
  tolerance: { forward: 1e-5 },
  infer(_inputs, a) {
    checkNormal('truncatedNormal', a);
    return [{ shape: a.shape, dtype: 'float32' }];
  },
  reference(_inputs, a) {
    return [{ shape: a.shape, dtype: 'float32', values: truncatedNormalFloats(stream(a), sizeOf(a.shape), a.mean, a.stddev) }];
  },
  samples: [
    { inputs: [], attrs: { shape: [6, 7], mean: 0, stddev: 1, key: [1, 2], counter: [0, 0] }, noGrad: true },
    { name: 'mean and stddev', inputs: [], attrs: { shape: [33], mean: 1, stddev: 2, key: [87654321, 3], counter: [1, 0] }, noGrad: true },
  ],
};

