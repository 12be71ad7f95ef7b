/**
 * Convolutions as implicit GEMMs on the tiled matmul kernel (matmul.ts): the operand loaders
 * below compute im2col / col2im addresses on the fly, so no patch matrix is materialized.
 *   conv2d:               [N·OH·OW × KH·KW·Ci] · filter [KH·KW·Ci × Co]   (A = im2col(x))
 *   conv2d_backprop_input: [N·H·W × KH·KW·Co] · filterᵀ [KH·KW·Co × Ci]  (A = col2im(dy))
 *   conv2d_backprop_filter: im2col(x)ᵀ [KH·KW·Ci × N·OH·OW] · dy [N·OH·OW × Co]
 * The filter gradient has a long K and a small output: split-K gives it enough workgroups.
 */
import { defs, type Conv2DAttrs } from '@eagerflow/core';
import type { PooledBuffer } from '../buffer_pool.js';
import type { KernelContext } from '../kernel.js';
import { uw } from '../runtime.js';
import { fillWords } from './fill.js';
import { TILES, planMatmul, runTiled, type Epilogue, type MatmulPlan } from './matmul.js';

export type ConvMode = 'dense' | 'im2col' | 'im2colT' | 'col2im' | 'filterT';

/** Uniform words: the GEMM's 20, then the conv geometry from word 20. */
export const U_WORDS_CONV = 36;
const G = { n: 20, h: 21, w: 22, ci: 23, kh: 24, kw: 25, co: 26, oh: 27, ow: 28, sh: 29, sw: 30, dh: 31, dw: 32, pt: 33, pl: 34 };
const g = (k: keyof typeof G) => uw(G[k]);

/**
 * Loader WGSL, scalar or vec4: with `vec` the operand binds as vec4<f32> and a loader returns 4
 * consecutive taps (channels: the channel count is a multiple of 4, so they are contiguous and
 * aligned in memory) — one 16-byte read instead of four scalar reads with their index math.
 */
const vecWgsl = (code: string, vec: boolean): string =>
  vec ? code.replace(/-> f32/g, '-> vec4<f32>').replace(/return 0\.0;/g, 'return vec4<f32>(0.0);').replace(/return in0\[(.*)\];/g, 'return in0[($1) / 4u];') : code;

const IM2COL = /* wgsl */ `
fn im2col(pos: u32, tap: u32) -> f32 {
  let OH = ${g('oh')}; let OW = ${g('ow')}; let CI = ${g('ci')}; let KW = ${g('kw')};
  let nb = pos / (OH * OW); let r = pos - nb * OH * OW; let oh = r / OW; let ow = r - oh * OW;
  let kh = tap / (KW * CI); let r2 = tap - kh * KW * CI; let kw = r2 / CI; let c = r2 - kw * CI;
  let ih = i32(oh * ${g('sh')} + kh * ${g('dh')}) - i32(${g('pt')});
  let iw = i32(ow * ${g('sw')} + kw * ${g('dw')}) - i32(${g('pl')});
  let H = ${g('h')}; let W = ${g('w')};
  if (ih < 0 || iw < 0 || ih >= i32(H) || iw >= i32(W)) { return 0.0; }
  return in0[((nb * H + u32(ih)) * W + u32(iw)) * CI + c];
}
fn load_im2col(m: u32, k: u32) -> f32 { return im2col(m, k); }
fn load_im2colT(m: u32, k: u32) -> f32 { return im2col(k, m); }
`;
const COL2IM = /* wgsl */ `
fn load_col2im(m: u32, k: u32) -> f32 {
  let H = ${g('h')}; let W = ${g('w')}; let CO = ${g('co')}; let KW = ${g('kw')};
  let nb = m / (H * W); let r = m - nb * H * W; let ih = r / W; let iw = r - ih * W;
  let kh = k / (KW * CO); let r2 = k - kh * KW * CO; let kw = r2 / CO; let co = r2 - kw * CO;
  let th = i32(ih + ${g('pt')}) - i32(kh * ${g('dh')});
  let tw = i32(iw + ${g('pl')}) - i32(kw * ${g('dw')});
  if (th < 0 || tw < 0) { return 0.0; }
  let sh = ${g('sh')}; let sw = ${g('sw')};
  let oh = u32(th) / sh; let ow = u32(tw) / sw;
  if (oh * sh != u32(th) || ow * sw != u32(tw) || oh >= ${g('oh')} || ow >= ${g('ow')}) { return 0.0; }
  return in0[((nb * ${g('oh')} + oh) * ${g('ow')} + ow) * CO + co];
}
`;
const FILTER_T = /* wgsl */ `
fn load_filterT(k: u32, n: u32) -> f32 {
  let CO = ${g('co')}; let KW = ${g('kw')};
  let kh = k / (KW * CO); let r2 = k - kh * KW * CO; let kw = r2 / CO; let co = r2 - kw * CO;
  return in1[((kh * KW + kw) * ${g('ci')} + n) * CO + co];
}
`;

/** WGSL of the loaders a (aMode, bMode) pair uses; `vecA`: A's loaders read vec4 (see vecWgsl). */
export function convLoaders(aMode: ConvMode, bMode: ConvMode, vecA: boolean): string {
  return [
    aMode === 'im2col' || aMode === 'im2colT' ? vecWgsl(IM2COL, vecA) : '',
    aMode === 'col2im' ? vecWgsl(COL2IM, vecA) : '',
    bMode === 'filterT' ? FILTER_T : '',
  ].join('\n');
}

function gemmWords(M: number, N: number, K: number, geo: defs.ConvGeometry): Uint32Array {
  const w = new Uint32Array(U_WORDS_CONV);
  w[0] = M;
  w[1] = N;
  w[2] = K;
  w[4] = 0;
  w[5] = 1;
  for (let i = 0; i < 4; i++) w[8 + i] = 1;
  for (const [k, at] of Object.entries(G)) w[at] = geo[k as keyof defs.ConvGeometry];
  return w;
}

function tiledPlan(ctx: KernelContext, M: number, N: number, K: number): MatmulPlan {
  const plan = planMatmul(M, N, K, 1, ctx.rt.limits['maxComputeInvocationsPerWorkgroup'] ?? 256);
  return plan.kind === 'tiled' ? plan : { kind: 'tiled', tile: TILES.small, splits: 1 };
}

export function isPointwise(geo: defs.ConvGeometry): boolean {
  return geo.kh === 1 && geo.kw === 1 && geo.sh === 1 && geo.sw === 1 && geo.pt === 0 && geo.pl === 0 && geo.oh === geo.h && geo.ow === geo.w;
}

/** conv2d into `dst`; with `epilogue`, act(z + bias) too (fused_conv2d). */
export function conv2dForward(ctx: KernelContext, x: PooledBuffer, f: PooledBuffer, geo: defs.ConvGeometry, dst: PooledBuffer, epilogue?: Epilogue): void {
  const M = geo.n * geo.oh * geo.ow;
  const N = geo.co;
  const K = geo.kh * geo.kw * geo.ci;
  if (M * N === 0) return;
  const w = gemmWords(M, N, K, geo);
  // 1×1, stride 1, no padding: x is already the [N·H·W × Ci] matrix (plain matmul, vec4 loads).
  const pointwise = isPointwise(geo);
  runTiled(ctx, tiledPlan(ctx, M, N, K), { M, N, K, ta: false, tb: false, a: x, b: f, dst, words: w, batches: 1, aMode: pointwise ? 'dense' : 'im2col', vecConvA: geo.ci % 4 === 0, epilogue });
}

export function conv2dBackpropInput(ctx: KernelContext, dy: PooledBuffer, f: PooledBuffer, geo: defs.ConvGeometry, dst: PooledBuffer): void {
  const M = geo.n * geo.h * geo.w;
  const N = geo.ci;
  const K = geo.kh * geo.kw * geo.co;
  if (M * N === 0) return;
  const w = gemmWords(M, N, K, geo);
  if (isPointwise(geo)) {
    // dx = dy · filterᵀ with the filter as a [Ci × Co] matrix: transposed B keeps vec4 loads.
    runTiled(ctx, tiledPlan(ctx, M, N, K), { M, N, K, ta: false, tb: true, a: dy, b: f, dst, words: w, batches: 1 });
    return;
  }
  runTiled(ctx, tiledPlan(ctx, M, N, K), { M, N, K, ta: false, tb: false, a: dy, b: f, dst, words: w, batches: 1, aMode: 'col2im', bMode: 'filterT', vecConvA: geo.co % 4 === 0 });
}

export function conv2dBackpropFilter(ctx: KernelContext, x: PooledBuffer, dy: PooledBuffer, geo: defs.ConvGeometry, dst: PooledBuffer): void {
  const M = geo.kh * geo.kw * geo.ci;
  const N = geo.co;
  const K = geo.n * geo.oh * geo.ow;
  if (M * N === 0) return;
  const w = gemmWords(M, N, K, geo);
  if (K === 0) {
    // No output pixels: zeros by a dispatch (a queue write could run before earlier commands of
    // the open batch that still read this recycled buffer; see recordMatmul).
    fillWords(ctx, dst, M * N, 0);
    return;
  }
  // xᵀ·dy: for 1×1 stride-1 convolutions x is the [N·H·W × Ci] matrix (transposed A, vec4).
  const pointwise = isPointwise(geo);
  runTiled(ctx, tiledPlan(ctx, M, N, K), { M, N, K, ta: true, tb: false, a: x, b: dy, dst, words: w, batches: 1, aMode: pointwise ? 'dense' : 'im2colT', vecConvA: geo.ci % 4 === 0 });
}

export type { Conv2DAttrs };
