import { beforeAll, describe, expect, jest, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import { expectClose, vals } from './helpers.js';

beforeAll(async () => {
  await ef.setBackend('cpu');
});

describe('ef.tensor input forms', () => {
  test('nested arrays, scalars and shapes', () => {
    const m = ef.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(m.shape).toEqual([2, 3]);
    expect(m.dtype).toBe('float32');
    expect(m.rank).toBe(2);
    expect(m.size).toBe(6);
    expect(m.arraySync()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(ef.tensor(3.5).shape).toEqual([]);
    expect(ef.tensor([]).shape).toEqual([0]);
    expect(ef.tensor([[], []]).shape).toEqual([2, 0]);
    expect(ef.tensor([1, 2, 3, 4], [2, 2]).arraySync()).toEqual([[1, 2], [3, 4]]);
    expect(ef.tensor([[1, 2], [3, 4]], [4]).shape).toEqual([4]);
    expect(ef.tensor(7, [2, 2]).arraySync()).toEqual([[7, 7], [7, 7]]);
    expect(ef.tensor([1.7, -2.2], undefined, 'int32').arraySync()).toEqual([1, -2]);
  });

  test('typed arrays give their dtype', () => {
    expect(ef.tensor(new Float32Array([1, 2])).dtype).toBe('float32');
    expect(ef.tensor(new Float64Array([0.5])).dtype).toBe('float32');
    expect(ef.tensor(new Int32Array([1, 2])).dtype).toBe('int32');
    const bytes = ef.tensor(new Uint8Array([0, 128, 255]));
    expect(bytes.dtype).toBe('int32'); // image bytes stay numbers
    expect(vals(bytes)).toEqual([0, 128, 255]);
    const b = ef.tensor(new Uint8Array([0, 2, 1]), [3], 'bool');
    expect(vals(b)).toEqual([0, 1, 1]);
    const src = new Float32Array([1, 2]);
    const t = ef.tensor(src);
    src[0] = 100;
    expect(vals(t)).toEqual([1, 2]); // copied
  });

  test('booleans, strings, bigint (int64)', () => {
    const b = ef.tensor([true, false]);
    expect(b.dtype).toBe('bool');
    expect(vals(b)).toEqual([1, 0]);
    const s = ef.tensor([['a', 'bc'], ['', 'é']]);
    expect(s.dtype).toBe('string');
    expect(s.arraySync()).toEqual([['a', 'bc'], ['', 'é']]);
    expect(ef.tensor('hello').arraySync()).toBe('hello');
    const big = ef.tensor([1n, -(2n ** 40n)]);
    expect(big.dtype).toBe('int64');
    expect(big.arraySync()).toEqual([1n, -(2n ** 40n)]);
    expect(ef.tensor([1, 2], undefined, 'int64').dataSync()).toEqual(new BigInt64Array([1n, 2n]));
    expect(ef.tensor(new BigInt64Array([3n])).dtype).toBe('int64');
  });

  test('ragged and malformed input give clear errors', () => {
    expect(() => ef.tensor([[1, 2], [3]])).toThrow('tensor: ragged nested array at values[1]: dimension 1 expected length 2, found length 1');
    expect(() => ef.tensor([[1, 2], 3])).toThrow('tensor: ragged nested array at values[1]: dimension 1 expected length 2, found a scalar');
    expect(() => ef.tensor([[[1], [2]], [[3], [4, 5]]])).toThrow('at values[1][1]: dimension 2 expected length 1, found length 2');
    expect(() => ef.tensor([1, [2]])).toThrow('tensor: ragged nested array at values[1]: expected a scalar (rank 1), found an array of length 1');
    expect(() => ef.tensor([1, 'a'])).toThrow('tensor: element 1 (flat index) is string "a"; a float32 tensor needs a number, boolean or bigint');
    expect(() => ef.tensor([1, undefined])).toThrow(/element 1 \(flat index\) is undefined/);
    expect(() => ef.tensor({ a: 1 })).toThrow('tensor: values must be a number, boolean, string, bigint, a (nested) array or a typed array; found Object');
    expect(() => ef.tensor([1, 2, 3], [2, 2])).toThrow('tensor: values have shape [3] (3 elements) but shape [2,2] (4 elements) was given');
    expect(() => ef.tensor([1.5], undefined, 'int64')).toThrow('an int64 tensor needs a bigint or an integer');
    expect(() => ef.tensor([1], [-1])).toThrow(/tensor: shape \[-1\] must hold non-negative integers/);
    expect(() => ef.tensor([1], undefined, 'float64' as ef.DType)).toThrow(/tensor: dtype must be one of float32, int32, bool, int64, string, found float64/);
  });
});

describe('reading and printing', () => {
  test('data(), array(), item()', async () => {
    const t = ef.tensor([[1, 2], [3, 4]]);
    expect(Array.from((await t.data()) as Float32Array)).toEqual([1, 2, 3, 4]);
    expect(await t.array()).toEqual([[1, 2], [3, 4]]);
    expect(await ef.tensor(2.5).item()).toBe(2.5);
    await expect(t.item()).rejects.toThrow('item: tensor has 4 elements, expected 1');
  });

  test('toString and print', () => {
    const t = ef.tensor([[1, 2.5], [1 / 3, -120000.4]]);
    expect(t.toString()).toBe('Tensor(shape=[2,2], dtype=float32, backend=cpu)\n[[1, 2.5], [0.333333, -120000]]');
    expect(ef.tensor([true, false]).toString()).toContain('[true, false]');
    expect(ef.tensor(['x']).toString()).toContain('["x"]');
    expect(ef.tensor(1e25).toString()).toContain('1e+25');
    expect(ef.tensor([3], undefined, 'int32').toString()).toBe('Tensor(shape=[1], dtype=int32, backend=cpu)\n[3]');
    expect(String(ef.tensor(0.1))).toContain('\n0.1');
    const d = ef.tensor(1);
    d.dispose();
    expect(d.toString()).toBe('Tensor(shape=[], dtype=float32, backend=cpu) <disposed>');
    const log = jest.spyOn(console, 'log').mockImplementation(() => {});
    ef.tensor([1, 2]).print();
    expect(log).toHaveBeenCalledWith('Tensor(shape=[2], dtype=float32, backend=cpu)\n[1, 2]');
    log.mockRestore();
  });
});

describe('chainable tensor methods', () => {
  test('arithmetic, reductions and shapes chain like PyTorch', () => {
    const x = ef.tensor([[1, -2], [3, -4]]);
    expect(vals(x.add(1).mul(2).relu())).toEqual([4, 0, 8, 0]);
    expect(vals(x.sub(x).abs().sum())).toEqual([0]);
    expect(vals(x.div(2))).toEqual([0.5, -1, 1.5, -2]);
    expect(vals(x.sum(0))).toEqual([4, -6]);
    expect(vals(x.sum(1, true))).toEqual([-1, -1]);
    expect(x.sum(1, true).shape).toEqual([2, 1]);
    expect(vals(x.mean())).toEqual([-0.5]);
    expect(vals(x.max(1))).toEqual([1, 3]);
    expect(vals(x.neg().square())).toEqual([1, 4, 9, 16]);
    expectClose(vals(x.abs().log().exp()), [1, 2, 3, 4]);
    expect(vals(x.matmul(ef.eye(2)))).toEqual([1, -2, 3, -4]);
    expect(vals(x.matmul(x, { transposeB: true }))).toEqual([5, 11, 11, 25]);
    expect(x.reshape([4]).shape).toEqual([4]);
    expect(x.reshape([-1, 1]).shape).toEqual([4, 1]);
    expect(vals(x.transpose())).toEqual([1, 3, -2, -4]);
    expect(x.flatten().shape).toEqual([4]);
    expect(x.cast('int32').dtype).toBe('int32');
    expect(vals(x.greater(0).cast('float32'))).toEqual([1, 0, 1, 0]);
    expect(vals(x.argMax(1))).toEqual([0, 0]);
    expect(vals(x.clipByValue(-1, 1))).toEqual([1, -1, 1, -1]);
    expect(x.expandDims(0).shape).toEqual([1, 2, 2]);
    expect(x.expandDims(0).squeeze().shape).toEqual([2, 2]);
    expect(vals(x.slice([1, 0], [1, 2]))).toEqual([3, -4]);
    expect(vals(x.gather(ef.tensor([1, 0], undefined, 'int32')))).toEqual([3, -4, 1, -2]);
    expect(x.tile([1, 2]).shape).toEqual([2, 4]);
    expect(vals(x.reverse(1))).toEqual([-2, 1, -4, 3]);
    expect(ef.TENSOR_METHOD_NAMES).toEqual(expect.arrayContaining(['add', 'mul', 'sum', 'mean', 'matmul', 'reshape', 'clone']));
  });

  test('clone() has its own lifetime and passes gradients; methods work on variables', () => {
    const x = ef.tensor([1, 2]);
    const c = x.clone();
    expect(c).not.toBe(x);
    x.dispose();
    expect(vals(c)).toEqual([1, 2]);
    expect(vals(ef.grad((t) => t.clone().square().sum())(c))).toEqual([2, 4]);
    const v = ef.variable([1, 2, 3], { name: 'methods_v' });
    expect(vals(v.mul(2).sum())).toEqual([12]);
    v.dispose();
  });
});
