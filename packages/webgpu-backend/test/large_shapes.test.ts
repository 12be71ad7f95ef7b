/**
 * WebGPU against the CPU backend at sizes past the conformance samples, where kernels switch
 * paths: reductions split in chunks, transposed first or walking strided columns; softmax rows
 * longer than a workgroup; arg/cumulative ops along long axes; pooling and gathers over training
 * sizes, convolutions with their loaders and split-K filter gradients. Each case runs its op and
 * its gradients on both backends; values agree to float32 round-off of sums in another order
 * (1e-4 relative to 1 + |value|).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import '@eagerflow/webgpu-backend';
import { rand } from './helpers.js';

beforeAll(async () => {
  await ef.setBackend('webgpu');
});
afterAll(() => ef.disposeBackend('webgpu'));

/** Runs `f` on host copies of `inputs` on one backend; returns every output read back. */
async function runOn(backend: 'cpu' | 'webgpu', inputs: { values: Float32Array | Int32Array; shape: number[] }[], f: (xs: ef.Tensor[]) => ef.Tensor[]): Promise<{ shape: number[]; values: number[] }[]> {
  const outs = ef.withDevice(backend, () =>
    ef.tidy(() => {
      const xs = inputs.map((t) => ef.tensor(t.values, t.shape, t.values instanceof Int32Array ? 'int32' : 'float32'));
      return f(xs);
    }),
  );
  try {
    return await Promise.all(outs.map(async (o) => {
      expect(o.backend.name).toBe(backend);
      return { shape: [...o.shape], values: Array.from((await o.data()) as ArrayLike<number>, Number) };
    }));
  } finally {
    ef.dispose(outs);
  }
}

const f32 = (shape: number[], seed: number) => ({ values: rand(shape.reduce((a, b) => a * b, 1), seed), shape });

/** The op and, for float ops, the gradients of Σ(op · weights) with respect to its float inputs. */
function withGrad(op: (xs: ef.Tensor[]) => ef.Tensor): (xs: ef.Tensor[]) => ef.Tensor[] {
  return (xs) => {
    const y = op(xs);
    if (y.dtype !== 'float32') return [y];
    const w = ef.tensor(rand(y.size, 99), y.shape); // the same host weights on both backends
    const { value, grads } = ef.valueAndGrads(() => ef.reduceSum(ef.mul(op(xs), w)), xs.filter((x) => x.dtype === 'float32'));
    value.dispose();
    return [y, ...grads];
  };
}

const CASES: [string, { values: Float32Array | Int32Array; shape: number[] }[], (xs: ef.Tensor[]) => ef.Tensor][] = [
  // reductions: long rows in chunks, short rows, transposed axes, few long columns (narrow/wide)
  ['sum of 4 rows × 40,000 (chunked rows)', [f32([4, 40000], 1)], ([x]) => ef.reduceSum(x!, 1)],
  ['mean of a whole 300×300 tensor', [f32([300, 300], 2)], ([x]) => ef.reduceMean(x!)],
  ['max over a middle axis [20, 700, 30] (transposed first)', [f32([20, 700, 30], 3)], ([x]) => ef.reduceMax(x!, 1)],
  ['min over axes 0 and 2 of [30, 10, 50]', [f32([30, 10, 50], 4)], ([x]) => ef.reduceMin(x!, [0, 2])],
  ['sum over the leading axes of [64, 28, 28, 6] (a conv bias gradient)', [f32([64, 28, 28, 6], 5)], ([x]) => ef.reduceSum(x!, [0, 1, 2])],
  ['sum over 2,000 rows of 40 columns (a dense bias gradient)', [f32([2000, 40], 6)], ([x]) => ef.reduceSum(x!, 0)],
  ['mean over 2,000 rows of 300 columns', [f32([2000, 300], 7)], ([x]) => ef.reduceMean(x!, 0)],
  ['logSumExp over 5,000 classes', [f32([3, 5000], 8)], ([x]) => ef.reduceLogSumExp(x!, 1)],
  // softmax family over rows longer than a workgroup
  ['softmax over 1,000 classes', [f32([16, 1000], 9)], ([x]) => ef.nn.softmax(x!)],
  ['logSoftmax over 3,000 classes', [f32([4, 3000], 10)], ([x]) => ef.nn.logSoftmax(x!)],
  [
    'softmax cross-entropy over 1,000 classes',
    [f32([8, 1000], 11), { values: Float32Array.from({ length: 8000 }, (_, i) => (i % 1000 === (i / 1000) * 37 % 1000 ? 1 : 0)), shape: [8, 1000] }],
    ([logits, labels]) => ef.nn.softmaxCrossEntropyWithLogits({ logits: logits!, labels: labels! }),
  ],
  [
    'sparse softmax cross-entropy over 1,000 classes',
    [f32([8, 1000], 12), { values: Int32Array.from({ length: 8 }, (_, i) => (i * 137) % 1000), shape: [8] }],
    ([logits, labels]) => ef.nn.sparseSoftmaxCrossEntropyWithLogits({ logits: logits!, labels: labels! }),
  ],
  ['softmax along a middle axis of [8, 500, 6]', [f32([8, 500, 6], 38)], ([x]) => ef.nn.softmax(x!, 1)],
  // long axes
  ['argMax along 10,000', [f32([3, 10000], 13)], ([x]) => ef.argMax(x!, 1)],
  ['argMin along a leading axis of 4,000', [f32([4000, 7], 39)], ([x]) => ef.cast(ef.argMin(x!, 0), 'float32')],
  ['cumsum along 3,000', [f32([4, 3000], 14)], ([x]) => ef.cumsum(x!, 1)],
  ['exclusive reverse cumsum along a leading axis of 2,000', [f32([2000, 5], 40)], ([x]) => ef.cumsum(x!, 0, { exclusive: true, reverse: true })],
  // training-size pooling, gathers, concat
  ['max pooling 3×3 stride 2 SAME over [16, 56, 56, 8]', [f32([16, 56, 56, 8], 15)], ([x]) => ef.nn.maxPool(x!, 3, 2, 'SAME')],
  ['average pooling 2×2 over [16, 28, 28, 8]', [f32([16, 28, 28, 8], 16)], ([x]) => ef.nn.avgPool(x!, 2, 2, 'VALID')],
  [
    'gather of 5,000 rows',
    [f32([1000, 64], 17), { values: Int32Array.from({ length: 5000 }, (_, i) => (i * 7919) % 1000), shape: [5000] }],
    ([p, i]) => ef.gather(p!, i!),
  ],
  ['transpose of [64, 128, 96]', [f32([64, 128, 96], 18)], ([x]) => ef.transpose(x!, [2, 0, 1])],
  ['topK 10 of 5,000', [f32([4, 5000], 30)], ([x]) => ef.topK(x!, 10).values],
  [
    'unsortedSegmentSum of 20,000 rows into 300 segments',
    [f32([20000, 8], 31), { values: Int32Array.from({ length: 20000 }, (_, i) => (i * 7) % 300), shape: [20000] }],
    ([d, ids]) => ef.unsortedSegmentSum(d!, ids!, 300),
  ],
  ['concat of three [16, 200, 33] along axis 1', [f32([16, 200, 33], 32)], ([x]) => ef.concat([x!, ef.neg(x!), ef.mul(x!, 2)], 1)],
  ['reflect pad of [8, 64, 64, 3]', [f32([8, 64, 64, 3], 33)], ([x]) => ef.pad(x!, [[0, 0], [3, 2], [1, 4], [0, 0]], 'REFLECT')],
  ['strided slice with steps of [32, 100, 100]', [f32([32, 100, 100], 34)], ([x]) => ef.stridedSlice(x!, [1, 5, 99], [30, 95, 0], [2, 3, -2])],
  ['tile of [64, 50] × [3, 4]', [f32([64, 50], 35)], ([x]) => ef.tile(x!, [3, 4])],
  ['broadcast of [1, 300, 1] to [50, 300, 40]', [f32([1, 300, 1], 36)], ([x]) => ef.broadcastTo(x!, [50, 300, 40])],
  [
    'oneHot of 5,000 indices, depth 1,000 (and a cast back)',
    [{ values: Int32Array.from({ length: 5000 }, (_, i) => ((i * 7919) % 1003) - 2), shape: [5000] }],
    ([i]) => ef.cast(ef.argMax(ef.oneHot(i!, 1000), 1), 'float32'),
  ],
  [
    'inTopK 5 over 1,000 classes',
    [f32([64, 1000], 37), { values: Int32Array.from({ length: 64 }, (_, i) => (i * 37) % 1000), shape: [64] }],
    ([p, t]) => ef.cast(ef.nn.inTopK(p!, t!, 5), 'float32'),
  ],
  // convolutions at training sizes: vec4 im2col/col2im loaders (channels a multiple of 4), split-K
  // filter gradients, strides and dilations, a pointwise conv as a plain GEMM
  ['conv2d 3×3 SAME [8, 32, 32, 16] → 32, both gradients', [f32([8, 32, 32, 16], 19), f32([3, 3, 16, 32], 20)], ([x, f]) => ef.nn.conv2d(x!, f!, 1, 'SAME')],
  ['conv2d 5×5 stride 2 VALID [16, 28, 28, 3] → 10', [f32([16, 28, 28, 3], 21), f32([5, 5, 3, 10], 22)], ([x, f]) => ef.nn.conv2d(x!, f!, 2, 'VALID')],
  ['conv2d 3×3 dilation 2 [4, 20, 20, 8] → 8', [f32([4, 20, 20, 8], 23), f32([3, 3, 8, 8], 24)], ([x, f]) => ef.nn.conv2d(x!, f!, 1, 'SAME', { dilations: 2 })],
  ['conv2d 1×1 [32, 14, 14, 64] → 128 (pointwise GEMM)', [f32([32, 14, 14, 64], 25), f32([1, 1, 64, 128], 26)], ([x, f]) => ef.nn.conv2d(x!, f!, 1, 'VALID')],
  [
    'fused conv2d + bias + relu [8, 28, 28, 4] → 12',
    [f32([8, 28, 28, 4], 27), f32([3, 3, 4, 12], 28), f32([12], 29)],
    ([x, f, b]) => ef.fused.conv2d({ x: x!, filter: f!, strides: 1, padding: 'SAME', bias: b!, activation: 'relu' }),
  ],
];

describe('WebGPU matches the CPU backend at large shapes (values and gradients)', () => {
  test.each(CASES)('%s', async (_name, inputs, op) => {
    const want = await runOn('cpu', inputs, withGrad(op));
    const got = await runOn('webgpu', inputs, withGrad(op));
    expect(got.map((o) => o.shape)).toEqual(want.map((o) => o.shape));
    got.forEach((o, k) => {
      let worst = 0;
      let at = -1;
      o.values.forEach((v, i) => {
        const e = Math.abs(v - want[k]!.values[i]!) / (1 + Math.abs(want[k]!.values[i]!));
        if (!(e <= worst)) [worst, at] = [e, i];
      });
      if (!(worst <= 1e-4)) throw new Error(`output ${k} element ${at}: webgpu ${o.values[at]}, cpu ${want[k]!.values[at]} (relative error ${worst})`);
    });
  });
});
