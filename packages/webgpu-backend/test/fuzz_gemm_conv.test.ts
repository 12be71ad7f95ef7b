/**
 * Seeded differential fuzzing of the GEMM-based ops (matmul, fused matmul, conv2d, fused conv2d and
 * both conv backprops), pooling (max/avg, their gradients, max_pool_grad_grad), apply_adam and the
 * random ops, on the CPU and on WebGPU, against float64 references.
 *
 * Cases are drawn from one fixed seed, per kernel path: the generator redraws shapes until the
 * path it was asked for is the one the backend will take (WebGPU: planMatmul's kernel kind, tile
 * and split-K factor, vec4 loads or scalar, exact tile fit or ragged edges, the conv loaders;
 * the CPU: pointwise / channel-major / pixel-major convs, several im2col tiles; small cases run
 * its JS GEMM, the others WebAssembly). `matmulTuning` reaches the tiles and split-K of large
 * shapes at small ones. Each case runs the op and the gradients of Σ op·w (ef.valueAndGrads: the
 * vjps and the backprop kernels) on both backends; every output is compared with the op
 * declarations' references (conv, pooling) or the float64 loops below (matmul with broadcasting,
 * the fused epilogues). A case's name gives its shapes and path; EF_FUZZ_SEED draws other cases.
 *
 * Tolerance: |got − ref| ≤ TOL · (mag + 1e-3), where mag is the same computation on absolute
 * values (Σ|a||b| for a dot product). Float32 round-off of such a sum, in any order, stays far
 * below 1e-5 of it (≈ 2⁻²⁴·√K relative in practice); a wrong, missing or doubled term moves an
 * output by about mag/K ≥ 2.4e-4·mag for K ≤ 4096. Before every case the backends' buffer pools
 * are filled with NaN arrays of the case's sizes, so a kernel that reads past its operands or
 * leaves an output element unwritten shows NaN. The last block holds regression tests of bugs
 * this fuzzing effort found.
 */
import { describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import { matmulTuning, planMatmul, type TileName } from '@eagerflow/webgpu-backend';
import { useWebGpuBackend } from './helpers';

type Backend = 'cpu' | 'webgpu';
type Tuning = Partial<typeof matmulTuning>;
type Act = ef.defs.FusedActivation;
type MatmulPlan = ReturnType<typeof planMatmul>;

/** Fixed; EF_FUZZ_SEED=<n> draws another set of cases (the case names print the shapes). */
const SEED = Number(process.env.EF_FUZZ_SEED ?? 20240611);
const TOL = 1e-5;
/** The CPU backend's channel-major input gradient (Cout ≤ 8) and im2col tile size (floats) — cpu-backend/src/im2col.ts. */
const CPU_CHANNEL_MAJOR_MAX_CO = 8;
const CPU_IM2COL_TILE_FLOATS = 1 << 20;

const gpu = useWebGpuBackend();

// ---------------------------------------------------------------- seeded draws

/** Shapes and paths: drawn once at load time, in declaration order. */
const rnd = ef.seededRandom(SEED);
const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const coin = (p = 0.5): boolean => rnd() < p;
const sizeOf = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
/** Tensor values: a stream reseeded by each case (its `seed`), so a case run alone (-t) sees the same values. */
let valueRnd = ef.seededRandom(SEED);
const reseed = (seed: number): void => void (valueRnd = ef.seededRandom(seed));
/** Values in [-1, 1), or small integers in [-2, 2] (`ties`: equal values in pooling windows). */
function values(n: number, ties = false): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = ties ? Math.floor(valueRnd() * 5) - 2 : Math.fround(valueRnd() * 2 - 1);
  return v;
}
const absOf = (v: ArrayLike<number>): Float64Array => Float64Array.from(v, Math.abs);
const host = (shape: readonly number[], v: ArrayLike<number>): ef.HostTensor => ({ shape: [...shape], dtype: 'float32', values: Float64Array.from(v) });
const refValues = (t: ef.HostTensor): Float64Array => Float64Array.from(t.values as ArrayLike<number>);

// ---------------------------------------------------------------- running and comparing
interface HostIn {
  v: Float32Array;
  s: number[];
}

/** Fills the backend's buffer pool with NaN arrays of these sizes (and the next size classes). */
async function poison(backend: Backend, sizes: readonly number[]): Promise<void> {
  const ts = ef.withDevice(backend, () => ef.tidy(() => sizes.filter((n) => n > 0).flatMap((n) => [n, 2 * n + 64].map((m) => ef.mul(ef.fill([m], NaN), 1)))));
  if (ts.length) await ts[0]!.data();
  ef.dispose(ts);
}

/** Runs f on fresh copies of `inputs` on one backend (pool poisoned first); every output read back. */
async function runOn(backend: Backend, inputs: readonly HostIn[], f: (xs: ef.Tensor[]) => ef.Tensor[], outSizes: readonly number[], tune: Tuning = {}): Promise<Float32Array[]> {
  await poison(backend, [...inputs.map((t) => t.v.length), ...outSizes]);
  const saved = { ...matmulTuning };
  if (backend === 'webgpu') Object.assign(matmulTuning, tune);
  let outs: ef.Tensor[];
  try {
    outs = ef.withDevice(backend, () => ef.tidy(() => f(inputs.map((t) => ef.tensor(t.v, t.s)))));
  } finally {
    Object.assign(matmulTuning, saved);
  }
  try {
    return await Promise.all(
      outs.map(async (o) => {
        expect(o.backend.name).toBe(backend);
        return Float32Array.from((await o.data()) as Float32Array);
      }),
    );
  } finally {
    ef.dispose(outs);
  }
}

/** The op, then the gradients of Σ op(xs)·w with respect to xs[i] for i in `wrt`. */
function opAndGrads(op: (xs: ef.Tensor[]) => ef.Tensor, w: Float32Array, wrt: readonly number[]): (xs: ef.Tensor[]) => ef.Tensor[] {
  return (xs) => {
    const y = op(xs);
    if (!wrt.length) return [y];
    const wt = ef.tensor(w, [...y.shape]);
    const { value, grads } = ef.valueAndGrads(() => ef.reduceSum(ef.mul(op(xs), wt)), wrt.map((i) => xs[i]!));
    value.dispose();
    return [y, ...grads];
  };
}

interface Expected {
  name: string;
  ref: ArrayLike<number>;
  /** The computation on absolute values (the scale of its round-off); null: |ref|. */
  mag: ArrayLike<number> | null;
  tol?: number;
}

/** Every output within tolerance; the message names the worst element. */
function expectClose(what: string, got: ArrayLike<number>, e: Expected): void {
  expect(`${what} ${e.name}: ${got.length} values`).toBe(`${what} ${e.name}: ${e.ref.length} values`);
  const tol = e.tol ?? TOL;
  let bad = 0;
  let worst = -1;
  let at = -1;
  for (let i = 0; i < e.ref.length; i++) {
    const bound = tol * ((e.mag ? e.mag[i]! : Math.abs(e.ref[i]!)) + 1e-3);
    const err = Math.abs(got[i]! - e.ref[i]!);
    if (!(err <= bound)) {
      bad++;
      if (!(err / bound <= worst)) [worst, at] = [err / bound, i];
    }
  }
  const msg = bad ? `${what} ${e.name}: ${bad} of ${e.ref.length} off, worst element ${at}: ${got[at]} vs ${e.ref[at]} (bound ${tol * ((e.mag ? e.mag[at]! : Math.abs(e.ref[at]!)) + 1e-3)})` : 'ok';
  expect(msg).toBe('ok');
}

async function checkBoth(inputs: readonly HostIn[], f: (xs: ef.Tensor[]) => ef.Tensor[], want: readonly Expected[], tune: Tuning = {}): Promise<void> {
  for (const backend of ['cpu', 'webgpu'] as const) {
    const got = await runOn(backend, inputs, f, want.map((e) => e.ref.length), tune);
    expect(got.length).toBe(want.length);
    want.forEach((e, i) => expectClose(backend, got[i]!, e));
  }
}

// ---------------------------------------------------------------- fused epilogues in float64
const SELU_SCALE = 1.0507009873554805;
const SELU_ALPHA = 1.6732632423543772;
function activate(a: Act, z: number): number {
  switch (a) {
    case 'linear': return z;
    case 'relu': return z > 0 ? z : 0;
    case 'relu6': return z > 0 ? (z < 6 ? z : 6) : 0;
    case 'elu': return z > 0 ? z : Math.exp(z) - 1;
    case 'selu': return z > 0 ? SELU_SCALE * z : SELU_SCALE * SELU_ALPHA * (Math.exp(z) - 1);
    case 'sigmoid': return 1 / (1 + Math.exp(-z));
    case 'tanh': return Math.tanh(z);
    case 'softplus': return Math.log1p(Math.exp(z));
  }
}
function slope(a: Act, z: number): number {
  switch (a) {
    case 'linear': return 1;
    case 'relu': return z > 0 ? 1 : 0;
    case 'relu6': return z > 0 && z < 6 ? 1 : 0;
    case 'elu': return z > 0 ? 1 : Math.exp(z);
    case 'selu': return z > 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * Math.exp(z);
    case 'sigmoid': { const s = 1 / (1 + Math.exp(-z)); return s * (1 - s); }
    case 'tanh': return 1 - Math.tanh(z) ** 2;
    case 'softplus': return 1 / (1 + Math.exp(-z));
  }
}
/** Where the derivative jumps: an output this close to one gets weight 0 (float32 may land on either side). */
const KINKS: Record<Act, readonly number[]> = { linear: [], relu: [0], relu6: [0, 6], elu: [], selu: [0], sigmoid: [], tanh: [], softplus: [] };
const ACTS: readonly Act[] = ['linear', 'relu', 'relu6', 'elu', 'selu', 'sigmoid', 'tanh', 'softplus'];

/**
 * y = act(z + bias) (or z), its magnitude, the weights w (0 next to a kink) and dz = w·act'.
 * Activations are at most 1.76-Lipschitz (selu): magnitudes are doubled through them.
 */
function epilogue(z: Float64Array, mz: Float64Array, act: Act | undefined, bias: Float32Array | null) {
  const n = z.length;
  const c = bias ? bias.length : 1;
  const y = new Float64Array(n);
  const my = new Float64Array(n);
  const w = values(n);
  const dz = new Float64Array(n);
  const kinks = act ? KINKS[act] : [];
  for (let i = 0; i < n; i++) {
    const b = bias ? bias[i % c]! : 0;
    const zz = z[i]! + b;
    y[i] = act ? activate(act, zz) : zz;
    my[i] = act ? 2 * (mz[i]! + Math.abs(b)) : mz[i]!;
    if (kinks.some((k) => Math.abs(zz - k) < 1e-3 * (1 + mz[i]!))) w[i] = 0;
    dz[i] = w[i]! * (act ? slope(act, zz) : 1);
  }
  const dbias = new Float64Array(c);
  const mdbias = new Float64Array(c);
  for (let i = 0; i < n; i++) {
    dbias[i % c] += dz[i]!;
    mdbias[i % c] += 2 * Math.abs(w[i]!);
  }
  return { y, my, w, dz, dbias, mdbias };
}

// ---------------------------------------------------------------- matmul
interface MatmulCase {
  path: string;
  seed: number;
  aShape: number[];
  bShape: number[];
  ta: boolean;
  tb: boolean;
  act?: Act;
  tune: Tuning;
  /** Inputs differentiated (0 a, 1 b, 2 bias). */
  wrt: number[];
}

/** M, N, K, the broadcast batch shape and each batch element's A and B matrix offsets. */
function matmulLayout(c: MatmulCase) {
  const ra = c.aShape.length;
  const rb = c.bShape.length;
  const [M, K] = c.ta ? [c.aShape[ra - 1]!, c.aShape[ra - 2]!] : [c.aShape[ra - 2]!, c.aShape[ra - 1]!];
  const N = c.tb ? c.bShape[rb - 2]! : c.bShape[rb - 1]!;
  const rank = Math.max(ra, rb) - 2;
  const padded = (s: number[]) => [...Array<number>(rank - (s.length - 2)).fill(1), ...s.slice(0, -2)];
  const pa = padded(c.aShape);
  const pb = padded(c.bShape);
  const batch = pa.map((d, i) => Math.max(d, pb[i]!));
  const offsets: [number, number][] = [];
  for (let bi = 0; bi < sizeOf(batch); bi++) {
    let rem = bi;
    let oa = 0;
    let ob = 0;
    for (let d = rank - 1, sa = 1, sb = 1; d >= 0; d--) {
      const idx = rem % batch[d]!;
      rem = Math.floor(rem / batch[d]!);
      if (pa[d] !== 1) oa += idx * sa;
      if (pb[d] !== 1) ob += idx * sb;
      sa *= pa[d]!;
      sb *= pb[d]!;
    }
    offsets.push([oa * M * K, ob * K * N]);
  }
  // Element (m, k) of op(A) is at offset + m·am + k·ak; (k, n) of op(B) at offset + k·bk + n·bn.
  const [am, ak] = c.ta ? [1, M] : [K, 1];
  const [bk, bn] = c.tb ? [1, K] : [N, 1];
  return { M, N, K, batch, outShape: [...batch, M, N], offsets, am, ak, bk, bn };
}

/** float64 matmul: z and Σ|a||b|; with dz, also dA = dz·op(B)ᵀ, dB = op(A)ᵀ·dz (summed over broadcast batches) and magnitudes from |w|. */
function matmulReference(c: MatmulCase, a: Float32Array, b: Float32Array) {
  const L = matmulLayout(c);
  const { M, N, K, am, ak, bk, bn } = L;
  const z = new Float64Array(sizeOf(L.outShape));
  const mz = new Float64Array(z.length);
  L.offsets.forEach(([oa, ob], bi) => {
    for (let m = 0; m < M; m++)
      for (let n = 0; n < N; n++) {
        let s = 0;
        let t = 0;
        for (let k = 0, ia = oa + m * am, ib = ob + n * bn; k < K; k++, ia += ak, ib += bk) {
          const p = a[ia]! * b[ib]!;
          s += p;
          t += Math.abs(p);
        }
        z[(bi * M + m) * N + n] = s;
        mz[(bi * M + m) * N + n] = t;
      }
  });
  const backward = (dz: Float64Array, w: Float32Array) => {
    const da = new Float64Array(a.length);
    const mda = new Float64Array(a.length);
    const db = new Float64Array(b.length);
    const mdb = new Float64Array(b.length);
    L.offsets.forEach(([oa, ob], bi) => {
      for (let m = 0; m < M; m++)
        for (let k = 0; k < K; k++) {
          let s = 0;
          let t = 0;
          for (let n = 0, yi = (bi * M + m) * N, ib = ob + k * bk; n < N; n++, yi++, ib += bn) {
            s += dz[yi]! * b[ib]!;
            t += Math.abs(w[yi]! * b[ib]!);
          }
          da[oa + m * am + k * ak] += s;
          mda[oa + m * am + k * ak] += 2 * t;
        }
      for (let k = 0; k < K; k++)
        for (let n = 0; n < N; n++) {
          let s = 0;
          let t = 0;
          for (let m = 0, yi = bi * M * N + n, ia = oa + k * ak; m < M; m++, yi += N, ia += am) {
            s += a[ia]! * dz[yi]!;
            t += Math.abs(a[ia]! * w[yi]!);
          }
          db[ob + k * bk + n * bn] += s;
          mdb[ob + k * bk + n * bn] += 2 * t;
        }
    });
    return { da, mda, db, mdb };
  };
  return { z, mz, outShape: L.outShape, backward };
}

/** planMatmul for a case under its tuning (as recordMatmul calls it; 256 invocations per workgroup). */
function planOf(c: { M: number; N: number; K: number; batches: number }, tune: Tuning): MatmulPlan {
  const saved = { ...matmulTuning };
  Object.assign(matmulTuning, tune);
  try {
    return planMatmul(c.M, c.N, c.K, c.batches, 256);
  } finally {
    Object.assign(matmulTuning, saved);
  }
}

const planName = (p: MatmulPlan): string => (p.kind === 'tiled' ? `${p.tile!.name}${p.tile!.prefetch ? '+prefetch' : ''}${p.tile!.swizzle ? `+swizzle${p.tile!.swizzle}` : ''}${p.splits > 1 ? ` split-K ${p.splits}` : ''}` : p.kind);

const ODD = [1, 2, 3, 5, 7, 9, 13, 15, 17, 31, 33, 47, 63, 65, 127, 129];
const BY4 = [4, 8, 12, 16, 32, 48, 64, 128, 256];
const ANY = [...ODD, ...BY4];

interface MatmulSpec {
  path: string;
  /** Draws M, N, K, batch shapes and tuning; `ok` filters on the resulting WebGPU plan and shape. */
  draw: () => { M: number; N: number; K: number; batchA?: number[]; batchB?: number[]; tune?: Tuning };
  ok: (p: MatmulPlan, d: { M: number; N: number; K: number }) => boolean;
  fused?: 'always' | 'never';
  /** At most this many inputs differentiated (big tiles: each gradient GEMM is another pipeline to compile). */
  grads?: number;
}

const tile = (name: TileName) => (p: MatmulPlan) => p.kind === 'tiled' && p.tile!.name === name;
const MATMUL_SPECS: MatmulSpec[] = [
  { path: 'GEMV, one thread per output', draw: () => ({ M: coin() ? 1 : pick(ANY), N: 1, K: pick(ANY) }), ok: (p, d) => p.kind === 'naive' && (d.M === 1 || d.N === 1) },
  { path: 'row vector × matrix, one thread per output', draw: () => ({ M: 1, N: pick([...ANY, 300]), K: pick([3, 64, 129, 511]) }), ok: (p) => p.kind === 'naive' },
  { path: 'dot products over long K, one workgroup each', draw: () => ({ M: 1, N: pick([1, 3, 8, 17]), K: pick([512, 777, 2048, 4099]) }), ok: (p) => p.kind === 'dot' },
  { path: 'matrix × column over long K (dot), batched', draw: () => ({ M: pick([2, 5, 16]), N: 1, K: pick([512, 1000]), batchA: [3] }), ok: (p) => p.kind === 'dot' },
  { path: 'small tile, scalar loads, ragged edges', draw: () => ({ M: pick(ODD), N: pick(ODD), K: pick(ODD) }), ok: (p, d) => tile('small')(p) && d.M > 1 && d.N > 1 && d.K % 4 !== 0 },
  { path: 'small tile, vec4 loads', draw: () => ({ M: pick(BY4.slice(0, 6)), N: pick(BY4.slice(0, 6)), K: pick(BY4) }), ok: tile('small') },
  { path: 'medium tile, exact fit (no bounds checks)', draw: () => ({ M: pick([64, 128, 192]), N: pick([64, 128]), K: pick([16, 32, 64, 96]), tune: { targetWorkgroups: pick([1, 4]) } }), ok: tile('medium') },
  { path: 'medium tile, ragged', draw: () => ({ M: int(48, 200), N: int(48, 200), K: int(1, 150) }), ok: tile('medium'), grads: 1 },
  { path: 'large tile', draw: () => ({ M: pick([128, 200, 256, 257]), N: pick([128, 129, 256]), K: pick([16, 33, 64, 128]), tune: { targetWorkgroups: 1 } }), ok: tile('large'), grads: 1 },
  { path: 'wide tile', draw: () => ({ M: pick([64, 100, 256]), N: pick([128, 200, 256]), K: pick([8, 31, 64]), tune: { targetWorkgroups: 1 } }), ok: tile('wide'), grads: 0 },
  { path: 'wide tile split along K', draw: () => ({ M: pick([256, 300]), N: pick([256, 260]), K: pick([128, 200, 257]), tune: { minSplitK: 32, targetWorkgroups: pick([12, 16]) } }), ok: (p) => tile('wide')(p) && p.splits > 1, grads: 1 },
  { path: 'split-K, small output, long K', draw: () => ({ M: pick([2, 16, 33, 64]), N: pick([2, 17, 32, 64]), K: pick([512, 1000, 1536, 4096]) }), ok: (p) => p.kind === 'tiled' && p.splits > 1 },
  { path: 'split-K, more splits than K tiles allow', draw: () => ({ M: pick([5, 20]), N: pick([7, 40]), K: pick([40, 65, 100]), tune: { minSplitK: 8, maxSplits: 64 } }), ok: (p) => p.kind === 'tiled' && p.splits > 2 },
  { path: 'skinny tile 128×32 (N ≤ 32)', draw: () => ({ M: pick([128, 300, 513]), N: int(17, 32), K: pick([3, 16, 27, 64]), tune: { skinnyMinTiles: 1 } }), ok: tile('tall'), grads: 1 },
  { path: 'skinny tile 128×16 (N ≤ 16)', draw: () => ({ M: pick([128, 300, 513]), N: int(2, 16), K: pick([3, 16, 27, 64]), tune: { skinnyMinTiles: 1 } }), ok: tile('tall16'), grads: 2 },
  { path: 'register prefetch', draw: () => ({ M: int(20, 200), N: int(20, 200), K: int(1, 100), tune: { prefetch: true, forceTile: pick(['small', 'medium'] as TileName[]) } }), ok: (p) => p.kind === 'tiled', grads: 1 },
  { path: 'grouped launch order (swizzle)', draw: () => ({ M: int(100, 300), N: int(40, 200), K: int(1, 64), tune: { swizzle: pick([2, 3, 8]), forceTile: pick(['small', 'medium'] as TileName[]) } }), ok: (p) => p.kind === 'tiled', grads: 1 },
  { path: 'batched, broadcast batch dimensions', draw: () => batchDraw(), ok: (p) => p.kind === 'tiled' },
  { path: 'batched split-K', draw: () => ({ M: pick([3, 17]), N: pick([5, 32]), K: pick([300, 520]), batchA: [2, 1], batchB: [3], tune: { minSplitK: 64 } }), ok: (p) => p.kind === 'tiled' && p.splits > 1 },
  { path: 'K = 0', draw: () => ({ M: pick([1, 3, 64]), N: pick([1, 5, 40]), K: 0 }), ok: () => true },
];

function batchDraw() {
  const rank = int(1, 4);
  const full = Array.from({ length: rank }, () => int(2, 3));
  const thin = (s: number[]) => s.map((d) => (coin(0.35) ? 1 : d));
  let batchA = thin(full);
  let batchB = thin(full);
  if (coin(0.3)) batchA = batchA.slice(int(0, rank));
  else if (coin(0.3)) batchB = batchB.slice(int(0, rank));
  return { M: pick(ANY.slice(0, 20)), N: pick(ANY.slice(0, 20)), K: pick(ANY.slice(0, 20)), batchA, batchB };
}

/** Redraws until `ok`; a spec that no longer finds its path (thresholds moved) fails loudly. */
function attempts(path: string): () => void {
  let n = 0;
  return () => {
    if (++n > 5000) throw new Error(`fuzz spec '${path}': no draw takes this path in 5000 tries (did the kernel thresholds change?)`);
  };
}

function drawMatmul(spec: MatmulSpec): MatmulCase {
  const again = attempts(spec.path);
  for (;;) {
    again();
    const d = spec.draw();
    const ta = coin();
    const tb = coin();
    const batchA = d.batchA ?? [];
    const batchB = d.batchB ?? [];
    const c: MatmulCase = {
      path: spec.path,
      seed: int(0, 2 ** 31 - 1),
      aShape: [...batchA, ...(ta ? [d.K, d.M] : [d.M, d.K])],
      bShape: [...batchB, ...(tb ? [d.N, d.K] : [d.K, d.N])],
      ta,
      tb,
      tune: d.tune ?? {},
      wrt: [],
    };
    const L = matmulLayout(c);
    if (!spec.ok(planOf({ M: d.M, N: d.N, K: d.K, batches: sizeOf(L.batch) }, c.tune), d)) continue;
    const fused = spec.fused === 'always' || (spec.fused !== 'never' && coin(0.4));
    if (fused) c.act = pick(ACTS);
    const inputs = fused ? 3 : 2;
    c.wrt = coin(0.75) ? [...Array(inputs).keys()] : [...Array(inputs).keys()].filter(() => coin());
    if (spec.grads !== undefined) c.wrt = c.wrt.filter(() => coin()).slice(0, spec.grads);
    return c;
  }
}

function matmulName(c: MatmulCase): string {
  const L = matmulLayout(c);
  const plan = planOf({ M: L.M, N: L.N, K: L.K, batches: sizeOf(L.batch) }, c.tune);
  const op = c.act ? `fused ${c.act}` : 'matmul';
  return `${c.path}: ${op} [${c.aShape}]${c.ta ? 'ᵀ' : ''} · [${c.bShape}]${c.tb ? 'ᵀ' : ''} (webgpu ${planName(plan)}; grads wrt ${c.wrt.join(',') || 'none'})`;
}

async function checkMatmul(c: MatmulCase): Promise<void> {
  reseed(c.seed);
  const a = values(sizeOf(c.aShape));
  const b = values(sizeOf(c.bShape));
  const ref = matmulReference(c, a, b);
  const N = ref.outShape[ref.outShape.length - 1]!;
  const bias = c.act ? values(N) : null;
  const e = epilogue(ref.z, ref.mz, c.act, bias);
  const want: Expected[] = [{ name: 'y', ref: e.y, mag: e.my }];
  if (c.wrt.length) {
    const g = ref.backward(e.dz, e.w);
    const grads: Expected[] = [
      { name: 'da', ref: g.da, mag: g.mda },
      { name: 'db', ref: g.db, mag: g.mdb },
      { name: 'dbias', ref: e.dbias, mag: e.mdbias },
    ];
    want.push(...c.wrt.map((i) => grads[i]!));
  }
  const inputs = [{ v: a, s: c.aShape }, { v: b, s: c.bShape }, ...(bias ? [{ v: bias, s: [N] }] : [])];
  const op = (xs: ef.Tensor[]) =>
    c.act ? ef.fused.matMul({ a: xs[0]!, b: xs[1]!, transposeA: c.ta, transposeB: c.tb, bias: xs[2]!, activation: c.act }) : ef.matmul(xs[0]!, xs[1]!, c.ta, c.tb);
  await checkBoth(inputs, opAndGrads(op, e.w, c.wrt), want, c.tune);
}

// ---------------------------------------------------------------- conv2d
interface ConvCase {
  path: string;
  seed: number;
  x: number[];
  f: number[];
  strides: [number, number];
  dilations: [number, number];
  padding: 'SAME' | 'VALID' | [number, number, number, number];
  act?: Act;
  tune: Tuning;
  wrt: number[];
}

/** TensorFlow's padding arithmetic ([top, bottom, left, right]). */
function convPads(c: { x: number[]; f: number[]; strides: [number, number]; dilations: [number, number]; padding: ConvCase['padding'] }): [number, number, number, number] {
  if (Array.isArray(c.padding)) return c.padding;
  if (c.padding === 'VALID') return [0, 0, 0, 0];
  const total = (i: number, k: number, d: number, s: number) => Math.max((Math.ceil(i / s) - 1) * s + (k - 1) * d + 1 - i, 0);
  const th = total(c.x[1]!, c.f[0]!, c.dilations[0], c.strides[0]);
  const tw = total(c.x[2]!, c.f[1]!, c.dilations[1], c.strides[1]);
  return [Math.floor(th / 2), th - Math.floor(th / 2), Math.floor(tw / 2), tw - Math.floor(tw / 2)];
}

interface ConvShape {
  n: number; h: number; w: number; ci: number; co: number; kh: number; kw: number;
  strides: [number, number];
  dilations: [number, number];
  padding: ConvCase['padding'];
  tune?: Tuning;
}
/** Derived sizes: output, the three GEMMs' M·N·K and the CPU's paths. */
function convInfo(s: ConvShape) {
  const c = { x: [s.n, s.h, s.w, s.ci], f: [s.kh, s.kw, s.ci, s.co], strides: s.strides, dilations: s.dilations, padding: s.padding };
  const [pt, pb, pl, pr] = convPads(c);
  const ekh = (s.kh - 1) * s.dilations[0] + 1;
  const ekw = (s.kw - 1) * s.dilations[1] + 1;
  const valid = ekh <= s.h + pt + pb && ekw <= s.w + pl + pr && !((s.strides[0] > 1 || s.strides[1] > 1) && (s.dilations[0] > 1 || s.dilations[1] > 1));
  const oh = Math.floor((s.h + pt + pb - ekh) / s.strides[0]) + 1;
  const ow = Math.floor((s.w + pl + pr - ekw) / s.strides[1]) + 1;
  const pixels = s.n * oh * ow;
  const taps = s.kh * s.kw * s.ci;
  const pointwise = s.kh === 1 && s.kw === 1 && s.strides[0] === 1 && s.strides[1] === 1 && pt + pb + pl + pr === 0;
  return {
    valid, oh, ow, pixels, taps, pointwise,
    macs: pixels * taps * s.co,
    forwardPlan: planOf({ M: pixels, N: s.co, K: taps, batches: 1 }, s.tune ?? {}),
    filterPlan: planOf({ M: taps, N: s.co, K: pixels, batches: 1 }, s.tune ?? {}),
    cpuTiles: Math.ceil(pixels / Math.max(4, Math.floor(CPU_IM2COL_TILE_FLOATS / Math.max(taps, 1)))),
  };
}
type ConvInfo = ReturnType<typeof convInfo>;

interface ConvSpec {
  path: string;
  draw: () => ConvShape;
  ok: (i: ConvInfo, s: ConvShape) => boolean;
  fused?: 'always' | 'never';
  /** Multiply-adds allowed (default 6e6). */
  maxMacs?: number;
  /** At most this many inputs differentiated (see MatmulSpec.grads). */
  grads?: number;
}

const CH = [1, 2, 3, 4, 5, 7, 8, 12, 16, 17, 32];
const windowDraw = (over: Partial<ConvShape> = {}): ConvShape => {
  const strided = coin();
  const kh = int(1, 5);
  return {
    n: int(1, 3), h: int(1, 14), w: int(1, 14), ci: pick(CH), co: pick(CH), kh, kw: coin(0.6) ? kh : int(1, 5),
    strides: strided ? [int(1, 3), int(1, 3)] : [1, 1],
    dilations: !strided && coin(0.4) ? [int(1, 3), int(1, 3)] : [1, 1],
    padding: coin(0.4) ? 'SAME' : coin(0.5) ? 'VALID' : [int(0, 3), int(0, 3), int(0, 3), int(0, 3)],
    ...over,
  };
};
/** A forced tile for the conv GEMMs; register prefetch only with the small tiles (the skinny ones unrolled with prefetch cost seconds to compile on SwiftShader). */
function forcedConvTiles(): Tuning {
  const forceTile = pick(['small', 'medium', 'tall', 'tall16'] as TileName[]);
  return { forceTile, prefetch: (forceTile === 'small' || forceTile === 'medium') && coin(), swizzle: pick([0, 2, 3]) };
}
const CONV_SPECS: ConvSpec[] = [
  { path: 'im2col, scalar taps (Cin not a multiple of 4), CPU pixel-major', draw: () => windowDraw({ co: pick([9, 12, 17]) }), ok: (i, s) => s.ci % 4 !== 0 && !i.pointwise },
  { path: 'im2col, vec4 taps (Cin a multiple of 4), CPU channel-major', draw: () => windowDraw({ ci: pick([4, 8, 16]), co: int(1, 8) }), ok: (i) => !i.pointwise },
  { path: 'col2im vec4 (Cout a multiple of 4) and scalar', draw: () => windowDraw({ co: pick([4, 8, 5, 6]) }), ok: (i) => !i.pointwise },
  { path: 'strides and explicit asymmetric padding', draw: () => windowDraw({ strides: [int(2, 3), int(1, 3)], padding: [int(0, 3), int(0, 3), int(0, 3), int(0, 3)] }), ok: () => true },
  { path: 'dilated windows', draw: () => windowDraw({ strides: [1, 1], dilations: [int(2, 3), int(1, 3)], kh: int(2, 4), kw: int(2, 4), h: int(6, 14), w: int(6, 14) }), ok: () => true },
  { path: 'windows larger than the input (padding only)', draw: () => windowDraw({ h: int(1, 3), w: int(1, 3), kh: int(3, 6), kw: int(3, 6), padding: [int(2, 4), int(2, 4), int(2, 4), int(2, 4)] }), ok: () => true },
  { path: '1×1 stride 1 (a plain GEMM on both backends)', draw: () => windowDraw({ kh: 1, kw: 1, strides: [1, 1], dilations: [1, 1], padding: 'VALID', ci: pick([3, 4, 16, 17]), co: pick([2, 8, 12, 32]), h: int(3, 16), w: int(3, 16) }), ok: (i) => i.pointwise },
  { path: '1×1 stride 2 (im2col)', draw: () => windowDraw({ kh: 1, kw: 1, strides: [2, int(1, 2)], dilations: [1, 1], h: int(3, 16), w: int(3, 16) }), ok: (i) => !i.pointwise },
  { path: 'filter gradient split along K (many pixels)', draw: () => windowDraw({ n: int(2, 4), h: int(12, 24), w: int(12, 24), ci: pick([3, 4, 8]), co: pick([4, 6, 16]), kh: 3, kw: 3 }), ok: (i) => i.filterPlan.splits > 1 },
  { path: 'forward split along K (deep windows) with the epilogue after the sum', draw: () => windowDraw({ n: 1, h: int(3, 6), w: int(3, 6), ci: pick([64, 96]), co: pick([4, 13]), kh: 3, kw: 3, strides: [1, 1], dilations: [1, 1], padding: 'VALID' }), ok: (i) => i.forwardPlan.splits > 1, fused: 'always' },
  { path: 'skinny output tile (tune)', draw: () => windowDraw({ n: 2, h: int(10, 16), w: int(10, 16), co: pick([3, 16, 20, 32]), tune: { skinnyMinTiles: 1 } }), ok: (i) => i.forwardPlan.kind === 'tiled' && /tall/.test(i.forwardPlan.tile!.name), grads: 1 },
  { path: 'forced tiles, prefetch, swizzle (tune)', draw: () => windowDraw({ tune: forcedConvTiles() }), ok: () => true, grads: 1 },
  // Over 2^20 column floats: the CPU cuts the output pixels into several im2col tiles.
  { path: 'CPU: several im2col tiles, channel-major input gradient', draw: () => ({ n: 3, h: int(26, 28), w: 26, ci: pick([63, 64]), co: pick([2, 3]), kh: 3, kw: 3, strides: [1, 1], dilations: [1, 1], padding: 'SAME' }), ok: (i, s) => i.cpuTiles > 1 && s.co <= CPU_CHANNEL_MAJOR_MAX_CO, fused: 'never', maxMacs: 1.2e7 },
  { path: 'CPU: several im2col tiles, pixel-major', draw: () => ({ n: 3, h: int(26, 28), w: 26, ci: pick([63, 64]), co: 9, kh: 3, kw: 3, strides: [1, 1], dilations: [1, 1], padding: 'SAME' }), ok: (i, s) => i.cpuTiles > 1 && s.co > CPU_CHANNEL_MAJOR_MAX_CO, fused: 'never', maxMacs: 1.2e7 },
];

function drawConv(spec: ConvSpec): ConvCase {
  const again = attempts(spec.path);
  for (;;) {
    again();
    const s = spec.draw();
    const i = convInfo(s);
    if (!i.valid || i.macs > (spec.maxMacs ?? 6e6) || !spec.ok(i, s)) continue;
    const fused = spec.fused === 'always' || (spec.fused !== 'never' && coin(0.35));
    const c: ConvCase = { path: spec.path, seed: int(0, 2 ** 31 - 1), x: [s.n, s.h, s.w, s.ci], f: [s.kh, s.kw, s.ci, s.co], strides: s.strides, dilations: s.dilations, padding: s.padding, tune: s.tune ?? {}, wrt: [] };
    if (fused) c.act = pick(ACTS);
    const inputs = fused ? 3 : 2;
    c.wrt = coin(0.8) ? [...Array(inputs).keys()] : [...Array(inputs).keys()].filter(() => coin());
    if (spec.grads !== undefined) c.wrt = c.wrt.filter(() => coin()).slice(0, spec.grads);
    return c;
  }
}

function convName(c: ConvCase): string {
  const pad = Array.isArray(c.padding) ? `pads ${c.padding.join(',')}` : c.padding;
  const tune = Object.keys(c.tune).length ? ` tune ${JSON.stringify(c.tune)}` : '';
  return `${c.path}: ${c.act ? `fused ${c.act}` : 'conv2d'} x [${c.x}] filter [${c.f}] strides ${c.strides} dilations ${c.dilations} ${pad}${tune} (grads wrt ${c.wrt.join(',') || 'none'})`;
}

async function checkConv(c: ConvCase): Promise<void> {
  reseed(c.seed);
  const x = values(sizeOf(c.x));
  const fl = values(sizeOf(c.f));
  const attrs = { strides: c.strides, pads: convPads(c), dilations: c.dilations };
  const [z] = ef.defs.conv2dDef.reference!([host(c.x, x), host(c.f, fl)], attrs);
  const [mz] = ef.defs.conv2dDef.reference!([host(c.x, absOf(x)), host(c.f, absOf(fl))], attrs);
  const outShape = [...z!.shape];
  const co = c.f[3]!;
  const bias = c.act ? values(co) : null;
  const e = epilogue(refValues(z!), refValues(mz!), c.act, bias);
  const want: Expected[] = [{ name: 'y', ref: e.y, mag: e.my }];
  if (c.wrt.length) {
    const bi = { ...attrs, inputShape: c.x };
    const bf = { ...attrs, filterShape: c.f };
    const absW = Float64Array.from(e.w, (v) => 2 * Math.abs(v));
    const grads: Expected[] = [
      {
        name: 'dx',
        ref: refValues(ef.defs.conv2dBackpropInputDef.reference!([host(outShape, e.dz), host(c.f, fl)], bi)[0]!),
        mag: refValues(ef.defs.conv2dBackpropInputDef.reference!([host(outShape, absW), host(c.f, absOf(fl))], bi)[0]!),
      },
      {
        name: 'dfilter',
        ref: refValues(ef.defs.conv2dBackpropFilterDef.reference!([host(c.x, x), host(outShape, e.dz)], bf)[0]!),
        mag: refValues(ef.defs.conv2dBackpropFilterDef.reference!([host(c.x, absOf(x)), host(outShape, absW)], bf)[0]!),
      },
      { name: 'dbias', ref: e.dbias, mag: e.mdbias },
    ];
    want.push(...c.wrt.map((i) => grads[i]!));
  }
  const padding = Array.isArray(c.padding) ? [[0, 0], [c.padding[0], c.padding[1]], [c.padding[2], c.padding[3]], [0, 0]] : c.padding;
  const op = (xs: ef.Tensor[]) =>
    c.act
      ? ef.fused.conv2d({ x: xs[0]!, filter: xs[1]!, strides: c.strides, padding, dilations: c.dilations, bias: xs[2]!, activation: c.act })
      : ef.nn.conv2d(xs[0]!, xs[1]!, c.strides, padding, { dilations: c.dilations });
  const inputs = [{ v: x, s: c.x }, { v: fl, s: c.f }, ...(bias ? [{ v: bias, s: [co] }] : [])];
  await checkBoth(inputs, opAndGrads(op, e.w, c.wrt), want, c.tune);
}

// ---------------------------------------------------------------- pooling
interface PoolCase {
  kind: 'max' | 'avg';
  seed: number;
  x: number[];
  ksize: [number, number];
  strides: [number, number];
  padding: 'SAME' | 'VALID' | [number, number, number, number];
  ties: boolean;
}

function poolPads(c: PoolCase): [number, number, number, number] {
  if (Array.isArray(c.padding)) return c.padding;
  if (c.padding === 'VALID') return [0, 0, 0, 0];
  const total = (i: number, k: number, s: number) => Math.max((Math.ceil(i / s) - 1) * s + k - i, 0);
  const th = total(c.x[1]!, c.ksize[0], c.strides[0]);
  const tw = total(c.x[2]!, c.ksize[1], c.strides[1]);
  return [Math.floor(th / 2), th - Math.floor(th / 2), Math.floor(tw / 2), tw - Math.floor(tw / 2)];
}

function drawPool(kind: 'max' | 'avg', windows: 'overlapping' | 'gapped' | 'any'): PoolCase {
  const again = attempts(`${kind} pool, ${windows} windows`);
  for (;;) {
    again();
    const ksize: [number, number] = [int(1, 5), int(1, 5)];
    const strides: [number, number] = [int(1, 3), int(1, 3)];
    if (windows === 'overlapping' && (strides[0] >= ksize[0] || strides[1] >= ksize[1])) continue;
    if (windows === 'gapped' && strides[0] <= ksize[0] && strides[1] <= ksize[1]) continue;
    const padding: PoolCase['padding'] = coin(0.4) ? 'SAME' : coin(0.5) ? 'VALID' : [int(0, ksize[0] - 1), int(0, ksize[0] - 1), int(0, ksize[1] - 1), int(0, ksize[1] - 1)];
    const c: PoolCase = { kind, seed: int(0, 2 ** 31 - 1), x: [int(1, 3), int(1, 17), int(1, 17), pick([1, 2, 3, 4, 5, 8, 17])], ksize, strides, padding, ties: kind === 'max' && coin(0.5) };
    const [pt, pb, pl, pr] = poolPads(c);
    if (pt >= ksize[0] || pb >= ksize[0] || pl >= ksize[1] || pr >= ksize[1]) continue;
    if (ksize[0] > c.x[1]! + pt + pb || ksize[1] > c.x[2]! + pl + pr) continue;
    return c;
  }
}

const poolName = (c: PoolCase): string =>
  `${c.kind} pool x [${c.x}] ksize ${c.ksize} strides ${c.strides} ${Array.isArray(c.padding) ? `pads ${c.padding.join(',')}` : c.padding}${c.ties ? ', tied values' : ''}`;

async function checkPool(c: PoolCase): Promise<void> {
  reseed(c.seed);
  const x = values(sizeOf(c.x), c.ties);
  const attrs = { ksize: c.ksize, strides: c.strides, pads: poolPads(c) };
  const def = c.kind === 'max' ? ef.defs.maxPoolDef : ef.defs.avgPoolDef;
  const [y] = def.reference!([host(c.x, x)], attrs);
  const [my] = def.reference!([host(c.x, absOf(x))], attrs);
  const outShape = [...y!.shape];
  const w = values(sizeOf(outShape));
  const gg = values(sizeOf(c.x));
  const gradAttrs = { ...attrs, inputShape: c.x };
  const dx = c.kind === 'max' ? ef.defs.maxPoolGradDef.reference!([host(c.x, x), host(outShape, w)], gradAttrs) : ef.defs.avgPoolGradDef.reference!([host(outShape, w)], gradAttrs);
  const mdx = c.kind === 'max' ? ef.defs.maxPoolGradDef.reference!([host(c.x, x), host(outShape, absOf(w))], gradAttrs) : ef.defs.avgPoolGradDef.reference!([host(outShape, absOf(w))], gradAttrs);
  const want: Expected[] = [
    { name: 'y', ref: refValues(y!), mag: refValues(my!) },
    { name: 'dx', ref: refValues(dx[0]!), mag: refValues(mdx[0]!) },
  ];
  if (c.kind === 'max') want.push({ name: 'max_pool_grad_grad', ref: refValues(ef.defs.maxPoolGradGradDef.reference!([host(c.x, x), host(c.x, gg)], attrs)[0]!), mag: null, tol: 0 });
  const padding = Array.isArray(c.padding) ? [[0, 0], [c.padding[0], c.padding[1]], [c.padding[2], c.padding[3]], [0, 0]] : c.padding;
  const op = (xs: ef.Tensor[]) => (c.kind === 'max' ? ef.nn.maxPool(xs[0]!, c.ksize, c.strides, padding) : ef.nn.avgPool(xs[0]!, c.ksize, c.strides, padding));
  await checkBoth([{ v: x, s: c.x }, { v: gg, s: c.x }], (xs) => [
    ...opAndGrads(op, w, [0])([xs[0]!]),
    ...(c.kind === 'max' ? [ef.apply1(ef.defs.maxPoolGradGradDef, [xs[0]!, xs[1]!], attrs)] : []),
  ], want);
}

// ---------------------------------------------------------------- the cases (drawn at load time, in this order)
const MATMUL_CASES = MATMUL_SPECS.flatMap((s) => [drawMatmul(s), ...(s.path.startsWith('batched, broadcast') ? [drawMatmul(s)] : [])]);
const CONV_CASES = CONV_SPECS.map(drawConv);
const POOL_CASES = [
  ...(['overlapping', 'gapped', 'any', 'any'] as const).map((w) => drawPool('max', w)),
  ...(['overlapping', 'gapped', 'any'] as const).map((w) => drawPool('avg', w)),
];

describe('fuzz: matmul and fused matmul on both backends vs float64 (values and gradients)', () => {
  test.each(MATMUL_CASES.map((c) => [matmulName(c), c] as const))('%s', async (_name, c) => checkMatmul(c));

  test('many batches: the z grid split over several dispatches (maxGroupsPerDim lowered to 3)', async () => {
    const rt = gpu().rt as unknown as { maxGroupsPerDim: number };
    const saved = rt.maxGroupsPerDim;
    rt.maxGroupsPerDim = 3;
    try {
      await checkMatmul({ path: 'z grid', seed: 1, aShape: [7, 5, 9], bShape: [7, 9, 6], ta: false, tb: false, tune: {}, wrt: [0, 1] });
      await checkMatmul({ path: 'z grid, split-K', seed: 2, aShape: [4, 300, 3], bShape: [300, 5], ta: true, tb: false, tune: { minSplitK: 64 }, wrt: [0, 1], act: 'tanh' });
    } finally {
      rt.maxGroupsPerDim = saved;
    }
  });
});

describe('fuzz: conv2d and fused conv2d on both backends vs float64 (values and gradients)', () => {
  test.each(CONV_CASES.map((c) => [convName(c), c] as const))('%s', async (_name, c) => checkConv(c));
});

describe('fuzz: pooling on both backends vs float64 (values, gradients, max_pool_grad_grad)', () => {
  test.each(POOL_CASES.map((c) => [poolName(c), c] as const))('%s', async (_name, c) => checkPool(c));
});

describe('fuzz: apply_adam and seeded random ops', () => {
  test('apply_adam at sizes around the workgroup edges vs float64', async () => {
    reseed(SEED + 1);
    for (const n of [1, 255, 257, 1000]) {
      const [v, m, s, g] = [values(n), values(n), Float32Array.from(values(n), Math.abs), values(n)];
      const lr = Math.fround(0.001 + valueRnd() * 0.1);
      const attrs = { beta1: 0.5 + 0.49 * valueRnd(), beta2: 0.9 + 0.099 * valueRnd(), epsilon: [1e-8, 1e-3, 0.1][n % 3]! };
      const ins = [v, m, s, g, Float32Array.of(lr)];
      const ref = ef.defs.applyAdamDef.reference!(ins.map((x, i) => host(i === 4 ? [] : [n], x)), attrs).map(refValues);
      // Magnitudes: m' = β₁m + (1 − β₁)g cancels; var' = var − lr·m'/(√v' + ε) too.
      const mm = Float64Array.from(m, (mi, i) => attrs.beta1 * Math.abs(mi) + (1 - attrs.beta1) * Math.abs(g[i]!));
      const mv = Float64Array.from(v, (vi, i) => Math.abs(vi) + (lr * mm[i]!) / (Math.sqrt(ref[2]![i]!) + attrs.epsilon));
      const inputs = ins.map((x, i) => ({ v: x, s: i === 4 ? [] : [n] }));
      await checkBoth(inputs, (xs) => ef.apply(ef.defs.applyAdamDef, xs, attrs), [
        { name: 'var', ref: ref[0]!, mag: mv },
        { name: 'm', ref: ref[1]!, mag: mm },
        { name: 'v', ref: ref[2]!, mag: null },
      ]);
    }
  });

  test('uniform, normal, truncated normal and shuffle: the same values on both backends for the same seeds', async () => {
    reseed(SEED + 2);
    for (const n of [1, 3, 4, 5, 1023, 1025, 40_003]) {
      const seed = Math.floor(valueRnd() * 2 ** 31);
      const shape = valueRnd() < 0.5 ? [n] : n % 4 === 0 ? [4, n / 4] : [n, 1];
      const draw = () => {
        ef.setRandomSeed(seed);
        return [
          ef.randomUniform(shape, { minval: -3, maxval: 5 }),
          ef.randomUniform(shape, { dtype: 'int32', minval: -7, maxval: 1000, seed: 3 }),
          ef.randomNormal(shape, { mean: 1, stddev: 2 }),
          ef.truncatedNormal(shape, { seed: 5 }),
          ef.randomShuffle(ef.range(0, n, 1, 'int32')),
        ];
      };
      const got: number[][][] = [];
      for (const b of ['cpu', 'webgpu'] as const) {
        const ts = ef.withDevice(b, () => ef.tidy(draw));
        got.push(await Promise.all(ts.map(async (t) => Array.from((await t.data()) as ArrayLike<number>, Number))));
        ef.dispose(ts);
      }
      const [cpu, webgpu] = got;
      // Uniform floats and ints and permutations are bit-identical; normals go through each side's log/sin/cos.
      [0, 1, 4].forEach((k) => expect(webgpu![k]).toEqual(cpu![k]));
      [2, 3].forEach((k) => expectClose(`n ${n} output ${k}`, webgpu![k]!, { name: 'normal', ref: cpu![k]!, mag: cpu![k]!.map((v) => 1 + Math.abs(v)) }));
    }
  });
});

describe('regressions', () => {
  // K = 0 GEMMs zeroed their output with queue.writeBuffer, which runs before every command
  // already recorded in the open batch. A kernel output may reuse a buffer freed while such a
  // command still reads it: that earlier op then read zeros (u below came out 0).
  const ZERO_K: [string, () => ef.Tensor][] = [
    ['matmul [20, 0]·[0, 100]', () => ef.matmul(ef.zeros([20, 0]), ef.zeros([0, 100]))],
    ['fused matmul (zeros into scratch, then the epilogue)', () => ef.fused.matMul({ a: ef.zeros([0, 20]), b: ef.zeros([0, 100]), transposeA: true, bias: ef.zeros([100]), activation: 'relu' })],
    ['conv2dBackpropFilter with no output pixels', () => ef.nn.conv2dBackpropFilter(ef.zeros([0, 5, 5, 20]), [5, 5, 20, 4], ef.zeros([0, 1, 1, 4]), 1, 'VALID')],
  ];
  test.each(ZERO_K)('K = 0 %s leaves buffers the open batch still reads alone', async (_name, zeroK) => {
    const n = 2000; // over the host handoff size: computed on the GPU; the outputs above are 2000 floats too
    reseed(SEED + 3);
    const x = values(n);
    expect(ef.getBackend()).toBe('webgpu');
    // Two such buffers (the fused op takes one for its output, one for scratch), written by a
    // finished batch, read by commands recorded in the open one, then freed.
    const ts = [ef.add(ef.tensor(x, [20, 100]), 1), ef.add(ef.tensor(x, [20, 100]), 2)];
    await Promise.all(ts.map((t) => t.data()));
    const us = ts.map((t) => ef.mul(t, 2));
    ef.dispose(ts);
    const z = zeroK();
    for (const [k, u] of us.entries()) expect(Array.from((await u.data()) as Float32Array)).toEqual(Array.from(x, (v) => Math.fround(Math.fround(v + k + 1) * 2)));
    expect(Array.from((await z.data()) as Float32Array).every((v) => v === 0)).toBe(true);
    ef.dispose([...us, z]);
  });
});
