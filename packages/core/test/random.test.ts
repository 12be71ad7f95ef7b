import { afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import { vals } from './helpers.js';

beforeAll(async () => {
  await ef.setBackend('cpu');
});
afterEach(() => ef.setRandomSeed(null));

const P = ef.philox;

describe('Philox 4x32-10', () => {
  test('Random123 known answers', () => {
    const out = new Uint32Array(4);
    const kat: [number[], number[], number[]][] = [
      [[0, 0, 0, 0], [0, 0], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]],
      [[0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]],
      [[0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]],
    ];
    for (const [c, k, want] of kat) {
      P.philox4x32(c[0]!, c[1]!, c[2]!, c[3]!, k[0]!, k[1]!, out);
      expect(Array.from(out)).toEqual(want);
    }
  });

  test('mulhi32 matches 64-bit products', () => {
    const pairs = [[0xffffffff, 0xffffffff], [0xd2511f53, 0x12345678], [0xcd9e8d57, 0xfffffffe], [1, 0xffffffff], [0x80000000, 2]];
    for (let i = 0; i < 200; i++) pairs.push([(i * 0x9e3779b9) >>> 0, (i * 0x85ebca6b + 0x1234) >>> 0]);
    for (const [a, b] of pairs) expect(P.mulhi32(a!, b!)).toBe(Number((BigInt(a!) * BigInt(b!)) >> 32n));
  });

  test('uint32ToFloat: 23 mantissa bits in [0, 1)', () => {
    expect(P.uint32ToFloat(0)).toBe(0);
    expect(P.uint32ToFloat(0xffffffff)).toBe(1 - 2 ** -23);
    expect(P.uint32ToFloat(0x00400000)).toBe(0.5);
    expect(P.uint32ToFloat(0xff800000)).toBe(0); // high bits are ignored
  });
});

const N = 100_000;
/** Host values without per-element conversion (10^5 elements). */
const raw = (t: ef.Tensor) => t.dataSync() as Float32Array | Int32Array;
const count = (v: ArrayLike<number>, f: (e: number) => boolean) => {
  let c = 0;
  for (let i = 0; i < v.length; i++) if (f(v[i]!)) c++;
  return c;
};
function moments(v: ArrayLike<number>): { mean: number; std: number; min: number; max: number } {
  let s = 0, s2 = 0, min = Infinity, max = -Infinity;
  for (let i = 0; i < v.length; i++) {
    const e = v[i]!;
    s += e;
    s2 += e * e;
    min = Math.min(min, e);
    max = Math.max(max, e);
  }
  const mean = s / v.length;
  return { mean, std: Math.sqrt(s2 / v.length - mean * mean), min, max };
}

describe('distributions (10^5 samples; bounds are > 5 standard errors)', () => {
  test('randomUniform float', () => {
    const m = moments(raw(ef.randomUniform([N], { minval: -2, maxval: 6, seed: 3 })));
    expect(Math.abs(m.mean - 2)).toBeLessThan(0.04);
    expect(Math.abs(m.std - 8 / Math.sqrt(12))).toBeLessThan(0.02);
    expect(m.min).toBeGreaterThanOrEqual(-2);
    expect(m.max).toBeLessThan(6);
  });

  test('randomUniform int32 covers [minval, maxval) evenly', () => {
    const v = raw(ef.randomUniform([N], { minval: -3, maxval: 7, dtype: 'int32', seed: 4 }));
    const counts = new Array(10).fill(0);
    for (const e of v) counts[e + 3]++;
    for (const c of counts) expect(Math.abs(c - N / 10)).toBeLessThan(600);
    const m = moments(v);
    expect([m.min, m.max]).toEqual([-3, 6]);
  });

  test('randomNormal', () => {
    const m = moments(raw(ef.randomNormal([N], { mean: 1, stddev: 2, seed: 5 })));
    expect(Math.abs(m.mean - 1)).toBeLessThan(0.03);
    expect(Math.abs(m.std - 2)).toBeLessThan(0.03);
    const z = raw(ef.randomNormal([N], { seed: 6 }));
    const within1 = count(z, (e) => Math.abs(e) < 1) / N;
    expect(Math.abs(within1 - 0.6827)).toBeLessThan(0.008);
  });

  test('truncatedNormal respects the bound and the truncated stddev', () => {
    const v = raw(ef.truncatedNormal([N], { mean: -1, stddev: 3, seed: 7 }));
    const m = moments(v);
    expect(m.min).toBeGreaterThan(-1 - 6);
    expect(m.max).toBeLessThan(-1 + 6);
    expect(Math.abs(m.mean + 1)).toBeLessThan(0.04);
    expect(Math.abs(m.std - 3 * 0.87962566103423978)).toBeLessThan(0.03);
    // Re-drawn values: the tails near ±2σ are populated, not piled up at the bound.
    const nearEdge = count(v, (e) => Math.abs(e + 1) > 5.4) / N;
    expect(nearEdge).toBeGreaterThan(0.005);
  });

  test('randomShuffle permutes the first dimension', () => {
    const x = ef.tensor(Array.from({ length: 200 }, (_, i) => [i, -i]));
    const y = ef.randomShuffle(x, { seed: 9 });
    expect(y.shape).toEqual([200, 2]);
    const v = vals(y);
    const firsts = v.filter((_, i) => i % 2 === 0);
    expect([...firsts].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    for (let i = 0; i < 200; i++) expect(v[2 * i + 1]! + v[2 * i]!).toBe(0);
    expect(firsts.filter((e, i) => e === i).length).toBeLessThan(10);
    expect(() => ef.randomShuffle(ef.scalar(1))).toThrow(/randomShuffle: input must have rank >= 1/);
  });

  test('permutations are uniform over 3 elements', () => {
    const counts = new Map<string, number>();
    for (let s = 0; s < 1200; s++) {
      const p = vals(ef.randomShuffle([0, 1, 2], { seed: s })).join('');
      counts.set(p, (counts.get(p) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const c of counts.values()) expect(Math.abs(c - 200)).toBeLessThan(70); // σ ≈ 13
  });
});

describe("TensorFlow's seed rules", () => {
  const u = (seed?: number) => vals(ef.randomUniform([4], { seed }));

  test('op seed only: global defaults to 87654321; repeated calls advance, setRandomSeed restarts', () => {
    ef.setRandomSeed(null);
    const a1 = u(1);
    const a2 = u(1);
    expect(a1).not.toEqual(a2);
    expect(a1).toEqual(Array.from(P.uniformFloats({ key: [87654321, 1], counter: [0, 0] }, 4, 0, 1)));
    expect(a2).toEqual(Array.from(P.uniformFloats({ key: [87654321, 1], counter: [1, 0] }, 4, 0, 1)));
    ef.setRandomSeed(null);
    expect(u(1)).toEqual(a1);
    expect(ef.getSeed(5)).toEqual([ef.DEFAULT_GRAPH_SEED, 5]);
  });

  test('global seed only: op seeds come from a counter; the sequence restarts after setRandomSeed', () => {
    ef.setRandomSeed(42);
    const seq1 = [u(), u(), vals(ef.randomNormal([3])), u()];
    ef.setRandomSeed(42);
    const seq2 = [u(), u(), vals(ef.randomNormal([3])), u()];
    expect(seq2).toEqual(seq1);
    expect(seq1[0]).not.toEqual(seq1[1]);
    expect(seq1[0]).toEqual(Array.from(P.uniformFloats({ key: [42, 0], counter: [0, 0] }, 4, 0, 1)));
    expect(seq1[1]).toEqual(Array.from(P.uniformFloats({ key: [42, 1], counter: [0, 0] }, 4, 0, 1)));
    ef.setRandomSeed(43);
    expect(u()).not.toEqual(seq1[0]);
  });

  test('both seeds: reproducible sequence; other op kinds keep their own counters', () => {
    ef.setRandomSeed(7);
    const a = [u(2), vals(ef.randomNormal([2], { seed: 2 })), u(2)];
    ef.setRandomSeed(7);
    const b0 = u(2);
    const b2 = u(2);
    expect(b0).toEqual(a[0]);
    expect(b2).toEqual(a[2]);
    expect(vals(ef.randomNormal([2], { seed: 2 }))).toEqual(a[1]);
  });

  test('neither seed: fresh values every call', () => {
    ef.setRandomSeed(null);
    expect(u()).not.toEqual(u());
    expect(ef.getSeed()).toBeNull();
  });

  test('seed truncation and the (0, 0) special case', () => {
    ef.setRandomSeed(0);
    expect(ef.getSeed(0)).toEqual([0, 2 ** 31 - 1]);
    ef.setRandomSeed(2 ** 31 - 1 + 5);
    expect(ef.getSeed(-1)).toEqual([5, 2 ** 31 - 2]);
  });

  test('validation errors name the op and argument', () => {
    expect(() => ef.randomUniform([2], { dtype: 'int32' })).toThrow(/randomUniform: maxval must be given for dtype int32/);
    expect(() => ef.randomUniform([2], { dtype: 'int32', minval: 3, maxval: 3 })).toThrow(/randomUniform: int32 needs minval < maxval, found minval 3 and maxval 3/);
    expect(() => ef.randomNormal([2], { stddev: -1 })).toThrow(/randomNormal: stddev must be >= 0, found -1/);
    expect(() => ef.truncatedNormal([2, -1])).toThrow(/truncatedNormal: shape \[2,-1\] must hold non-negative integers/);
    expect(() => ef.randomUniform([2], { seed: 1.5 })).toThrow(/randomUniform: seed must be an integer, found 1.5/);
    expect(() => ef.setRandomSeed(Number.NaN)).toThrow(/setRandomSeed: seed must be an integer/);
  });

  test('a failed call does not advance the sequence', () => {
    ef.setRandomSeed(11);
    const first = u(3);
    ef.setRandomSeed(11);
    expect(() => ef.randomUniform([-1], { seed: 3 })).toThrow();
    expect(u(3)).toEqual(first);
  });
});
