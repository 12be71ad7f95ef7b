/** WebGPU-only behaviour: pool, batching, caches, large dispatches, matmul variants, memory, config. */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import { WebGpuBackend, matmulTuning, planMatmul } from '@eagerflow/webgpu-backend';

let gpu: WebGpuBackend;
const info = () => ef.memory().backends['webgpu']!;

beforeAll(async () => {
  // Throws with the reason (and how to get an adapter) when the machine has none.
  await ef.setBackend('webgpu');
  gpu = currentGpu();
});
afterAll(() => ef.disposeBackend());

function currentGpu(): WebGpuBackend {
  const t = ef.scalar(0);
  const b = t.backend as WebGpuBackend;
  t.dispose();
  return b;
}

function rand(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 4294967296) * 2 - 1;
  }
  return out;
}

/** float64 reference of op(A)·op(B) for one matrix. */
function refMatmul(a: Float32Array, b: Float32Array, m: number, n: number, k: number, ta: boolean, tb: boolean): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (ta ? a[p * m + i]! : a[i * k + p]!) * (tb ? b[j * k + p]! : b[p * n + j]!);
      c[i * n + j] = s;
    }
  return c;
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / (1 + Math.abs(want[i]!)));
  expect(worst).toBeLessThan(tol);
}

describe('device', () => {
  test('a real adapter with its limits', () => {
    const d = gpu.describe();
    expect(d.limits['maxStorageBufferBindingSize']).toBeGreaterThan(0);
    expect(d.limits['maxComputeInvocationsPerWorkgroup']).toBeGreaterThanOrEqual(256);
    expect(ef.getBackend()).toBe('webgpu');
  });
});

describe('storage', () => {
  test('int64 and string tensors stay on the host inside the backend; bool round-trips as u32', async () => {
    const big = ef.tensor([1n, -(2n ** 40n)], [2], 'int64');
    const str = ef.tensor(['a', 'bc'], [2], 'string');
    const b = ef.tensor([true, false, true]);
    expect(big.backend.name).toBe('webgpu');
    expect(Array.from((await big.data()) as BigInt64Array)).toEqual([1n, -(2n ** 40n)]);
    expect(await str.array()).toEqual(['a', 'bc']);
    expect(Array.from((await ef.logicalNot(b).data()) as Uint8Array) /* bool */).toEqual([0, 1, 0]);
    ef.dispose([big, str, b]);
  });
});

describe('buffer pool and batching', () => {
  test('freed buffers are reused instead of allocated again', async () => {
    const x = ef.ones([1000]);
    const step = async () => {
      ef.tidy(() => ef.add(ef.mul(x, 2), 1)).dispose();
      await ef.sync(); // a submit: frees deferred until then become reusable
    };
    for (let i = 0; i < 3; i++) await step();
    const created = info()['buffersCreated']!;
    const reused = info()['buffersReused']!;
    for (let i = 0; i < 20; i++) await step();
    expect(info()['buffersCreated']! - created).toBe(0);
    // The scalars 2 and 1 are cached constants: only the two outputs come from the pool.
    expect(info()['buffersReused']! - reused).toBe(20 * 2);
    x.dispose();
  });

  test('dispatches are batched: one submit per 64 dispatches, one more on readback', async () => {
    let y = ef.zeros([16]);
    await ef.sync();
    const before = info();
    for (let i = 0; i < 200; i++) {
      const next = ef.add(y, 1);
      y.dispose();
      y = next;
    }
    const mid = info();
    expect(mid['dispatches']! - before['dispatches']!).toBe(200);
    expect(mid['submits']! - before['submits']!).toBe(Math.floor(200 / gpu.rt.maxDispatchesPerSubmit));
    expect(Array.from((await y.data()) as Float32Array)[0]).toBe(200);
    const after = info();
    expect(after['submits']! - mid['submits']!).toBe(1);
    expect(after['readbacks']! - mid['readbacks']!).toBe(1);
    // The same two pooled buffers alternate: their bind groups come from the cache.
    expect(after['bindGroupHits']! - before['bindGroupHits']!).toBeGreaterThan(150);
    y.dispose();
  });

  test('pipelines are cached by pattern, not by shape', () => {
    const p0 = info()['pipelines']!;
    for (const n of [5, 17, 33, 1025]) ef.tidy(() => ef.exp(ef.fill([n], 0.5))).dispose();
    // exp (scalar path, n % 4 != 0) is one pipeline for every size; fill is one pipeline.
    expect(info()['pipelines']! - p0).toBeLessThanOrEqual(2);
  });

  test('memory returns to its baseline after a training-style loop', async () => {
    await ef.sync();
    const base = ef.memory();
    const baseGpu = info()['gpuInUseBytes']! - info()['gpuConstantBytes']!;
    const init = ef.tensor(rand(64 * 10, 3), [64, 10]);
    const w = ef.variable(init);
    init.dispose();
    const x = ef.tensor(rand(32 * 64, 4), [32, 64]);
    for (let step = 0; step < 5; step++) {
      ef.tidy(() => {
        const { grads } = ef.valueAndGrads(() => ef.reduceMean(ef.square(ef.matmul(x, w))), [w]);
        w.assign(ef.sub(w, ef.mul(grads[0]!, 0.1)));
      });
    }
    w.dispose();
    x.dispose();
    await ef.sync();
    expect(ef.memory().numTensors).toBe(base.numTensors);
    expect(info()['gpuInUseBytes']! - info()['gpuConstantBytes']!).toBe(baseGpu);
  });

  test('gpuMemoryLimit fails clearly; gpuAllowGrowth=false keeps no cache', async () => {
    await ef.sync();
    ef.config({ gpuAllowGrowth: false });
    expect(info()['gpuCachedBytes']).toBe(0);
    ef.tidy(() => ef.add(ef.ones([5000]), 1)).dispose();
    await ef.sync();
    expect(info()['gpuCachedBytes']).toBe(0);
    ef.config({ gpuAllowGrowth: true, gpuMemoryLimit: info()['gpuAllocatedBytes']! + 64 * 1024 });
    expect(() => ef.zeros([1024 * 1024])).toThrow(/GPU memory limit exceeded/);
    ef.config({ gpuMemoryLimit: null });
  });
});

describe('shapes beyond one dispatch dimension', () => {
  test('elementwise over more than 65535 workgroups', async () => {
    const n = 65536 * 256 + 5; // odd size: the scalar path, one thread per element
    const y = ef.tidy(() => ef.neg(ef.fill([n], 1.5)));
    const v = (await y.data()) as Float32Array;
    expect(v.length).toBe(n);
    expect(v[0]).toBe(-1.5);
    expect(v[n - 1]).toBe(-1.5);
    expect(v[n >> 1]).toBe(-1.5);
    y.dispose();
  });

  test('a reduction over many short rows (one thread per row)', async () => {
    const rows = 70001;
    const x = ef.tensor(Float32Array.from({ length: rows * 3 }, (_, i) => i % 3), [rows, 3]);
    const s = ef.reduceSum(x, 1);
    const v = (await s.data()) as Float32Array;
    expect(v.length).toBe(rows);
    expect(v.every((e) => e === 3)).toBe(true);
    ef.dispose([x, s]);
  });
});

describe('matmul variants', () => {
  const cases: [string, number, number, number, boolean, boolean, number][] = [
    ['odd shapes NN', 67, 45, 31, false, false, 1],
    ['odd shapes TN', 70, 33, 29, true, false, 1],
    ['odd shapes NT', 19, 130, 27, false, true, 1],
    ['odd shapes TT', 65, 66, 67, true, true, 1],
    ['vec4 operands, ragged tile', 68, 132, 36, false, false, 1],
    ['vec4 transposed operands', 68, 132, 36, true, true, 1],
    ['batched', 33, 20, 12, false, true, 3],
    ['split-K (few tiles, long K)', 24, 20, 2048, false, false, 1],
    ['GEMV dot (M = 1, long K)', 1, 37, 1500, false, true, 1],
    ['vector (N = 1)', 300, 1, 40, false, false, 1],
  ];
  for (const [name, m, n, k, ta, tb, batch] of cases) {
    test(`${name}: ${batch > 1 ? `${batch}×` : ''}[${m}×${k}]·[${k}×${n}]${ta ? ' Aᵀ' : ''}${tb ? ' Bᵀ' : ''}`, async () => {
      const a = rand(batch * m * k, m * 7 + k);
      const b = rand(batch * k * n, n * 13 + k);
      const ashape = ta ? [k, m] : [m, k];
      const bshape = tb ? [n, k] : [k, n];
      const A = ef.tensor(a, batch > 1 ? [batch, ...ashape] : ashape);
      const B = ef.tensor(b, batch > 1 ? [batch, ...bshape] : bshape);
      const C = ef.matmul(A, B, ta, tb);
      const got = (await C.data()) as Float32Array;
      const want = new Float64Array(batch * m * n);
      for (let i = 0; i < batch; i++) want.set(refMatmul(a.subarray(i * m * k, (i + 1) * m * k), b.subarray(i * k * n, (i + 1) * k * n), m, n, k, ta, tb), i * m * n);
      expectClose(got, want, 1e-4 * Math.sqrt(k));
      ef.dispose([A, B, C]);
    });
  }

  test('every tile config gives the same result (forced tiles, bounds checks on and off)', async () => {
    for (const [m, n, k] of [[128, 128, 32], [130, 129, 33]] as const) {
      const a = rand(m * k, 1);
      const b = rand(k * n, 2);
      const want = refMatmul(a, b, m, n, k, false, false);
      for (const tile of ['wide', 'large', 'medium', 'small'] as const) {
        matmulTuning.forceTile = tile;
        const C = ef.tidy(() => ef.matmul(ef.tensor(a, [m, k]), ef.tensor(b, [k, n])));
        expectClose((await C.data()) as Float32Array, want, 1e-3);
        C.dispose();
      }
    }
    matmulTuning.forceTile = null;
  });

  test('plans follow the shape', () => {
    expect(planMatmul(4096, 4096, 4096, 1, 1024).tile?.name).toBe('wide');
    expect(planMatmul(2048, 2048, 2048, 1, 1024).tile?.name).toBe('large');
    expect(planMatmul(1024, 1024, 1024, 1, 1024).tile?.name).toBe('medium');
    expect(planMatmul(64, 64, 8192, 1, 1024).splits).toBeGreaterThan(1);
    expect(planMatmul(1, 64, 4096, 1, 1024).kind).toBe('dot');
  });
});

describe('placement (ConfigProto, eager style)', () => {
  test('withDevice and toBackend move tensors between cpu and webgpu', async () => {
    await ef.setBackend('cpu');
    const c = ef.tensor([1, 2, 3]);
    expect(c.backend.name).toBe('cpu');
    await ef.toBackend(c, 'webgpu');
    expect(c.backend.name).toBe('webgpu');
    const d = ef.withDevice('webgpu', () => ef.mul(c, 2));
    expect(d.backend.name).toBe('webgpu');
    await ef.toBackend(d, 'cpu');
    expect(Array.from(d.dataSync() as Float32Array)).toEqual([2, 4, 6]);
    ef.dispose([c, d]);
    await ef.setBackend('webgpu');
  });

  test('a GPU tensor needed synchronously on the CPU says how to move it', () => {
    const g = ef.tensor([1, 2]);
    expect(() => ef.withDevice('cpu', () => ef.add(g, 1))).toThrow(/toBackend/);
    g.dispose();
  });

  test('logDevicePlacement prints op -> device', () => {
    const lines: string[] = [];
    const log = console.log;
    console.log = (s: string) => lines.push(String(s));
    ef.config({ logDevicePlacement: true });
    try {
      ef.tidy(() => ef.exp(ef.ones([2]))).dispose();
    } finally {
      ef.config({ logDevicePlacement: false });
      console.log = log;
    }
    expect(lines.some((l) => l.includes('exp') && l.includes('webgpu'))).toBe(true);
  });
});

describe('device loss', () => {
  test('ops on a lost device fail with a clear error', async () => {
    const b = await WebGpuBackend.create();
    const s = b.write(new Float32Array([1, 2]), { shape: [2], dtype: 'float32' });
    b.rt.device.destroy();
    await new Promise((r) => setTimeout(r, 50));
    await expect(b.read(s, { shape: [2], dtype: 'float32' })).rejects.toThrow(/device was lost/);
    expect(() => b.write(new Float32Array([1]), { shape: [1], dtype: 'float32' })).toThrow(/device was lost/);
    b.dispose();
  });
});
