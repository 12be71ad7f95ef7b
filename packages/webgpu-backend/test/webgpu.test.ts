/** WebGPU-only behaviour: pool, batching, caches, large dispatches, matmul variants, memory, config. */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import { TILES, WebGpuBackend, matmulTuning, planMatmul, type TileConfig } from '@eagerflow/webgpu-backend';
import { rand } from './helpers.js';

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

  test('int64 casts run on the GPU as (low, high) u32 pairs; int64 index arguments are range-checked on the host', async () => {
    // Host-written int64 (a parsed label) is uploaded by the cast that reads it.
    const labels = ef.tensor([1n, 2n, 0n, 2n ** 32n + 3n]);
    expect(Array.from((await ef.cast(labels, 'int32').data()) as Int32Array)).toEqual([1, 2, 0, 3]);
    // A cast to int64 of a GPU tensor stays on the GPU (8 bytes per element) until read, exactly
    // (values up to ±1.5e10 use the high word).
    const n = 3000; // above the host handoff size
    const x = ef.tidy(() => ef.sub(ef.mul(ef.cast(ef.range(0, n), 'float32'), 1e7), 1.5e10));
    const big = ef.cast(x, 'int64');
    const xs = (await x.data()) as Float32Array;
    const want = Array.from(xs, (v) => BigInt(Math.trunc(v)));
    expect(Array.from((await big.data()) as BigInt64Array)).toEqual(want);
    expect(Array.from((await ef.cast(big, 'float32').data()) as Float32Array)).toEqual(Array.from(xs, Math.trunc));
    // An index argument whose int64 values are only on the GPU cannot be range-checked synchronously.
    expect(() => ef.oneHot(big, 3)).toThrow(/oneHot: argument 'indices' is an int64 tensor whose values are only on 'webgpu'.*ef\.cast\(indices, 'int32'\)/);
    expect(() => ef.concat([labels, labels], 0)).toThrow(/concat: input 0 is an int64 tensor, a storage type with no math on 'webgpu'/);
    expect(Array.from((await ef.oneHot(ef.tensor([2n, 0n]), 3).data()) as Float32Array)).toEqual([0, 0, 1, 1, 0, 0]);
    ef.dispose([labels, x, big]);
  });

  test("slice begin/size as int32 tensors from JS values (the notes' slice after sampleDistortedBoundingBox) read their host copy", async () => {
    const img = ef.reshape(ef.range(0, 20 * 30 * 3), [20, 30, 3]);
    const r = ef.image.sampleDistortedBoundingBox([20, 30, 3], [[[0.1, 0.1, 0.9, 0.8]]], { seed: 5 });
    const crop = ef.slice(img, r.begin, r.size);
    const want = ef.slice(img, r.values.begin, r.values.size);
    expect(crop.shape).toEqual(want.shape);
    expect(await crop.data()).toEqual(await want.data());
    const gpuOnly = ef.cast(ef.add(ef.zeros([3000]), 1), 'int32'); // above the handoff size: values only on the GPU
    expect(() => ef.tile(ef.tensor([1]), ef.slice(gpuOnly, [0], [1]))).toThrow(/tile: multiples is a tensor whose values are only on 'webgpu'/);
    ef.dispose([img, crop, want, gpuOnly]);
  });
});

describe('buffer pool and batching', () => {
  test('freed buffers are reused instead of allocated again', async () => {
    const x = ef.ones([2000]); // above the host handoff size: a GPU tensor
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
    let y = ef.reduceSum(ef.zeros([2000, 16]), 0); // a GPU result, so each add is a dispatch
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

describe('host handoff (tiny elementwise ops on host values)', () => {
  test('a chain on tiny tensors written from JS runs on the host: no dispatch, no readback', async () => {
    const x0 = ef.tensor([1, 2, 3, 4, 5], [5]);
    const one = ef.tensor([1, 1, 1, 1, 1], [5]);
    await ef.sync();
    const before = info();
    let x = x0;
    for (let i = 0; i < 100; i++) {
      const y = ef.add(x, one);
      if (x !== x0) x.dispose();
      x = y;
    }
    const bools = ef.greater(x, 103);
    const ints = ef.floorDiv(ef.tensor([7, -7, 9], [3], 'int32'), ef.tensor([2, 2, -4], [3], 'int32'));
    expect(Array.from((await x.data()) as Float32Array)).toEqual([101, 102, 103, 104, 105]);
    expect(Array.from((await bools.data()) as Uint8Array)).toEqual([0, 0, 0, 1, 1]);
    expect(Array.from((await ints.data()) as Int32Array)).toEqual([3, -4, -3]);
    const after = info();
    expect(after['hostOps']! - before['hostOps']!).toBe(102);
    expect(after['dispatches']! - before['dispatches']!).toBe(0);
    expect(after['readbacks']! - before['readbacks']!).toBe(0);
    ef.dispose([x0, one, x, bools, ints]);
  });

  test('a host tensor meeting a GPU tensor is uploaded once; GPU results stay on the GPU', async () => {
    const big = ef.fill([2000], 2); // a GPU kernel's output
    const bias = ef.tensor([0.5], [1]);
    const before = info();
    const y1 = ef.add(big, bias);
    const y2 = ef.mul(big, bias);
    const small = ef.reduceSum(y1); // a GPU result, even though tiny
    const z = ef.add(small, bias); // one input lives on the GPU only: runs there
    const after = info();
    expect(after['dispatches']! - before['dispatches']!).toBeGreaterThanOrEqual(4);
    expect(after['hostOps']! - before['hostOps']!).toBe(0);
    expect(((await z.data()) as Float32Array)[0]).toBeCloseTo(5000.5, 2);
    expect(((await y2.data()) as Float32Array)[1999]).toBe(1);
    // z was read back: its values are on the host now, so tiny ops on it stay there.
    const h0 = info()['hostOps']!;
    const w = ef.sub(z, bias);
    expect(info()['hostOps']! - h0).toBe(1);
    expect(((await w.data()) as Float32Array)[0]).toBeCloseTo(5000, 2);
    ef.dispose([big, bias, y1, y2, small, z, w]);
  });

  test('small constants (fill) stay on the host: an Adam step dispatches no scalar arithmetic', async () => {
    const before = info();
    const c = ef.fill([], 0.9);
    const d = ef.mul(c, 0.9);
    expect(info()['dispatches']! - before['dispatches']!).toBe(0);
    expect(info()['hostOps']! - before['hostOps']!).toBe(2);
    expect(((await d.data()) as Float32Array)[0]).toBeCloseTo(0.81, 6);
    // every dtype of a host fill, and a GPU kernel reading them (uploaded on first use)
    const ints = ef.fill([3], -2, 'int32');
    const flags = ef.fill([2], 1, 'bool');
    const big = ef.fill([2000], 3, 'int32');
    expect(Array.from((await ints.data()) as Int32Array)).toEqual([-2, -2, -2]);
    expect(Array.from((await flags.data()) as Uint8Array)).toEqual([1, 1]);
    const sum = ef.tidy(() => ef.reduceSum(ef.concat([ints, ef.slice(big, [0], [3])])));
    expect(Array.from((await sum.data()) as Int32Array)).toEqual([3]);
    ef.dispose([ints, flags, big, sum]);
    const w = ef.variable(ef.fill([2000], 1), { name: 'adam_host_scalars' });
    const opt = new ef.train.AdamOptimizer(0.1);
    const loss = () => ef.reduceSum(ef.square(w));
    opt.minimize(loss).dispose();
    const t = await ef.time(() => opt.minimize(loss).dispose());
    if (t.kernels.length) {
      // The beta powers, lr_t and their updates run on the host: only the model, its gradient and apply_adam.
      expect(t.kernels.map((k) => k.op).filter((op) => ['sub', 'sqrt', 'div'].includes(op))).toEqual([]);
      expect(t.kernels.filter((k) => k.op === 'apply_adam')).toHaveLength(1);
    }
    expect(((await w.data()) as Float32Array)[0]).toBeCloseTo(0.8, 2); // two Adam steps of ≈ lr each
    ef.dispose([c, d, w, ...opt.variables()]);
  });

  test('gpuCpuHandoffSize: 0 puts every op on the GPU; the size is validated', async () => {
    const previous = ef.config({}).gpuCpuHandoffSize;
    ef.config({ gpuCpuHandoffSize: 0 });
    try {
      const before = info();
      const y = ef.tidy(() => ef.exp(ef.tensor([0, 1], [2])));
      expect(info()['dispatches']! - before['dispatches']!).toBe(1);
      expect(info()['hostOps']! - before['hostOps']!).toBe(0);
      expect(Array.from((await y.data()) as Float32Array)[1]).toBeCloseTo(Math.E, 5);
      y.dispose();
    } finally {
      ef.config({ gpuCpuHandoffSize: previous });
    }
    expect(() => ef.config({ gpuCpuHandoffSize: -1 })).toThrow(/gpuCpuHandoffSize must be a non-negative integer.*found -1/);
  });

  test('host-resident and uploaded tiny tensors return all memory', async () => {
    await ef.sync();
    const base = ef.memory().numTensors;
    const baseGpu = info()['gpuInUseBytes']! - info()['gpuConstantBytes']!;
    for (let i = 0; i < 20; i++) {
      ef.tidy(() => {
        const a = ef.tensor(rand(100, i), [100]);
        const b = ef.mul(ef.add(a, 1), a); // host
        return ef.matmul(ef.reshape(b, [10, 10]), ef.reshape(a, [10, 10])); // uploads a and b
      }).dispose();
    }
    await ef.sync();
    expect(ef.memory().numTensors).toBe(base);
    expect(info()['gpuInUseBytes']! - info()['gpuConstantBytes']!).toBe(baseGpu);
  });
});

describe('ef.time (kernel timing with timestamp queries)', () => {
  test('each dispatch is timed on the GPU and named by its op; results are unchanged', async () => {
    expect(gpu.describe().features).toContain('timestamp-query');
    const a = ef.tensor(rand(64 * 48, 21), [64, 48]);
    const b = ef.tensor(rand(48 * 32, 22), [48, 32]);
    let y: ef.Tensor | undefined;
    const r = await ef.time(() => {
      y = ef.tidy(() => ef.relu(ef.matmul(a, b)));
    });
    expect(r.kernels.map((k) => k.op)).toEqual(['matmul', 'relu']);
    expect(r.kernels.every((k) => k.ms >= 0 && k.ms < r.wallMs)).toBe(true);
    expect(r.kernelMs).toBeCloseTo(r.kernels[0]!.ms + r.kernels[1]!.ms, 9);
    expect(r.kernelMs!).toBeGreaterThan(0);
    const want = refMatmul(rand(64 * 48, 21), rand(48 * 32, 22), 64, 32, 48, false, false).map((v) => Math.max(v, 0));
    expectClose((await y!.data()) as Float32Array, want, 1e-4);
    ef.dispose([a, b, y!]);
  });

  test('more dispatches than one query set holds; untimed work afterwards is batched again', async () => {
    let x = ef.fill([4096], 1);
    const r = await ef.time(() => {
      for (let i = 0; i < 2100; i++) {
        const next = ef.add(x, x);
        x.dispose();
        x = ef.mul(next, 0.5);
        next.dispose();
      }
    });
    expect(r.kernels.length).toBe(4200);
    expect(new Set(r.kernels.map((k) => k.op))).toEqual(new Set(['add', 'mul']));
    expect(((await x.data()) as Float32Array)[4095]).toBe(1);
    const before = info()['submits']!;
    for (let i = 0; i < 10; i++) {
      const next = ef.add(x, 1);
      x.dispose();
      x = next;
    }
    expect(info()['submits']! - before).toBe(0); // back to one pass, no submit per dispatch
    expect(((await x.data()) as Float32Array)[0]).toBe(11);
    x.dispose();
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

describe('reductions over few long columns (bias gradients)', () => {
  test.each([
    ['sum of narrow columns in place, one pass', [2, 5000, 6], [1], 'sum', 'float32'],
    ['mean of 16 columns in place, in chunks', [1, 20000, 16], [1], 'mean', 'float32'],
    ['max over the leading axes (NHWC bias gradient shape)', [8, 30, 30, 6], [0, 1, 2], 'max', 'float32'],
    ['int32 sum', [3, 3000, 5], [1], 'sum', 'int32'],
    ['wide columns still transposed first', [1, 2000, 40], [1], 'sum', 'float32'],
  ] as const)('%s matches the CPU backend', async (_name, shape, axes, op, dtype) => {
    const n = shape.reduce((a: number, b: number) => a * b, 1);
    const values = dtype === 'int32' ? Int32Array.from({ length: n }, (_, i) => (i * 37) % 11 - 5) : rand(n, 31);
    const run = () => {
      const x = ef.tensor(values, [...shape], dtype);
      return op === 'sum' ? ef.reduceSum(x, [...axes]) : op === 'mean' ? ef.reduceMean(x, [...axes]) : ef.reduceMax(x, [...axes]);
    };
    const onCpu = ef.withDevice('cpu', () => ef.tidy(run));
    const y = ef.tidy(run);
    expect(y.backend.name).toBe('webgpu');
    expect(y.shape).toEqual(onCpu.shape);
    expectClose(Array.from((await y.data()) as Float32Array), Array.from((await onCpu.data()) as Float32Array), 1e-5);
    ef.dispose([y, onCpu]);
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
      for (const tile of Object.keys(TILES) as (keyof typeof TILES)[]) {
        matmulTuning.forceTile = tile;
        const C = ef.tidy(() => ef.matmul(ef.tensor(a, [m, k]), ef.tensor(b, [k, n])));
        expectClose((await C.data()) as Float32Array, want, 1e-3);
        C.dispose();
      }
    }
    matmulTuning.forceTile = null;
  });

  /** Runs `fn` with `forceTile` (and the prefetch knob) set, restoring the knobs after. */
  async function withTile<T>(tile: TileConfig | null, prefetch: boolean, fn: () => Promise<T>): Promise<T> {
    matmulTuning.forceTile = tile;
    matmulTuning.prefetch = prefetch;
    try {
      return await fn();
    } finally {
      matmulTuning.forceTile = null;
      matmulTuning.prefetch = false;
    }
  }
  /** op(A)·op(B) on the GPU under `tile` (and the prefetch knob) against the float64 reference. */
  async function checkTile(tile: TileConfig | null, prefetch: boolean, m: number, n: number, k: number, ta: boolean, tb: boolean, batch = 1): Promise<void> {
    const a = rand(batch * m * k, m + k);
    const b = rand(batch * k * n, n + 2 * k);
    const shape = (r: number, c: number) => (batch > 1 ? [batch, r, c] : [r, c]);
    const got = await withTile(tile, prefetch, async () => {
      const C = ef.tidy(() => ef.matmul(ef.tensor(a, ta ? shape(k, m) : shape(m, k)), ef.tensor(b, tb ? shape(n, k) : shape(k, n)), ta, tb));
      const d = (await C.data()) as Float32Array;
      C.dispose();
      return d;
    });
    const want = new Float64Array(batch * m * n);
    for (let i = 0; i < batch; i++) want.set(refMatmul(a.subarray(i * m * k, (i + 1) * m * k), b.subarray(i * k * n, (i + 1) * k * n), m, n, k, ta, tb), i * m * n);
    try {
      expectClose(got, want, 1e-4 * Math.sqrt(k));
    } catch (e) {
      throw new Error(`${tile?.name ?? 'auto'}${tile?.prefetch || prefetch ? '+prefetch' : ''}${tile?.swizzle ? `+swizzle${tile.swizzle}` : ''} ${batch}×[${m}×${k}]·[${k}×${n}] ta=${ta} tb=${tb}: ${(e as Error).message}`);
    }
  }
  const transposes = [[false, false], [true, false], [false, true], [true, true]] as const;

  // SwiftShader compiles each tile program in 1–10 s: these tests pick few programs that still
  // reach every loader path (vec4 along K or along M/N, scalar, fit, ragged, partial last round).
  test('prefetch on every tile (ragged, vec4, transposes rotating)', async () => {
    const tiles = Object.values(TILES);
    for (let i = 0; i < tiles.length; i++) {
      const t = tiles[i]!;
      const [ta, tb] = transposes[i % 4]!;
      await checkTile({ ...t, prefetch: true }, false, t.wy * t.tm + 4, t.wx * t.tn + 4, 36, ta, tb);
    }
  });

  test('prefetch, every transpose: fit/vec4, ragged/vec4, ragged/scalar; split-K and batches', async () => {
    const t = { ...TILES.small, prefetch: true };
    for (const [ta, tb] of transposes) {
      for (const [m, n, k] of [[32, 32, 32], [36, 36, 36], [33, 35, 33]] as const) await checkTile(t, false, m, n, k, ta, tb);
    }
    await checkTile(null, true, 40, 36, 1100, false, false); // 4 splits, the last one ragged
    await checkTile(null, true, 33, 20, 12, false, true, 3);
  });

  test('grouped launch order (swizzle): ragged tile rows and columns, transposes, split-K, batches', async () => {
    // 8 tile rows in groups of 3 (the last group has 2), 5 tile columns, edges ragged.
    const t = { ...TILES.small, swizzle: 3 };
    for (const [ta, tb] of transposes) await checkTile(t, false, 229, 131, 40, ta, tb);
    await checkTile(t, false, 229, 131, 1100, false, false); // split along K
    await checkTile(t, false, 70, 40, 12, false, true, 3);
  });

  test.each([
    ['split-K (epilogue after the partial sums)', [40, 1100], [1100, 36], 'relu'],
    ['one row, long K (dot kernel)', [1, 600], [600, 5], 'tanh'],
    ['one column (naive kernel)', [70, 8], [8, 1], 'elu'],
    ['K = 0 (act(bias))', [3, 0], [0, 5], 'sigmoid'],
    ['tiled, ragged, scalar stores', [37, 19], [19, 23], 'relu6'],
  ] as const)('fused_matmul, %s, matches the CPU backend', async (_name, as, bs, activation) => {
    const a = rand(as[0] * as[1], 21);
    const b = rand(bs[0] * bs[1], 22);
    const bias = rand(bs[1], 23);
    const run = () => ef.fused.matMul({ a: ef.tensor(a, [...as]), b: ef.tensor(b, [...bs]), bias: ef.tensor(bias, [bs[1]]), activation });
    const onCpu = ef.withDevice('cpu', () => ef.tidy(run));
    const y = ef.tidy(run);
    expect(y.backend.name).toBe('webgpu');
    expectClose((await y.data()) as Float32Array, (await onCpu.data()) as Float32Array, 1e-4);
    ef.dispose([y, onCpu]);
  });

  test.each([
    ['scalar loaders (3 → 5 channels)', 3, 5, [{ ...TILES.tall16, prefetch: true }]],
    ['vec4 loaders (4 → 8 channels)', 4, 8, [null, { ...TILES.tall16, prefetch: true }]],
  ] as const)('conv2d and both backprops, %s, on prefetch and skinny tiles match the CPU backend', async (_name, ci, co, tiles) => {
    // im2col (forward), col2im + filterT (input gradient), im2colT (filter gradient) loaders.
    const [xs, fs] = [[2, 9, 9, ci], [3, 3, ci, co]];
    const x = rand(2 * 9 * 9 * ci, 11);
    const f = rand(3 * 3 * ci * co, 12);
    const run = () => {
      const y = ef.nn.conv2d(ef.tensor(x, xs), ef.tensor(f, fs), 2, 'SAME');
      const dy = ef.tensor(rand(y.size, 13), y.shape);
      return [y, ef.nn.conv2dBackpropInput(xs, ef.tensor(f, fs), dy, 2, 'SAME'), ef.nn.conv2dBackpropFilter(ef.tensor(x, xs), fs, dy, 2, 'SAME')];
    };
    const values = (ts: ef.Tensor[]) => Promise.all(ts.map(async (t) => {
      const d = (await t.data()) as Float32Array;
      t.dispose();
      return d;
    }));
    const want = await values(ef.withDevice('cpu', () => ef.tidy(run)));
    // The loaders are the same on every tile: one skinny tile with prefetch covers both features.
    for (const tile of tiles) {
      const got = await withTile(tile, false, () => values(ef.tidy(run)));
      for (let i = 0; i < 3; i++) expectClose(got[i]!, want[i]!, 1e-4);
    }
  });

  test('plans follow the shape', () => {
    expect(planMatmul(4096, 4096, 4096, 1, 1024).tile?.name).toBe('wide');
    expect(planMatmul(2048, 2048, 2048, 1, 1024).tile?.name).toBe('large');
    expect(planMatmul(1024, 1024, 1024, 1, 1024)).toMatchObject({ tile: { name: 'wide' }, splits: 2 });
    expect(planMatmul(1024, 1024, 256, 1, 1024).tile?.name).toBe('medium'); // K too short to split
    expect(planMatmul(64, 64, 8192, 1, 1024).splits).toBeGreaterThan(1);
    expect(planMatmul(1, 64, 4096, 1, 1024).kind).toBe('dot');
    // Skinny outputs (convolutions with few output channels) with many rows: 128×32 / 128×16 tiles.
    expect(planMatmul(50176, 32, 25, 1, 1024).tile?.name).toBe('tall');
    expect(planMatmul(50176, 6, 25, 1, 1024).tile?.name).toBe('tall16');
    expect(planMatmul(512, 32, 25, 1, 1024).tile?.name).toBe('small');
    expect(planMatmul(50176, 33, 25, 1, 1024).tile?.name).not.toMatch(/tall/);
    expect(planMatmul(2048, 2048, 2048, 1, 1024).tile?.prefetch).toBeUndefined();
    matmulTuning.prefetch = true;
    expect(planMatmul(2048, 2048, 2048, 1, 1024).tile).toMatchObject({ name: 'large', prefetch: true });
    matmulTuning.prefetch = false;
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
