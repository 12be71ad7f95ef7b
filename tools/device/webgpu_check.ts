/**
 * Numerical check of every WGSL kernel on a real adapter (run on a lent GPU machine through
 * ../shared/device/make-kit.sh; CI runs the same conformance suite on SwiftShader in jest):
 *   1. the core conformance suite on 'webgpu' with the host handoff off (forward against the
 *      float64 references, gradients against finite differences) — on a GPU this also covers the
 *      paths SwiftShader never takes (subgroup reductions);
 *   2. large matmuls and convolutions under every tile configuration (and prefetch) against the
 *      CPU backend, at sizes where tiles are full and ragged.
 * Prints one line per failure and a summary; exits 1 when anything failed.
 */
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import { TILES, matmulTuning, type TileConfig } from '@eagerflow/webgpu-backend';

const failures: string[] = [];

async function conformance(): Promise<void> {
  const previous = ef.config({}).gpuCpuHandoffSize;
  ef.config({ gpuCpuHandoffSize: 0 });
  const cases = ef.conformanceCases();
  let passed = 0;
  const t0 = performance.now();
  for (const c of cases) {
    try {
      await c.run();
      passed++;
    } catch (e) {
      failures.push(`conformance ${c.name}: ${(e as Error).message.split('\n').slice(0, 3).join(' | ')}`);
    }
  }
  console.log(`conformance on webgpu: ${passed}/${cases.length} cases passed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  ef.config({ gpuCpuHandoffSize: previous });
}

function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = (s >>> 0) / 2 ** 32 - 0.5;
  }
  return out;
}

/** Runs `fn` on 'webgpu' under each tile config and compares with 'cpu' (relative max error). */
async function compareTiles(name: string, inputs: { shape: number[]; seed: number }[], fn: (xs: ef.Tensor[]) => ef.Tensor): Promise<void> {
  const cpuOut = ef.withDevice('cpu', () => {
    const xs = inputs.map((i) => ef.tensor(values(i.shape.reduce((a, b) => a * b, 1), i.seed), i.shape));
    const y = fn(xs);
    const v = y.dataSync() as Float32Array;
    ef.dispose([...xs, y]);
    return v;
  });
  let scale = 0;
  for (const v of cpuOut) scale = Math.max(scale, Math.abs(v));
  const xs = inputs.map((i) => ef.tensor(values(i.shape.reduce((a, b) => a * b, 1), i.seed), i.shape));
  const configs: (TileConfig | null)[] = [null];
  for (const t of Object.values(TILES) as TileConfig[]) configs.push(t, { ...t, name: `${t.name}+pf`, prefetch: true } as TileConfig);
  const results: string[] = [];
  for (const cfg of configs) {
    matmulTuning.forceTile = cfg;
    try {
      const y = fn(xs);
      const v = (await y.data()) as Float32Array;
      y.dispose();
      let worst = 0;
      for (let i = 0; i < v.length; i++) worst = Math.max(worst, Math.abs(v[i]! - cpuOut[i]!));
      const rel = worst / Math.max(scale, 1e-6);
      results.push(`${cfg?.name ?? 'auto'} ${rel.toExponential(1)}`);
      if (!(rel <= 1e-4)) failures.push(`${name} with tile ${cfg?.name ?? 'auto'}: max |Δ| ${worst} (relative ${rel}) against the CPU backend`);
    } catch (e) {
      failures.push(`${name} with tile ${cfg?.name ?? 'auto'}: ${(e as Error).message.split('\n')[0]}`);
    } finally {
      matmulTuning.forceTile = null;
    }
  }
  ef.dispose(xs);
  console.log(`${name}: ${results.join(', ')}`);
}

async function largeShapes(): Promise<void> {
  await compareTiles('matmul 1024x1024x1024', [{ shape: [1024, 1024], seed: 1 }, { shape: [1024, 1024], seed: 2 }], ([a, b]) => ef.matmul(a!, b!));
  await compareTiles('matmul 517x1031x259 (ragged)', [{ shape: [517, 259], seed: 3 }, { shape: [259, 1031], seed: 4 }], ([a, b]) => ef.matmul(a!, b!));
  await compareTiles('matmul Aᵀ·B 768', [{ shape: [768, 512], seed: 5 }, { shape: [768, 640], seed: 6 }], ([a, b]) => ef.matmul(a!, b!, true, false));
  await compareTiles('matmul A·Bᵀ 768', [{ shape: [512, 768], seed: 7 }, { shape: [640, 768], seed: 8 }], ([a, b]) => ef.matmul(a!, b!, false, true));
  await compareTiles('conv2d 8x56x56x64 k3 -> 64', [{ shape: [8, 56, 56, 64], seed: 9 }, { shape: [3, 3, 64, 64], seed: 10 }], ([x, w]) => ef.nn.conv2d(x!, w!, 1, 'SAME'));
  await compareTiles('conv2d 64x28x28x1 k5 -> 32', [{ shape: [64, 28, 28, 1], seed: 11 }, { shape: [5, 5, 1, 32], seed: 12 }], ([x, w]) => ef.nn.conv2d(x!, w!, 1, 'SAME'));
  await compareTiles('conv2d_backprop_filter 8x56x56x64 k3', [{ shape: [8, 56, 56, 64], seed: 13 }, { shape: [8, 56, 56, 64], seed: 14 }], ([x, dy]) =>
    ef.grad((w: ef.Tensor) => ef.reduceSum(ef.mul(ef.nn.conv2d(x!, w, 1, 'SAME'), dy!)))(ef.zeros([3, 3, 64, 64])));
  await compareTiles('conv2d_backprop_input 8x56x56x64 k3', [{ shape: [3, 3, 64, 64], seed: 15 }, { shape: [8, 56, 56, 64], seed: 16 }], ([w, dy]) =>
    ef.grad((x: ef.Tensor) => ef.reduceSum(ef.mul(ef.nn.conv2d(x, w!, 1, 'SAME'), dy!)))(ef.zeros([8, 56, 56, 64])));
}

await ef.setBackend('cpu'); // started first: withDevice('cpu') needs it
await ef.setBackend('webgpu');
await conformance();
await largeShapes();
for (const f of failures) console.log(`FAIL ${f}`);
console.log(failures.length === 0 ? 'webgpu check: all passed' : `webgpu check: ${failures.length} failures`);
ef.disposeBackend();
process.exitCode = failures.length === 0 ? 0 : 1;
