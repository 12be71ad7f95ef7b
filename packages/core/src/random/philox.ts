/**
 * Philox 4x32-10 (Salmon et al., "Parallel Random Numbers: As Easy as 1, 2, 3", SC'11), the
 * counter-based generator behind TensorFlow's random ops. Every backend computes the same bits:
 * this file is the specification the WGSL port follows line by line.
 *
 * ## Block function
 *   state (c0, c1, c2, c3): u32 counter, key (k0, k1): u32.
 *   10 rounds; before rounds 2..10 the key is bumped: k0 += 0x9E3779B9, k1 += 0xBB67AE85 (mod 2^32).
 *   One round: (hi0, lo0) = mulhilo(0xD2511F53, c0); (hi1, lo1) = mulhilo(0xCD9E8D57, c2);
 *              (c0, c1, c2, c3) = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0).
 *   Output: the four words of the final state. Known answers (Random123 kat_vectors) are tested.
 *   mulhilo's low word is Math.imul (WGSL: a * b on u32 wraps); the high word is built from
 *   16-bit halves so every partial product stays below 2^32 (exact in f64 and in u32).
 *
 * ## eagerflow's counter/key layout (all random ops)
 *   key     = (k0, k1) = (seed, seed2): the resolved global and op seeds (both < 2^31, see seed.ts).
 *   counter = (c0, c1, c2, c3) = (block, substream, offset_lo, offset_hi):
 *     block      index of the 4-word block inside one op call's output (see each op below);
 *     substream  0, except truncated normal where it numbers re-draws (attempt >> 1);
 *     offset     64-bit number of earlier calls of the same op kind with the same seeds (eager
 *                TensorFlow keeps such a counter per kernel, so repeated calls differ; it restarts
 *                after setRandomSeed). Ops receive (offset_lo, offset_hi) in their attrs.
 *
 * ## Word → number rules (shared helpers below; the WGSL port must use the same formulas)
 *   word stream        word j of a call = lane (j & 3) of block (j >> 2), substream 0.
 *   uniform float      u = bitcast<f32>(0x3F800000 | (w & 0x7FFFFF)) - 1.0: exactly 23 random
 *                      mantissa bits, u in [0, 1 - 2^-23], exact in f32 (TensorFlow's Uint32ToFloat).
 *                      Scaled as f32: minval + u * (maxval - minval), each operation rounded to f32
 *                      (the WGSL port must not fuse it into an fma: compute the product into a var).
 *   uniform int32      minval + (w % (maxval - minval)) with u32 modulo (TensorFlow's int rule).
 *   normal             element i uses block i >> 2 and the word pair p = (i >> 1) & 1, lanes
 *                      (2p, 2p+1) → (u1, u2) uniform floats; u1 = max(u1, 1e-7);
 *                      r = sqrt(-2 ln u1), θ = 2π u2; even i → r sin θ, odd i → r cos θ
 *                      (Box–Muller as TensorFlow's BoxMullerFloat); then mean + stddev * z in f32.
 *   truncated normal   element i, attempt a = 0, 1, …: block i >> 1, substream a >> 1, lanes
 *                      (2(i & 1), 2(i & 1) + 1), branch sin for even a, cos for odd a; the first z
 *                      with |z| < 2 is kept (TensorFlow re-draws values beyond two stddev).
 *   permutation (n)    Fisher–Yates: p = identity; for t = 0 .. n-2: i = n-1-t,
 *                      j = word(t) % (i + 1), swap p[i], p[j].
 *   Math in the JS reference is float64 rounded to f32 at the end; GPU transcendentals (ln, sin,
 *   cos, sqrt) differ by a few ulp, so the normal ops state a small forward tolerance, while the
 *   uniform and integer ops must match bit for bit.
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High 32 bits of the 64-bit product of two u32, from 16-bit halves (portable to WGSL). */
export function mulhi32(a: number, b: number): number {
  const aLo = a & 0xffff;
  const aHi = a >>> 16;
  const bLo = b & 0xffff;
  const bHi = b >>> 16;
  const lolo = aLo * bLo;
  const lohi = aLo * bHi;
  const hilo = aHi * bLo;
  const hihi = aHi * bHi;
  const cross = (lolo >>> 16) + (lohi & 0xffff) + (hilo & 0xffff);
  return (hihi + (lohi >>> 16) + (hilo >>> 16) + (cross >>> 16)) >>> 0;
}

/** One Philox 4x32-10 block: writes 4 u32 words to `out` at `at`. */
export function philox4x32(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: Uint32Array, at = 0): void {
  c0 >>>= 0;
  c1 >>>= 0;
  c2 >>>= 0;
  c3 >>>= 0;
  k0 >>>= 0;
  k1 >>>= 0;
  for (let r = 0; r < 10; r++) {
    if (r > 0) {
      k0 = (k0 + W0) >>> 0;
      k1 = (k1 + W1) >>> 0;
    }
    const hi0 = mulhi32(M0, c0);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi32(M1, c2);
    const lo1 = Math.imul(M1, c2) >>> 0;
    const n0 = (hi1 ^ c1 ^ k0) >>> 0;
    const n2 = (hi0 ^ c3 ^ k1) >>> 0;
    c0 = n0;
    c1 = lo1;
    c2 = n2;
    c3 = lo0;
  }
  out[at] = c0;
  out[at + 1] = c1;
  out[at + 2] = c2;
  out[at + 3] = c3;
}

/** The resolved stream of one random op call: key (seeds) and the 64-bit call offset. */
export interface PhiloxStream {
  /** [seed, seed2] as u32 (the Philox key). */
  readonly key: readonly [number, number];
  /** [offset_lo, offset_hi]: counter words c2, c3. */
  readonly counter: readonly [number, number];
}

/** `n` words of the word stream (word j = lane j & 3 of block j >> 2, substream 0). */
export function philoxWords(stream: PhiloxStream, n: number): Uint32Array {
  const blocks = Math.ceil(n / 4);
  const out = new Uint32Array(blocks * 4);
  const [k0, k1] = stream.key;
  const [c2, c3] = stream.counter;
  for (let b = 0; b < blocks; b++) philox4x32(b, 0, c2, c3, k0, k1, out, b * 4);
  return n === out.length ? out : out.subarray(0, n);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** u32 word → float in [0, 1): 23 mantissa bits under exponent 0, minus one (exact in f32). */
export function uint32ToFloat(w: number): number {
  u32[0] = 0x3f800000 | (w & 0x7fffff);
  return f32[0]! - 1;
}

/** Uniform floats in [minval, maxval), f32 arithmetic as described above. */
export function uniformFloats(stream: PhiloxStream, n: number, minval: number, maxval: number): Float32Array {
  const w = philoxWords(stream, n);
  const out = new Float32Array(n);
  const lo = Math.fround(minval);
  const range = Math.fround(Math.fround(maxval) - lo);
  for (let i = 0; i < n; i++) out[i] = Math.fround(Math.fround(uint32ToFloat(w[i]!) * range) + lo);
  return out;
}

/** Uniform int32 in [minval, maxval): minval + w % (maxval - minval). */
export function uniformInts(stream: PhiloxStream, n: number, minval: number, maxval: number): Int32Array {
  const w = philoxWords(stream, n);
  const out = new Int32Array(n);
  const range = (maxval - minval) >>> 0;
  for (let i = 0; i < n; i++) out[i] = (minval + (w[i]! % range)) | 0;
  return out;
}

const TWO_PI = 2 * Math.PI;
const BM_EPS = 1e-7;

/** Box–Muller of two words: the sin (branch 0) or cos (branch 1) value. */
export function boxMuller(w1: number, w2: number, branch: number): number {
  const u1 = Math.max(uint32ToFloat(w1), BM_EPS);
  const theta = TWO_PI * uint32ToFloat(w2);
  const r = Math.sqrt(-2 * Math.log(u1));
  return branch === 0 ? r * Math.sin(theta) : r * Math.cos(theta);
}

/** Normal samples (see the layout above), mean + stddev * z rounded to f32. */
export function normalFloats(stream: PhiloxStream, n: number, mean: number, stddev: number): Float32Array {
  const w = philoxWords(stream, Math.ceil(n / 4) * 4);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const base = (i >>> 2) * 4 + ((i >>> 1) & 1) * 2;
    const z = Math.fround(boxMuller(w[base]!, w[base + 1]!, i & 1));
    out[i] = Math.fround(mean + stddev * z);
  }
  return out;
}

/** Truncated normal samples: per element, successive attempts until |z| < 2. */
export function truncatedNormalFloats(stream: PhiloxStream, n: number, mean: number, stddev: number): Float32Array {
  const out = new Float32Array(n);
  const block = new Uint32Array(4);
  const [k0, k1] = stream.key;
  const [c2, c3] = stream.counter;
  for (let i = 0; i < n; i++) {
    const lane = (i & 1) * 2;
    let z = 0;
    for (let a = 0; ; a++) {
      if ((a & 1) === 0) philox4x32(i >>> 1, a >>> 1, c2, c3, k0, k1, block);
      z = Math.fround(boxMuller(block[lane]!, block[lane + 1]!, a & 1));
      if (Math.abs(z) < 2) break;
    }
    out[i] = Math.fround(mean + stddev * z);
  }
  return out;
}

/** A random permutation of 0..n-1 (Fisher–Yates over the word stream). */
export function permutation(stream: PhiloxStream, n: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  if (n < 2) return p;
  const w = philoxWords(stream, n - 1);
  for (let t = 0; t < n - 1; t++) {
    const i = n - 1 - t;
    const j = w[t]! % (i + 1);
    const tmp = p[i]!;
    p[i] = p[j]!;
    p[j] = tmp;
  }
  return p;
}
