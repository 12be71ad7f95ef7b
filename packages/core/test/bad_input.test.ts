// Bad input across the public API of @eagerflow/core: every case must throw an ef.OpError whose
// `op` names the op (or layer / function), and whose message names the argument and states what
// was expected and what was found. A failed optimizer step must leave every variable unchanged:
// the trained variables, the optimizer's slots and non-slot variables, and the global step.
import { beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import { vals } from './helpers.js';
import { inOrder } from '../../../tools/test/error_cases.js';

beforeAll(async () => {
  await ef.setBackend('cpu');
});

const f = (shape: number[]) => ef.ones(shape);
const i32 = (values: number[]) => ef.tensor(values, [values.length], 'int32');
const ints = (shape: number[]) => ef.ones(shape, 'int32');
const bools = (shape: number[]) => ef.cast(ef.ones(shape), 'bool');
const disposed = () => {
  const t = ef.ones([2]);
  t.dispose();
  return t;
};
const x4 = () => f([1, 4, 4, 3]);
const any = <T>(v: unknown) => v as T;

/** Runs fn in a tidy and returns what it threw. */
function thrown(fn: () => unknown): unknown {
  try {
    ef.tidy(() => {
      fn();
    });
  } catch (e) {
    return e;
  }
  return undefined;
}

/** [what is wrong, call, op named in the error, pieces of the message in order]. */
type Case = [string, () => unknown, string, ...string[]];

function check(cases: readonly Case[]): void {
  test.each(cases.map((c) => [c[0], c] as const))('%s', (_name, [, fn, op, ...parts]) => {
    const e = thrown(fn);
    expect(e).toBeInstanceOf(ef.OpError);
    const err = e as ef.OpError;
    expect(err.op).toBe(op);
    expect(err.message.startsWith(`${op}: `)).toBe(true);
    expect(err.message).toMatch(inOrder(parts));
  });
}

describe('arguments: missing, wrong type, disposed, not a tensor', () => {
  check([
    ['null where a tensor is expected', () => ef.exp(any(null)), 'exp', "argument 'x'", 'must be a Tensor, number, boolean or array', 'found null'],
    ['undefined where a tensor is expected', () => ef.add(f([2]), any(undefined)), 'add', "argument 'b' is missing (undefined)", 'expected a Tensor'],
    ['a plain object', () => ef.matmul(any({}), f([2, 2])), 'matmul', "argument 'a'", 'found Object'],
    ['null inside a list', () => ef.concat([f([2]), any(null)]), 'concat', "argument 'values[1]'", 'found null'],
    ['a string element in an array', () => ef.add(f([2]), any([1, 'x'])), 'add', "argument 'b' element 1", 'is string', 'expected a number or boolean'],
    ['a ragged array argument', () => ef.add(f([2, 2]), [[1, 2], [3]]), 'add', "argument 'b'", 'ragged nested array at values[1]', 'expected length 2', 'found length 1'],
    ['a disposed tensor (function)', () => ef.add(disposed(), 1), 'add', "argument 'a'", '[2]', 'float32', 'was disposed'],
    ['a disposed tensor (method)', () => disposed().relu(), 'relu', "argument 'x'", 'was disposed'],
    ['a disposed tensor in a list', () => ef.stack([f([2]), disposed()]), 'stack', 'values[1]', 'was disposed'],
    ['a disposed filter', () => ef.nn.conv2d(x4(), disposed(), 1, 'SAME'), 'conv2d', "argument 'filter'", 'was disposed'],
    ['a disposed tensor read on the host (slice begin)', () => {
      const begin = i32([0]);
      begin.dispose();
      return ef.slice(f([3]), begin, [1]);
    }, 'slice', "argument 'begin'", '[1]', 'int32', 'was disposed'],
    ['a number where only a Tensor is taken', () => ef.axpby(f([2]), any(3), 1, 1), 'axpby', 'input 1 must be a Tensor', 'found number'],
    ['a non-integer JS scalar with an int32 tensor', () => ef.mul(ints([2]), 0.5), 'mul', "argument 'b' is 0.5", 'not an integer', 'int32'],
    ['a non-integer element with an int32 tensor', () => ef.gather(f([3]), [0.5]), 'gather', "argument 'indices' element 0 is 0.5", 'not an integer'],
  ]);
});

describe('elementwise: broadcasting, dtypes, attributes', () => {
  check([
    ['non-broadcastable shapes', () => ef.add(f([2, 3]), f([4])), 'add', 'shapes [2,3] and [4] cannot be broadcast', 'dimension 1: 3 vs 4'],
    ['non-broadcastable 3 operands', () => ef.where(bools([3]), f([2]), f([2])), 'where', 'shapes [3] and [2] and [2] cannot be broadcast'],
    ['mixed dtypes', () => ef.sub(f([2]), ints([2])), 'sub', 'different dtypes float32 and int32', 'cast one first'],
    ['int32 into a float op', () => ef.exp(ints([2])), 'exp', 'input 0 must be float32', 'found int32'],
    ['bool into a numeric op', () => ef.neg(bools([2])), 'neg', 'input 0 must be float32 or int32', 'found bool'],
    ['int32 into a bool op', () => ef.logicalAnd(ints([2]), ints([2])), 'logicalAnd', 'input 0 must be bool', 'found int32'],
    ['float condition of where', () => ef.where(f([2]), f([2]), f([2])), 'where', 'condition must be bool', 'found float32'],
    ['string tensor into add', () => ef.add(ef.tensor(['a']), 1), 'add', 'input 0 must be float32 or int32', 'found string'],
    ['NaN attribute', () => ef.clipByValue(f([2]), NaN, 1), 'clipByValue', "attribute 'clipMin' must be a number", 'found NaN'],
    ['undefined attribute', () => ef.clipByValue(f([2]), 0, any(undefined)), 'clipByValue', "attribute 'clipMax' must be a number", 'found undefined'],
    ['string attribute', () => ef.leakyRelu(f([2]), any('x')), 'leakyRelu', "attribute 'alpha' must be a number", 'found x'],
    ['fused update shapes', () => ef.subMul(f([2]), f([3]), f([2])), 'subMul', 'shapes [2] and [3] and [2] cannot be broadcast'],
  ]);
});

describe('creation: shapes, sizes, dtypes, values', () => {
  check([
    ['negative size', () => ef.fill([-1, 2], 1), 'fill', 'shape [-1,2] must hold non-negative integers'],
    ['fractional size', () => ef.zeros([1.5]), 'fill', 'shape [1.5] must hold non-negative integers'],
    ['NaN size', () => ef.ones([NaN]), 'fill', 'shape [NaN] must hold non-negative integers'],
    ['null shape', () => ef.zeros(any(null)), 'fill', 'shape must be an array of dimensions', 'found null'],
    ['a number as shape', () => ef.ones(any(3)), 'fill', 'shape must be an array of dimensions', 'found number'],
    ['unknown dtype', () => ef.ones([2], any('float64')), 'fill', 'dtype must be float32, int32 or bool', 'found float64'],
    ['NaN into int32', () => ef.fill([2], NaN, 'int32'), 'fill', 'value NaN does not fit dtype int32'],
    ['fractional into int32', () => ef.fill([2], 1.5, 'int32'), 'fill', 'value 1.5 does not fit dtype int32'],
    ['range: delta 0', () => ef.range(0, 5, 0), 'range', 'delta must not be 0'],
    ['range: wrong direction', () => ef.range(0, 5, -1), 'range', 'start 0 must be >= limit 5', 'delta is negative (-1)'],
    ['range: NaN limit', () => ef.range(0, NaN), 'range', 'limit must be a finite number', 'found NaN'],
    ['range: infinite start', () => ef.range(-Infinity, 0), 'range', 'start must be a finite number', 'found -Infinity'],
    ['linspace: num 0', () => ef.linspace(0, 1, 0), 'linspace', 'num must be a positive integer', 'found 0'],
    ['linspace: fractional num', () => ef.linspace(0, 1, 1.5), 'linspace', 'num must be a positive integer', 'found 1.5'],
    ['eye: negative rows', () => ef.eye(-1), 'eye', 'numRows must be a non-negative integer', 'found -1'],
    ['eye: fractional columns', () => ef.eye(2, 2.5), 'eye', 'numColumns must be a non-negative integer', 'found 2.5'],
    ['tensor: ragged values', () => ef.tensor([[1, 2], [3]]), 'tensor', 'ragged nested array at values[1]', 'dimension 1 expected length 2', 'found length 1'],
    ['tensor: shape vs values', () => ef.tensor([1, 2, 3], [2, 2]), 'tensor', 'values have shape [3] (3 elements)', 'shape [2,2] (4 elements)'],
    ['tensor: unknown dtype', () => ef.tensor([1], [1], any('float16')), 'tensor', 'dtype must be one of float32, int32, bool, int64, string', 'found float16'],
    ['tensor: undefined values', () => ef.tensor(undefined), 'tensor', 'values must be a number', 'found undefined'],
    ['tensor: NaN dimension', () => ef.tensor([1], [NaN]), 'tensor', 'shape [NaN] must hold non-negative integers'],
    ['cast: unknown dtype', () => ef.cast(f([2]), any('float64')), 'cast', 'float32 → float64'],
    ['random: negative size', () => ef.randomUniform([-1]), 'randomUniform', 'shape [-1] must hold non-negative integers'],
    ['random: null shape', () => ef.randomNormal(any(null)), 'randomNormal', 'shape must be an array of dimensions', 'found null'],
    ['random: int32 without maxval', () => ef.randomUniform([2], { dtype: 'int32' }), 'randomUniform', 'maxval must be given for dtype int32'],
    ['random: negative stddev', () => ef.truncatedNormal([2], { stddev: -1 }), 'truncatedNormal', 'stddev must be >= 0', 'found -1'],
    ['random: fractional seed', () => ef.randomUniform([2], { seed: 1.5 }), 'randomUniform', 'seed must be an integer', 'found 1.5'],
  ]);

  test('TF-valid boundary calls still work: descending and empty ranges, zero-size shapes', () => {
    expect(vals(ef.range(5, 0, -2))).toEqual([5, 3, 1]);
    expect(ef.range(3, 3).shape).toEqual([0]);
    expect(ef.range(3, 3, -1).shape).toEqual([0]);
    expect(ef.range(0).shape).toEqual([0]);
    expect(ef.eye(0).shape).toEqual([0, 0]);
    expect(ef.zeros([0, 3]).shape).toEqual([0, 3]);
    expect(ef.broadcastTo(ef.ones([1, 3]), [0, 3]).shape).toEqual([0, 3]);
    expect(ef.reshape(ef.ones([0, 3]), [3, 0]).shape).toEqual([3, 0]);
    expect(ef.add(ef.ones([0, 3]), ef.ones([3])).shape).toEqual([0, 3]);
    const frozen = Object.freeze([2, 3]);
    const t = ef.zeros(frozen);
    expect(t.shape).toEqual([2, 3]);
    expect(Object.isFrozen(t.shape)).toBe(true);
  });

  test('item of a vector', async () => {
    const t = f([2]);
    await expect(t.item()).rejects.toThrow(new ef.OpError('item', 'tensor has 2 elements, expected 1'));
    t.dispose();
  });
});

describe('reductions and axes', () => {
  check([
    ['axis beyond rank', () => ef.reduceSum(f([2, 3]), 2), 'reduceSum', 'axis 2 is out of range for rank 2', 'expected in [-2, 1]'],
    ['negative axis beyond rank', () => ef.reduceMean(f([2, 3]), -3), 'reduceMean', 'axis -3 is out of range for rank 2', 'expected in [-2, 1]'],
    ['fractional axis', () => ef.reduceMax(f([2, 3]), 0.5), 'reduceMax', 'axis 0.5 is out of range'],
    ['NaN axis', () => ef.reduceMin(f([2, 3]), NaN), 'reduceMin', 'axis NaN is out of range'],
    ['duplicate axes', () => ef.reduceProd(f([2, 3]), [1, -1]), 'reduceProd', 'axis [1,-1] has duplicates'],
    ['bool into a sum', () => ef.reduceSum(bools([2])), 'reduceSum', 'input must be float32 or int32', 'found bool'],
    ['float into all', () => ef.reduceAll(f([2])), 'reduceAll', 'input must be bool', 'found float32'],
    ['argMax: axis beyond rank', () => ef.argMax(f([2, 3]), 5), 'argMax', 'axis 5 is out of range for rank 2'],
    ['argMax: negative axis beyond rank', () => ef.argMin(f([2, 3]), -3), 'argMin', 'axis -3 is out of range for rank 2'],
    ['argMax: a scalar', () => ef.argMax(ef.scalar(1)), 'argMax', 'input must have rank >= 1', 'found a scalar'],
    ['argMax: an empty axis', () => ef.argMax(f([2, 0]), 1), 'argMax', 'axis 1 has size 0'],
    ['reduceLogSumExp: axis beyond rank', () => ef.reduceLogSumExp(f([2, 3]), 3), 'reduceLogSumExp', 'axis 3 is out of range for rank 2'],
    ['reduceLogSumExp: int32', () => ef.reduceLogSumExp(ints([2])), 'reduceLogSumExp', 'x must be float32', 'found int32'],
    ['cumsum: axis beyond rank', () => ef.cumsum(f([3]), 1), 'cumsum', 'axis 1 is out of range for rank 1'],
    ['cumsum: bool', () => ef.cumsum(bools([3])), 'cumsum', 'input must be float32 or int32', 'found bool'],
    ['moments: axis beyond rank', () => ef.nn.moments(f([2, 3]), [2]), 'moments', 'axis 2 is out of range for rank 2'],
    ['l2Normalize: axis beyond rank', () => ef.nn.l2Normalize(f([2, 3]), 2), 'l2Normalize', 'axis 2 is out of range for rank 2'],
    ['clipByNorm: axis beyond rank', () => ef.train.clipByNorm(f([2]), 1, [3]), 'clipByNorm', 'axis 3 is out of range for rank 1'],
  ]);

  test('reductions over empty axes give TensorFlow identities (sum 0, prod 1, max -inf, min +inf, mean NaN)', () => {
    const empty = f([2, 0]);
    expect(vals(ef.reduceSum(empty, 1))).toEqual([0, 0]);
    expect(vals(ef.reduceProd(empty, 1))).toEqual([1, 1]);
    expect(vals(ef.reduceMax(empty, 1))).toEqual([-Infinity, -Infinity]);
    expect(vals(ef.reduceMin(empty, 1))).toEqual([Infinity, Infinity]);
    expect(vals(ef.reduceMean(empty, 1))).toEqual([NaN, NaN]);
    expect(vals(ef.reduceLogSumExp(f([0])))).toEqual([-Infinity]);
    ef.dispose(empty);
  });
});

describe('shape ops', () => {
  check([
    ['reshape: incompatible size shows both', () => ef.reshape(f([2, 3]), [4, 2]), 'reshape', 'cannot reshape [2,3] (6 elements) to [4,2]'],
    ['reshape: -1 that does not divide', () => ef.reshape(f([2, 3]), [-1, 4]), 'reshape', 'cannot reshape [2,3] (6 elements) to [-1,4]'],
    ['reshape: two -1', () => ef.reshape(f([2, 3]), [-1, -1]), 'reshape', 'shape [-1,-1] has more than one -1'],
    ['reshape: fractional dimension', () => ef.reshape(f([2, 3]), [1.5, 4]), 'reshape', 'shape [1.5,4] has invalid dimension 1.5'],
    ['reshape: null shape', () => ef.reshape(f([2, 3]), any(null)), 'reshape', 'shape must be an array of dimensions', 'found null'],
    ['transpose: wrong length', () => ef.transpose(f([2, 3]), [0]), 'transpose', 'perm [0] is not a permutation of 0..1'],
    ['transpose: repeated entry', () => ef.transpose(f([2, 3]), [1, 1]), 'transpose', 'perm [1,1] is not a permutation of 0..1'],
    ['broadcastTo: incompatible', () => ef.broadcastTo(f([2, 3]), [4, 3]), 'broadcastTo', 'shapes [2,3] and [4,3] cannot be broadcast'],
    ['broadcastTo: lower rank', () => ef.broadcastTo(f([2, 3]), [3]), 'broadcastTo', 'cannot broadcast [2,3] to [3]'],
    ['broadcastTo: negative size', () => ef.broadcastTo(f([1]), [-1]), 'broadcastTo', 'shape [-1] must hold non-negative integers'],
    ['expandDims: axis beyond rank + 1', () => ef.expandDims(f([2, 3]), 3), 'expandDims', 'axis 3 is out of range for rank 3', 'expected in [-3, 2]'],
    ['squeeze: axis of size 2', () => ef.squeeze(f([2, 3]), 0), 'squeeze', 'cannot squeeze axis 0', 'its size is 2, expected 1', 'input [2,3]'],
    ['ensureShape: incompatible', () => ef.ensureShape(f([2, 3]), [2, null, 4]), 'ensureShape', 'expected [2,?,4] (rank 3)', 'found [2,3] (rank 2)'],
  ]);
});

describe('matmul', () => {
  check([
    ['inner dimensions', () => ef.matmul(f([2, 3]), f([4, 5])), 'matmul', 'inner dimensions differ', 'a [2,3]', '3 columns', 'b [4,5]', '4 rows', 'transposeA false, transposeB false'],
    ['inner dimensions, transposeA', () => ef.matmul(f([3, 2]), f([4, 5]), true), 'matmul', 'a [3,2]ᵀ has 3 columns', 'b [4,5] has 4 rows', 'transposeA true, transposeB false'],
    ['inner dimensions, transposeB', () => ef.matmul(f([2, 3]), f([5, 4]), { transposeB: true }), 'matmul', 'a [2,3] has 3 columns', 'b [5,4]ᵀ has 4 rows', 'transposeA false, transposeB true'],
    ['rank 1', () => ef.matmul(f([3]), f([3, 2])), 'matmul', 'inputs must have rank >= 2', 'found a [3] and b [3,2]'],
    ['int32', () => ef.matmul(ints([2, 2]), f([2, 2])), 'matmul', 'inputs must be float32', 'found int32 and float32'],
    ['batch dimensions', () => ef.matmul(f([2, 2, 3]), f([3, 3, 2])), 'matmul', 'batch dimensions [2] of a [2,2,3] and [3] of b [3,3,2] cannot be broadcast'],
    ['fused matMul inner dimensions', () => ef.fused.matMul({ a: f([2, 3]), b: f([4, 5]) }), 'matmul', 'inner dimensions differ', 'a [2,3]', 'b [4,5]'],
    ['fused matMul bias', () => ef.fused.matMul({ a: f([2, 3]), b: f([3, 5]), bias: f([4]) }), 'fused_matmul', 'bias must have shape [5]', 'output [2,5]', 'found [4]'],
    ['fused matMul activation', () => ef.fused.matMul({ a: f([2, 3]), b: f([3, 5]), activation: any('gelu') }), 'fused.matMul', 'activation must be one of linear, relu', "found 'gelu'"],
    ['xwPlusB bias', () => ef.nn.xwPlusB(f([2, 3]), f([3, 5]), f([4])), 'fused_matmul', 'bias must have shape [5]', 'found [4]'],
  ]);
});

describe('array ops: lists, indices, sizes', () => {
  check([
    ['concat: empty list', () => ef.concat([]), 'concat', 'expected at least one tensor', 'found an empty list'],
    ['concat: not a list', () => ef.concat(any(f([2]))), 'concat', 'expected a list of tensors', 'found object'],
    ['concat: rank mismatch', () => ef.concat([f([2, 3]), f([3])]), 'concat', 'tensor 1 has shape [3]', 'expected [-1,3] (any size on axis 0)'],
    ['concat: shape mismatch off the axis', () => ef.concat([f([2, 3]), f([2, 4])], 0), 'concat', 'tensor 1 has shape [2,4]', 'expected [-1,3]'],
    ['concat: dtype mismatch', () => ef.concat([f([2]), ints([2])]), 'concat', 'tensor 1 has dtype int32', 'tensor 0 has float32'],
    ['concat: axis beyond rank', () => ef.concat([f([2]), f([2])], 1), 'concat', 'axis 1 is out of range for rank 1'],
    ['concat: scalars', () => ef.concat([ef.scalar(1), ef.scalar(2)]), 'concat', 'cannot concatenate scalars (rank 0)', 'use stack'],
    ['stack: shape mismatch', () => ef.stack([f([2]), f([3])]), 'stack', 'values[1] has shape [3]', 'values[0] has [2]'],
    ['stack: dtype mismatch', () => ef.stack([f([2]), ints([2])]), 'stack', 'values[1] has dtype int32', 'values[0] has float32'],
    ['stack: axis beyond rank + 1', () => ef.stack([f([2]), f([2])], 2), 'stack', 'axis 2 is out of range for rank 2'],
    ['unstack: a scalar', () => ef.unstack(ef.scalar(1)), 'unstack', 'cannot unstack a scalar'],
    ['addN: empty list', () => ef.addN([]), 'addN', 'expected at least one tensor', 'found none'],
    ['addN: shape mismatch', () => ef.addN([f([2]), f([3])]), 'addN', 'tensor 1 has shape [3]', 'tensor 0 has [2]', 'does not broadcast'],
    ['addN: dtype mismatch', () => ef.addN([f([2]), ints([2])]), 'addN', 'tensor 1 has dtype int32', 'tensor 0 has float32'],
    ['addN: null entry', () => ef.addN([f([2]), any(null)]), 'addN', "argument 'inputs[1]'", 'found null'],
    ['split: not divisible', () => ef.split(f([5]), 2), 'split', 'axis 0 of [5] has size 5', 'not divisible into 2 equal pieces'],
    ['split: sizes do not sum', () => ef.split(f([5]), [2, 2]), 'split', 'sizes [2,2] sum to 4', 'expected axis 0 size 5'],
    ['split: zero pieces', () => ef.split(f([5]), 0), 'split', 'num_or_size_splits must be a positive integer', 'found 0'],
    ['split: fractional sizes', () => ef.split(f([5]), [2.5, 2.5]), 'split', 'sizes must hold integers', 'found [2.5,2.5]'],
    ['gather: index too large', () => ef.gather(f([3, 2]), i32([0, 3])), 'gather', 'indices[1] = 3 is not in [0, 3)'],
    ['gather: negative index', () => ef.gather(f([3, 2]), i32([-1])), 'gather', 'indices[0] = -1 is not in [0, 3)'],
    ['gather: index too large on axis 1', () => ef.gather(f([3, 2]), i32([2]), 1), 'gather', 'indices[0] = 2 is not in [0, 2)'],
    ['gather: float indices', () => ef.gather(f([3, 2]), f([1])), 'gather', 'indices must be int32', 'found float32'],
    ['gather: axis beyond rank', () => ef.gather(f([3, 2]), i32([0]), 2), 'gather', 'axis 2 is out of range for rank 2'],
    ['gather: batchDims beyond indices rank', () => ef.gather(f([3, 2]), i32([0]), { batchDims: 2 }), 'gather', 'batchDims 2 is out of range for indices of rank 1'],
    ['unsortedSegmentSum: id too large', () => ef.unsortedSegmentSum(f([3]), i32([0, 1, 5]), 3), 'unsortedSegmentSum', 'segmentIds[2] = 5 is not in [0, 3)'],
    ['unsortedSegmentSum: negative count', () => ef.unsortedSegmentSum(f([3]), i32([0, 1, 2]), -1), 'unsortedSegmentSum', 'numSegments must be a non-negative integer', 'found -1'],
    ['unsortedSegmentSum: ids shape', () => ef.unsortedSegmentSum(f([3]), i32([0, 1]), 3), 'unsortedSegmentSum', 'segmentIds shape [2] must be a prefix of data shape [3]'],
    ['slice: begin beyond the dimension', () => ef.slice(f([3, 2]), [4, 0], [1, 1]), 'slice', 'begin[0] = 4 is out of range [0, 3]', 'input [3,2]'],
    ['slice: size past the end', () => ef.slice(f([3, 2]), [2, 0], [2, 1]), 'slice', 'size[0] = 2 with begin 2 exceeds dimension 0', 'size 3'],
    ['slice: begin of wrong length', () => ef.slice(f([3, 2]), [0], [1]), 'slice', 'begin [0] has 1 entries, expected 2'],
    ['stridedSlice: zero stride', () => ef.stridedSlice(f([3]), [0], [3], [0]), 'stridedSlice', 'strides[0] must be non-zero'],
    ['stridedSlice: lists of different lengths', () => ef.stridedSlice(f([3]), [0], [3, 1], [1]), 'stridedSlice', 'same length', 'found 1, 2 and 1'],
    ['stridedSlice: more indices than dimensions', () => ef.stridedSlice(f([3]), [0, 0], [1, 1], [1, 1]), 'stridedSlice', 'input [3] has only 1 dimensions'],
    ['reverse: repeated axis', () => ef.reverse(f([3, 2]), [0, -2]), 'reverse', 'axis [0,-2] names a dimension twice'],
    ['tile: wrong length', () => ef.tile(f([3, 2]), [2]), 'tile', 'multiples has 1 entries', 'one per dimension of [3,2] (2)'],
    ['tile: negative multiple', () => ef.tile(f([3, 2]), [2, -1]), 'tile', 'multiples [2,-1] must hold non-negative integers'],
    ['pad: wrong number of rows', () => ef.pad(f([3, 2]), [[1, 1]]), 'pad', 'paddings has 1 rows', 'one [before, after] row per dimension of [3,2] (2)'],
    ['pad: negative padding', () => ef.pad(f([3, 2]), [[1, 1], [-1, 0]]), 'pad', 'paddings[1] must be [before, after] with non-negative integers', 'found [-1,0]'],
    ['pad: unknown mode', () => ef.pad(f([3, 2]), [[1, 1], [0, 0]], 'wrap'), 'pad', "mode must be 'CONSTANT', 'REFLECT' or 'SYMMETRIC'", "found 'wrap'"],
    ['pad: REFLECT wider than the input', () => ef.pad(f([3, 2]), [[3, 1], [0, 0]], 'REFLECT'), 'pad', 'REFLECT paddings[0] = [3,1] must not exceed 2', 'dimension size 3'],
    ['pad: fractional int32 constant', () => ef.pad(ints([3]), [[1, 1]], 'CONSTANT', 0.5), 'pad', 'constantValue 0.5 does not fit dtype int32'],
    ['oneHot: negative depth', () => ef.oneHot(i32([0, 1]), -1), 'oneHot', 'depth must be a non-negative integer', 'found -1'],
    ['oneHot: float indices', () => ef.oneHot(f([2]), 3), 'oneHot', 'indices must be int32', 'found float32'],
    ['oneHot: axis beyond rank', () => ef.oneHot(i32([0, 1]), 3, { axis: 3 }), 'oneHot', 'axis 3 is out of range for indices of rank 1', 'expected -1 or in [0, 1]'],
    ['topK: k above the last dimension', () => ef.topK(f([3]), 4), 'topK', 'k must be an integer in [0, 3]', 'found 4'],
    ['topK: a scalar', () => ef.topK(ef.scalar(1)), 'topK', 'input must have rank >= 1', 'found a scalar'],
    ['inTopK: targets shape', () => ef.nn.inTopK(f([2, 3]), i32([0, 1, 2]), 1), 'inTopK', 'targets must be [batch] = [2]', 'found [3]'],
    ['inTopK: float targets', () => ef.nn.inTopK(f([2, 3]), f([2]), 1), 'inTopK', 'targets must be int32', 'found float32'],
    ['randomShuffle: a scalar', () => ef.randomShuffle(ef.scalar(1)), 'randomShuffle', 'input must have rank >= 1', 'found a scalar'],
  ]);
});

describe('conv2d and pooling', () => {
  check([
    ['filter in-channels', () => ef.nn.conv2d(x4(), f([3, 3, 4, 2]), 1, 'SAME'), 'conv2d', 'input channels 3 do not match filter in-channels 4', 'input [1,4,4,3]', 'filter [3,3,4,2]'],
    ['rank-3 input', () => ef.nn.conv2d(f([4, 4, 3]), f([3, 3, 3, 2]), 1, 'SAME'), 'conv2d', 'input must be rank 4 [batch, height, width, channels]', 'found shape [4,4,3]'],
    ['rank-3 filter', () => ef.nn.conv2d(x4(), f([3, 3, 3]), 1, 'SAME'), 'conv2d', 'filter must be rank 4 [height, width, inChannels, outChannels]', 'found shape [3,3,3]'],
    ['int32 input', () => ef.nn.conv2d(ef.ones([1, 4, 4, 3], 'int32'), f([3, 3, 3, 2]), 1, 'SAME'), 'conv2d', 'input must be float32', 'found int32'],
    ['unknown padding string', () => ef.nn.conv2d(x4(), f([3, 3, 3, 2]), 1, 'FULL'), 'conv2d', "padding must be 'SAME', 'VALID' or explicit pairs", "found 'FULL'"],
    ['missing padding', () => ef.nn.conv2d(x4(), f([3, 3, 3, 2]), 1, any(undefined)), 'conv2d', 'padding must be', 'found undefined'],
    ['explicit padding: 3 pairs', () => ef.nn.conv2d(x4(), f([3, 3, 3, 2]), 1, [[0, 0], [1, 1], [1, 1]]), 'conv2d', 'explicit padding must hold 4 pairs (NHWC) or 2 pairs (H, W)', 'found [[0,0],[1,1],[1,1]]'],
    ['explicit padding: negative', () => ef.nn.conv2d(x4(), f([3, 3, 3, 2]), 1, [[0, 0], [-1, 1], [1, 1], [0, 0]]), 'conv2d', 'non-negative integers', '[-1,1]'],
    ['explicit padding: batch padded', () => ef.nn.conv2d(x4(), f([3, 3, 3, 2]), 1, [[1, 0], [1, 1], [1, 1], [0, 0]]), 'conv2d', 'must be [0, 0] in the batch and channel dimensions'],
    ['strides 0', () => ef.nn.conv2d(x4(), f([3, 3, 3, 2]), 0, 'SAME'), 'conv2d', 'strides must be positive integers', 'found 0'],
    ['fractional strides', () => ef.nn.conv2d(x4(), f([3, 3, 3, 2]), 1.5, 'SAME'), 'conv2d', 'strides must be positive integers', 'found 1.5'],
    ['NaN strides (shown as NaN, not null)', () => ef.nn.conv2d(x4(), f([3, 3, 3, 2]), [NaN, 1], 'SAME'), 'conv2d', 'strides must be positive integers', 'found [NaN,1]'],
    ['3 strides', () => ef.nn.conv2d(x4(), f([3, 3, 3, 2]), [1, 1, 1], 'SAME'), 'conv2d', 'strides must be a number, [h, w] or [1, h, w, 1]', 'found [1,1,1]'],
    ['batch stride', () => ef.nn.conv2d(x4(), f([3, 3, 3, 2]), [2, 1, 1, 1], 'SAME'), 'conv2d', 'strides [2,1,1,1] must be 1 in the batch and channel dimensions (NHWC)', 'found 2 and 1'],
    ['missing strides', () => ef.nn.conv2d(x4(), f([3, 3, 3, 2]), any(undefined), 'SAME'), 'conv2d', 'strides is required'],
    ['filter larger than the input (VALID)', () => ef.nn.conv2d(x4(), f([5, 5, 3, 2]), 1, 'VALID'), 'conv2d', 'filter window 5x5 is larger than the padded input 4x4', 'input [1,4,4,3]'],
    ['empty filter window', () => ef.nn.conv2d(x4(), f([0, 3, 3, 2]), 1, 'SAME'), 'conv2d', 'filter [0,3,3,2] has an empty window'],
    ['NCHW', () => ef.nn.conv2d(x4(), f([3, 3, 3, 2]), 1, 'SAME', { dataFormat: 'NCHW' }), 'conv2d', "dataFormat 'NCHW' is not supported", "use 'NHWC'"],
    ['stride and dilation both > 1', () => ef.nn.conv2d(x4(), f([3, 3, 3, 2]), 2, 'SAME', { dilations: 2 }), 'conv2d', 'strides [2,2] and dilations [2,2] cannot both exceed 1'],
    ['backprop input: inputSizes of rank 3', () => ef.nn.conv2dBackpropInput([1, 4, 4], f([3, 3, 3, 2]), f([1, 4, 4, 2]), 1, 'SAME'), 'conv2dBackpropInput', 'inputSizes must be 4 non-negative integers', 'found [1,4,4]'],
    ['backprop input: outBackprop shape', () => ef.nn.conv2dBackpropInput([1, 4, 4, 3], f([3, 3, 3, 2]), f([1, 3, 4, 2]), 1, 'SAME'), 'conv2dBackpropInput', 'outBackprop has shape [1,3,4,2]', 'expected [1,4,4,2]'],
    ['backprop filter: outBackprop shape', () => ef.nn.conv2dBackpropFilter(x4(), [3, 3, 3, 2], f([1, 4, 4, 5]), 1, 'SAME'), 'conv2dBackpropFilter', 'outBackprop has shape [1,4,4,5]', 'expected [1,4,4,2]'],
    ['fused conv2d in-channels', () => ef.fused.conv2d({ x: x4(), filter: f([3, 3, 4, 2]), strides: 1, padding: 'SAME' }), 'conv2d', 'input channels 3 do not match filter in-channels 4'],
    ['fused conv2d bias', () => ef.fused.conv2d({ x: x4(), filter: f([3, 3, 3, 2]), strides: 1, padding: 'SAME', bias: f([3]) }), 'fused_conv2d', 'bias must have shape [2]', 'found [3]'],
    ['maxPool: rank 3', () => ef.nn.maxPool(f([4, 4, 3]), 2, 2, 'VALID'), 'maxPool', 'input must be rank 4', 'found shape [4,4,3]'],
    ['maxPool: ksize 0', () => ef.nn.maxPool(x4(), 0, 2, 'VALID'), 'maxPool', 'ksize must be positive integers', 'found 0'],
    ['maxPool: 3 ksize entries', () => ef.nn.maxPool(x4(), [2, 2, 2], 2, 'VALID'), 'maxPool', 'ksize must be a number, [h, w] or [1, h, w, 1]', 'found [2,2,2]'],
    ['maxPool: window on batch and channels', () => ef.nn.maxPool(x4(), [2, 2, 2, 2], 2, 'VALID'), 'maxPool', 'ksize [2,2,2,2] must be 1 in the batch and channel dimensions', 'found 2 and 2'],
    ['maxPool: window larger than the input', () => ef.nn.maxPool(x4(), 5, 1, 'VALID'), 'maxPool', 'window 5x5 is larger than the padded input 4x4'],
    ['maxPool: misspelt padding', () => ef.nn.maxPool(x4(), 2, 2, 'SAMEE'), 'maxPool', "padding must be 'SAME', 'VALID'", "found 'SAMEE'"],
    ['maxPool: padding as wide as the window', () => ef.nn.maxPool(x4(), 2, 2, [[0, 0], [2, 2], [1, 1], [0, 0]]), 'maxPool', 'padding [2,2,1,1] must be smaller than the window 2x2'],
    ['avgPool: int32', () => ef.nn.avgPool(ef.ones([1, 4, 4, 3], 'int32'), 2, 2, 'VALID'), 'avgPool', 'input must be float32', 'found int32'],
    ['avgPool: NCHW', () => ef.nn.avgPool(x4(), 2, 2, 'VALID', 'NCHW'), 'avgPool', "dataFormat 'NCHW' is not supported"],
  ]);

  test("padding strings are accepted in any case ('same' = 'SAME' = 'Same'), as tf.layers does", () => {
    const x = ef.randomUniform([1, 5, 5, 2], { seed: 1 });
    const w = ef.randomUniform([3, 3, 2, 2], { seed: 2 });
    const want = vals(ef.nn.conv2d(x, w, 2, 'SAME'));
    for (const p of ['same', 'Same']) expect(vals(ef.nn.conv2d(x, w, 2, p))).toEqual(want);
    expect(vals(ef.nn.maxPool(x, 2, 2, 'valid'))).toEqual(vals(ef.nn.maxPool(x, 2, 2, 'VALID')));
    expect(vals(ef.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], 'reflect'))).toEqual(vals(ef.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], 'REFLECT')));
    ef.dispose([x, w]);
  });
});

describe('softmax, nn composites and losses', () => {
  check([
    ['softmax: a scalar', () => ef.nn.softmax(ef.scalar(1)), 'softmax', 'logits must have rank >= 1', 'found a scalar'],
    ['softmax: int32', () => ef.nn.softmax(ints([2, 3])), 'softmax', 'logits must be float32', 'found int32'],
    ['softmax: axis beyond rank', () => ef.nn.softmax(f([2, 3]), 2), 'softmax', 'axis 2 is out of range for rank 2'],
    ['logSoftmax: negative axis beyond rank', () => ef.nn.logSoftmax(f([2, 3]), -3), 'logSoftmax', 'axis -3 is out of range for rank 2'],
    ['softmax CE: labels vs logits', () => ef.nn.softmaxCrossEntropyWithLogits({ labels: f([2, 4]), logits: f([2, 3]) }), 'softmaxCrossEntropyWithLogits', 'labels shape [2,4] must equal logits shape [2,3]'],
    ['softmax CE: int32 logits', () => ef.nn.softmaxCrossEntropyWithLogits({ labels: f([2, 3]), logits: ints([2, 3]) }), 'softmaxCrossEntropyWithLogits', 'logits must be float32', 'found int32'],
    ['softmax CE: missing logits', () => ef.nn.softmaxCrossEntropyWithLogits(any({ labels: f([2, 3]) })), 'softmaxCrossEntropyWithLogits', "argument 'logits' is missing (undefined)"],
    ['sparse CE: label too large', () => ef.nn.sparseSoftmaxCrossEntropyWithLogits({ labels: i32([0, 3]), logits: f([2, 3]) }), 'sparseSoftmaxCrossEntropyWithLogits', 'label 3 at position 1 is out of range [0, 3)'],
    ['sparse CE: negative label', () => ef.nn.sparseSoftmaxCrossEntropyWithLogits({ labels: i32([-1, 0]), logits: f([2, 3]) }), 'sparseSoftmaxCrossEntropyWithLogits', 'label -1 at position 0 is out of range [0, 3)'],
    ['sparse CE: labels shape', () => ef.nn.sparseSoftmaxCrossEntropyWithLogits({ labels: i32([0, 1, 2]), logits: f([2, 3]) }), 'sparseSoftmaxCrossEntropyWithLogits', 'labels shape [3] must equal logits shape without the class axis [2]'],
    ['sparse CE: float labels', () => ef.nn.sparseSoftmaxCrossEntropyWithLogits({ labels: f([2]), logits: f([2, 3]) }), 'sparseSoftmaxCrossEntropyWithLogits', 'labels must be int32 class indices', 'found float32'],
    ['sigmoid CE: shapes', () => ef.nn.sigmoidCrossEntropyWithLogits({ labels: f([2, 4]), logits: f([2, 3]) }), 'sigmoidCrossEntropyWithLogits', 'labels shape [2,4] must equal logits shape [2,3]'],
    ['biasAdd: bias size', () => ef.nn.biasAdd(f([2, 3]), f([4])), 'biasAdd', 'bias must be 1-D of size 3', 'value [2,3]', 'found shape [4]'],
    ['biasAdd: rank-1 value', () => ef.nn.biasAdd(f([3]), f([3])), 'biasAdd', 'value must have rank >= 2', 'found shape [3]'],
    ['biasAdd: dtypes', () => ef.nn.biasAdd(f([2, 3]), ints([3])), 'biasAdd', 'bias dtype int32 does not match value dtype float32'],
    ['batchNormalization: mean shape', () => ef.nn.batchNormalization(f([2, 3]), f([4]), f([3]), null, null, 1e-3), 'batchNormalization', 'mean shape [4] does not broadcast to x shape [2,3]'],
    ['batchNormalization: scale shape', () => ef.nn.batchNormalization(f([2, 3]), f([3]), f([3]), null, f([2]), 1e-3), 'batchNormalization', 'scale shape [2] does not broadcast to x shape [2,3]'],
    ['batchNormalization: negative epsilon', () => ef.nn.batchNormalization(f([2, 3]), f([3]), f([3]), null, null, -1), 'batchNormalization', 'varianceEpsilon must be >= 0', 'found -1'],
    ['dropout: rate 1', () => ef.nn.dropout(f([2, 3]), 1), 'dropout', 'rate must be a number in [0, 1)', 'found 1'],
    ['dropout: NaN rate', () => ef.nn.dropout(f([2, 3]), NaN), 'dropout', 'rate must be a number in [0, 1)', 'found NaN'],
    ['dropout: noiseShape', () => ef.nn.dropout(f([2, 3]), 0.5, { noiseShape: [3, 3] }), 'dropout', 'noiseShape [3,3] must broadcast to x shape [2,3]'],
    ['dropout: int32', () => ef.nn.dropout(ints([2, 3]), 0.5), 'dropout', 'x must be float32', 'found int32'],
    ['l2Loss: int32', () => ef.nn.l2Loss(ints([2])), 'l2Loss', 'must be float32', 'found int32'],
    ['embeddingLookup: empty list of shards', () => ef.nn.embeddingLookup([], i32([0])), 'embeddingLookup', 'params must be a tensor or a non-empty list of tensors', 'found an empty list'],
    ['embeddingLookup: shard widths', () => ef.nn.embeddingLookup([f([3, 2]), f([3, 4])], i32([1])), 'embeddingLookup', 'params[1] has shape [3,4]', 'expected [*,2]'],
    ['embeddingLookup: id too large', () => ef.nn.embeddingLookup(f([3, 2]), i32([3])), 'gather', 'indices[0] = 3 is not in [0, 3)'],
    ['losses: labels vs predictions', () => ef.losses.meanSquaredError(f([2, 3]), f([2, 4])), 'meanSquaredError', 'labels shape [2,3] must equal predictions shape [2,4]'],
    ['losses: weights shape', () => ef.losses.absoluteDifference(f([2, 3]), f([2, 3]), { weights: f([4]) }), 'absoluteDifference', 'weights of shape [4] cannot be broadcast to the losses\' shape [2,3]'],
    ['losses: unknown reduction', () => ef.losses.huberLoss(f([2]), f([2]), { reduction: any('bogus') }), 'huberLoss', "unknown reduction 'bogus'"],
    ['losses: null labels', () => ef.losses.logLoss(any(null), f([2])), 'logLoss', "argument 'labels'", 'found null'],
    ['losses: one-hot labels', () => ef.losses.softmaxCrossEntropy(f([2, 4]), f([2, 3])), 'softmaxCrossEntropy', 'labels shape [2,4] must equal predictions shape [2,3]'],
    ['losses: sparse label range', () => ef.losses.sparseSoftmaxCrossEntropy(i32([5, 0]), f([2, 3])), 'sparseSoftmaxCrossEntropyWithLogits', 'label 5 at position 0 is out of range [0, 3)'],
    ['metrics: accuracy shapes', () => ef.metrics.accuracy(f([2, 4]), f([2, 3])), 'accuracy', 'labels shape [2,4] and predictions shape [2,3] do not match'],
  ]);
});

describe('image', () => {
  check([
    ['rank 2 image', () => ef.image.flipLeftRight(f([4, 4])), 'flipLeftRight', 'image must be 3-D [height, width, channels] or 4-D', 'found shape [4,4]'],
    ['crop past the edge', () => ef.image.cropToBoundingBox(f([4, 4, 3]), 2, 2, 3, 3), 'cropToBoundingBox', 'offsetHeight + targetHeight = 5 exceeds the image height 4'],
    ['negative offset', () => ef.image.cropToBoundingBox(f([4, 4, 3]), -1, 0, 2, 2), 'cropToBoundingBox', 'offsetHeight must be an integer >= 0', 'found -1'],
    ['resize: one size', () => ef.image.resizeBilinear(f([4, 4, 3]), [2]), 'resizeBilinear', 'size must be [newHeight, newWidth]', 'found [2]'],
    ['resize: zero size', () => ef.image.resizeNearestNeighbor(f([4, 4, 3]), [0, 2]), 'resizeNearestNeighbor', 'size must hold two positive integers', 'found [0,2]'],
    ['resize: unknown method', () => ef.image.resize(f([4, 4, 3]), [2, 2], any('lanczos')), 'resize', "method must be 'bilinear', 'nearest', 'bicubic' or 'area'", "found 'lanczos'"],
    ['grayscale: 4 channels', () => ef.image.rgbToGrayscale(f([4, 4, 4])), 'rgbToGrayscale', 'images must have 3 channels', 'found shape [4,4,4]'],
    ['cropAndResize: boxes shape', () => ef.image.cropAndResize(f([1, 4, 4, 3]), f([2, 3]), i32([0, 0]), [2, 2]), 'cropAndResize', 'boxes must be [numBoxes, 4]', 'found shape [2,3]'],
    ['cropAndResize: box index', () => ef.image.cropAndResize(f([1, 4, 4, 3]), f([2, 4]), i32([0, 1]), [2, 2]), 'cropAndResize', 'boxInd[1] = 1 is not in [0, 1)'],
  ]);
});

describe('variables', () => {
  const v = () => ef.variable(f([2, 3]), { name: 'bad_input_v' });
  check([
    ['assign: wrong shape', () => v().assign(f([3, 2])), 'assign', "variable 'bad_input_v", 'has shape [2,3]', 'value has shape [3,2]'],
    ['assign: wrong dtype', () => v().assign(ints([2, 3])), 'assign', 'has dtype float32', 'value has dtype int32', 'cast it first'],
    ['assign: null', () => v().assign(any(null)), 'assign', "argument 'value'", 'found null'],
    ['assign: a disposed tensor', () => v().assign(disposed()), 'assign', "argument 'value'", 'was disposed'],
    ['assign: fraction into int32', () => ef.variable(ints([2]), { name: 'bad_input_vi' }).assign([0.5, 1]), 'assign', "argument 'value' element 0 is 0.5", 'not an integer'],
    ['assignAdd: shape that does not broadcast to the variable', () => v().assignAdd(f([2, 2, 3])), 'assignAdd', 'delta shape [2,2,3] does not broadcast to variable', 'shape [2,3]'],
    ['assignSub: wrong dtype', () => v().assignSub(ints([2, 3])), 'assignSub', 'has dtype float32', 'delta has dtype int32'],
    ['a disposed variable', () => {
      const d = v();
      d.dispose();
      d.assign(f([2, 3]));
    }, 'assign', "variable 'bad_input_v", 'was disposed'],
    ['variable: empty name', () => ef.variable(f([2]), { name: '' }), 'variable', 'name must be a non-empty string', 'found ""'],
    ['variable: dtype differs from the value', () => ef.variable(f([2]), { dtype: 'int32' }), 'variable', 'initial value has dtype float32 but dtype int32 was requested'],
    ['variable: undefined', () => ef.variable(undefined), 'variable', 'init must be a Tensor or values ef.tensor takes', 'found undefined'],
    ['getVariable: negative shape', () => ef.getVariable('bad_input_gv1', { shape: [-1] }), 'getVariable', "variable 'bad_input_gv1': shape [-1] must hold non-negative integers"],
    ['getVariable: initializer of the wrong shape', () => ef.getVariable('bad_input_gv2', { shape: [2], initializer: () => f([3]) }), 'getVariable', "variable 'bad_input_gv2': the initializer returned float32 [3]", 'expected a float32 tensor of shape [2]'],
    ['getVariable: sharing with another shape', () => {
      ef.getVariable('bad_input_gv3', { shape: [2] });
      ef.variableScope(null, { reuse: true }, () => ef.getVariable('bad_input_gv3', { shape: [3] }));
    }, 'getVariable', "trying to share variable 'bad_input_gv3'", 'specified shape [3]', 'found shape [2]'],
    ['getVariable: reuse of a missing variable', () => ef.variableScope('bad_input_scope', { reuse: true }, () => ef.getVariable('nope', { shape: [2] })), 'getVariable', "variable 'bad_input_scope/nope' does not exist"],
  ]);

  test('a failed assign leaves the value unchanged', () => {
    const w = ef.variable(ef.tensor([1, 2]), { name: 'bad_input_keep' });
    expect(() => w.assign(f([3]))).toThrow(ef.OpError);
    expect(() => w.assignAdd(f([3]))).toThrow(ef.OpError);
    expect(vals(w)).toEqual([1, 2]);
    w.dispose();
  });
});

describe('layers: arguments, and inputs that do not fit a built layer', () => {
  check([
    ['Dense: last dimension differs from the built kernel', () => {
      const d = new ef.layers.Dense(4, { name: 'bad_input_dense' });
      d.apply(f([2, 3]));
      d.apply(f([2, 5]));
    }, 'dense', 'inputs of shape [2,5] do not fit the layer', "kernel 'bad_input_dense/kernel' has shape [3,4]", 'these inputs need [5,4]'],
    ['Conv2D: channels differ from the built kernel', () => {
      const c = new ef.layers.Conv2D(2, 3, { name: 'bad_input_conv', padding: 'same' });
      c.apply(x4());
      c.apply(f([1, 4, 4, 5]));
    }, 'conv2d', 'inputs of shape [1,4,4,5] do not fit the layer', "kernel 'bad_input_conv/kernel' has shape [3,3,3,2]", 'these inputs need [3,3,5,2]'],
    ['BatchNormalization: channels differ from the built parameters', () => {
      const bn = new ef.layers.BatchNormalization({ name: 'bad_input_bn' });
      bn.apply(f([2, 3]), { training: true });
      bn.apply(f([2, 4]));
    }, 'batchNormalization', 'inputs of shape [2,4] do not fit the layer', "beta 'bad_input_bn/beta' has shape [3]", 'these inputs need [4]'],
    ['functional dense under reuse', () => {
      ef.layers.dense(f([2, 3]), 4, { name: 'bad_input_fd' });
      ef.layers.dense(f([2, 5]), 4, { name: 'bad_input_fd', reuse: true });
    }, 'dense', 'inputs of shape [2,5]', "kernel 'bad_input_fd/kernel' has shape [3,4]"],
    ['Dense: rank-1 input', () => new ef.layers.Dense(4).apply(f([3])), 'dense', 'inputs must have rank >= 2', 'found shape [3]'],
    ['Dense: null input', () => ef.layers.dense(any(null), 3), 'dense', "argument 'inputs' must be a Tensor", 'found null'],
    ['Dense: int32 input', () => new ef.layers.Dense(2).apply(ints([2, 3])), 'dense', 'inputs must be float32', 'found int32 [2,3]'],
    ['Dense: units 0', () => new ef.layers.Dense(0).apply(f([2, 3])), 'dense', 'units must be a positive integer', 'found 0'],
    ['Dense: fractional units', () => new ef.layers.Dense(1.5).apply(f([2, 3])), 'dense', 'units must be a positive integer', 'found 1.5'],
    ['Dense: unknown activation', () => new ef.layers.Dense(2, { activation: any('gelu') }).apply(f([2, 3])), 'dense', "unknown activation 'gelu'", 'known: relu'],
    ['Conv2D: 3 kernel sizes', () => new ef.layers.Conv2D(2, [3, 3, 3]).apply(x4()), 'conv2d', 'kernelSize must be a number, [h, w] or [1, h, w, 1]', 'found [3,3,3]'],
    ['Conv2D: kernel size 0', () => new ef.layers.Conv2D(2, 0).apply(x4()), 'conv2d', 'kernelSize must be positive integers', 'found 0'],
    ['Conv2D: 3 strides', () => new ef.layers.Conv2D(2, 3, { strides: [1, 1, 1] }).apply(x4()), 'conv2d', 'strides must be a number, [h, w] or [1, h, w, 1]', 'found [1,1,1]'],
    ['Conv2D: filters 0', () => new ef.layers.Conv2D(0, 3).apply(x4()), 'conv2d', 'filters must be a positive integer', 'found 0'],
    ['Conv2D: rank-3 input', () => new ef.layers.Conv2D(2, 3).apply(f([4, 4, 3])), 'conv2d', 'inputs must be [batch, height, width, channels]', 'found shape [4,4,3]'],
    ['Conv2D: unknown padding', () => new ef.layers.Conv2D(2, 3, { padding: 'full' }).apply(x4()), 'fused.conv2d', "padding must be 'SAME', 'VALID' or explicit pairs", "found 'FULL'"],
    ['MaxPooling2D: 3 pool sizes', () => new ef.layers.MaxPooling2D([2, 2, 2]).apply(x4()), 'maxPooling2d', 'poolSize must be a number, [h, w] or [1, h, w, 1]', 'found [2,2,2]'],
    ['AveragePooling2D: stride 0', () => new ef.layers.AveragePooling2D(2, 0).apply(x4()), 'averagePooling2d', 'strides must be positive integers', 'found 0'],
    ['BatchNormalization: axis beyond rank', () => new ef.layers.BatchNormalization({ axis: 2 }).apply(f([2, 3])), 'batchNormalization', 'axis 2 is out of range for shape [2,3]'],
    ['BatchNormalization: int32 input', () => new ef.layers.BatchNormalization().apply(ints([2, 3])), 'batchNormalization', 'inputs must be float32', 'found int32 [2,3]'],
    ['Dropout: rate 1 while training', () => new ef.layers.Dropout(1).apply(f([2, 3]), { training: true }), 'dropout', 'rate must be a number in [0, 1)', 'found 1'],
    ['Flatten: a scalar', () => new ef.layers.Flatten().apply(ef.scalar(1)), 'flatten', 'inputs must have a batch dimension'],
    ['Embedding: vocabulary 0', () => new ef.layers.Embedding(0, 2).apply(i32([0])), 'embedding', 'vocabSize must be a positive integer', 'found 0'],
    ['Embedding: id too large', () => new ef.layers.Embedding(5, 2).apply(i32([5])), 'gather', 'indices[0] = 5 is not in [0, 5)'],
    ['Sequential: not a layer', () => new ef.layers.Sequential([any(42)]), 'Sequential', 'layer 0 must be a Module or a function', 'found number'],
    ['activate: unknown name', () => ef.layers.activate(f([2]), any('bogus')), 'activate', "unknown activation 'bogus'"],
    ['activate: an Object.prototype name (returned toString)', () => ef.layers.activate(f([2]), any('toString')), 'activate', "unknown activation 'toString'"],
    ['slim.conv2d: 3 kernel sizes', () => ef.slim.conv2d(x4(), 2, [3, 3, 3]), 'conv2d', 'kernelSize must be a number, [h, w] or [1, h, w, 1]', 'found [3,3,3]'],
    ['slim.fullyConnected: negative outputs', () => ef.slim.fullyConnected(f([2, 3]), -1), 'dense', 'units must be a positive integer', 'found -1'],
    ['slim.maxPool2d: 3 kernel sizes', () => ef.slim.maxPool2d(x4(), [2, 2, 2]), 'maxPooling2d', 'poolSize must be a number, [h, w] or [1, h, w, 1]', 'found [2,2,2]'],
    ['slim.batchNorm: int32 input', () => ef.slim.batchNorm(ints([2, 3])), 'batchNormalization', 'inputs must be float32', 'found int32'],
    ['slim.dropout: keepProb 0', () => ef.slim.dropout(f([2, 3]), { keepProb: 0 }), 'slim.dropout', 'keepProb must be in (0, 1]', 'found 0'],
    ['slim.stack: not a list', () => ef.slim.stack(f([2, 3]), ef.slim.fullyConnected, any(3)), 'slim.stack', 'stackArgs must be a list', 'found number'],
    ['slim.argScope: undecorated function', () => ef.slim.argScope([any(ef.add)], {}, () => 1), 'argScope', 'add is not decorated with addArgScope'],
  ]);

  test('a layer rejected for its arguments makes no variables', () => {
    const before = ef.globalVariables().length;
    expect(() => new ef.layers.Dense(2, { activation: 'gelu' as never }).apply(f([2, 3]))).toThrow(ef.OpError);
    expect(() => new ef.layers.Conv2D(2, [3, 3, 3]).apply(x4())).toThrow(ef.OpError);
    expect(ef.globalVariables().length).toBe(before);
  });
});

describe('optimizers', () => {
  const opt = () => new ef.train.GradientDescentOptimizer(0.1);
  const w = () => ef.variable(ef.tensor([1, 2]), { name: 'bad_input_w' });
  check([
    ['gradient shape differs from the variable', () => opt().applyGradients([[f([3]), w()]]), 'applyGradients', "gradient of 'bad_input_w", 'has shape [3]', 'variable has shape [2]'],
    ['every gradient null', () => opt().applyGradients([[null, w()], [null, w()]]), 'applyGradients', 'no gradients provided for any variable', 'bad_input_w'],
    ['int32 gradient', () => opt().applyGradients([[ints([2]), w()]]), 'applyGradients', 'must be float32', 'found float32, int32'],
    ['a number as gradient', () => opt().applyGradients([[any(3), w()]]), 'applyGradients', "the gradient of 'bad_input_w", 'must be a Tensor or null', 'found number'],
    ['an array as gradient', () => opt().applyGradients([[any([1, 2]), w()]]), 'applyGradients', 'must be a Tensor or null', 'found Array'],
    ['a disposed gradient', () => opt().applyGradients([[disposed(), w()]]), 'applyGradients', "the gradient of 'bad_input_w", 'was disposed'],
    ['a tensor instead of a variable', () => opt().applyGradients([[f([2]), any(f([2]))]]), 'applyGradients', 'each pair must be [gradient, Variable]'],
    ['the same variable twice', () => {
      const v = w();
      opt().applyGradients([[f([2]), v], [f([2]), v]]);
    }, 'applyGradients', "variable 'bad_input_w", 'appears twice'],
    ['not a list', () => opt().applyGradients(any(null)), 'applyGradients', 'gradsAndVars must be a list of [gradient, Variable] pairs', 'found null'],
    ['NaN gradient', () => opt().applyGradients([[ef.tensor([NaN, 1]), w()]]), 'applyGradients', 'non-finite gradient (NaN or Inf) for [bad_input_w', 'no variable was changed'],
    ['NaN learning rate', () => new ef.train.GradientDescentOptimizer(NaN).applyGradients([[f([2]), w()]]), 'GradientDescent', 'learning rate must be finite', 'found NaN'],
    ['undefined learning rate', () => new ef.train.GradientDescentOptimizer(any(undefined)).applyGradients([[f([2]), w()]]), 'GradientDescent', 'learning rate must be a number, a scalar Tensor or a function returning one', 'found undefined'],
    ['string learning rate', () => new ef.train.AdamOptimizer(any('0.1')).applyGradients([[f([2]), w()]]), 'Adam', 'learning rate must be a number', 'found string'],
    ['bool learning rate tensor', () => new ef.train.AdagradOptimizer(ef.scalar(true)).applyGradients([[f([2]), w()]]), 'Adagrad', 'learning rate must be float32 (or an integer type)', 'found bool'],
    ['vector learning rate', () => new ef.train.MomentumOptimizer(f([2]), 0.9).applyGradients([[f([2]), w()]]), 'Momentum', 'learning rate must be a scalar', 'found shape [2]'],
    ['loss not a function', () => opt().minimize(any(f([1]))), 'computeGradients', 'pass the loss as a function'],
    ['loss not a scalar', () => {
      const v = w();
      opt().minimize(() => ef.add(v, 1));
    }, 'computeGradients', 'the loss must be a scalar', 'found shape [2]'],
    ['loss independent of the variables', () => opt().minimize(() => ef.scalar(1), { varList: [w()] }), 'applyGradients', 'no gradients provided for any variable'],
    ['clipByGlobalNorm: negative norm', () => ef.train.clipByGlobalNorm([f([2])], -1), 'clipByGlobalNorm', 'clipNorm must be positive', 'found -1'],
    ['Adagrad: zero accumulator', () => new ef.train.AdagradOptimizer(0.1, { initialAccumulatorValue: 0 }), 'AdagradOptimizer', 'initialAccumulatorValue must be positive', 'found 0'],
  ]);

  test('null gradients are skipped (TF), the others applied; an int32 learning rate is cast (TF)', () => {
    const a = ef.variable(ef.tensor([1, 2]), { name: 'bad_input_a' });
    const b = ef.variable(ef.tensor([1, 2]), { name: 'bad_input_b' });
    new ef.train.GradientDescentOptimizer(ef.scalar(1, 'int32')).applyGradients([[null, a], [ef.tensor([1, 1]), b], [undefined as never, a]]);
    expect(vals(a)).toEqual([1, 2]);
    expect(vals(b)).toEqual([0, 1]);
    ef.dispose([a, b]);
  });

  const makers: [string, () => ef.train.Optimizer][] = [
    ['GradientDescent', () => new ef.train.GradientDescentOptimizer(0.1)],
    ['Momentum', () => new ef.train.MomentumOptimizer(0.1, 0.9, { useNesterov: true })],
    ['Adam', () => new ef.train.AdamOptimizer(0.1)],
    ['RMSProp', () => new ef.train.RMSPropOptimizer(0.1, { momentum: 0.5 })],
    ['Adagrad', () => new ef.train.AdagradOptimizer(0.1)],
  ];

  test.each(makers)('%s: a failed step leaves variables, slots and the global step unchanged', (_name, make) => {
    const optimizer = make();
    const a = ef.variable(ef.tensor([1, 2]), { name: 'bad_input_sa' });
    const b = ef.variable(ef.tensor([[1, 2], [3, 4]]), { name: 'bad_input_sb' });
    const step = ef.variable(ef.scalar(0, 'int32'), { name: 'bad_input_step', trainable: false });
    // One good step first, so the slots hold values a failed step could disturb.
    optimizer.applyGradients([[ef.tensor([0.5, -1]), a], [ef.tensor([[1, 0], [0, 1]]), b]], { globalStep: step });
    const all = [a, b, step, ...optimizer.variables()];
    expect(all.length).toBeGreaterThanOrEqual(3);
    const snapshot = () => all.map((v) => `${v.name}=${vals(v).join(',')}`);
    const before = snapshot();
    const failures: [() => unknown, RegExp][] = [
      // One gradient of the wrong shape among several.
      [() => optimizer.applyGradients([[ef.tensor([1, 1]), a], [f([2, 3]), b]], { globalStep: step }), /gradient of 'bad_input_sb' has shape \[2,3\], variable has shape \[2,2\]/],
      // A non-finite gradient among several.
      [() => optimizer.applyGradients([[ef.tensor([1, 1]), a], [ef.tensor([[1, Infinity], [1, 1]]), b]], { globalStep: step }), /non-finite gradient .* for \[bad_input_sb\]; no variable was changed/],
      // A loss function that throws inside minimize.
      [() => optimizer.minimize(() => { throw new Error('loss failed'); }, { globalStep: step }), /loss failed/],
      // A loss that is NaN: every gradient is NaN.
      [() => optimizer.minimize(() => ef.mul(ef.reduceSum(ef.add(ef.reduceSum(a), b)), NaN), { globalStep: step }), /non-finite gradient .* for \[bad_input_sa, bad_input_sb\]/],
      // A gradient that is not a tensor, after a valid one.
      [() => optimizer.applyGradients([[ef.tensor([1, 1]), a], [any([[1, 1], [1, 1]]), b]], { globalStep: step }), /the gradient of 'bad_input_sb' must be a Tensor or null, found Array/],
    ];
    for (const [fn, message] of failures) {
      expect(() => ef.tidy(() => void fn())).toThrow(message);
      expect(snapshot()).toEqual(before);
    }
    optimizer.dispose();
    ef.dispose([a, b, step]);
  });

  test('a failing learning-rate schedule leaves the step unapplied', () => {
    const v = ef.variable(ef.tensor([1, 2]), { name: 'bad_input_lr' });
    const step = ef.variable(ef.scalar(3, 'int32'), { name: 'bad_input_lr_step', trainable: false });
    const optimizer = new ef.train.AdamOptimizer(() => NaN);
    expect(() => optimizer.applyGradients([[ef.tensor([1, 1]), v]], { globalStep: step })).toThrow(/Adam: learning rate must be finite, found NaN/);
    expect(vals(v)).toEqual([1, 2]);
    expect(vals(step)).toEqual([3]);
    // Slots made by the failed first step hold their initial values: m, v = 0, beta powers = beta.
    const initial = [0, Math.fround(0.9), Math.fround(0.999)];
    for (const s of optimizer.variables()) expect(vals(s).every((e) => initial.includes(e))).toBe(true);
    optimizer.dispose();
    ef.dispose([v, step]);
  });
});
