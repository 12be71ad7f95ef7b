import { beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';

beforeAll(async () => {
  await ef.setBackend('cpu');
});

/** Runs fn, expects an OpError for `op` whose message matches. */
function opError(fn: () => unknown, op: string, message: string | RegExp): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ef.OpError);
  expect((err as ef.OpError).op).toBe(op);
  if (typeof message === 'string') expect((err as Error).message).toBe(`${op}: ${message}`);
  else expect((err as Error).message).toMatch(message);
}

describe('op errors name the op, the argument, expected vs found', () => {
  const a23 = () => ef.ones([2, 3]);

  test('shapes', () => {
    opError(() => ef.add(a23(), ef.ones([4])), 'add', 'shapes [2,3] and [4] cannot be broadcast (dimension 1: 3 vs 4)');
    opError(() => ef.matmul(a23(), a23()), 'matmul', 'inner dimensions differ: a [2,3] has 3 columns, b [2,3] has 2 rows (transposeA false, transposeB false)');
    opError(() => ef.matmul(ef.ones([3]), a23()), 'matmul', 'inputs must have rank >= 2, found a [3] and b [2,3]');
    opError(() => ef.reshape(a23(), [4]), 'reshape', 'cannot reshape [2,3] (6 elements) to [4]');
    opError(() => ef.reshape(a23(), [-1, -1]), 'reshape', 'shape [-1,-1] has more than one -1');
  });

  test('dtypes', () => {
    opError(() => ef.add(ef.ones([2]), ef.ones([2], 'int32')), 'add', 'inputs have different dtypes float32 and int32; cast one first');
    opError(() => ef.exp(ef.ones([2], 'int32')), 'exp', 'input 0 must be float32, found int32');
    opError(() => ef.logicalAnd(ef.ones([2]), ef.ones([2])), 'logicalAnd', 'input 0 must be bool, found float32');
    opError(() => ef.mul(ef.ones([2], 'int32'), 0.5), 'mul', "argument 'b' is 0.5, which is not an integer, but the other operand is int32; cast it first (ef.cast(t, 'float32'))");
    opError(() => ef.matmul(ef.ones([2, 2], 'int32'), ef.ones([2, 2], 'int32')), 'matmul', 'inputs must be float32, found int32 and int32');
  });

  test('attributes and axes', () => {
    opError(() => ef.reduceSum(a23(), 2), 'reduceSum', 'axis 2 is out of range for rank 2 (expected in [-2, 1])');
    opError(() => ef.reduceMean(a23(), [1, -1]), 'reduceMean', 'axis [1,-1] has duplicates');
    opError(() => ef.fill([2], 1.5, 'int32'), 'fill', 'value 1.5 does not fit dtype int32');
  });

  test('arguments: disposed, missing, wrong type', () => {
    const t = ef.ones([2]);
    t.dispose();
    expect(() => ef.add(t, 1)).toThrow("add: argument 'a' (shape [2], float32) was disposed");
    expect(() => ef.relu(t)).toThrow("relu: argument 'x' (shape [2], float32) was disposed");
    opError(() => ef.add(ef.ones([2]), undefined as unknown as number), 'add', "argument 'b' is missing (undefined); expected a Tensor, number, boolean or array");
    opError(() => ef.mul(ef.ones([2]), 'x' as unknown as number), 'mul', "argument 'b' must be a Tensor, number, boolean or array; found string");
    opError(() => ef.add(ef.ones([2]), [[1, 2], [3]]), 'add', "argument 'b': ragged nested array at values[1]: dimension 1 expected length 2, found length 1");
  });

  test('gradient API misuse', () => {
    const x = ef.ones([2]);
    const tape = new ef.GradientTape();
    tape.watch(x);
    const y = tape.record(() => x.square());
    opError(() => tape.gradient(y, [x], { outputGradient: ef.ones([3]) }), 'gradient', 'outputGradient shape [3] does not match target shape [2]');
    opError(() => tape.gradient(y, [x, 3 as unknown as ef.Tensor]), 'gradient', 'sources[1] must be a Tensor, found number');
    opError(() => ef.valueAndGrads(() => x.square(), [x]), 'valueAndGrads', 'the function returned shape [2]; without dy it must return a scalar (or pass dy of that shape)');
    tape.dispose();
  });
});
