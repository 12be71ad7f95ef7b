/**
 * Random ops on WebGPU against core's Philox specification (random/philox.ts) beyond the
 * conformance samples: many keys/counters, extreme ranges, large outputs, 2-D dispatch grids.
 * Uniform and integer outputs and permutations must be bit-identical to the CPU; normal and
 * truncated normal within the conformance tolerance (1e-5 relative to 1 + |value|).
 */
import { describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import '@eagerflow/webgpu-backend';
import { useWebGpuBackend } from './helpers';

const P = ef.philox;
const gpu = useWebGpuBackend();

type Stream = { key: [number, number]; counter: [number, number] };
const STREAMS: Stream[] = [
  { key: [0, 0], counter: [0, 0] },
  { key: [87654321, 2147483646], counter: [0xffffffff, 0] },
  { key: [0x7fffffff, 1], counter: [12345, 0xfffffffe] },
  { key: [42, 0xffffffff], counter: [1, 1] },
];

async function run(def: ef.OpDef<any>, attrs: unknown): Promise<Float32Array | Int32Array> {
  const t = ef.apply1(def, [], attrs);
  const v = (await t.data()) as Float32Array | Int32Array;
  t.dispose();
  return v;
}

function expectExact(got: ArrayLike<number>, want: ArrayLike<number>): void {
  expect(got.length).toBe(want.length);
  let bad = -1;
  for (let i = 0; i < want.length && bad < 0; i++) if (!Object.is(got[i], want[i])) bad = i;
  expect(bad < 0 ? 'all equal' : `element ${bad}: ${got[bad]} vs ${want[bad]}`).toBe('all equal');
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  let at = 0;
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i]! - want[i]!) / (1 + Math.abs(want[i]!));
    if (!(e <= worst)) [worst, at] = [e, i];
  }
  expect(worst < tol ? 'within tolerance' : `element ${at}: ${got[at]} vs ${want[at]} (${worst})`).toBe('within tolerance');
}

/** Forces 2-D dispatch grids on small outputs (as outputs over 65535 workgroups get). */
async function withSmallGrid<T>(fn: () => Promise<T>): Promise<T> {
  const rt = gpu().rt as unknown as { maxGroupsPerDim: number };
  const saved = rt.maxGroupsPerDim;
  rt.maxGroupsPerDim = 3;
  try {
    return await fn();
  } finally {
    rt.maxGroupsPerDim = saved;
  }
}

describe('random_uniform is bit-identical to the CPU', () => {
  const n = 40_001;
  test.each(STREAMS)('float32, key %#', async (s) => {
    for (const [lo, hi] of [[0, 1], [-3, 5], [1e-3, 1e-3 + 1e-6], [-1e30, 1e30]] as const) {
      const got = await run(ef.defs.randomUniformDef, { shape: [n], dtype: 'float32', minval: lo, maxval: hi, ...s });
      expectExact(got, P.uniformFloats(s, n, lo, hi));
    }
  });
  test.each(STREAMS)('int32, key %#', async (s) => {
    for (const [lo, hi] of [[0, 10], [-4, 11], [-(2 ** 31), 2 ** 31 - 1], [2 ** 31 - 3, 2 ** 31 - 1], [-7, -6]] as const) {
      const got = await run(ef.defs.randomUniformDef, { shape: [n], dtype: 'int32', minval: lo, maxval: hi, ...s });
      expectExact(got, P.uniformInts(s, n, lo, hi));
    }
  });
  test('2-D dispatch grid, sizes around block and workgroup edges', async () => {
    const s = STREAMS[1]!;
    await withSmallGrid(async () => {
      for (const m of [1, 3, 4, 5, 1023, 1024, 1025, 4 * 256 * 5 + 3]) {
        expectExact(await run(ef.defs.randomUniformDef, { shape: [m], dtype: 'float32', minval: -1, maxval: 2, ...s }), P.uniformFloats(s, m, -1, 2));
      }
    });
  });
});

describe('normal and truncated normal', () => {
  const n = 50_003;
  test.each(STREAMS)('random_normal, key %#', async (s) => {
    const got = await run(ef.defs.randomNormalDef, { shape: [n], mean: 0.5, stddev: 2, ...s });
    expectClose(got, P.normalFloats(s, n, 0.5, 2), 1e-5);
  });
  test.each(STREAMS)('truncated_normal, key %#', async (s) => {
    const got = await run(ef.defs.truncatedNormalDef, { shape: [n], mean: -1, stddev: 0.25, ...s });
    expectClose(got, P.truncatedNormalFloats(s, n, -1, 0.25), 1e-5);
  });
  test('2-D dispatch grid', async () => {
    const s = STREAMS[2]!;
    await withSmallGrid(async () => {
      const m = 256 * 7 + 1;
      expectClose(await run(ef.defs.truncatedNormalDef, { shape: [m], mean: 0, stddev: 1, ...s }), P.truncatedNormalFloats(s, m, 0, 1), 1e-5);
      expectClose(await run(ef.defs.randomNormalDef, { shape: [4 * m], mean: 0, stddev: 1, ...s }), P.normalFloats(s, 4 * m, 0, 1), 1e-5);
    });
  });
});

describe('random_permutation', () => {
  test.each(STREAMS)('matches Fisher–Yates on the CPU, key %#', async (s) => {
    for (const m of [2, 3, 5, 1000, 20_011]) expectExact(await run(ef.defs.randomPermutationDef, { n: m, ...s }), P.permutation(s, m));
  });
  test('more swaps than one dispatch runs (65536)', async () => {
    const s = STREAMS[1]!;
    expectExact(await run(ef.defs.randomPermutationDef, { n: 70_001, ...s }), P.permutation(s, 70_001));
  });
  test('2-D dispatch grid', async () => {
    const s = STREAMS[3]!;
    await withSmallGrid(async () => {
      expectExact(await run(ef.defs.randomPermutationDef, { n: 5000, ...s }), P.permutation(s, 5000));
    });
  });
  test('randomShuffle on webgpu equals the CPU result for the same seed', async () => {
    const x = ef.tensor(Float32Array.from({ length: 300 * 2 }, (_, i) => i), [300, 2]);
    const y = ef.randomShuffle(x, { seed: 11 });
    const gv = Array.from((await y.data()) as Float32Array);
    ef.dispose([x, y]);
    ef.setRandomSeed(null);
    const cpu = await ef.withDevice('cpu', async () => {
      const xc = ef.tensor(Float32Array.from({ length: 300 * 2 }, (_, i) => i), [300, 2]);
      const yc = ef.randomShuffle(xc, { seed: 11 });
      const v = Array.from((await yc.data()) as Float32Array);
      ef.dispose([xc, yc]);
      return v;
    });
    expect(gv).toEqual(cpu);
  });
});

describe('seeded public API on webgpu', () => {
  test('the same seeds give the CPU values', async () => {
    ef.setRandomSeed(5);
    const g = ef.randomUniform([1000], { seed: 3 });
    const gv = Array.from((await g.data()) as Float32Array);
    g.dispose();
    ef.setRandomSeed(5);
    const cv = await ef.withDevice('cpu', async () => {
      const c = ef.randomUniform([1000], { seed: 3 });
      const v = Array.from((await c.data()) as Float32Array);
      c.dispose();
      return v;
    });
    ef.setRandomSeed(null);
    expect(gv).toEqual(cv);
  });
});
