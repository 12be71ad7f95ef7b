import { sizeOf } from '../../shape.js';
import { normalFloats } from '../../random/philox.js';
import type { OpDef } from '../op_def.js';
import { checkNormal, stream, type RandomNormalAttrs } from './random_util.js';

/** Normal samples by Box–Muller from Philox uniforms. */
export const randomNormalDef: OpDef<RandomNormalAttrs> = {
  id: 'random_normal',
  random: true,
  // Backends compute ln/sin/cos in f32 (GPU) or f64 (JS); bits of the underlying words agree exactly.
  tolerance: { forward: 1e-5 },
  infer(_inputs, a) {
    checkNormal('randomNormal', a);
    return [{ shape: a.shape, dtype: 'float32' }];
  },
  reference(_inputs, a) {
    return [{ shape: a.shape, dtype: 'float32', values: normalFloats(stream(a), sizeOf(a.shape), a.mean, a.stddev) }];
  },
  samples: [
    { inputs: [], attrs: { shape: [4, 5], mean: 0, stddev: 1, key: [1, 2], counter: [0, 0] }, noGrad: true },
    { name: 'odd size, mean and stddev', inputs: [], attrs: { shape: [3, 3], mean: 2, stddev: 0.5, key: [87654321, 11], counter: [2, 0] }, noGrad: true },
    { name: 'scalar', inputs: [], attrs: { shape: [], mean: -1, stddev: 3, key: [9, 9], counter: [0, 0] }, noGrad: true },
  ],
};

