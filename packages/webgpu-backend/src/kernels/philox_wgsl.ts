/**
 * WGSL port of core's random/philox.ts (the specification): Philox 4x32-10 with the same
 * counter/key layout, mulhi from 16-bit halves, and the same word → number rules. Uniform and
 * integer words are bit-identical to the CPU; the Box–Muller transcendentals are computed here
 * with exact quadrant reduction (θ = 2π·u2 reduced through u2·4, exact in f32) and cephes-style
 * f32 polynomials, so they do not depend on the driver's sin/cos/log accuracy (Vulkan only
 * promises 2^-11 absolute for sin): results stay within a few f32 ulp of the float64 reference.
 */
import { sizeOf, type RandomNormalAttrs, type RandomStreamAttrs } from '@eagerflow/core';
import { LINEAR_MAIN, WG, type WebGpuKernel } from '../kernel.js';
import { declareBindings, type Program } from '../runtime.js';

export const PHILOX_WGSL = `
fn ef_mulhi(a: u32, b: u32) -> u32 {
  let aLo = a & 0xffffu;
  let aHi = a >> 16u;
  let bLo = b & 0xffffu;
  let bHi = b >> 16u;
  let lolo = aLo * bLo;
  let lohi = aLo * bHi;
  let hilo = aHi * bLo;
  let hihi = aHi * bHi;
  let cross = (lolo >> 16u) + (lohi & 0xffffu) + (hilo & 0xffffu);
  return hihi + (lohi >> 16u) + (hilo >> 16u) + (cross >> 16u);
}

fn ef_philox(ctr: vec4<u32>, key: vec2<u32>) -> vec4<u32> {
  var c0 = ctr.x;
  var c1 = ctr.y;
  var c2 = ctr.z;
  var c3 = ctr.w;
  var k0 = key.x;
  var k1 = key.y;
  for (var r = 0u; r < 10u; r++) {
    if (r > 0u) {
      k0 += 0x9e3779b9u;
      k1 += 0xbb67ae85u;
    }
    let hi0 = ef_mulhi(0xd2511f53u, c0);
    let lo0 = 0xd2511f53u * c0;
    let hi1 = ef_mulhi(0xcd9e8d57u, c2);
    let lo1 = 0xcd9e8d57u * c2;
    let n0 = hi1 ^ c1 ^ k0;
    let n2 = hi0 ^ c3 ^ k1;
    c0 = n0;
    c1 = lo1;
    c2 = n2;
    c3 = lo0;
  }
  return vec4<u32>(c0, c1, c2, c3);
}

// u32 word -> [0, 1): 23 mantissa bits under exponent 0, minus one (exact in f32).
fn ef_u01(w: u32) -> f32 {
  return bitcast<f32>(0x3f800000u | (w & 0x7fffffu)) - 1.0;
}
`;

/** Box–Muller in f32 with its own log/sin/cos (needs PHILOX_WGSL). */
export const BOX_MULLER_WGSL = `
// Natural log for normal positive x (cephes logf): ~1 ulp, also near x = 1.
fn ef_log(x: f32) -> f32 {
  let fe = frexp(x);
  var m = fe.fract;
  var e = f32(fe.exp);
  if (m < 0.70710678118654752440) {
    e -= 1.0;
    m = m + m - 1.0;
  } else {
    m = m - 1.0;
  }
  let z = m * m;
  var y = 7.0376836292e-2;
  y = y * m - 1.1514610310e-1;
  y = y * m + 1.1676998740e-1;
  y = y * m - 1.2420140846e-1;
  y = y * m + 1.4249322787e-1;
  y = y * m - 1.6668057665e-1;
  y = y * m + 2.0000714765e-1;
  y = y * m - 2.4999993993e-1;
  y = y * m + 3.3333331174e-1;
  y = y * m * z;
  y += -2.12194440e-4 * e;
  y += -0.5 * z;
  return m + y + 0.693359375 * e;
}

fn ef_sin_poly(x: f32) -> f32 {
  let z = x * x;
  return ((-1.9515295891e-4 * z + 8.3321608736e-3) * z - 1.6666654611e-1) * z * x + x;
}

fn ef_cos_poly(x: f32) -> f32 {
  let z = x * x;
  return ((2.443315711809948e-5 * z - 1.388731625493765e-3) * z + 4.166664568298827e-2) * z * z - 0.5 * z + 1.0;
}

// Box–Muller of two words: r·sin(2π u2) (branch 0) or r·cos(2π u2) (branch 1).
fn ef_box_muller(w1: u32, w2: u32, branch: u32) -> f32 {
  let u1 = max(ef_u01(w1), 1e-7);
  let u2 = ef_u01(w2);
  let r = sqrt(-2.0 * ef_log(u1));
  // 2π·u2 = (q + f)·π/2 with q = round(4·u2), f in [-1/2, 1/2]: both exact in f32.
  let q4 = u2 * 4.0;
  let q = round(q4);
  let x = (q4 - q) * 1.57079632679489661923;
  let s = ef_sin_poly(x);
  let c = ef_cos_poly(x);
  let quadrant = (u32(q) + branch) & 3u; // cos(θ) = sin(θ + π/2)
  var v: f32;
  switch quadrant {
    case 0u: { v = s; }
    case 1u: { v = c; }
    case 2u: { v = -s; }
    default: { v = -c; }
  }
  return r * v;
}
`;

/**
 * The uniforms every Philox kernel starts with: n, k0, k1, c2, c3 (core's RandomStreamAttrs), in a
 * `words`-long buffer whose remaining words the kernel fills.
 */
export function philoxUniforms(n: number, a: RandomStreamAttrs, words: number): Uint32Array {
  const u = new Uint32Array(words);
  u[0] = n;
  u[1] = a.key[0];
  u[2] = a.key[1];
  u[3] = a.counter[0];
  u[4] = a.counter[1];
  return u;
}

/**
 * A RandomNormalAttrs kernel: `main` is the body of a linear-index entry point (with Philox and
 * Box–Muller available; uniforms n, k0, k1, c2, c3, mean, stddev) handling `perThread` elements.
 */
export function normalKernel(key: string, perThread: number, main: string): WebGpuKernel<RandomNormalAttrs> {
  const program: Program = {
    key,
    inputs: 0,
    outputs: 1,
    uniformWords: 7,
    code: () => `${declareBindings([], ['f32'], 7)}
${PHILOX_WGSL}
${BOX_MULLER_WGSL}
${LINEAR_MAIN} {
${main}
}`,
  };
  return (ctx, _inputs, a, [out]) => {
    const dst = ctx.output(out!);
    const n = sizeOf(a.shape);
    if (n === 0) return [dst];
    const words = philoxUniforms(n, a, 7);
    const f = new Float32Array(words.buffer);
    f[5] = a.mean;
    f[6] = a.stddev;
    ctx.rt.dispatch(program, [], [dst], words, ctx.rt.grid(Math.ceil(n / perThread / WG)));
    return [dst];
  };
}
