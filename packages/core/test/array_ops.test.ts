import { beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import { expectClose, vals } from './helpers.js';

beforeAll(async () => {
  await ef.setBackend('cpu');
});

const iota = (n: number) => Array.from({ length: n }, (_, i) => i);
const x234 = () => ef.tensor(iota(24), [2, 3, 4]);

describe('stridedSlice (TensorFlow semantics)', () => {
  const x10 = () => ef.tensor(iota(10), [10], 'int32');
  const ss = (t: ef.Tensor, b: number[], e: number[], s?: number[], m?: ef.StridedSliceOptions) => ef.stridedSlice(t, b, e, s, m);

  test('ranges, negative strides and clamping as numpy', () => {
    expect(vals(ss(x10(), [8], [1], [-3]))).toEqual([8, 5, 2]); // x[8:1:-3]
    expect(vals(ss(x10(), [-2], [0], [-2], { endMask: 1 }))).toEqual([8, 6, 4, 2, 0]); // x[-2::-2]
    expect(vals(ss(x10(), [100], [-100], [-1]))).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]); // x[100:-100:-1]
    expect(vals(ss(x10(), [-100], [100], [4]))).toEqual([0, 4, 8]);
    expect(ss(x10(), [3], [3]).shape).toEqual([0]);
    expect(ss(x10(), [5], [2]).shape).toEqual([0]);
    expect(ss(x10(), [2], [5], [-1]).shape).toEqual([0]);
  });

  test('begin/end masks: x[:, ::-1]', () => {
    const y = ss(x234(), [0, 0], [0, 0], [1, -1], { beginMask: 3, endMask: 3 });
    expect(y.shape).toEqual([2, 3, 4]);
    expect(vals(y).slice(0, 12)).toEqual([8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3]);
  });

  test('shrinkAxisMask: x[1, :, 2] and x[-1]', () => {
    const y = ss(x234(), [1, 0, 2], [2, 0, 3], [1, 1, 1], { beginMask: 2, endMask: 2, shrinkAxisMask: 5 });
    expect(y.shape).toEqual([3]);
    expect(vals(y)).toEqual([14, 18, 22]);
    const last = ss(x10(), [-1], [0], [1], { shrinkAxisMask: 1 });
    expect(last.shape).toEqual([]);
    expect(vals(last)).toEqual([9]);
  });

  test('ellipsisMask: x[..., 1] and x[1, ...]', () => {
    const y = ss(x234(), [0, 1], [0, 2], [1, 1], { ellipsisMask: 1, shrinkAxisMask: 2 });
    expect(y.shape).toEqual([2, 3]);
    expect(vals(y)).toEqual([1, 5, 9, 13, 17, 21]);
    const z = ss(x234(), [1, 0], [2, 0], [1, 1], { ellipsisMask: 2, shrinkAxisMask: 1 });
    expect(z.shape).toEqual([3, 4]);
    expect(vals(z)).toEqual(iota(12).map((i) => i + 12));
  });

  test('newAxisMask: x[:, None, 0] and x[None, ..., None]', () => {
    const y = ss(x234(), [0, 0, 0], [0, 0, 1], [1, 1, 1], { beginMask: 1, endMask: 1, newAxisMask: 2, shrinkAxisMask: 4 });
    expect(y.shape).toEqual([2, 1, 4]);
    expect(vals(y)).toEqual([0, 1, 2, 3, 12, 13, 14, 15]);
    const z = ss(x234(), [0, 0, 0], [0, 0, 0], [1, 1, 1], { newAxisMask: 5, ellipsisMask: 2 });
    expect(z.shape).toEqual([1, 2, 3, 4, 1]);
  });

  test('gradient with negative strides scatters into the read positions', () => {
    const x = ef.tensor(iota(6).map((v) => v * 0.5), [6]);
    const g = ef.grad((t) => ef.stridedSlice(t, [5], [0], [-2]).mul(ef.tensor([1, 2, 3])).sum())(x);
    expect(vals(g)).toEqual([0, 3, 0, 2, 0, 1]);
  });

  test('errors name the op and the offending value', () => {
    expect(() => ss(x10(), [10], [11], [1], { shrinkAxisMask: 1 })).toThrow(/stridedSlice: index 10 of dimension 0 is out of bounds for size 10/);
    expect(() => ss(x10(), [0], [5], [0])).toThrow(/stridedSlice: strides\[0\] must be non-zero/);
    expect(() => ss(x234(), [0, 0], [1, 1], [1, 1], { ellipsisMask: 3 })).toThrow(/stridedSlice: ellipsisMask 3 has more than one bit/);
    expect(() => ss(x10(), [0, 0], [1, 1], [1, 1])).toThrow(/stridedSlice: index 1 of the slice spec is out of range/);
    expect(() => ss(x10(), [0], [1, 2])).toThrow(/stridedSlice: begin, end and strides must have the same length/);
    expect(() => ss(x10(), [3], [4], [-1], { shrinkAxisMask: 1 })).toThrow(/positive stride/);
  });
});

describe('slice, reverse, expandDims, squeeze, identity', () => {
  test('slice with -1 sizes', () => {
    const y = ef.slice(x234(), [0, 1, 1], [-1, 2, -1]);
    expect(y.shape).toEqual([2, 2, 3]);
    expect(vals(y)).toEqual([5, 6, 7, 9, 10, 11, 17, 18, 19, 21, 22, 23]);
    expect(vals(ef.slice(ef.tensor([1, 2, 3, 4]), 1, 2))).toEqual([2, 3]);
    expect(ef.slice(ef.tensor([1, 2, 3, 4]), [4], [-1]).shape).toEqual([0]);
  });

  test("begin/size and tile multiples as int32 tensors (the notes' slice(img, begin, size) after sampleDistortedBoundingBox)", () => {
    const img = ef.tensor(iota(60 * 80 * 3), [60, 80, 3]);
    const r = ef.image.sampleDistortedBoundingBox([60, 80, 3], [[[0.05, 0.05, 0.9, 0.7]]], { seed: 3 });
    const crop = ef.slice(img, r.begin, r.size);
    expect(crop.shape).toEqual(ef.slice(img, r.values.begin, r.values.size).shape);
    expect(vals(crop)).toEqual(vals(ef.slice(img, r.values.begin, r.values.size)));
    expect(vals(ef.slice(x234(), ef.tensor([1, 1, 2], undefined, 'int32'), ef.tensor([1, 1, -1], undefined, 'int32')))).toEqual([18, 19]);
    expect(ef.tile(ef.tensor([1, 2]), ef.tensor([3], undefined, 'int32')).shape).toEqual([6]);
    expect(() => ef.slice(x234(), ef.tensor([0, 0, 0]), [1, 1, 1])).toThrow('slice: begin as a tensor must be an int32 scalar or vector, found float32 [3]');
  });

  test('slice errors', () => {
    expect(() => ef.slice(x234(), [0, 0, 5], [1, 1, 1])).toThrow(/slice: begin\[2\] = 5 is out of range \[0, 4\]/);
    expect(() => ef.slice(x234(), [0, 2, 0], [1, 2, 1])).toThrow(/slice: size\[1\] = 2 with begin 2 exceeds dimension 1/);
    expect(() => ef.slice(x234(), [0, 0], [1, 1])).toThrow(/slice: begin \[0,0\] has 2 entries, expected 3/);
  });

  test('reverse several and negative axes; gradient', () => {
    const y = ef.reverse(ef.tensor(iota(6), [2, 3]), [0, -1]);
    expect(vals(y)).toEqual([5, 4, 3, 2, 1, 0]);
    expect(() => ef.reverse(ef.tensor([1, 2]), [0, -1])).toThrow(/reverse: axis \[0,-1\] names a dimension twice/);
    expect(() => ef.reverse(ef.tensor([1, 2]), 1)).toThrow(/reverse: axis 1 is out of range for rank 1/);
    const g = ef.grad((t) => ef.reverse(t, 0).mul(ef.tensor([1, 2, 3])).sum())(ef.tensor([0, 0, 0]));
    expect(vals(g)).toEqual([3, 2, 1]);
  });

  test('expandDims / squeeze', () => {
    expect(ef.expandDims(x234(), -1).shape).toEqual([2, 3, 4, 1]);
    expect(ef.expandDims(x234(), 1).shape).toEqual([2, 1, 3, 4]);
    expect(() => ef.expandDims(x234(), 4)).toThrow(/expandDims: axis 4 is out of range for rank 4/);
    const t = ef.zeros([1, 3, 1, 2]);
    expect(ef.squeeze(t).shape).toEqual([3, 2]);
    expect(ef.squeeze(t, [-2]).shape).toEqual([1, 3, 2]);
    expect(() => ef.squeeze(t, 1)).toThrow(/squeeze: cannot squeeze axis 1: its size is 3, expected 1/);
  });

  test('identity is a new tensor sharing values; gradient passes', () => {
    const x = ef.tensor([1, 2]);
    const y = ef.identity(x);
    expect(y).not.toBe(x);
    x.dispose();
    expect(vals(y)).toEqual([1, 2]);
    expect(vals(ef.grad((t) => ef.identity(t).mul(3).sum())(ef.tensor([1, 1])))).toEqual([3, 3]);
  });
});

describe('concat, split, stack, unstack', () => {
  test('split by count and by sizes with one -1 (TF argument order)', () => {
    const x = ef.tensor(iota(14), [2, 7]);
    const parts = ef.split(x, [2, -1, 3], 1);
    expect(parts.map((p) => p.shape)).toEqual([[2, 2], [2, 2], [2, 3]]);
    expect(vals(parts[1])).toEqual([2, 3, 9, 10]);
    const halves = ef.split(ef.tensor(iota(6), [6]), 3);
    expect(halves.map(vals)).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(() => ef.split(x, 3, 1)).toThrow(/split: axis 1 of \[2,7\] has size 7, not divisible into 3 equal pieces/);
    expect(() => ef.split(x, [-1, -1], 1)).toThrow(/split: sizes \[-1,-1\] may contain at most one -1/);
    expect(() => ef.split(x, [3, 3], 1)).toThrow(/split: sizes \[3,3\] sum to 6, expected axis 1 size 7/);
    expect(() => ef.split(x, [8, -1], 1)).toThrow(/sum to 8 before the -1, more than axis 1 size 7/);
  });

  test('gradient through one split output is zero elsewhere', () => {
    const g = ef.grad((t) => ef.split(t, [1, 2], 0)[1]!.sum())(ef.tensor([5, 6, 7]));
    expect(vals(g)).toEqual([0, 1, 1]);
  });

  test('concat errors', () => {
    expect(() => ef.concat([ef.zeros([2, 3]), ef.zeros([3, 3])], 1)).toThrow(/concat: tensor 1 has shape \[3,3\], expected \[2,-1\]/);
    expect(() => ef.concat([ef.zeros([2]), ef.zeros([2], 'int32')])).toThrow(/concat: tensor 1 has dtype int32, tensor 0 has float32/);
    expect(() => ef.concat([])).toThrow(/concat: expected at least one tensor/);
    expect(() => ef.concat([ef.zeros([2])], 1)).toThrow(/concat: axis 1 is out of range for rank 1/);
  });

  test('stack / unstack round trip, negative axes, gradients', () => {
    const a = ef.tensor([[1, 2, 3], [4, 5, 6]]);
    const b = ef.tensor([[7, 8, 9], [10, 11, 12]]);
    const s = ef.stack([a, b], -1);
    expect(s.shape).toEqual([2, 3, 2]);
    expect(vals(s)).toEqual([1, 7, 2, 8, 3, 9, 4, 10, 5, 11, 6, 12]);
    const back = ef.unstack(s, 2);
    expect(back.map(vals)).toEqual([vals(a), vals(b)]);
    expect(ef.unstack(a, 1).map((t) => t.shape)).toEqual([[2], [2], [2]]);
    expect(() => ef.stack([a, ef.zeros([3, 2])])).toThrow(/stack: values\[1\] has shape \[3,2\], values\[0\] has \[2,3\]/);
    const { grads } = ef.valueAndGrads(() => ef.stack([a, b], 1).mul(ef.tensor([1, 2]).reshape([1, 2, 1])).sum(), [a, b]);
    expect(vals(grads[0])).toEqual([1, 1, 1, 1, 1, 1]);
    expect(vals(grads[1])).toEqual([2, 2, 2, 2, 2, 2]);
  });

  test('composites leave no intermediate tensors behind', () => {
    const a = ef.zeros([2, 3]);
    const before = ef.memory().numTensors;
    const s = ef.stack([a, a]);
    const parts = ef.unstack(s);
    const w = ef.stridedSlice(a, [0], [1], [1], { shrinkAxisMask: 1 });
    expect(ef.memory().numTensors).toBe(before + 1 + parts.length + 1);
    ef.dispose([s, parts, w]);
    expect(ef.memory().numTensors).toBe(before);
  });
});

describe('gather, unsortedSegmentSum, embeddingLookup', () => {
  test('out-of-range index names its position and value', () => {
    const x = ef.zeros([5, 2]);
    expect(() => ef.gather(x, [0, 4, 7])).toThrow(/gather: indices\[2\] = 7 is not in \[0, 5\)/);
    expect(() => ef.gather(x, [-1])).toThrow(/gather: indices\[0\] = -1 is not in \[0, 5\)/);
    expect(() => ef.gather(x, ef.tensor([1]))).toThrow(/gather: indices must be int32, found float32/);
    expect(() => ef.gather(x, [0], 2)).toThrow(/gather: axis 2 is out of range for rank 2/);
    expect(() => ef.gather(ef.zeros([2, 3]), ef.zeros([3, 1], 'int32'), { axis: 1, batchDims: 1 })).toThrow(/gather: batch dimension 0 differs/);
  });

  test('batchDims (options form) and gradient with repeated indices', () => {
    const x = ef.tensor([[1, 2, 3], [4, 5, 6]]);
    const y = ef.gather(x, ef.tensor([[2, 0], [1, 1]], undefined, 'int32'), { axis: 1, batchDims: 1 });
    expect(vals(y)).toEqual([3, 1, 5, 5]);
    const g = ef.grad((t) => ef.gather(t, [0, 2, 2, 0, 2]).sum())(ef.tensor([1, 1, 1]));
    expect(vals(g)).toEqual([2, 0, 3]);
  });

  test('second-order gradients through gather and stridedSlice', () => {
    // f(x) = Σ gather(x, [0, 0, 1])³ + Σ x[::-1]² → f''(x) = 6·count·x + 2
    const f = (t: ef.Tensor) => ef.gather(t, [0, 0, 1]).pow(3).sum().add(ef.reverse(t, 0).square().sum());
    const g2 = ef.grad((t) => ef.grad(f)(t).sum())(ef.tensor([1, 2, 3]));
    expectClose(vals(g2), [6 * 2 * 1 + 2, 6 * 1 * 2 + 2, 2]);
  });

  test('unsortedSegmentSum drops negative ids and rejects large ones', () => {
    const y = ef.unsortedSegmentSum(ef.tensor([[1, 2], [3, 4], [5, 6]]), [1, -1, 1], 3);
    expect(vals(y)).toEqual([0, 0, 6, 8, 0, 0]);
    expect(() => ef.unsortedSegmentSum(ef.tensor([1, 2]), [0, 3], 3)).toThrow(/unsortedSegmentSum: segmentIds\[1\] = 3 is not in \[0, 3\)/);
    expect(() => ef.unsortedSegmentSum(ef.zeros([2, 2]), ef.zeros([3], 'int32'), 3)).toThrow(/segmentIds shape \[3\] must be a prefix of data shape \[2,2\]/);
  });

  test('embeddingLookup: rows, maxNorm, mod-sharded params, gradient', () => {
    const table = ef.tensor(iota(10).map((v) => v + 1), [5, 2]);
    const ids = ef.tensor([[4, 0], [2, 2]], undefined, 'int32');
    const y = ef.nn.embeddingLookup(table, ids);
    expect(y.shape).toEqual([2, 2, 2]);
    expect(vals(y)).toEqual([9, 10, 1, 2, 5, 6, 5, 6]);
    const clipped = ef.nn.embeddingLookup(ef.tensor([[3, 4], [0.3, 0.4]]), [0, 1], { maxNorm: 1 });
    expectClose(vals(clipped), [0.6, 0.8, 0.3, 0.4]);
    // 'mod' sharding: 5 ids over 2 shards → shard 0 holds ids 0, 2, 4; shard 1 holds 1, 3.
    const shards = [ef.gather(table, [0, 2, 4]), ef.gather(table, [1, 3])];
    expect(vals(ef.nn.embeddingLookup(shards, ids))).toEqual(vals(y));
    expect(() => ef.nn.embeddingLookup(shards, [5])).toThrow(/gather: indices\[0\] = 5 is not in \[0, 5\)/);
    expect(() => ef.nn.embeddingLookup([shards[1]!, shards[0]!], [0])).toThrow(/embeddingLookup: params\[0\] has 2 rows; with the 'mod' partition of 5 ids over 2 shards it must have 3/);
    const g = ef.grad((t) => ef.nn.embeddingLookup(t, [1, 1, 3]).sum())(table);
    expect(vals(g)).toEqual([0, 0, 2, 2, 0, 0, 1, 1, 0, 0]);
  });
});

describe('tile, pad, oneHot, addN, cumsum, topK, inTopK', () => {
  test('tile errors', () => {
    expect(() => ef.tile(ef.zeros([2, 2]), [2])).toThrow(/tile: multiples has 1 entries, expected one per dimension of \[2,2\] \(2\)/);
    expect(() => ef.tile(ef.zeros([2]), [-1])).toThrow(/tile: multiples \[-1\] must hold non-negative integers/);
  });

  test('pad call forms and modes', () => {
    const x = ef.tensor([1, 2, 3]);
    expect(vals(ef.pad(x, [[1, 2]]))).toEqual([0, 1, 2, 3, 0, 0]);
    expect(vals(ef.pad(x, [[1, 0]], 9))).toEqual([9, 1, 2, 3]);
    expect(vals(ef.pad(x, [[2, 1]], 'reflect'))).toEqual([3, 2, 1, 2, 3, 2]);
    expect(vals(ef.pad(x, [[2, 1]], 'SYMMETRIC'))).toEqual([2, 1, 1, 2, 3, 3]);
    expect(() => ef.pad(x, [[3, 0]], 'REFLECT')).toThrow(/pad: REFLECT paddings\[0\] = \[3,0\] must not exceed 2 for dimension size 3/);
    expect(() => ef.pad(x, [[1, 0]], 'wrap')).toThrow(/pad: mode must be 'CONSTANT', 'REFLECT' or 'SYMMETRIC', found 'wrap'/);
    expect(() => ef.pad(x, [[1, 0], [0, 0]])).toThrow(/pad: paddings has 2 rows, expected one \[before, after\] row per dimension of \[3\]/);
    expect(() => ef.pad(ef.tensor([1], [1], 'int32'), [[1, 0]], 0.5)).toThrow(/pad: constantValue 0.5 does not fit dtype int32/);
    // Mirror-pad gradient: edge elements collect their reflections.
    expect(vals(ef.grad((t) => ef.pad(t, [[2, 1]], 'REFLECT').sum())(x))).toEqual([1, 3, 2]);
  });

  test('oneHot positional and options forms', () => {
    expect(vals(ef.oneHot([0, 2, 5], 3))).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0]);
    const t = ef.oneHot([1, 0], 2, { onValue: 7, offValue: -1, axis: 0, dtype: 'int32' });
    expect(t.dtype).toBe('int32');
    expect(vals(t)).toEqual([-1, 7, 7, -1]);
    expect(() => ef.oneHot(ef.tensor([1]), 3)).toThrow(/oneHot: indices must be int32, found float32/);
    expect(() => ef.oneHot([1], -2)).toThrow(/oneHot: depth must be a non-negative integer, found -2/);
  });

  test('addN and cumsum', () => {
    expect(vals(ef.addN([ef.tensor([1, 2]), ef.tensor([3, 4]), ef.tensor([5, 6])]))).toEqual([9, 12]);
    expect(() => ef.addN([ef.zeros([2]), ef.zeros([1])])).toThrow(/addN: tensor 1 has shape \[1\], tensor 0 has \[2\] \(addN does not broadcast\)/);
    expect(() => ef.addN([])).toThrow(/addN: expected at least one tensor/);
    const x = ef.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(vals(ef.cumsum(x, 1))).toEqual([1, 3, 6, 4, 9, 15]);
    expect(vals(ef.cumsum(x, -1, { exclusive: true }))).toEqual([0, 1, 3, 0, 4, 9]);
    expect(vals(ef.cumsum(x, 0, false, true))).toEqual([5, 7, 9, 4, 5, 6]);
    expect(() => ef.cumsum(x, 2)).toThrow(/cumsum: axis 2 is out of range for rank 2/);
  });

  test('topK returns {values, indices}; inTopK counts boundary ties as in', () => {
    const { values, indices } = ef.topK(ef.tensor([[1, 9, 3, 9], [0, -1, 2, 2]]), 2);
    expect(vals(values)).toEqual([9, 9, 2, 2]);
    expect(vals(indices)).toEqual([1, 3, 2, 3]);
    expect(() => ef.topK(ef.tensor([1, 2]), 3)).toThrow(/topK: k must be an integer in \[0, 2\] \(the last dimension\), found 3/);
    const pred = ef.tensor([[0.1, 0.5, 0.5, 0.5], [0.9, 0.05, 0.03, 0.02]]);
    expect(vals(ef.nn.inTopK(pred, [3, 1], 1))).toEqual([1, 0]);
    expect(vals(ef.nn.inTopK(pred, [0, 1], 2))).toEqual([0, 1]);
    expect(() => ef.nn.inTopK(pred, [0, 1, 2], 1)).toThrow(/inTopK: targets must be \[batch\] = \[2\], found \[3\]/);
  });
});

describe('ensureShape (tf.ensure_shape / set_shape)', () => {
  test('compatible shapes return the same tensor; null / -1 match any size', () => {
    const x = x234();
    expect(ef.ensureShape(x, [2, 3, 4])).toBe(x);
    expect(ef.ensureShape(x, [null, 3, -1])).toBe(x);
    expect(ef.ensureShape(x, null)).toBe(x);
    const s = ef.tensor(5);
    expect(ef.ensureShape(s, [])).toBe(s);
    const before = ef.memory().numTensors;
    ef.ensureShape(x, [2, null, 4]);
    expect(ef.memory().numTensors).toBe(before);
  });
  test('incompatible shapes throw naming expected vs found', () => {
    const x = x234();
    expect(() => ef.ensureShape(x, [2, 3, 5])).toThrow(ef.OpError);
    expect(() => ef.ensureShape(x, [2, 3, 5])).toThrow(/ensureShape: .*expected \[2,3,5\].*found \[2,3,4\]/);
    expect(() => ef.ensureShape(x, [null, 12])).toThrow(/expected \[\?,12\] \(rank 2\), found \[2,3,4\] \(rank 3\)/);
    expect(() => ef.ensureShape(x, [2, 1.5, 4])).toThrow(/non-negative integers/);
  });
});

describe('int64 (parsed Example features, checkpoint values): cast, and int64 index arguments', () => {
  const i64 = (v: bigint[], shape?: number[]) => ef.tensor(BigInt64Array.from(v), shape ?? [v.length], 'int64');

  test("cast int64 → int32 / float32 / bool and back, TensorFlow's (C's) conversion rules", () => {
    // The notes: label = tf.cast(features['label'], tf.int32) after parsing an int64 feature.
    const label = ef.cast(i64([1n, 2n, 0n]), 'int32');
    expect(label.dtype).toBe('int32');
    expect(label.dataSync()).toEqual(Int32Array.of(1, 2, 0));
    expect(ef.cast(i64([1n, 2n, 0n]), 'float32').dataSync()).toEqual(Float32Array.of(1, 2, 0));
    expect(ef.cast(i64([0n, 2n ** 32n, -1n]), 'bool').dataSync()).toEqual(Uint8Array.of(0, 1, 1));
    // int64 → int32 keeps the low 32 bits (static_cast), as tf.cast does.
    expect(ef.cast(i64([2n ** 31n, 2n ** 32n + 7n, -(2n ** 31n) - 1n, -(2n ** 63n)]), 'int32').dataSync()).toEqual(Int32Array.of(-(2 ** 31), 7, 2 ** 31 - 1, 0));
    // int64 → float32 rounds once to nearest, ties to even (Number() then fround would round twice).
    expect(Array.from(ef.cast(i64([2n ** 24n + 1n, 2n ** 60n + 2n ** 36n + 1n, 2n ** 60n + 2n ** 36n, -(2n ** 53n) - 3n]), 'float32').dataSync() as Float32Array)).toEqual([
      2 ** 24,
      2 ** 60 + 2 ** 37,
      2 ** 60,
      -(2 ** 53),
    ]);
    expect(ef.cast(ef.tensor([-1, 2147483647, -2147483648], undefined, 'int32'), 'int64').dataSync()).toEqual(BigInt64Array.of(-1n, 2147483647n, -2147483648n));
    expect(ef.cast(ef.tensor([true, false]), 'int64').dataSync()).toEqual(BigInt64Array.of(1n, 0n));
    // float32 → int64 truncates toward zero; NaN → 0 and saturation where C leaves it undefined.
    expect(ef.cast(ef.tensor([-2.9, 2.9, 1e10, -(2 ** 40), NaN, Infinity, -1e30]), 'int64').dataSync()).toEqual(
      BigInt64Array.of(-2n, 2n, 10000000000n, -(2n ** 40n), 0n, 2n ** 63n - 1n, -(2n ** 63n)),
    );
    // The same dtype is an identity; strings still cannot be cast.
    expect(ef.cast(i64([5n]), 'int64').dataSync()).toEqual(BigInt64Array.of(5n));
    expect(() => ef.cast(ef.tensor(['a']), 'int64')).toThrow(/cast: can cast between float32, int32, bool and int64 only; found string → int64/);
  });

  test('oneHot, gather, embeddingLookup, unsortedSegmentSum, inTopK and the sparse cross entropy take int64 indices', () => {
    const ids = i64([1n, 2n, 0n]);
    expect(vals(ef.oneHot(ids, 3))).toEqual([0, 1, 0, 0, 0, 1, 1, 0, 0]);
    expect(vals(ef.gather(ef.tensor([10, 20, 30]), ids))).toEqual([20, 30, 10]);
    expect(vals(ef.nn.embeddingLookup(ef.tensor([[1, 1], [2, 2], [3, 3]]), ids))).toEqual([2, 2, 3, 3, 1, 1]);
    expect(vals(ef.unsortedSegmentSum(ef.tensor([1, 2, 3]), ids, 3))).toEqual([3, 1, 2]);
    expect(vals(ef.nn.inTopK(ef.tensor([[0, 5, 1], [0, 5, 1], [9, 0, 0]]), ids, 1))).toEqual([1, 0, 1]);
    const logits = ef.tensor([[0, 2, 0], [1, 0, 0], [0, 0, 3]]);
    const want = vals(ef.nn.sparseSoftmaxCrossEntropyWithLogits({ labels: ef.tensor([1, 2, 0], undefined, 'int32'), logits }));
    expectClose(vals(ef.nn.sparseSoftmaxCrossEntropyWithLogits({ labels: ids, logits })), want);
    expectClose(vals(ef.losses.sparseSoftmaxCrossEntropy(ids, logits)), [want.reduce((a, b) => a + b) / 3]);
    expectClose(vals(ef.metrics.accuracy(ids, logits)), [1 / 3]);
    // The int32 copy is freed; gradients flow to params as with int32 ids.
    const before = ef.memory().numTensors;
    ef.oneHot(ids, 3).dispose();
    expect(ef.memory().numTensors).toBe(before);
    const params = ef.tensor([1, 2, 3]);
    const g = ef.grad((p: ef.Tensor) => ef.reduceSum(ef.gather(p, i64([2n, 2n, 0n]))))(params);
    expect(vals(g)).toEqual([1, 0, 2]);
  });

  test('an int64 index outside int32 is an error naming the op, argument and value (not a wrapped index)', () => {
    const bad = i64([1n, 2n ** 32n + 1n]);
    expect(() => ef.oneHot(bad, 3)).toThrow(ef.OpError);
    expect(() => ef.oneHot(bad, 3)).toThrow("oneHot: argument 'indices' is int64 and holds 4294967297 at flat index 1, which does not fit int32 [-2147483648, 2147483647]");
    expect(() => ef.gather(ef.tensor([1, 2]), bad)).toThrow(/gather: argument 'indices' is int64 and holds 4294967297/);
    expect(() => ef.nn.sparseSoftmaxCrossEntropyWithLogits({ labels: bad, logits: ef.zeros([2, 3]) })).toThrow(/sparseSoftmaxCrossEntropyWithLogits: argument 'labels' is int64/);
    expect(() => ef.unsortedSegmentSum(ef.tensor([1, 2]), i64([0n, -(2n ** 40n)]), 2)).toThrow(/unsortedSegmentSum: argument 'segmentIds' is int64 and holds -1099511627776 at flat index 1/);
  });

  test('an int64 global step cannot be incremented: the error says to restore into the int32 one', () => {
    const w = ef.variable(ef.tensor([1]), { name: 'i64_w' });
    const step = ef.variable(ef.tensor(7n, [], 'int64'), { name: 'i64_step', trainable: false });
    const opt = new ef.train.GradientDescentOptimizer(0.1);
    expect(() => opt.minimize(() => ef.reduceSum(ef.square(w)), { globalStep: step })).toThrow(/globalStep 'i64_step' is int64.*getOrCreateGlobalStep\(\).*allowDtypeConversion: true/);
    expect(vals(w)).toEqual([1]); // nothing was applied
    // A schedule reads an int64 step through cast.
    expectClose(vals(ef.train.exponentialDecay(1, step, 7, 0.5)()), [0.5]);
    ef.dispose([w, step]);
  });
});
