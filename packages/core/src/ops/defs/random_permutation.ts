import { OpError } from '../../errors.js';
import { permutation } from '../../random/philox.js';
import type { OpDef } from '../op_def.js';
import { checkStream, stream, type RandomStreamAttrs } from './random_util.js';

export interface RandomPermutationAttrs extends RandomStreamAttrs {
  n: number;
}

/** A random permutation of 0..n-1 (Fisher–Yates on the Philox word stream); randomShuffle gathers with it. */
export const randomPermutationDef: OpDef<RandomPermutationAttrs> = {
  id: 'random_permutation',
  random: true,
  infer(_inputs, a) {
    if (!Number.isInteger(a.n) || a.n < 0) throw new OpError('randomShuffle', `the first dimension must be a non-negative integer, found ${a.n}`);
    checkStream('randomShuffle', a);
    return [{ shape: [a.n], dtype: 'int32' }];
  },
  reference(_inputs, a) {
    return [{ shape: [a.n], dtype: 'int32', values: permutation(stream(a), a.n) }];
  },
  samples: [
    { inputs: [], attrs: { n: 10, key: [1, 2], counter: [0, 0] }, noGrad: true },
    { name: 'one', inputs: [], attrs: { n: 1, key: [1, 2], counter: [0, 0] }, noGrad: true },
    { name: 'larger', inputs: [], attrs: { n: 257, key: [87654321, 5], counter: [4, 0] }, noGrad: true },
  ],
};
