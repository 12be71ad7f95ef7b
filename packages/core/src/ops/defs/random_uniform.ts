import type { DType } from '../../dtype.js';
import { OpError } from '../../errors.js';
import { assertValidShape, sizeOf, type Shape } from '../../shape.js';
import { uniformFloats, uniformInts } from '../../random/philox.js';
import type { OpDef } from '../op_def.js';
import { checkFinite, checkStream, stream, type RandomStreamAttrs } from './random_util.js';

export interface RandomUniformAttrs extends RandomStreamAttrs {
  shape: Shape;
  dtype: DType;
  minval: number;
  maxval: number;
}

function uniformValues(a: RandomUniformAttrs): Float32Array | Int32Array {
  const n = sizeOf(a.shape);
  return a.dtype === 'int32' ? uniformInts(stream(a), n, a.minval, a.maxval) : uniformFloats(stream(a), n, a.minval, a.maxval);
}

/** Uniform in [minval, maxval): float32 (23-bit mantissa rule) or int32 (u32 modulo rule). */
export const randomUniformDef: OpDef<RandomUniformAttrs> = {
  id: 'random_uniform',
  random: true,
  infer(_inputs, a) {
    assertValidShape('randomUniform', a.shape);
    checkStream('randomUniform', a);
    checkFinite('randomUniform', 'minval', a.minval);
    checkFinite('randomUniform', 'maxval', a.maxval);
    if (a.dtype === 'int32') {
      if (!Number.isInteger(a.minval) || !Number.isInteger(a.maxval) || a.minval < -(2 ** 31) || a.maxval > 2 ** 31 - 1) {
        throw new OpError('randomUniform', `int32 minval and maxval must be int32 integers, found ${a.minval} and ${a.maxval}`);
      }
      if (!(a.minval < a.maxval)) throw new OpError('randomUniform', `int32 needs minval < maxval, found minval ${a.minval} and maxval ${a.maxval}`);
    } else if (a.dtype !== 'float32') {
      throw new OpError('randomUniform', `dtype must be float32 or int32, found ${a.dtype}`);
    }
    return [{ shape: a.shape, dtype: a.dtype }];
  },
  reference(_inputs, a) {
    return [{ shape: a.shape, dtype: a.dtype, values: uniformValues(a) }];
  },
  samples: [
    { inputs: [], attrs: { shape: [3, 5], dtype: 'float32', minval: 0, maxval: 1, key: [1, 2], counter: [0, 0] }, noGrad: true },
    { name: 'range, odd size', inputs: [], attrs: { shape: [7], dtype: 'float32', minval: -3, maxval: 5, key: [87654321, 7], counter: [3, 0] }, noGrad: true },
    { name: 'int32', inputs: [], attrs: { shape: [2, 9], dtype: 'int32', minval: -4, maxval: 11, key: [5, 0x7fffffff], counter: [0, 1] }, noGrad: true },
    { name: 'empty', inputs: [], attrs: { shape: [0, 3], dtype: 'float32', minval: 0, maxval: 1, key: [1, 2], counter: [0, 0] }, noGrad: true },
    {
      name: 'pinned stream',
      inputs: [],
      attrs: { shape: [4], dtype: 'int32', minval: 0, maxval: 2 ** 31 - 1, key: [0, 0], counter: [0, 0] },
      // The words of Philox block (0,0,0,0) under key (0,0) — Random123's known answer — mod 2^31-1.
      expected: [{ shape: [4], dtype: 'int32', values: [0x6627e8d5 % (2 ** 31 - 1), 0xe169c58d % (2 ** 31 - 1), 0xbc57ac4c % (2 ** 31 - 1), 0x9b00dbd8 % (2 ** 31 - 1)] }],
      noGrad: true,
    },
  ],
};

