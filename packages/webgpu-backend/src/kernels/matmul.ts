/**
 * Batched matmul C = op(A)·op(B), batch dimensions broadcast through strides in uniforms.
 *
 * Tiled kernel: a workgroup computes a BM×BN tile of C; each thread TM×TN outputs (4×4 or 8×8)
 * held in vec4 registers; A and B k-slices of depth TK are staged in workgroup memory as vec4
 * along M and N, so the inner loop is vec4 loads + vec4 FMAs whatever the transposes. Global
 * loads are vec4 along the contiguous axis of each operand (K for A, N for B, M for Aᵀ, K for Bᵀ)
 * whenever that axis is a multiple of 4: transposed operands keep vec4 (the backward passes use
 * them). Bounds checks are compiled out when M, N, K fit the tile. The tile follows the shape
 * (128×128 for large outputs, 64×64, 32×32 for small, 128×32 / 128×16 for N ≤ 32 with many
 * rows), and split-K adds workgroups when the output has too few tiles for the device (partials
 * summed by a column reduction). Optional register prefetch (TileConfig.prefetch): the next
 * k-tile is read into registers during the FMAs and stored into a second workgroup buffer, one
 * barrier per k-step. Every operand loader (the conv ones of conv_gemm.ts too) works in both loops.
 * Optional grouped launch order (TileConfig.swizzle) for L2 reuse between workgroups in flight.
 * Vector cases (M = 1 or N = 1): one workgroup per output with a tree over K, or one thread per
 * output when there are many outputs.
 */
import { broadcastStrides, defs, sizeOf, type FusedActivation, type MatmulAttrs, type TensorInfo } from '@eagerflow/core';
import type { PooledBuffer } from '../buffer_pool.js';
import { LINEAR_INDEX, LINEAR_MAIN, WG, collapseDims, type GpuInput, type KernelContext, type WebGpuKernel } from '../kernel.js';
import { WGSL_SCALAR_PRELUDE, scalarToWgsl } from '../wgsl/scalar_expr.js';
import { runElementwise } from './elementwise.js';
import { fillWords } from './fill.js';
import { cachedProgram, declareBindings, uw, type Program } from '../runtime.js';
import { U_WORDS_CONV, convLoaders, type ConvMode } from './conv_gemm.js';
import { reduceInto } from './reduce.js';

export interface TileConfig {
  readonly name: string;
  /** Threads along N and M. */
  readonly wx: number;
  readonly wy: number;
  /** Outputs per thread along M and N (multiples of 4). */
  readonly tm: number;
  readonly tn: number;
  /** K depth of a workgroup-memory tile (multiple of 4). */
  readonly tk: number;
  /**
   * Register prefetch (double-buffered k-loop): the next k-tile is read from global memory into
   * registers while the current one is multiplied, then stored into a second workgroup buffer —
   * one barrier per k-step instead of two, twice the workgroup memory. Unset: `matmulTuning.prefetch`.
   */
  readonly prefetch?: boolean;
  /**
   * Grouped launch order (Triton's GROUP_M): consecutive workgroups walk `swizzle` rows of tiles
   * column by column instead of one whole row, so the workgroups in flight share A rows and B
   * columns in L2 (at 4096³ B is 64 MB, more than an H100's L2: row-major order reads it once
   * per tile row). 0 or 1: row-major. Unset: `matmulTuning.swizzle`.
   */
  readonly swizzle?: number;
}

export type TileName = 'wide' | 'large' | 'medium' | 'small' | 'tall' | 'tall16';

export const TILES: Record<TileName, TileConfig> = {
  // 64×128 tile, 4×8 outputs per thread: on an H100 the fastest at 4096³ (34.3 TFLOP/s vs 31.8
  // for 128×128 with 8×8); 128×128 stays ahead at 2048³.
  wide: { name: 'wide', wx: 16, wy: 16, tm: 4, tn: 8, tk: 16 },
  large: { name: 'large', wx: 16, wy: 16, tm: 8, tn: 8, tk: 16 },
  medium: { name: 'medium', wx: 16, wy: 16, tm: 4, tn: 4, tk: 16 },
  small: { name: 'small', wx: 8, wy: 8, tm: 4, tn: 4, tk: 16 },
  // Skinny outputs (N ≤ 32: convolutions with few output channels, e.g. M = 50176, N = 32):
  // 128×32 and 128×16 tiles instead of a mostly idle 32- to 128-wide one.
  tall: { name: 'tall', wx: 8, wy: 16, tm: 8, tn: 4, tk: 16 },
  tall16: { name: 'tall16', wx: 4, wy: 32, tm: 4, tn: 4, tk: 16 },
};

/** Tuning knobs (tests and benchmarks may change them). */
export const matmulTuning = {
  /** Workgroups wanted in flight; fewer tiles than this means a smaller tile or split-K. */
  targetWorkgroups: 256,
  /** Smallest K slice per split. */
  minSplitK: 256,
  maxSplits: 16,
  /** Force one tile config by name or object (benchmarks); null picks by shape. */
  forceTile: null as null | TileName | TileConfig,
  /** Register prefetch for tiles that do not set `prefetch` themselves (see TileConfig.prefetch). */
  prefetch: false,
  /** Launch-order group for tiles that do not set `swizzle` themselves (see TileConfig.swizzle). */
  swizzle: 0,
  /** Skinny tiles ('tall', 'tall16') for N ≤ 32 when they give at least `skinnyMinTiles` workgroups. */
  skinny: true,
  skinnyMinTiles: 128,
};

const U_WORDS = 20;
// Uniform words: 0 M, 1 N, 2 K, 3 kChunk, 4 batchRank, 5 batches, 6 splits, 7 zBase,
// 8..11 batch shape, 12..15 A batch strides, 16..19 B batch strides (elements).

const BATCH_FN = `
fn batchOffsets(b: u32) -> vec2<u32> {
  var rem = b;
  var oa = 0u;
  var ob = 0u;
  for (var d = i32(${uw(4)}) - 1; d >= 0; d--) {
    let sz = u.d[2][d];
    let q = rem / sz;
    let c = rem - q * sz;
    rem = q;
    oa += c * u.d[3][d];
    ob += c * u.d[4][d];
  }
  return vec2<u32>(oa, ob);
}`;

interface TiledKey {
  cfg: TileConfig;
  ta: boolean;
  tb: boolean;
  vecA: boolean;
  vecB: boolean;
  vecOut: boolean;
  fitM: boolean;
  fitN: boolean;
  fitK: boolean;
  /** Implicit-GEMM operand loaders for convolutions (conv_gemm.ts); 'dense' for matmul. */
  aMode?: ConvMode;
  bMode?: ConvMode;
  /** act(z + bias[n]) applied as the tile is stored (the fused ops); bias is input 2. */
  epilogue?: FusedActivation;
}

/** One operand's k-tile load: the [tk, B] slice of A (x = 'm', rows from m0) or of B (x = 'n'). */
interface TileLoad {
  T: number;
  tk: number;
  fitK: boolean;
  x: 'm' | 'n';
  tile: string;
  input: string;
  off: string;
  B: number;
  vec: boolean;
  /** The operand is stored [K, dim] in global memory (A transposed, B not). */
  kMajor: boolean;
  fit: boolean;
  mode: ConvMode | 'dense';
  load: (g: string) => string;
}

/** WGSL pieces of a tile load, per load index `l` (one vec4 or scalar per thread and round). */
interface LoadParts {
  /** Loads per tile. */
  count: number;
  type: 'vec4<f32>' | 'f32';
  /** Statements deriving the tile coordinates from `l`. */
  index: string;
  /** Statements reading the element for `l` of the k-tile starting at `k0` into `dst` (0 outside the matrix). */
  fetch: (dst: string, k0: string) => string;
  /** Statements writing `v` into the tile (k-major, vec4 along m or n); `at` prefixes the index ('' or 'offset + '). */
  store: (v: string, at: string) => string;
}

function loadParts(s: TileLoad): LoadParts {
  const { tk, x, tile, input, off, B, vec, kMajor } = s;
  const B4 = B / 4;
  const D = x.toUpperCase();
  const g = `g${x}`;
  const checked = !(s.fit && s.fitK);
  const read = (dst: string, zero: string, expr: string, check: boolean) =>
    check ? `${dst} = ${zero}; if (${g} < ${D} && gk < kEnd) { ${dst} = ${expr}; }` : `${dst} = ${expr};`;
  if (vec && !kMajor) {
    return {
      count: (B * tk) / 4,
      type: 'vec4<f32>',
      index: `let row = l / ${tk / 4}u; let kc = l - row * ${tk / 4}u;`,
      fetch: (dst, k0) => `let ${g} = ${x}0 + row; let gk = ${k0} + kc * 4u;
        ${read(dst, 'vec4<f32>(0.0)', s.mode === 'dense' ? `${input}[(${off} + ${g} * K + gk) / 4u]` : s.load(g), checked)}`,
      store: (v, at) => `let ti = ${at}kc * ${B}u + row / 4u; let c = row % 4u;
        ${[0, 1, 2, 3].map((j) => `${tile}[ti${j ? ` + ${j * B4}u` : ''}][c] = ${v}.${'xyzw'[j]};`).join(' ')}`,
    };
  }
  if (vec) {
    return {
      count: (B * tk) / 4,
      type: 'vec4<f32>',
      index: `let kr = l / ${B4}u; let xc = l - kr * ${B4}u;`,
      fetch: (dst, k0) => `let gk = ${k0} + kr; let ${g} = ${x}0 + xc * 4u;
        ${read(dst, 'vec4<f32>(0.0)', s.mode === 'dense' ? `${input}[(${off} + gk * ${D} + ${g}) / 4u]` : s.load(g), checked)}`,
      store: (v, at) => `${tile}[${at}l] = ${v};`,
    };
  }
  const dense = `${input}[${off} + ${kMajor ? `gk * ${D} + ${g}` : `${g} * K + gk`}]`;
  return {
    count: B * tk,
    type: 'f32',
    index: kMajor ? `let kk = l / ${B}u; let rc = l - kk * ${B}u;` : `let rc = l / ${tk}u; let kk = l - rc * ${tk}u;`,
    fetch: (dst, k0) => `let ${g} = ${x}0 + rc; let gk = ${k0} + kk;
        ${read(dst, '0.0', s.mode === 'dense' ? dense : s.load(g), true)}`,
    store: (v, at) => `${tile}[${at}kk * ${B4}u + rc / 4u][rc % 4u] = ${v};`,
  };
}

/** Plain k-loop: each thread loads its share of the k-tile at `k0` straight into workgroup memory. */
function loadDirect(s: TileLoad): string {
  const p = loadParts(s);
  return `    for (var r = 0u; r < ${Math.ceil(p.count / s.T)}u; r++) {
      let l = r * ${s.T}u + lid;
      ${p.count % s.T ? `if (l < ${p.count}u) {` : '{'}
        ${p.index}
        var v: ${p.type};
        ${p.fetch('v', 'k0')}
        ${p.store('v', '')}
      }
    }`;
}

/** Register prefetch: the rounds of a tile load unrolled, round r going through register `${reg}${r}`. */
function loadRounds(s: TileLoad, body: (p: LoadParts, reg: string) => string, reg: string): string {
  const p = loadParts(s);
  const L: string[] = [];
  for (let r = 0; r * s.T < p.count; r++) {
    const guard = (r + 1) * s.T > p.count ? `if (l < ${p.count}u) ` : '';
    L.push(`    { let l = ${r * s.T}u + lid; ${guard}{
        ${p.index}
        ${body(p, `${reg}${r}`)}
    } }`);
  }
  return L.join('\n');
}

function registersOf(s: TileLoad, reg: string): string {
  const p = loadParts(s);
  return Array.from({ length: Math.ceil(p.count / s.T) }, (_, r) => `  var ${reg}${r}: ${p.type};`).join('\n');
}
const fetchInto = (s: TileLoad, reg: string) => loadRounds(s, (p, v) => p.fetch(v, 'k0'), reg);
const storeFrom = (s: TileLoad, reg: string, at: string) => loadRounds(s, (p, v) => p.store(v, at), reg);

/** WGSL of the FMA loop over one k-tile pair; `aAt`/`bAt` prefix the tile indexes ('' or 'offset + '). */
function multiplyTiles(cfg: TileConfig, aAt: string, bAt: string): string {
  const { wx, wy, tm, tn, tk } = cfg;
  const BM4 = (wy * tm) / 4;
  const BN4 = (wx * tn) / 4;
  const TM4 = tm / 4;
  const TN4 = tn / 4;
  const L = [`    for (var kk = 0u; kk < ${tk}u; kk++) {`];
  for (let i = 0; i < TM4; i++) L.push(`      let a${i} = As[${aAt}kk * ${BM4}u + ${i * wy}u + ty];`);
  for (let j = 0; j < TN4; j++) L.push(`      let b${j} = Bs[${bAt}kk * ${BN4}u + ${j * wx}u + tx];`);
  for (let i = 0; i < TM4; i++) {
    for (let r = 0; r < 4; r++) {
      for (let j = 0; j < TN4; j++) L.push(`      acc[${(i * 4 + r) * TN4 + j}] = fma(vec4<f32>(a${i}[${r}]), b${j}, acc[${(i * 4 + r) * TN4 + j}]);`);
    }
  }
  L.push('    }');
  return L.join('\n');
}

/** WGSL setting the tile's first row `m0` and column `n0` from the workgroup id (see TileConfig.swizzle). */
function tileOrigin(group: number, BM: number, BN: number): string {
  if (!group) return `  let m0 = wid.y * ${BM}u;
  let n0 = wid.x * ${BN}u;`;
  // Group g holds tile rows [g·G, g·G + rows) × every column, numbered down each column first.
  return `  let lin = wid.y * nwg.x + wid.x;
  let perGroup = ${group}u * nwg.x;
  let grp = lin / perGroup;
  let rows = min(nwg.y - grp * ${group}u, ${group}u);
  let inGroup = lin - grp * perGroup;
  let m0 = (grp * ${group}u + inGroup % rows) * ${BM}u;
  let n0 = (inGroup / rows) * ${BN}u;`;
}

/**
 * WGSL `epilogue4(v, n, N)`: the fused ops' act(z + bias) on the four outputs at columns n…n+3,
 * from the activation's elementwise row (the bias reads stay inside [0, N) on ragged edges).
 */
function epilogueFn(act: FusedActivation): string {
  const body = scalarToWgsl(defs.EPILOGUES[act].elementwise!.expr, 'f32');
  return `fn epilogue1(a: f32, b: f32) -> f32 { return ${body}; }
fn epilogue4(v: vec4<f32>, n: u32, N: u32) -> vec4<f32> {
  var r = v;
  for (var c = 0u; c < 4u; c++) { if (n + c < N) { r[c] = epilogue1(v[c], in2[n + c]); } }
  return r;
}`;
}

/** Workgroup memory of a tile config in bytes (both operands, both buffers when prefetching). */
export function tileStorageBytes(cfg: TileConfig): number {
  return (cfg.prefetch ? 2 : 1) * cfg.tk * (cfg.wy * cfg.tm + cfg.wx * cfg.tn) * 4;
}

function tiledProgram(k: TiledKey): Program {
  const { cfg, ta, tb, vecA, vecB, vecOut, fitM, fitN, fitK } = k;
  const aMode = k.aMode ?? 'dense';
  const bMode = k.bMode ?? 'dense';
  const prefetch = !!cfg.prefetch;
  const group = cfg.swizzle && cfg.swizzle > 1 ? cfg.swizzle : 0;
  const epilogue = k.epilogue;
  const key = `matmul|${cfg.wx}x${cfg.wy}x${cfg.tm}x${cfg.tn}x${cfg.tk}|pf${+prefetch}|sw${group}|${ta ? 'T' : 'N'}${tb ? 'T' : 'N'}|v${+vecA}${+vecB}${+vecOut}|fit${+fitM}${+fitN}${+fitK}|${aMode}|${bMode}|ep:${epilogue ?? ''}`;
  return cachedProgram(key, () => {
    const { wx, wy, tm, tn, tk } = cfg;
    const BM = wy * tm;
    const BN = wx * tn;
    const T = wx * wy;
    const TN4 = tn / 4;
    const bufs = prefetch ? 2 : 1;
    const code = () => {
      const L: string[] = [];
      const inTypes = [vecA ? 'vec4<f32>' : 'f32', vecB ? 'vec4<f32>' : 'f32', ...(epilogue ? ['f32'] : [])];
      L.push(declareBindings(inTypes, [vecOut ? 'vec4<f32>' : 'f32'], aMode === 'dense' && bMode === 'dense' ? U_WORDS : U_WORDS_CONV));
      if (epilogue) L.push(WGSL_SCALAR_PRELUDE, epilogueFn(epilogue));
      if (aMode !== 'dense' || bMode !== 'dense') L.push(convLoaders(aMode, bMode, vecA));
      L.push(`var<workgroup> As: array<vec4<f32>, ${(bufs * tk * BM) / 4}>;`);
      L.push(`var<workgroup> Bs: array<vec4<f32>, ${(bufs * tk * BN) / 4}>;`);
      L.push(BATCH_FN);
      L.push(`@compute @workgroup_size(${wx}, ${wy})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let M = ${uw(0)};
  let N = ${uw(1)};
  let K = ${uw(2)};
  let tx = lid3.x;
  let ty = lid3.y;
  let lid = ty * ${wx}u + tx;
  let z = wid.z + ${uw(7)};
  let batches = ${uw(5)};
  let split = z / batches;
  let bi = z - split * batches;
  let offs = batchOffsets(bi);
  let aOff = offs.x;
  let bOff = offs.y;
${tileOrigin(group, BM, BN)}
  let kBegin = split * ${uw(3)};
  let kEnd = min(K, kBegin + ${uw(3)});
  var acc: array<vec4<f32>, ${tm * TN4}>;
  for (var i = 0u; i < ${tm * TN4}u; i++) { acc[i] = vec4<f32>(0.0); }`);
      // A k-tile goes to As[k][m] (vec4 along m), B's to Bs[k][n] (vec4 along n).
      const side = { T, tk, fitK };
      const A: TileLoad = { ...side, x: 'm', tile: 'As', input: 'in0', off: 'aOff', B: BM, vec: vecA, kMajor: ta, fit: fitM, mode: aMode, load: (g) => `load_${aMode}(${g}, gk)` };
      const B: TileLoad = { ...side, x: 'n', tile: 'Bs', input: 'in1', off: 'bOff', B: BN, vec: vecB, kMajor: !tb, fit: fitN, mode: bMode, load: (g) => `load_${bMode}(gk, ${g})` };
      if (!prefetch) {
        L.push(`  for (var k0 = kBegin; k0 < kEnd; k0 += ${tk}u) {`, loadDirect(A), loadDirect(B), '    workgroupBarrier();', multiplyTiles(cfg, '', ''), '    workgroupBarrier();', '  }');
      } else {
        // Ping-pong, one barrier per k-step: step s multiplies k-tile s from one buffer while tile
        // s+1 is read into registers, then stores those into the other buffer and barriers. The
        // buffer written at step s was last read at step s-1, before that step's barrier.
        const aSize = (tk * BM) / 4;
        const bSize = (tk * BN) / 4;
        L.push(registersOf(A, 'pa'), registersOf(B, 'pb'), '  {', '    let k0 = kBegin;', fetchInto(A, 'pa'), fetchInto(B, 'pb'), storeFrom(A, 'pa', ''), storeFrom(B, 'pb', ''), `  }
  workgroupBarrier();
  var ping = 0u;
  for (var ks = kBegin; ks < kEnd; ks += ${tk}u) {
    let k0 = ks + ${tk}u;
    let more = k0 < kEnd;
    let aRd = ping * ${aSize}u;
    let bRd = ping * ${bSize}u;
    if (more) {`, fetchInto(A, 'pa'), fetchInto(B, 'pb'), '    }', multiplyTiles(cfg, 'aRd + ', 'bRd + '), `    if (more) {
      let aSt = ${aSize}u - aRd;
      let bSt = ${bSize}u - bRd;`, storeFrom(A, 'pa', 'aSt + '), storeFrom(B, 'pb', 'bSt + '), `    }
    workgroupBarrier();
    ping = 1u - ping;
  }`);
      }
      L.push('  let outBase = split * batches * M * N + bi * M * N;');
      // ---- store ----
      for (let i = 0; i < tm / 4; i++) {
        for (let r = 0; r < 4; r++) {
          L.push(`  {
    let m = m0 + ${i * wy * 4}u + ty * 4u + ${r}u;`);
          for (let j = 0; j < TN4; j++) {
            const accIdx = (i * 4 + r) * TN4 + j;
            L.push(`    {
      let n = n0 + ${j * wx * 4}u + tx * 4u;
      let v = ${epilogue ? `epilogue4(acc[${accIdx}], n, N)` : `acc[${accIdx}]`};`);
            if (vecOut) {
              L.push(fitM && fitN ? '      out0[(outBase + m * N + n) / 4u] = v;' : '      if (m < M && n < N) { out0[(outBase + m * N + n) / 4u] = v; }');
            } else {
              L.push(`      if (m < M) {
        let o = outBase + m * N + n;
        if (n < N) { out0[o] = v.x; }
        if (n + 1u < N) { out0[o + 1u] = v.y; }
        if (n + 2u < N) { out0[o + 2u] = v.z; }
        if (n + 3u < N) { out0[o + 3u] = v.w; }
      }`);
            }
            L.push('    }');
          }
          L.push('  }');
        }
      }
      L.push('}');
      return L.join('\n');
    };
    return { inputs: epilogue ? 3 : 2, outputs: 1, uniformWords: aMode === 'dense' && bMode === 'dense' ? U_WORDS : U_WORDS_CONV, code };
  });
}

/** Element (m, k) of A and (k, n) of B for the vector kernels. */
/** WGSL of the one-output-per-index matmul programs: M, N, K from the uniforms ... */
const DIMS = `  let M = ${uw(0)};
  let N = ${uw(1)};
  let K = ${uw(2)};`;
/** ... and output index i → batch bi, row m, column n and the batch's operand offsets. */
const OUTPUT_COORDS = `  let bi = i / (M * N);
  let mn = i - bi * M * N;
  let m = mn / N;
  let n = mn - m * N;
  let offs = batchOffsets(bi);
  let aOff = offs.x;
  let bOff = offs.y;`;
const aAt = (ta: boolean) => (ta ? 'in0[aOff + k * M + m]' : 'in0[aOff + m * K + k]');
const bAt = (tb: boolean) => (tb ? 'in1[bOff + n * K + k]' : 'in1[bOff + k * N + n]');

/** One thread per output (many outputs, M = 1 or N = 1). Output index over (batch, m, n). */
function naiveProgram(ta: boolean, tb: boolean): Program {
  return cachedProgram(`matmul_naive|${+ta}${+tb}`, () => ({
    inputs: 2,
    outputs: 1,
    uniformWords: U_WORDS,
    code: () => `${declareBindings(['f32', 'f32'], ['f32'], U_WORDS)}
${BATCH_FN}
${LINEAR_MAIN} {
  let i = ${LINEAR_INDEX};
${DIMS}
  if (i >= ${uw(5)} * M * N) { return; }
${OUTPUT_COORDS}
  var acc = 0.0;
  for (var k = 0u; k < K; k++) { acc = fma(${aAt(ta)}, ${bAt(tb)}, acc); }
  out0[i] = acc;
}`,
  }));
}

/** One workgroup per output: threads stride over K, then a workgroup tree (few outputs, long K). */
function dotProgram(ta: boolean, tb: boolean): Program {
  return cachedProgram(`matmul_dot|${+ta}${+tb}`, () => ({
    inputs: 2,
    outputs: 1,
    uniformWords: U_WORDS,
    code: () => `${declareBindings(['f32', 'f32'], ['f32'], U_WORDS)}
${BATCH_FN}
var<workgroup> part: array<f32, ${WG}>;
${LINEAR_MAIN} {
  let i = wid.y * nwg.x + wid.x;
${DIMS}
  let valid = i < ${uw(5)} * M * N;
${OUTPUT_COORDS}
  var acc = 0.0;
  if (valid) {
    for (var k = lid; k < K; k += ${WG}u) { acc = fma(${aAt(ta)}, ${bAt(tb)}, acc); }
  }
  part[lid] = acc;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { part[lid] = part[lid] + part[lid + s]; }
    workgroupBarrier();
  }
  if (lid == 0u && valid) { out0[i] = part[0]; }
}`,
  }));
}

export interface MatmulPlan {
  kind: 'tiled' | 'naive' | 'dot';
  tile?: TileConfig;
  splits: number;
}

/** Picks the kernel, tile and split-K factor from the shape (exported for tests and benchmarks). */
export function planMatmul(m: number, n: number, k: number, batches: number, maxInvocations: number): MatmulPlan {
  if ((m === 1 || n === 1) && batches * m * n <= 4096 && k >= 512) return { kind: 'dot', splits: 1 };
  if ((m === 1 || n === 1) && !matmulTuning.forceTile) return { kind: 'naive', splits: 1 };
  const forced = matmulTuning.forceTile;
  const tiles = (c: TileConfig) => Math.ceil(m / (c.wy * c.tm)) * Math.ceil(n / (c.wx * c.tn)) * batches;
  const target = matmulTuning.targetWorkgroups;
  let tile: TileConfig;
  const skinny = n <= 16 ? TILES.tall16 : TILES.tall;
  if (forced) tile = typeof forced === 'string' ? TILES[forced] : forced;
  else if (matmulTuning.skinny && n <= 32 && maxInvocations >= 128 && tiles(skinny) >= matmulTuning.skinnyMinTiles) tile = skinny;
  else if (maxInvocations >= 256 && tiles(TILES.large) >= 4 * target) tile = TILES.wide;
  else if (maxInvocations >= 256 && tiles(TILES.large) >= target && m >= 128 && n >= 128) tile = TILES.large;
  // Square-ish outputs too small for enough large tiles (1024³): wide tiles split along K fill
  // the device (27 TFLOP/s on an H100 vs 22 for 64×64 tiles unsplit).
  else if (maxInvocations >= 256 && m >= 256 && n >= 256 && k >= 2 * matmulTuning.minSplitK && 2 * tiles(TILES.wide) >= target) tile = TILES.wide;
  else if (maxInvocations >= 256 && tiles(TILES.medium) >= target / 2 && m >= 64 && n >= 64) tile = TILES.medium;
  else tile = m >= 48 && n >= 48 && maxInvocations >= 256 ? TILES.medium : TILES.small;
  if (tile.prefetch === undefined && matmulTuning.prefetch) tile = { ...tile, prefetch: true };
  if (tile.swizzle === undefined && matmulTuning.swizzle > 1) tile = { ...tile, swizzle: matmulTuning.swizzle };
  let splits = 1;
  const t = tiles(tile);
  if (t < target && k >= 2 * matmulTuning.minSplitK) {
    splits = Math.min(matmulTuning.maxSplits, Math.ceil(target / t), Math.floor(k / matmulTuning.minSplitK));
  }
  return { kind: 'tiled', tile, splits: Math.max(1, splits) };
}

export const matmul: WebGpuKernel<MatmulAttrs> = (ctx, [a, b], attrs, [out]) => [recordMatmul(ctx, a!, b!, attrs, out!)];

/** The fused ops' epilogue act(z + bias): the activation and the [N] bias. */
export interface Epilogue {
  activation: FusedActivation;
  bias: GpuInput;
}

/** Records act(z + bias) over `z` ([rows, N]) into `dst` as one elementwise dispatch. */
function epilogueDispatch(ctx: KernelContext, z: PooledBuffer, e: Epilogue, rows: number, N: number, dst: PooledBuffer): void {
  const info = { shape: [rows, N], dtype: 'float32' as const };
  runElementwise(ctx, defs.EPILOGUES[e.activation], [{ ...info, buf: z }, e.bias], {}, info, dst);
}

/**
 * Records op(A)·op(B) (and the epilogue, when given) into a fresh output buffer. The tiled kernel
 * applies the epilogue in its store; the vector kernels, K = 0 and split-K write z to scratch
 * memory and one elementwise dispatch applies it.
 */
export function recordMatmul(ctx: KernelContext, a: GpuInput, b: GpuInput, { transposeA: ta, transposeB: tb }: MatmulAttrs, out: TensorInfo, epilogue?: Epilogue): PooledBuffer {
  const dst = ctx.output(out);
  const shape = out.shape;
  const r = shape.length;
  const M = shape[r - 2]!;
  const N = shape[r - 1]!;
  const ar = a.shape.length;
  const K = ta ? a.shape[ar - 2]! : a.shape[ar - 1]!;
  const batchShape = shape.slice(0, -2);
  const batches = sizeOf(batchShape);
  if (M * N * batches === 0) return dst;
  const plan = planMatmul(M, N, K, batches, ctx.rt.limits['maxComputeInvocationsPerWorkgroup'] ?? 256);
  if (plan.kind === 'tiled' && K > 0) {
    runTiled(ctx, plan, { M, N, K, ta, tb, a: a.buf, b: b.buf, dst, words: matmulWords(a.shape, b.shape, batchShape, M, N, K), batches, epilogue });
    return dst;
  }
  const z = epilogue ? ctx.scratch(batches * M * N * 4) : dst;
  // K = 0: zeros by a dispatch, not queue.writeBuffer: an output buffer may be one freed while
  // commands recorded in the open batch still read it, and a queue write would run before them.
  if (K === 0) fillWords(ctx, z, batches * M * N, 0);
  else {
    const words = matmulWords(a.shape, b.shape, batchShape, M, N, K);
    words[3] = K;
    words[6] = 1;
    const program = plan.kind === 'dot' ? dotProgram(ta, tb) : naiveProgram(ta, tb);
    const groups = plan.kind === 'dot' ? batches * M * N : Math.ceil((batches * M * N) / WG);
    ctx.rt.dispatch(program, [a.buf, b.buf], [z], words, ctx.rt.grid(groups));
  }
  if (epilogue) epilogueDispatch(ctx, z, epilogue, batches * M, N, dst);
  return dst;
}

/** Uniform words of a matmul: M, N, K and the batch layout (strides in elements, 0 where broadcast, merged). */
function matmulWords(aShape: readonly number[], bShape: readonly number[], batchShape: number[], M: number, N: number, K: number): Uint32Array {
  const matStrides = (s: readonly number[]) => {
    const bs = s.slice(0, -2);
    const mat = s[s.length - 1]! * s[s.length - 2]!;
    return broadcastStrides(bs, batchShape).map((x, i) => (batchShape[i] === 1 ? 0 : x * mat));
  };
  const c = collapseDims(batchShape, [matStrides(aShape), matStrides(bShape)]);
  if (c.shape.length > 4) throw new Error(`webgpu matmul: more than 4 distinct broadcast batch dimensions (${batchShape.join('x')}) are not supported`);
  const words = new Uint32Array(U_WORDS);
  words[0] = M;
  words[1] = N;
  words[2] = K;
  words[4] = c.shape.length;
  words[5] = sizeOf(batchShape);
  for (let i = 0; i < 4; i++) {
    words[8 + i] = c.shape[i] ?? 1;
    words[12 + i] = c.strides[0]![i] ?? 0;
    words[16 + i] = c.strides[1]![i] ?? 0;
  }
  return words;
}

export interface TiledRun {
  M: number;
  N: number;
  K: number;
  ta: boolean;
  tb: boolean;
  a: PooledBuffer;
  b: PooledBuffer;
  dst: PooledBuffer;
  /** Uniform words (M, N, K and batch layout filled in; kChunk, splits, zBase set here). */
  words: Uint32Array;
  batches: number;
  aMode?: ConvMode;
  bMode?: ConvMode;
  /** A's conv loader may read vec4 (4 consecutive taps are contiguous: channels a multiple of 4). */
  vecConvA?: boolean;
  /** act(z + bias) on the result (the fused ops). */
  epilogue?: Epilogue;
}

/** Records the tiled GEMM (and the split-K reduction) for `plan`. */
export function runTiled(ctx: KernelContext, plan: MatmulPlan, r: TiledRun): void {
  const { M, N, K, ta, tb, words, batches } = r;
  let cfg = plan.tile!;
  // Double buffers that do not fit the device's workgroup memory: the plain loop.
  if (cfg.prefetch && tileStorageBytes(cfg) > (ctx.rt.limits['maxComputeWorkgroupStorageSize'] || 16384)) cfg = { ...cfg, prefetch: false };
  const BM = cfg.wy * cfg.tm;
  const BN = cfg.wx * cfg.tn;
  let splits = plan.splits;
  let kChunk = K;
  if (splits > 1) {
    kChunk = Math.ceil(K / splits / cfg.tk) * cfg.tk;
    splits = Math.ceil(K / kChunk);
  }
  words[3] = kChunk;
  words[6] = splits;
  const key: TiledKey = {
    cfg,
    ta,
    tb,
    vecA: (r.aMode ?? 'dense') === 'dense' ? (ta ? M : K) % 4 === 0 : !!r.vecConvA,
    vecB: (r.bMode ?? 'dense') === 'dense' && (tb ? K : N) % 4 === 0,
    vecOut: N % 4 === 0,
    fitM: M % BM === 0,
    fitN: N % BN === 0,
    fitK: K % cfg.tk === 0 && kChunk % cfg.tk === 0,
    aMode: r.aMode,
    bMode: r.bMode,
    // Split-K partials are summed after this kernel: the epilogue then runs after the sum.
    epilogue: splits === 1 ? r.epilogue?.activation : undefined,
  };
  const program = tiledProgram(key);
  const target: PooledBuffer = splits > 1 ? ctx.scratch(splits * batches * M * N * 4) : r.dst;
  const gx = Math.ceil(N / BN);
  const gy = Math.ceil(M / BM);
  const zTotal = batches * splits;
  const maxZ = ctx.rt.limits['maxComputeWorkgroupSizeZ'] ? ctx.rt.maxGroupsPerDim : 65535;
  for (let z0 = 0; z0 < zTotal; z0 += maxZ) {
    words[7] = z0;
    ctx.rt.dispatch(program, [r.a, r.b, ...(key.epilogue ? [r.epilogue!.bias.buf] : [])], [target], words, [gx, gy, Math.min(maxZ, zTotal - z0)]);
  }
  if (splits === 1) return;
  const sum = r.epilogue ? ctx.scratch(batches * M * N * 4) : r.dst;
  reduceInto(ctx, { shape: [splits, batches * M * N], dtype: 'float32', buf: target }, 'sum', [0], { shape: [batches * M * N], dtype: 'float32' }, sum);
  if (r.epilogue) epilogueDispatch(ctx, sum, r.epilogue, batches * M, N, r.dst);
}
