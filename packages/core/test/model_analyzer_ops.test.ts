import { beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';

beforeAll(async () => {
  await ef.setBackend('cpu');
});

describe('slim.modelAnalyzer.analyzeOps', () => {
  test('reports each dispatched op with shapes, counts and totals; returns fn result', () => {
    const a = ef.tensor([[1, 2, 3], [4, 5, 6]]);
    const w = ef.ones([3, 4]);
    const lines: string[] = [];
    const r = ef.slim.modelAnalyzer.analyzeOps(() => ef.reduceSum(ef.add(ef.matmul(a, w), ef.matmul(a, w))), true, (s) => lines.push(s));
    expect(r.ops.map((o) => o.op)).toEqual(['matmul', 'matmul', 'add', 'reduce']);
    expect(r.ops[0]!.inputs).toEqual([{ dtype: 'float32', shape: [2, 3], size: 6 }, { dtype: 'float32', shape: [3, 4], size: 12 }]);
    expect(r.ops[0]!.outputs).toEqual([{ dtype: 'float32', shape: [2, 4], size: 8 }]);
    expect(r.ops[0]!.backend).toBe('cpu');
    expect(r.counts).toEqual([{ op: 'matmul', count: 2 }, { op: 'add', count: 1 }, { op: 'reduce', count: 1 }]);
    expect(r.totalOps).toBe(4);
    expect(r.totalOutputSize).toBe(8 + 8 + 8 + 1);
    expect(r.totalOutputBytes).toBe(25 * 4);
    expect(r.result.arraySync()).toBe(2 * (6 + 15) * 4);
    expect(lines).toEqual([r.text]);
    expect(r.text).toContain('matmul (float32 2x3, float32 3x4 -> float32 2x4) [8]');
    expect(r.text).toContain('reduce (float32 2x4 -> float32 scalar) [1]');
    expect(r.text).toContain('Ops by type: matmul x2, add x1, reduce x1');
    expect(r.text).toContain('Total ops: 4');
  });

  test('the observer is removed afterwards, also when fn throws; gradients are seen', () => {
    expect(() => ef.slim.modelAnalyzer.analyzeOps(() => ef.matmul(ef.ones([2, 3]), ef.ones([2, 3])))).toThrow(ef.OpError);
    const x = ef.tensor([1, 2, 3]);
    const r = ef.modelAnalyzer.analyzeOps(() => ef.grad((t: ef.Tensor) => ef.reduceSum(ef.mul(t, t)))(x));
    expect(r.counts.find((c) => c.op === 'mul')!.count).toBeGreaterThanOrEqual(2);
    const seen: string[] = [];
    const remove = ef.addOpObserver((def) => seen.push(def.id));
    ef.add(x, x);
    remove();
    ef.add(x, x);
    expect(seen).toEqual(['add']);
    expect(ef.slim.modelAnalyzer.analyzeOps(() => 0).totalOps).toBe(0);
  });

  test('custom ops (py_func) are listed under their name', () => {
    const double = ef.customOp((x) => ({ values: Float32Array.from(x.values as Float32Array, (v) => 2 * v), shape: x.shape }), { name: 'double' });
    const x = ef.ones([3]);
    const r = ef.slim.modelAnalyzer.analyzeOps(() => ef.add(double(x), 1));
    expect(r.ops.map((o) => o.op)).toEqual(['double', 'add']);
    expect(r.ops[0]!.outputs).toEqual([{ dtype: 'float32', shape: [3], size: 3 }]);
    ef.dispose([x, r.result]);
  });

  test('async fn gives a promise', async () => {
    const one = ef.ones([2]);
    const r = await ef.slim.modelAnalyzer.analyzeOps(async () => {
      const y = ef.neg(one);
      return y.data();
    });
    expect(r.ops.map((o) => o.op)).toEqual(['neg']);
    expect(Array.from(r.result as Float32Array)).toEqual([-1, -1]);
  });
});
