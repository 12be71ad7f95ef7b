/**
 * Training parity, CPU vs WebGPU: LeNet-5 built with the same seeds on both backends gives the
 * same first-step loss, and a few Adam steps on a small Fashion-MNIST batch lower the loss on
 * WebGPU. The initial weights come from the Philox random ops (slim's default xavier = uniform,
 * bit-identical on both backends), so only float32 round-off in the forward pass differs.
 *
 * Tolerance of the first-step loss: |loss_gpu − loss_cpu| ≤ 1e-5 · (1 + |loss_cpu|). Each layer
 * sums at most K = 400 float32 products (fc3; conv2: 5·5·6 = 150) in a different order on each
 * backend; round-off is bounded by about K·2⁻²⁴ ≈ 2.4e-5 relative in the worst case and grows like
 * √K·2⁻²⁴ ≈ 1.2e-6 in practice. The loss is a mean over 64 examples of logSumExp(z) − z_label with
 * |z| = O(1), so the realistic error of a loss ≈ 2.3 is a few 1e-6; 1e-5·(1 + |loss|) ≈ 3.3e-5 sits
 * above that with room and below any real mismatch (a wrong kernel moves the loss by ≥ 1e-3).
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import '@eagerflow/webgpu-backend';
import { DEFAULT_FASHION_MNIST_DIR, loadFashionMnist, type MnistData } from '@eagerflow/data';

const BATCH = 64;
const SEED = 1;

function loadBatch(): { data: MnistData | null; why: string } {
  try {
    return { data: loadFashionMnist(DEFAULT_FASHION_MNIST_DIR, { split: 'train' }), why: '' };
  } catch (e) {
    return { data: null, why: (e as Error).message };
  }
}

const { data, why } = loadBatch();
if (!data) console.warn(`training_parity: SKIPPED, Fashion-MNIST is missing (${why})`);
const withData = data ? test : test.skip;

/** The first BATCH images as [B, 28, 28, 1] in [0, 1] and int32 labels (host arrays, uploaded per backend). */
function hostBatch(d: MnistData): { x: Float32Array; y: Int32Array } {
  const px = d.rows * d.cols;
  const x = new Float32Array(BATCH * px);
  for (let i = 0; i < BATCH * px; i++) x[i] = d.images[i]! / 255;
  return { x, y: Int32Array.from(d.labels.subarray(0, BATCH)) };
}

function resetTraining(): void {
  ef.resetVariableStore();
  for (const v of ef.globalVariables()) v.dispose();
  for (const k of ef.getAllCollectionKeys()) ef.clearCollection(k);
}

/** On `backend`, from seed SEED: the first batch and a fresh LeNet-5 with its loss function. */
async function setup(backend: 'cpu' | 'webgpu', d: MnistData) {
  await ef.setBackend(backend);
  expect(ef.getBackend()).toBe(backend);
  resetTraining();
  ef.setRandomSeed(SEED);
  const { x: hx, y: hy } = hostBatch(d);
  const x = ef.tensor(hx, [BATCH, d.rows, d.cols, 1]);
  const y = ef.tensor(hy, [BATCH], 'int32');
  const model = new ef.models.LeNet5();
  return { x, y, model, loss: () => ef.losses.sparseSoftmaxCrossEntropy(y, model.apply(x, { training: true })) };
}

/** Builds LeNet-5 on `backend` from seed SEED and runs `steps` Adam steps; returns each step's loss. */
async function train(backend: 'cpu' | 'webgpu', steps: number, d: MnistData): Promise<number[]> {
  const { x, y, loss: lossFn } = await setup(backend, d);
  const opt = new ef.train.AdamOptimizer(0.003);
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const loss = opt.minimize(lossFn);
    losses.push(Number((await loss.data())[0]));
    loss.dispose();
  }
  ef.dispose([x, y]);
  for (const v of opt.variables()) v.dispose();
  resetTraining();
  return losses;
}

/** The gradient of the first-batch loss for every LeNet-5 variable, by variable name. */
async function gradients(backend: 'cpu' | 'webgpu', d: MnistData): Promise<Map<string, Float32Array>> {
  const { x, y, model, loss } = await setup(backend, d);
  ef.tidy(() => void model.apply(x, { training: true })); // makes the variables
  const vars = model.trainableVariables;
  const { value, grads } = ef.valueAndGrads(loss, vars);
  const out = new Map<string, Float32Array>();
  for (let i = 0; i < vars.length; i++) out.set(vars[i]!.name, (await grads[i]!.data()) as Float32Array);
  ef.dispose([x, y, value, ...grads]);
  resetTraining();
  return out;
}

afterAll(() => {
  resetTraining();
  ef.disposeBackend('webgpu');
});

describe('LeNet-5 training parity, CPU vs WebGPU', () => {
  withData('same seeds → same first-step loss on both backends (float32 tolerance)', async () => {
    const [cpu] = await train('cpu', 1, data!);
    const [gpu] = await train('webgpu', 1, data!);
    expect(Number.isFinite(cpu)).toBe(true);
    expect(cpu!).toBeGreaterThan(1.5); // ~ln(10) for a fresh 10-class net
    expect(cpu!).toBeLessThan(3.5);
    expect(Math.abs(gpu! - cpu!)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(cpu!)));
  });

  // Every kernel of the backward pass, at training shapes (the conv bias gradients sum 50,176
  // values per channel). Tolerance: 1e-3 of each variable's largest gradient — float32 sums of
  // N terms in another order differ by about √N·2⁻²⁴ ≈ 1.3e-5 of the terms' size, while a wrong
  // kernel is off by the gradient's own size (a column reduction that wrote only its first
  // output, fixed 2026-11-27, gave garbage biases here).
  withData('same seeds → the same gradient of every variable on both backends', async () => {
    const cpu = await gradients('cpu', data!);
    const gpu = await gradients('webgpu', data!);
    expect([...gpu.keys()]).toEqual([...cpu.keys()]);
    expect(cpu.size).toBe(10);
    for (const [name, want] of cpu) {
      const got = gpu.get(name)!;
      const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(scale).toBeGreaterThan(0);
      let worst = 0;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
      if (worst > 1e-3 * scale) throw new Error(`${name}: max |gpu − cpu| ${worst} exceeds 1e-3 × max |gradient| ${scale}`);
    }
  });

  // Batch norm reduces [N·H·W, C] columns (the path of the 2026-11-27 fix, with C > 16 taking the
  // transpose): the loss, every gradient and the moving statistics must agree.
  test('a conv + batch-norm network: same loss, gradients and moving statistics on both backends', async () => {
    const run = async (backend: 'cpu' | 'webgpu') => {
      await ef.setBackend(backend);
      resetTraining();
      ef.setRandomSeed(SEED);
      const x = ef.randomUniform([16, 12, 12, 3], { seed: 3 });
      const y = ef.tensor(Int32Array.from({ length: 16 }, (_, i) => i % 10), [16], 'int32');
      const net = () =>
        ef.variableScope('bn_net', { reuse: 'auto' }, () => {
          let h = ef.layers.conv2d(x, 24, 3, { padding: 'same', useBias: false, name: 'conv' });
          h = ef.nn.relu(ef.layers.batchNormalization(h, { training: true, name: 'bn' }));
          h = ef.layers.conv2d(h, 8, 3, { padding: 'same', useBias: false, name: 'conv2' }); // a bias before BN has a zero gradient
          h = ef.nn.relu(ef.layers.batchNormalization(h, { training: true, name: 'bn2' }));
          return ef.layers.dense(ef.reshape(ef.reduceMean(h, [1, 2]), [16, 8]), 10, { name: 'logits' });
        });
      const loss = () => ef.losses.sparseSoftmaxCrossEntropy(y, net());
      ef.tidy(() => void loss()); // makes the variables
      const vars = ef.trainableVariables();
      const { value, grads } = ef.valueAndGrads(loss, vars);
      const out = new Map<string, Float32Array>([['loss', (await value.data()) as Float32Array]]);
      for (let i = 0; i < vars.length; i++) out.set(vars[i]!.name, (await grads[i]!.data()) as Float32Array);
      for (const v of ef.globalVariables().filter((v) => /moving_(mean|variance)/.test(v.name))) out.set(v.name, (await v.data()) as Float32Array);
      ef.dispose([x, y, value, ...grads]);
      resetTraining();
      return out;
    };
    const cpu = await run('cpu');
    const gpu = await run('webgpu');
    expect([...gpu.keys()]).toEqual([...cpu.keys()]);
    expect([...cpu.keys()].filter((k) => k.includes('moving_'))).toHaveLength(4);
    for (const [name, want] of cpu) {
      const got = gpu.get(name)!;
      const scale = Math.max(1e-6, want.reduce((m, v) => Math.max(m, Math.abs(v)), 0));
      let worst = 0;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
      if (worst > 1e-3 * scale) throw new Error(`${name}: max |gpu − cpu| ${worst} exceeds 1e-3 × max |value| ${scale}`);
    }
  });

  withData('a few Adam steps on a Fashion-MNIST batch lower the loss on WebGPU', async () => {
    const losses = await train('webgpu', 6, data!);
    expect(ef.getBackend()).toBe('webgpu');
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! * 0.8);
  });
});
