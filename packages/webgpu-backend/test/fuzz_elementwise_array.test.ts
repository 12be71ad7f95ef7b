/**
 * Seeded randomized differential tests ("fuzzing") of the elementwise, cast, reduction, arg/cumsum,
 * softmax-family, topK/inTopK and array ops (gather, strided slice and its gradient, pad, concat,
 * split, tile, transpose, broadcastTo, oneHot, unsortedSegmentSum, reshape, addN).
 *
 * Each case draws shapes that cross the kernels' internal thresholds (ranks 0..6, size-1 and empty
 * dimensions, scalars, int32/bool, the WebGPU host handoff for tiny elementwise ops and its vec4,
 * flat and strided paths; reductions in rows, columns, chunks, transposed, with and without
 * subgroups; softmax rows around the 64-thread workgroup; CPU top-k's insertion and sort paths)
 * and runs the op on the CPU and on WebGPU against the op declaration's float64 reference (or an
 * independent one: numpy indexing for ef.stridedSlice). Gradients of Σ op·w compare WebGPU with the
 * CPU, and on small cases the CPU with central finite differences of the reference. A random op
 * chain mirrors WebGPU on the CPU through disposal, shared small constants, backend moves and
 * host-handoff changes. The seed is fixed (EF_FUZZ_SEED overrides it, EF_FUZZ_SCALE=k runs k× the
 * cases); a failure names the family, seed and case so it replays alone.
 *
 * Tolerances: float32 outputs 1e-4 relative to 1 + |want|, plus for sums 2e-6·Σ|terms| (the GPU
 * adds in float32 in another order); integer and bool outputs exactly.
 */
import { describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import '@eagerflow/webgpu-backend';
import { useWebGpuBackend } from './helpers';

const D = ef.defs;
const SEED = Number(process.env['EF_FUZZ_SEED'] ?? 20240611);
const SCALE = Number(process.env['EF_FUZZ_SCALE'] ?? 1);
const defaultHandoff = ef.config({}).gpuCpuHandoffSize;

const gpu = useWebGpuBackend();

// ---- random values ---------------------------------------------------------------------------

/** mulberry32: the same stream on every run and machine. */
class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  u(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.u() * (hi - lo + 1));
  }
  pick<T>(a: readonly T[]): T {
    return a[Math.floor(this.u() * a.length)]!;
  }
  chance(p: number): boolean {
    return this.u() < p;
  }
  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.u() * (i + 1));
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  }
}

type Host = { shape: number[]; dtype: ef.DType; values: Float64Array };
type Out = { shape: number[]; dtype: ef.DType; values: number[] };

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Values of `dtype` in [lo, hi] (ints inclusive); `quant` > 0 rounds floats to its multiples (ties). */
function host(r: Rng, shape: number[], dtype: ef.DType, lo = -2, hi = 2, quant = 0): Host {
  const v = new Float64Array(size(shape));
  for (let i = 0; i < v.length; i++) {
    const u = r.u();
    if (dtype === 'bool') v[i] = u < 0.5 ? 0 : 1;
    else if (dtype === 'int32') v[i] = Math.floor(lo + u * (hi - lo + 1));
    else v[i] = quant > 0 ? Math.round((lo + u * (hi - lo)) / quant) * quant : Math.fround(lo + u * (hi - lo));
  }
  return { shape, dtype, values: v };
}

/** A shape of `rank` with at most `max` elements, dimensions drawn from `dims`. */
function shapeOf(r: Rng, rank: number, max: number, dims: readonly number[] = [1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 16, 17, 31, 33]): number[] {
  for (let tries = 0; tries < 50; tries++) {
    const s = Array.from({ length: rank }, () => r.pick(dims));
    if (size(s) <= max) return s;
  }
  return Array.from({ length: rank }, () => 1);
}

// ---- cases and how they run ------------------------------------------------------------------

interface Case {
  label: string;
  inputs: Host[];
  /** The op through ef.apply (def + attrs) or through the public API (fn + ref). */
  def?: ef.OpDef<any>;
  attrs?: unknown;
  fn?: (xs: ef.Tensor[]) => ef.Tensor[];
  ref?: (inputs: Host[]) => ef.HostTensor[];
  /** Gradients too (float inputs): WebGPU vs CPU, CPU vs finite differences when small. */
  grad?: boolean;
  /** Inputs with ties or kinks on purpose: finite differences are meaningless there. */
  noFd?: boolean;
  /** Per output: Σ|terms| per element, for the round-off of float32 sums. */
  scale?: (Float64Array | null)[];
}

function apply(c: Case, xs: ef.Tensor[]): ef.Tensor[] {
  return c.fn ? c.fn(xs) : ef.apply(c.def!, xs, c.attrs);
}

function reference(c: Case, inputs: Host[] = c.inputs): ef.HostTensor[] {
  return c.ref ? c.ref(inputs) : c.def!.reference!(inputs, c.attrs);
}

/** Loss weights for output k (float outputs counted in order): the same on every backend. */
function weights(n: number, k: number): Float32Array {
  const r = new Rng(1234 + k);
  return Float32Array.from({ length: n }, () => r.u() * 2 - 1);
}

async function readAll(ts: ef.Tensor[]): Promise<Out[]> {
  try {
    return await Promise.all(ts.map(async (t) => ({ shape: [...t.shape], dtype: t.dtype, values: Array.from((await t.data()) as ArrayLike<number>, Number) })));
  } finally {
    ef.dispose(ts);
  }
}

/** The op's outputs and, with `withGrad`, the gradients of Σ output·weights for the float inputs. */
async function runOn(backend: 'cpu' | 'webgpu', c: Case, withGrad: boolean): Promise<{ outs: Out[]; grads: Out[] }> {
  const mk = (h: Host) => ef.makeTensor(Array.from(h.values), h.shape, h.dtype);
  const outs = ef.withDevice(backend, () => ef.tidy(() => apply(c, c.inputs.map(mk))));
  let grads: ef.Tensor[] = [];
  try {
    if (withGrad) {
      grads = ef.withDevice(backend, () =>
        ef.tidy(() => {
          const xs = c.inputs.map(mk);
          const src = xs.filter((x) => x.dtype === 'float32');
          const { value, grads: g } = ef.valueAndGrads(() => {
            const ys = apply(c, xs).filter((y) => y.dtype === 'float32');
            return ys.map((y, k) => ef.reduceSum(ef.mul(y, ef.tensor(weights(y.size, k), y.shape)))).reduce((a, b) => ef.add(a, b));
          }, src);
          value.dispose();
          return g;
        }),
      );
    }
  } catch (e) {
    ef.dispose(outs);
    throw e;
  }
  return { outs: await readAll(outs), grads: await readAll(grads) };
}

/** The first element where `got` misses `want`, or null. */
function mismatch(got: Out, want: { shape: readonly number[]; dtype: ef.DType; values: ArrayLike<unknown> }, tol: number, scale?: Float64Array | null): string | null {
  if (got.shape.length !== want.shape.length || got.shape.some((d, i) => d !== want.shape[i])) return `shape [${got.shape}], expected [${want.shape}]`;
  if (got.dtype !== want.dtype) return `dtype ${got.dtype}, expected ${want.dtype}`;
  for (let i = 0; i < got.values.length; i++) {
    const g = got.values[i]!;
    const w = got.dtype === 'float32' ? Math.fround(Number(want.values[i])) : Number(want.values[i]);
    if (g === w || (Number.isNaN(g) && Number.isNaN(w))) continue;
    if (got.dtype !== 'float32') return `element ${i} is ${g}, expected ${w}`;
    const bound = tol * (1 + Math.abs(w)) + (scale ? 2e-6 * scale[i]! : 0);
    if (!(Math.abs(g - w) <= bound)) return `element ${i} is ${g}, expected ${w} (|diff| ${Math.abs(g - w).toExponential(2)} > ${bound.toExponential(2)})`;
  }
  return null;
}

/** Float64 central differences of Σ reference·weights with respect to each float input. */
function fdGrads(c: Case, step: number): Float64Array[] {
  const outs = reference(c);
  let k = 0;
  const ws = outs.map((o) => (o.dtype === 'float32' ? Float64Array.from(weights(size(o.shape), k++)) : null));
  const loss = (ins: Host[]) => reference(c, ins).reduce((s, o, j) => (ws[j] ? s + ef.reference.num(o).reduce((a, v, i) => a + v * ws[j]![i]!, 0) : s), 0);
  return c.inputs.flatMap((h, i) => {
    if (h.dtype !== 'float32') return [];
    const g = new Float64Array(h.values.length);
    for (let e = 0; e < g.length; e++) {
      const at = (d: number) => {
        const ins = c.inputs.slice();
        const v = Float64Array.from(h.values);
        v[e] = h.values[e]! + d;
        ins[i] = { ...h, values: v };
        return loss(ins);
      };
      g[e] = (at(step) - at(-step)) / (2 * step);
    }
    return [g];
  });
}

/** Everything wrong with one case (empty when it passes). */
async function check(c: Case): Promise<string[]> {
  const fails: string[] = [];
  const want = reference(c);
  const compare = (who: string, outs: Out[]) =>
    outs.forEach((o, k) => {
      const m = mismatch(o, want[k]!, 1e-4, c.scale?.[k]);
      if (m) fails.push(`${who} output ${k}: ${m}`);
    });
  const run = async (who: string, backend: 'cpu' | 'webgpu', handoff: number) => {
    ef.config({ gpuCpuHandoffSize: handoff });
    try {
      return await runOn(backend, c, !!c.grad);
    } catch (e) {
      fails.push(`${who} threw: ${(e as Error).message.split('\n')[0]}`);
      return null;
    } finally {
      ef.config({ gpuCpuHandoffSize: defaultHandoff });
    }
  };
  const cpu = await run('cpu', 'cpu', defaultHandoff);
  if (cpu) compare('cpu', cpu.outs);
  // Every op on the GPU; tiny elementwise ops also through the host handoff.
  const runs: [string, number][] = [['webgpu', 0]];
  if (c.def?.elementwise && size(want[0]!.shape) <= defaultHandoff) runs.push(['webgpu (host handoff)', defaultHandoff]);
  for (const [who, handoff] of runs) {
    const g = await run(who, 'webgpu', handoff);
    if (!g) continue;
    compare(who, g.outs);
    g.grads.forEach((gr, k) => {
      const m = cpu && mismatch(gr, cpu.grads[k]!, 1e-4);
      if (m) fails.push(`${who} gradient ${k} vs cpu: ${m}`);
    });
  }
  // CPU gradients against finite differences on small cases; where two steps disagree the point
  // is not smooth (a kink within the step) and is skipped.
  const nIn = c.inputs.reduce((a, h) => a + (h.dtype === 'float32' ? h.values.length : 0), 0);
  const nOut = want.reduce((a, h) => a + size(h.shape), 0);
  if (cpu && c.grad && !c.noFd && nIn <= 60 && nIn * nOut <= 12000) {
    const [fd1, fd2] = [fdGrads(c, 1e-3), fdGrads(c, 3e-4)];
    cpu.grads.forEach((g, k) => {
      for (let i = 0; i < g.values.length; i++) {
        const [a, b] = [fd1[k]![i]!, fd2[k]![i]!];
        if (!(Math.abs(a - b) <= 1e-4 * (1 + Math.abs(a)))) continue;
        if (!(Math.abs(g.values[i]! - a) <= 2e-3 * (1 + Math.abs(a)))) {
          fails.push(`cpu gradient ${k} element ${i} is ${g.values[i]}, finite differences ${a}`);
          break;
        }
      }
    });
  }
  return fails;
}

function describeCase(c: Case): string {
  return `${c.label} ${c.inputs.map((h) => `${h.dtype}[${h.shape.join(',')}]`).join(' ')}${c.attrs === undefined ? '' : ` ${JSON.stringify(c.attrs)}`}`;
}

/** Σ|x| per output element: the magnitude the round-off of a float32 sum scales with. */
function absScale(def: ef.OpDef<any>, inputs: Host[], attrs: unknown, k = 0): Float64Array {
  const abs = inputs.map((h) => (h.dtype === 'float32' ? { ...h, values: h.values.map(Math.abs) } : h));
  return ef.reference.num(def.reference!(abs, attrs)[k]!);
}

// ---- generators --------------------------------------------------------------------------------

const EW = D.ELEMENTWISE as Record<string, ef.OpDef<any>>;
/** Value ranges that keep each row inside its domain (and float32 range). */
const RANGE: Record<string, [number, number]> = {
  log: [0.05, 5], sqrt: [0, 5], rsqrt: [0.1, 5], reciprocal: [0.2, 4], log1p: [-0.9, 5], relu6: [-3, 9], exp: [-8, 8],
  expm1: [-4, 4], softplus: [-30, 30], sigmoid: [-12, 12], tanh: [-6, 6], sin: [-30, 30], cos: [-30, 30], selu: [-4, 4], elu: [-4, 4],
};
/** Rows whose results hinge on ties or exact halves: quantized inputs half the time. */
const TIES = new Set(['round', 'minimum', 'maximum', 'greater', 'greaterEqual', 'less', 'lessEqual', 'equal', 'notEqual', 'floor', 'ceil', 'sign', 'relu', 'relu6', 'clipByValue', 'abs']);

function elementwise(r: Rng, big: boolean): Case {
  const id = r.pick(Object.keys(EW));
  const def = EW[id]!;
  const spec = def.elementwise!;
  const base = big ? shapeOf(r, r.int(0, 6), 70000, [1, 2, 3, 4, 5, 7, 8, 16, 17, 31, 64, 65, 100, 257]) : shapeOf(r, r.int(0, 6), 1200);
  // Each operand: the full shape, a scalar / all-ones, or a suffix with some dims set to 1 (and maybe
  // a leading 1): every broadcasting pattern, ranks differing.
  const shapes = Array.from({ length: spec.arity }, () => {
    const m = r.u();
    if (m < 0.35) return [...base];
    if (m < 0.45) return r.chance(0.5) ? [] : base.map(() => 1);
    const s = base.slice(base.length - r.int(0, base.length)).map((d) => (r.chance(0.4) ? 1 : d));
    return r.chance(0.15) ? [1, ...s] : s;
  });
  if (!shapes.some((s) => size(s) === size(base) && s.length >= base.length) && r.chance(0.7)) shapes[r.int(0, spec.arity - 1)] = [...base];
  const cls = spec.firstInputBool ? 'any' : spec.inputs;
  const dtype: ef.DType = cls === 'float' ? 'float32' : cls === 'bool' ? 'bool' : cls === 'numeric' ? r.pick(['float32', 'int32'] as const) : r.pick(['float32', 'int32', 'bool'] as const);
  const [lo, hi] = RANGE[id] ?? (dtype === 'int32' ? [-20, 20] : [-3, 3]);
  const quant = TIES.has(id) && r.chance(0.5) ? 0.5 : 0;
  const divisor = id === 'div' || id === 'floorDiv' || id === 'mod';
  const inputs = shapes.map((s, j) => {
    if (spec.firstInputBool && j === 0) return host(r, s, 'bool');
    if (divisor && j === 1) {
      if (dtype === 'int32') return host(r, s, dtype, -6, 6); // 0 included: both backends give 0
      const h = host(r, s, dtype, 0.5, 3);
      h.values.forEach((v, i) => (h.values[i] = r.chance(0.5) ? -v : v));
      return h;
    }
    if (id === 'pow') return j === 0 ? host(r, s, dtype, 0.2, 3) : host(r, s, dtype, -2.5, 2.5);
    return host(r, s, dtype, lo, hi, quant);
  });
  // Special values now and then: NaN in gives NaN out, infinities and signed zeros as on the CPU.
  if (r.chance(0.2)) for (const h of inputs) if (h.dtype === 'float32') h.values.forEach((v, i) => (h.values[i] = r.chance(0.05) ? r.pick([NaN, Infinity, -Infinity, 0, -0]) : v));
  const attrs: Record<string, number> = {};
  for (const n of spec.scalarAttrs ?? []) attrs[n] = dtype === 'int32' ? r.int(-5, 5) : Math.fround(r.u() * 2 - 0.5);
  if (id === 'clipByValue') {
    attrs['clipMin'] = dtype === 'int32' ? r.int(-10, 5) : Math.fround(r.u() * 3 - 2);
    attrs['clipMax'] = attrs['clipMin'] + (dtype === 'int32' ? r.int(0, 10) : Math.fround(r.u() * 2));
  }
  const special = inputs.some((h) => h.values.some((v) => !Number.isFinite(v) || v === 0)); // zeros sit on kinks
  return { label: id, def, inputs, attrs, grad: dtype === 'float32' && def.vjp !== undefined, noFd: quant > 0 || special };
}

function cast(r: Rng, big: boolean): Case {
  const from = r.pick(['float32', 'int32', 'bool'] as const);
  const to = r.pick(['float32', 'int32', 'bool'] as const);
  const shape = shapeOf(r, r.int(0, 4), big ? 50000 : 600, big ? [1, 3, 5, 7, 16, 33, 100, 257] : undefined); // sizes not a multiple of 4 too (vec4 tail)
  const x = host(r, shape, from, from === 'int32' ? -100 : -5, from === 'int32' ? 100 : 5, r.chance(0.3) ? 0.25 : 0);
  // NaN → bool is true; NaN → int32 is left out (undefined in C++, so in TensorFlow: the CPU gives 0, WebGPU INT_MIN)
  if (from === 'float32') x.values.forEach((v, i) => (x.values[i] = r.chance(0.05) ? r.pick(to === 'int32' ? [0, -0] : [0, -0, NaN]) : v));
  return { label: `cast ${from}→${to}`, def: D.castDef, inputs: [x], attrs: { dtype: to }, grad: from === 'float32' && to === 'float32' };
}

/** Sizes around the WebGPU reduction's switches: 64 (rows vs columns), 1,024 (few long columns), 8,192 (chunks), 16 (narrow columns). */
const RED_DIMS = [1, 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 31, 63, 64, 65, 100, 255, 256, 257, 1000, 1023, 1024, 1025, 2049, 8193, 9000];

function reduce(r: Rng, big: boolean): Case {
  const op = r.pick(['sum', 'mean', 'max', 'min', 'prod', 'all', 'any', 'sum', 'mean', 'max'] as const);
  const bool = op === 'all' || op === 'any';
  const dtype: ef.DType = bool ? 'bool' : r.chance(0.2) ? 'int32' : 'float32';
  const rank = r.int(1, 5);
  const shape = shapeOf(r, rank, big ? 300000 : 5000, big ? RED_DIMS : [1, 1, 2, 3, 4, 5, 7, 8, 16, 17, 33, 64, 65, 100]);
  // an empty axis now and then (the identity; an int32 mean of nothing, 0/0, is left out)
  if (r.chance(0.03) && !(op === 'mean' && dtype === 'int32')) shape[r.int(0, rank - 1)] = 0;
  const axes = [...Array(rank).keys()].filter(() => r.chance(0.5));
  const ties = (op === 'max' || op === 'min') && r.chance(0.5);
  let x: Host;
  if (op === 'prod') {
    // near 1 (float) or ±1 with a few 2s on short tensors (int32), so products stay in range
    x = dtype === 'int32' ? host(r, shape, dtype, -1, 1) : host(r, shape, dtype, 0.98, 1.02);
    if (dtype === 'int32') x.values.forEach((v, i) => (x.values[i] = v !== 0 ? v : r.chance(size(shape) > 1000 ? 1 : 0.99) ? 1 : 2));
  } else x = host(r, shape, dtype, dtype === 'int32' ? -9 : -2, dtype === 'int32' ? 9 : 2, ties ? 0.5 : 0);
  if (bool && r.chance(0.5)) x.values.forEach((_, i) => (x.values[i] = r.chance(op === 'all' ? 0.995 : 0.005) ? 1 : 0));
  const attrs = { op, axes, keepDims: r.chance(0.5) };
  const c: Case = { label: `reduce ${op}`, def: D.reduceDef, inputs: [x], attrs, grad: dtype === 'float32' && op !== 'prod' && size(shape) <= 100000, noFd: ties };
  if ((op === 'sum' || op === 'mean') && dtype === 'float32') c.scale = [absScale(D.reduceDef, [x], attrs)];
  return c;
}

function argReduce(r: Rng, big: boolean): Case {
  const rank = r.int(1, 4);
  const shape = shapeOf(r, rank, big ? 100000 : 3000, big ? [1, 2, 3, 7, 64, 65, 257, 1000, 4000] : undefined);
  const axis = r.int(-rank, rank - 1);
  const dtype = r.chance(0.3) ? 'int32' : 'float32';
  const x = host(r, shape, dtype, dtype === 'int32' ? -3 : -2, dtype === 'int32' ? 3 : 2, r.chance(0.5) ? 0.5 : 0); // ties pick the first index
  return { label: 'argReduce', def: D.argReduceDef, inputs: [x], attrs: { op: r.pick(['max', 'min'] as const), axis } };
}

function cumsum(r: Rng, big: boolean): Case {
  const rank = r.int(1, 4);
  const shape = shapeOf(r, rank, big ? 100000 : 3000, big ? [1, 2, 3, 7, 64, 65, 257, 1000, 3000] : undefined);
  const dtype = r.chance(0.25) ? 'int32' : 'float32';
  const x = host(r, shape, dtype, dtype === 'int32' ? -9 : -1, dtype === 'int32' ? 9 : 1);
  const attrs = { axis: r.int(-rank, rank - 1), exclusive: r.chance(0.5), reverse: r.chance(0.5) };
  const c: Case = { label: 'cumsum', def: D.cumsumDef, inputs: [x], attrs, grad: dtype === 'float32' };
  if (dtype === 'float32') c.scale = [absScale(D.cumsumDef, [x], attrs)];
  return c;
}

/** Class counts around the 64-thread row workgroup and long rows. */
const CLASSES = [1, 2, 3, 5, 10, 63, 64, 65, 127, 128, 129, 1000, 3000];

function softmaxFamily(r: Rng, big: boolean): Case {
  const kind = r.pick(['softmax', 'log_softmax', 'softmax_cross_entropy', 'sparse_softmax_cross_entropy'] as const);
  const c = r.pick(big ? CLASSES : CLASSES.slice(0, 9));
  const lead = shapeOf(r, r.int(kind === 'sparse_softmax_cross_entropy' ? 1 : 0, 3), Math.max(1, Math.floor((big ? 60000 : 2000) / c)));
  const shape = [...lead, c];
  const span = r.pick([2, 5, 20]);
  const logits = host(r, shape, 'float32', -span, span);
  if (kind === 'softmax') return { label: kind, def: D.softmaxDef, inputs: [logits], attrs: {}, grad: true };
  if (kind === 'log_softmax') return { label: kind, def: D.logSoftmaxDef, inputs: [logits], attrs: {}, grad: true };
  if (kind === 'softmax_cross_entropy') {
    const labels = host(r, shape, 'float32', 0, 1);
    if (r.chance(0.5)) {
      // rows that sum to 1 (the usual case); the others test the exact backprop for any label sum
      for (let b = 0; b < size(lead); b++) {
        let s = 0;
        for (let j = 0; j < c; j++) s += labels.values[b * c + j]!;
        for (let j = 0; j < c; j++) labels.values[b * c + j] = Math.fround(labels.values[b * c + j]! / s);
      }
    }
    return { label: kind, def: D.softmaxCrossEntropyDef, inputs: [labels, logits], attrs: {}, grad: true, scale: [absScale(D.softmaxCrossEntropyDef, [labels, logits], {}), null] };
  }
  return { label: kind, def: D.sparseSoftmaxCrossEntropyDef, inputs: [host(r, lead, 'int32', 0, c - 1), logits], attrs: {}, grad: true };
}

function topK(r: Rng, big: boolean): Case {
  const n = r.pick(big ? [1, 5, 16, 17, 100, 300, 1000] : [1, 2, 5, 8, 16, 17, 40]);
  const lead = shapeOf(r, r.int(0, 3), Math.max(1, Math.floor((big ? 20000 : 1000) / n)));
  const dtype = r.chance(0.25) ? 'int32' : 'float32';
  const x = host(r, [...lead, n], dtype, dtype === 'int32' ? -5 : -2, dtype === 'int32' ? 5 : 2, r.chance(0.5) ? 0.25 : 0);
  if (dtype === 'float32' && r.chance(0.2)) x.values.forEach((v, i) => (x.values[i] = r.chance(0.1) ? NaN : v)); // NaN ranks first
  const k = Math.min(n, r.pick([0, 1, 2, 16, 17, r.int(0, n), n])); // CPU: insertion up to 16, a sort above
  return { label: 'topK', def: D.topKDef, inputs: [x], attrs: { k, sorted: true }, grad: dtype === 'float32', noFd: true };
}

function inTopK(r: Rng, big: boolean): Case {
  const classes = r.pick(big ? [1, 5, 100, 1000] : [1, 2, 5, 10]);
  const p = host(r, [r.int(0, big ? 300 : 20), classes], 'float32', -2, 2, r.chance(0.5) ? 0.5 : 0);
  p.values.forEach((v, i) => (p.values[i] = r.chance(0.01) ? r.pick([Infinity, -Infinity, NaN]) : v));
  const t = host(r, [p.shape[0]!], 'int32', -1, classes); // out of range on both sides
  return { label: 'inTopK', def: D.inTopKDef, inputs: [p, t], attrs: { k: r.int(-1, classes + 1) } };
}

const ANY = ['float32', 'float32', 'int32', 'bool'] as const;

function gather(r: Rng, big: boolean): Case {
  const xr = r.int(1, 4);
  const xs = shapeOf(r, xr, big ? 60000 : 600, big ? [1, 2, 3, 5, 16, 17, 64, 100] : undefined);
  const axis = r.int(0, xr - 1);
  const batchDims = r.int(0, axis);
  const is = [...xs.slice(0, batchDims), ...shapeOf(r, r.int(0, 2), big ? 300 : 20)];
  const dtype = r.pick(ANY);
  const attrs = { axis: r.chance(0.3) ? axis - xr : axis, batchDims: r.chance(0.3) && batchDims > 0 ? batchDims - is.length : batchDims };
  return { label: 'gather', def: D.gatherDef, inputs: [host(r, xs, dtype), host(r, is, 'int32', 0, xs[axis]! - 1)], attrs, grad: dtype === 'float32' };
}

/** A resolved window (begin, size, signed strides) on the strided_slice kernel or its gradient. */
function stridedWindow(r: Rng, big: boolean): Case {
  const shape = shapeOf(r, r.int(0, 5), big ? 60000 : 1000, big ? [1, 2, 3, 5, 16, 33, 64, 100] : undefined);
  const begin: number[] = [];
  const sz: number[] = [];
  const strides: number[] = [];
  for (const d of shape) {
    const s = r.pick([1, 1, 2, 3, -1, -2]);
    const b = d === 0 || r.chance(0.05) ? -1 : r.int(0, d - 1);
    begin.push(Math.max(b, 0));
    sz.push(b < 0 ? 0 : r.int(1, s > 0 ? Math.floor((d - 1 - b) / s) + 1 : Math.floor(b / -s) + 1));
    strides.push(s);
  }
  const dtype = r.pick(ANY);
  if (r.chance(0.5)) return { label: 'strided_slice_grad', def: D.stridedSliceGradDef, inputs: [host(r, sz, dtype)], attrs: { shape, begin, size: sz, strides }, grad: dtype === 'float32' };
  return { label: 'strided_slice', def: D.stridedSliceDef, inputs: [host(r, shape, dtype)], attrs: { begin, size: sz, strides }, grad: dtype === 'float32' };
}

function pad(r: Rng, big: boolean): Case {
  const mode = r.pick(['CONSTANT', 'REFLECT', 'SYMMETRIC'] as const);
  const shape = shapeOf(r, r.int(0, 5), big ? 40000 : 500, big ? [1, 2, 3, 5, 16, 33, 64] : [1, 1, 2, 3, 4, 5, 7, 8]);
  if (mode === 'CONSTANT' && r.chance(0.1) && shape.length) shape[0] = 0;
  const paddings = shape.map((d) => {
    const limit = Math.max(0, Math.min(mode === 'REFLECT' ? d - 1 : mode === 'SYMMETRIC' ? d : 4, 4));
    return [r.int(0, limit), r.int(0, limit)] as [number, number];
  });
  const dtype = r.pick(ANY);
  const constantValue = dtype === 'bool' ? r.int(0, 1) : dtype === 'int32' ? r.int(-5, 5) : r.pick([0, 1.5, -2.25]);
  return { label: `pad ${mode}`, def: D.padDef, inputs: [host(r, shape, dtype)], attrs: { paddings, mode, constantValue }, grad: dtype === 'float32' };
}

function concat(r: Rng, big: boolean): Case {
  const rank = r.int(1, 5);
  const base = shapeOf(r, rank, big ? 20000 : 300, big ? [1, 2, 3, 5, 16, 33, 64] : undefined);
  const axis = r.int(-rank, rank - 1);
  const a = axis < 0 ? axis + rank : axis;
  const dtype = r.pick(ANY);
  const inputs = Array.from({ length: r.int(1, 6) }, () => host(r, base.map((d, k) => (k === a ? r.pick([0, 1, 2, 3, d]) : d)), dtype));
  return { label: 'concat', def: D.concatDef, inputs, attrs: { axis }, grad: dtype === 'float32' };
}

function split(r: Rng, big: boolean): Case {
  const rank = r.int(1, 5);
  const shape = shapeOf(r, rank, big ? 60000 : 1000, big ? [1, 2, 3, 5, 16, 33, 64] : undefined);
  const axis = r.int(-rank, rank - 1);
  let left = shape[axis < 0 ? axis + rank : axis]!;
  const sizes: number[] = [];
  while (left > 0 && sizes.length < 6) {
    const s = r.int(0, left);
    sizes.push(s);
    left -= s;
  }
  if (left > 0 || !sizes.length) sizes.push(left);
  const dtype = r.pick(ANY);
  return { label: 'split', def: D.splitDef, inputs: [host(r, shape, dtype)], attrs: { sizes, axis }, grad: dtype === 'float32' };
}

function tile(r: Rng, big: boolean): Case {
  for (;;) {
    const shape = shapeOf(r, r.int(0, 5), big ? 5000 : 100);
    const multiples = shape.map(() => r.pick([0, 1, 1, 2, 3, 4]));
    if (size(shape) * size(multiples) > (big ? 80000 : 3000)) continue;
    const dtype = r.pick(ANY);
    return { label: 'tile', def: D.tileDef, inputs: [host(r, shape, dtype)], attrs: { multiples }, grad: dtype === 'float32' };
  }
}

function transpose(r: Rng, big: boolean): Case {
  const rank = r.int(0, 6);
  const shape = shapeOf(r, rank, big ? 100000 : 2000, big ? [1, 2, 3, 4, 5, 7, 16, 17, 32, 33, 64] : undefined);
  const dtype = r.pick(ANY);
  return { label: 'transpose', def: D.transposeDef, inputs: [host(r, shape, dtype)], attrs: { perm: r.shuffle([...Array(rank).keys()]) }, grad: dtype === 'float32' };
}

function broadcastTo(r: Rng, big: boolean): Case {
  const rank = r.int(0, 6);
  const out = shapeOf(r, rank, big ? 100000 : 2000, big ? [1, 2, 3, 4, 5, 7, 16, 17, 33, 64] : undefined);
  const xs = out.slice(rank - r.int(0, rank)).map((d) => (r.chance(0.5) ? 1 : d));
  const dtype = r.pick(ANY);
  return { label: 'broadcastTo', def: D.broadcastToDef, inputs: [host(r, xs, dtype)], attrs: { shape: out }, grad: dtype === 'float32' };
}

function oneHot(r: Rng, big: boolean): Case {
  const ir = r.int(0, 3);
  const depth = r.pick(big ? [1, 10, 100, 1000] : [0, 1, 2, 3, 7]);
  const idx = host(r, shapeOf(r, ir, Math.max(1, Math.floor((big ? 60000 : 600) / Math.max(depth, 1)))), 'int32', -2, depth + 1); // out of range: off rows
  const dtype = r.pick(['float32', 'int32', 'bool'] as const);
  const on = dtype === 'bool' ? 1 : dtype === 'int32' ? r.int(-5, 5) : r.pick([1, 0.5, -3]);
  const off = dtype === 'bool' ? 0 : dtype === 'int32' ? r.int(-5, 5) : r.pick([0, 0.25, 2]);
  return { label: 'oneHot', def: D.oneHotDef, inputs: [idx], attrs: { depth, onValue: on, offValue: off, axis: r.int(-1, ir), dtype } };
}

function segmentSum(r: Rng, big: boolean): Case {
  const ds = shapeOf(r, r.int(1, 4), big ? 60000 : 600, big ? [1, 2, 3, 5, 16, 17, 100, 300] : undefined);
  const numSegments = r.int(0, big ? 200 : 8);
  const dtype = r.chance(0.25) ? 'int32' : 'float32';
  const data = host(r, ds, dtype, dtype === 'int32' ? -9 : -2, dtype === 'int32' ? 9 : 2);
  const ids = host(r, ds.slice(0, r.int(1, ds.length)), 'int32', -1, numSegments - 1); // -1: dropped
  const attrs = { numSegments };
  return { label: 'unsortedSegmentSum', def: D.unsortedSegmentSumDef, inputs: [data, ids], attrs, grad: dtype === 'float32', scale: dtype === 'float32' ? [absScale(D.unsortedSegmentSumDef, [data, ids], attrs)] : undefined };
}

function addN(r: Rng, big: boolean): Case {
  const shape = shapeOf(r, r.int(0, 4), big ? 50000 : 500, big ? [1, 3, 5, 16, 33, 64, 100] : undefined);
  const n = r.pick([1, 2, 3, 6, 7, 8, 12, 13, 14, 20]); // WebGPU: 7 inputs per dispatch
  const dtype = r.chance(0.25) ? 'int32' : 'float32';
  const inputs = Array.from({ length: n }, () => host(r, shape, dtype, dtype === 'int32' ? -100 : -2, dtype === 'int32' ? 100 : 2));
  return { label: `addN of ${n}`, def: D.addNDef, inputs, attrs: {}, grad: dtype === 'float32', scale: dtype === 'float32' ? [absScale(D.addNDef, inputs, {})] : undefined };
}

function reshape(r: Rng): Case {
  const shape = shapeOf(r, r.int(0, 4), 500);
  return { label: 'reshape', def: D.reshapeDef, inputs: [host(r, shape, 'float32')], attrs: { shape: r.shuffle([...shape]) }, grad: true };
}

// ---- ef.stridedSlice against numpy's basic indexing ---------------------------------------------

type Item = { t: 'slice'; b: number | null; e: number | null; s: number } | { t: 'idx'; i: number } | { t: 'new' } | { t: 'ell' };

/** The indices Python's slice(b, e, s) visits on a dimension of n. */
function pySlice(b: number | null, e: number | null, s: number, n: number): number[] {
  const [lower, upper] = s > 0 ? [0, n] : [-1, n - 1];
  const norm = (v: number | null, dflt: number) => (v === null ? dflt : v < 0 ? Math.max(v + n, lower) : Math.min(v, upper));
  const start = norm(b, s > 0 ? lower : upper);
  const stop = norm(e, s > 0 ? upper : lower);
  const out: number[] = [];
  for (let i = start; s > 0 ? i < stop : i > stop; i += s) out.push(i);
  return out;
}

/** x[items] as numpy reads it (an implicit trailing ellipsis when there is none). */
function npIndex(x: Host, items: readonly Item[]): ef.HostTensor {
  const rank = x.shape.length;
  const named = items.filter((it) => it.t === 'slice' || it.t === 'idx').length;
  const full: Item[] = [];
  for (const it of items.some((i) => i.t === 'ell') ? items : [...items, { t: 'ell' } as Item]) {
    if (it.t === 'ell') for (let k = 0; k < rank - named; k++) full.push({ t: 'slice', b: null, e: null, s: 1 });
    else full.push(it);
  }
  const outShape: number[] = [];
  const picks: (number | number[])[] = [];
  for (const it of full) {
    const n = x.shape[picks.length]!;
    if (it.t === 'new') outShape.push(1);
    else if (it.t === 'idx') picks.push(it.i < 0 ? it.i + n : it.i);
    else if (it.t === 'slice') {
      const list = pySlice(it.b, it.e, it.s, n);
      picks.push(list);
      outShape.push(list.length);
    }
  }
  const strides = ef.stridesOf(x.shape);
  const out = new Float64Array(size(outShape));
  for (let i = 0; i < out.length; i++) {
    const oi = ef.reference.unravel(i, outShape);
    let ax = 0;
    let off = 0;
    let d = 0;
    for (const it of full) {
      if (it.t === 'new') ax++;
      else if (it.t === 'idx') off += (picks[d] as number) * strides[d++]!;
      else if (it.t === 'slice') off += (picks[d] as number[])[oi[ax++]!]! * strides[d++]!;
    }
    out[i] = x.values[off]!;
  }
  return { shape: outShape, dtype: x.dtype, values: out };
}

function stridedSliceApi(r: Rng, big: boolean): Case {
  const rank = r.int(0, 5);
  const shape = shapeOf(r, rank, big ? 40000 : 800, big ? [1, 2, 3, 5, 16, 33, 64] : undefined);
  const dtype = r.pick(ANY);
  const items: Item[] = [];
  const ellAt = rank > 0 && r.chance(0.3) ? r.int(0, rank) : -1;
  let d = 0;
  while (d < rank || (items.length < 6 && r.chance(0.2))) {
    if (items.length === ellAt) {
      items.push({ t: 'ell' });
      d = rank - r.int(0, rank - d); // the ellipsis covers the dims not named after it
      continue;
    }
    if (r.chance(0.1)) {
      items.push({ t: 'new' });
      continue;
    }
    if (d >= rank) break;
    const n = shape[d++]!;
    const s = r.pick([1, 1, 2, 3, -1, -2, -3]);
    if (n > 0 && r.chance(0.2)) items.push({ t: 'idx', i: r.int(-n, n - 1) });
    else if (n > 0 && r.chance(0.6)) {
      // a non-empty range in the stride's direction, ends maybe counted from the back or omitted
      let [lo, hi] = [r.int(0, n - 1), r.int(0, n)];
      if (lo > hi) [lo, hi] = [hi, lo];
      const back = (v: number) => (r.chance(0.3) ? v - n : v);
      const omit = (v: number) => (r.chance(0.2) ? null : v);
      if (s > 0) items.push({ t: 'slice', b: omit(back(lo)), e: omit(back(Math.max(hi, lo + 1))), s });
      else items.push({ t: 'slice', b: omit(back(Math.max(hi - 1, lo))), e: omit(lo === 0 ? -n - 1 : back(lo - 1)), s });
    } else {
      const end = () => (r.chance(0.25) ? null : r.int(-n - 2, n + 2)); // out of range: clamped
      items.push({ t: 'slice', b: end(), e: end(), s });
    }
  }
  const begin: number[] = [];
  const end: number[] = [];
  const strides: number[] = [];
  const masks = { beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0 };
  items.forEach((it, i) => {
    const bit = 1 << i;
    if (it.t === 'slice') {
      begin.push(it.b ?? r.int(-3, 3)); // masked: any value
      end.push(it.e ?? r.int(-3, 3));
      strides.push(it.s);
      if (it.b === null) masks.beginMask |= bit;
      if (it.e === null) masks.endMask |= bit;
      return;
    }
    begin.push(it.t === 'idx' ? it.i : 0);
    end.push(it.t === 'idx' ? it.i + 1 : 0);
    strides.push(1);
    if (it.t === 'idx') masks.shrinkAxisMask |= bit;
    else if (it.t === 'new') masks.newAxisMask |= bit;
    else masks.ellipsisMask |= bit;
  });
  const text = items.map((it) => (it.t === 'slice' ? `${it.b ?? ''}:${it.e ?? ''}:${it.s}` : it.t === 'idx' ? String(it.i) : it.t === 'new' ? 'newaxis' : '...')).join(', ');
  return { label: `x[${text}]`, inputs: [host(r, shape, dtype)], fn: ([t]) => [ef.stridedSlice(t!, begin, end, strides, masks)], ref: ([h]) => [npIndex(h!, items)], grad: dtype === 'float32' };
}

/** Ops along an axis through the public API (transposes around the last-axis kernels), and reverse/slice. */
function alongAxisApi(r: Rng, big: boolean): Case {
  const rank = r.int(1, 4);
  const shape = shapeOf(r, rank, big ? 40000 : 600, big ? [1, 2, 3, 5, 16, 33, 64, 65, 129] : undefined);
  const axis = r.int(-rank, rank - 1);
  const a = axis < 0 ? axis + rank : axis;
  const x = host(r, shape, 'float32', -3, 3);
  const perm = [...Array(rank).keys()];
  [perm[a], perm[rank - 1]] = [perm[rank - 1]!, perm[a]!];
  const tr = (h: ef.HostTensor) => D.transposeDef.reference!([h], { perm })[0]!;
  const slices = (f: (d: number, n: number) => Item) => shape.map((n, d) => f(d, n));
  switch (r.pick(['softmax', 'logSoftmax', 'reverse', 'slice'] as const)) {
    case 'softmax':
      return { label: `softmax axis ${axis}`, inputs: [x], fn: ([t]) => [ef.nn.softmax(t!, axis)], ref: ([h]) => [tr(D.softmaxDef.reference!([tr(h!)], {})[0]!)], grad: true };
    case 'logSoftmax':
      return { label: `logSoftmax axis ${axis}`, inputs: [x], fn: ([t]) => [ef.nn.logSoftmax(t!, axis)], ref: ([h]) => [tr(D.logSoftmaxDef.reference!([tr(h!)], {})[0]!)], grad: true };
    case 'reverse': {
      const axes = [...Array(rank).keys()].filter(() => r.chance(0.5));
      return { label: `reverse ${axes}`, inputs: [x], fn: ([t]) => [ef.reverse(t!, axes)], ref: ([h]) => [npIndex(h!, slices((d) => ({ t: 'slice', b: null, e: null, s: axes.includes(d) ? -1 : 1 })))], grad: true };
    }
    case 'slice': {
      const begin = shape.map((n) => r.int(0, n));
      const sz = shape.map((n, d) => (r.chance(0.3) ? -1 : r.int(0, n - begin[d]!)));
      return { label: `slice ${begin} ${sz}`, inputs: [x], fn: ([t]) => [ef.slice(t!, begin, sz)], ref: ([h]) => [npIndex(h!, slices((d, n) => ({ t: 'slice', b: begin[d]!, e: sz[d] === -1 ? n : begin[d]! + sz[d]!, s: 1 })))], grad: true };
    }
  }
}

/** Family → generator and how many small and large cases run (the large ones cross size thresholds). */
const FAMILIES: [string, (r: Rng, big: boolean) => Case, number, number][] = [
  ['elementwise', elementwise, 110, 8],
  ['cast', cast, 20, 3],
  ['reduce', reduce, 60, 10],
  ['argMax/argMin', argReduce, 20, 3],
  ['cumsum', cumsum, 20, 3],
  ['softmax, logSoftmax, cross-entropies', softmaxFamily, 30, 3],
  ['topK', topK, 25, 3],
  ['inTopK', inTopK, 15, 2],
  ['gather', gather, 35, 3],
  ['strided_slice and its gradient', stridedWindow, 25, 3],
  ['ef.stridedSlice with masks (numpy indexing)', stridedSliceApi, 60, 3],
  ['softmax/logSoftmax along an axis, reverse, slice', alongAxisApi, 20, 2],
  ['pad', pad, 35, 3],
  ['concat', concat, 20, 3],
  ['split', split, 20, 3],
  ['tile', tile, 20, 3],
  ['transpose', transpose, 35, 3],
  ['broadcastTo', broadcastTo, 30, 3],
  ['oneHot', oneHot, 15, 2],
  ['unsortedSegmentSum', segmentSum, 20, 3],
  ['addN', addN, 20, 3],
  ['reshape', (r) => reshape(r), 10, 0],
];

describe('fuzz: CPU and WebGPU against the float64 references (seeded)', () => {
  test.each(FAMILIES)('%s', async (family, gen, small, large) => {
    const before = ef.memory().numTensors;
    const fails: string[] = [];
    let famSeed = SEED;
    for (const ch of family) famSeed = Math.imul(famSeed ^ ch.charCodeAt(0), 16777619) >>> 0;
    for (let i = 0; i < (small + large) * SCALE; i++) {
      const seed = (famSeed + i * 7919) >>> 0;
      const c = gen(new Rng(seed), i >= small * SCALE);
      const f = await check(c);
      if (f.length) fails.push(`seed ${seed}: ${describeCase(c)}\n    ${f.join('\n    ')}`);
    }
    expect(fails).toEqual([]);
    expect(ef.memory().numTensors).toBe(before);
  });
});

// ---- op chains: WebGPU mirrors the CPU through the life of its buffers -------------------------

describe('fuzz: random op chains, WebGPU mirrored on the CPU', () => {
  // Disposal and buffer reuse inside open batches, reshape aliases, shared small constants (and their
  // eviction), CPU tensors moved into WebGPU ops, reads in between, handoff changes. Caught: a moved
  // constant's reference count reset (its buffer recycled under live tensors) and an empty
  // reduction's queue write overwriting a buffer the open batch still read.
  test('60 chains of 70 steps', async () => {
    type Pair = { g: ef.Tensor; c: ef.Tensor };
    const before = ef.memory().numTensors;
    const fails: string[] = [];
    const both = (f: (...xs: ef.Tensor[]) => ef.Tensor, ...ps: Pair[]): Pair => ({
      g: ef.withDevice('webgpu', () => ef.tidy(() => f(...ps.map((p) => p.g)))),
      c: ef.withDevice('cpu', () => ef.tidy(() => f(...ps.map((p) => p.c)))),
    });
    const same = async (p: Pair) => {
      const [g, c] = await Promise.all([p.g.data(), p.c.data()]);
      return mismatch({ shape: [...p.g.shape], dtype: p.g.dtype, values: Array.from(g as ArrayLike<number>, Number) }, { shape: p.c.shape, dtype: p.c.dtype, values: Array.from(c as ArrayLike<number>, Number) }, 1e-4);
    };
    for (let run = 0; run < 60 * SCALE; run++) {
      const r = new Rng(SEED * 31 + run);
      const live: Pair[] = [];
      const log: string[] = [];
      const make = (shape: number[], dtype: ef.DType = 'float32'): Pair => {
        const constant = r.chance(0.3); // values that hit the shared-constant cache
        const v = Array.from({ length: size(shape) }, () => (constant ? r.pick([0, 1, 2, 0.5]) : dtype === 'int32' ? r.int(-5, 5) : Math.fround(r.u() * 4 - 2)));
        return { g: ef.withDevice('webgpu', () => ef.makeTensor(v, shape, dtype)), c: ef.withDevice('cpu', () => ef.makeTensor(v, shape, dtype)) };
      };
      const pickLive = (pred: (p: Pair) => boolean) => {
        const l = live.filter(pred);
        return l.length ? r.pick(l) : null;
      };
      const drop = (p: Pair) => {
        live.splice(live.indexOf(p), 1);
        ef.dispose([p.g, p.c]);
      };
      try {
        for (let step = 0; step < 70; step++) {
          const k = r.u();
          const f32 = (p: Pair) => p.g.dtype === 'float32';
          if (k < 0.15 || live.length < 2) {
            const m = r.u();
            const s = m < 0.25 ? Array.from({ length: r.int(0, 2) }, () => r.int(1, 2)) : m < 0.32 ? [r.pick([0, 3, 8, 17, 64, 250]), 0] : m < 0.8 ? Array.from({ length: r.int(1, 3) }, () => r.pick([1, 3, 4, 8, 17, 32])) : [r.pick([100, 250, 1000, 1025]), r.pick([1, 4, 7])];
            live.push(make(s, r.chance(0.15) ? 'int32' : 'float32'));
            log.push(`make [${s}]`);
          } else if (k < 0.3) {
            const a = pickLive(f32);
            if (!a) continue;
            const op = r.pick(['neg', 'exp', 'abs', 'square', 'mul2', 'add1', 'relu'] as const);
            const fs: Record<typeof op, (x: ef.Tensor) => ef.Tensor> = { neg: ef.neg, exp: (x) => ef.exp(ef.clipByValue(x, -5, 5)), abs: ef.abs, square: ef.square, mul2: (x) => ef.mul(x, 2), add1: (x) => ef.add(x, 1), relu: ef.relu };
            live.push(both(fs[op], a));
            log.push(`${op} [${a.g.shape}]`);
          } else if (k < 0.42) {
            const a = pickLive(f32);
            if (!a) continue;
            // a broadcastable live operand (often a tiny constant) or a fresh scalar, disposed after
            const fits = live.filter((p) => f32(p) && p.g.rank <= a.g.rank && p.g.shape.every((d, i) => d === 1 || d === a.g.shape[a.g.rank - p.g.rank + i]));
            const tiny = fits.filter((p) => p.g.size <= 4);
            const b = (tiny.length && r.chance(0.4) ? r.pick(tiny) : fits.length && r.chance(0.7) ? r.pick(fits) : null) ?? make(r.chance(0.5) ? [] : [1]);
            const op = r.pick(['add', 'sub', 'mul', 'maximum'] as const);
            live.push(both((x, y) => ef[op](x, y), a, b));
            log.push(`${op} [${a.g.shape}] [${b.g.shape}]`);
            if (!live.includes(b)) ef.dispose([b.g, b.c]);
          } else if (k < 0.52) {
            const a = pickLive((p) => p.g.dtype !== 'bool' && p.g.rank > 0);
            if (!a) continue;
            const axes = [...Array(a.g.rank).keys()].filter(() => r.chance(0.5));
            const op = r.pick(['reduceSum', 'reduceMax', 'reduceMean'] as const);
            // max/mean over nothing give -inf/NaN; sums of nothing (zeros) are what this is after
            if (op !== 'reduceSum' && axes.some((d) => a.g.shape[d] === 0)) continue;
            const keep = r.chance(0.5);
            live.push(both((x) => ef[op](x, axes, keep), a));
            log.push(`${op} [${a.g.shape}] axes [${axes}]`);
          } else if (k < 0.6) {
            const a = pickLive(() => true)!;
            live.push(both((x) => ef.reshape(x, [...x.shape].reverse()), a));
            log.push(`reshape [${a.g.shape}]`);
            if (r.chance(0.5)) drop(a); // the alias outlives its source
          } else if (k < 0.67) {
            const a = pickLive((p) => p.g.rank >= 2);
            if (!a) continue;
            live.push(both((x) => ef.transpose(x), a));
            log.push(`transpose [${a.g.shape}]`);
          } else if (k < 0.72) {
            const a = pickLive((p) => p.g.rank >= 1);
            if (!a) continue;
            live.push(both((x) => ef.concat([x, x], 0), a));
            log.push(`concat [${a.g.shape}]`);
          } else if (k < 0.8) {
            const a = pickLive(() => true)!;
            drop(a);
            log.push(`dispose [${a.g.shape}]`);
          } else if (k < 0.86) {
            // a CPU constant moved into a WebGPU op, then disposed
            const a = pickLive(f32);
            if (!a) continue;
            const v = r.pick([0, 1, 2, 0.5]);
            const [bg, bc] = [ef.withDevice('cpu', () => ef.tensor([v], [1])), ef.withDevice('cpu', () => ef.tensor([v], [1]))];
            live.push({ g: ef.withDevice('webgpu', () => ef.mul(a.g, bg)), c: ef.withDevice('cpu', () => ef.mul(a.c, bc)) });
            ef.dispose([bg, bc]);
            log.push(`mul [${a.g.shape}] by a moved ${v}`);
          } else if (k < 0.92) {
            const a = pickLive(() => true)!;
            log.push(`read [${a.g.shape}]`);
            const m = await same(a);
            if (m) throw new Error(m);
          } else if (k < 0.96) {
            ef.config({ gpuCpuHandoffSize: r.pick([0, defaultHandoff, 4]) });
            log.push(`handoff ${ef.config({}).gpuCpuHandoffSize}`);
          } else {
            const n = r.int(300, 700); // more distinct constants than the cache keeps
            for (let i = 0; i < n; i++) ef.withDevice('webgpu', () => ef.tensor([run * 1e4 + step * 1e3 + i + 0.25], [1])).dispose();
            log.push(`${n} other constants`);
          }
        }
        for (const p of live) {
          const m = await same(p);
          if (m) throw new Error(`final [${p.g.shape}]: ${m}`);
        }
      } catch (e) {
        fails.push(`chain ${run} (seed ${SEED}): ${(e as Error).message}\n  last steps: ${log.slice(-15).join('; ')}`);
      } finally {
        ef.config({ gpuCpuHandoffSize: defaultHandoff });
        for (const p of live) ef.dispose([p.g, p.c]);
      }
    }
    expect(fails).toEqual([]);
    expect(ef.memory().numTensors).toBe(before);
  });
});

// ---- WebGPU's float functions --------------------------------------------------------------------

describe('WebGPU float functions keep float32 accuracy and IEEE special values', () => {
  test('relative error over magnitudes 1e-12 … 1e4 (the fuzz tolerance is absolute near 0)', async () => {
    const xs: number[] = [];
    for (let e = -12; e <= 4; e += 0.02) xs.push(Math.fround(10 ** e), Math.fround(-(10 ** e)));
    for (let e = -8; e <= -1; e += 0.05) xs.push(Math.fround(1 + 10 ** e), Math.fround(1 - 10 ** e));
    const fails: string[] = [];
    ef.config({ gpuCpuHandoffSize: 0 });
    try {
      for (const id of ['exp', 'expm1', 'log', 'log1p', 'tanh', 'sigmoid', 'sin', 'cos', 'sqrt', 'rsqrt', 'softplus', 'elu', 'selu'] as const) {
        const def = D.ELEMENTWISE[id];
        const h: Host = { shape: [xs.length], dtype: 'float32', values: Float64Array.from(xs) };
        const want = ef.reference.num(def.reference!([h], {})[0]!);
        const y = ef.withDevice('webgpu', () => ef.apply(def, [ef.tensor(Float32Array.from(xs), [xs.length])], {})[0]!);
        const got = (await y.data()) as Float32Array;
        y.dispose();
        // WGSL allows exp (3 + 2|x|) ulp: up to ~40 ulp over the float32 range of exp's argument
        const tol = id === 'exp' || id === 'sigmoid' || id === 'softplus' || id === 'expm1' ? 1e-5 : 2e-6;
        for (let i = 0; i < xs.length; i++) {
          const w = Math.fround(want[i]!);
          if (!Number.isFinite(w) || Math.abs(w) < 1e-37 || Math.abs(xs[i]!) < 1e-37) continue; // subnormals flush to 0 on GPUs
          if (!(Math.abs(got[i]! - w) <= tol * Math.abs(w))) {
            fails.push(`${id}(${xs[i]}) = ${got[i]}, expected ${w}`);
            break;
          }
        }
      }
    } finally {
      ef.config({ gpuCpuHandoffSize: defaultHandoff });
    }
    expect(fails).toEqual([]);
  });

  test('special values: NaN propagates through max/min, relu, clip, reductions and softmax (+inf too); log(0) = -inf, log(x < 0) = NaN; pow as C', async () => {
    const V = [NaN, 1, -Infinity, Infinity, -0, 0, 2.5, -2.5, 0.5, 1.5, -1.5, 3e38];
    const ops: Record<string, (x: ef.Tensor) => ef.Tensor> = {
      relu: ef.relu, relu6: ef.relu6, clip: (x) => ef.clipByValue(x, -1, 1), maximum: (x) => ef.maximum(x, 2), minimum: (x) => ef.minimum(x, 2),
      reduceMax: (x) => ef.reduceMax(ef.reshape(x, [3, 4]), 1), reduceMinColumns: (x) => ef.reduceMin(ef.reshape(x, [3, 4]), 0),
      reduceMaxRow: (x) => ef.reduceMax(ef.concat([ef.fill([5000], 1), x], 0)), softmax: (x) => ef.nn.softmax(ef.reshape(x, [3, 4])),
      logSoftmax: (x) => ef.nn.logSoftmax(ef.reshape(x, [3, 4])), softmaxInfRow: (x) => ef.nn.softmax(ef.reshape(ef.slice(x, [1], [8]), [2, 4])),
      logSoftmaxInfRow: (x) => ef.nn.logSoftmax(ef.reshape(ef.slice(x, [1], [8]), [2, 4])), exp: ef.exp, sigmoid: ef.sigmoid, tanh: ef.tanh, log: ef.log, log1p: ef.log1p,
      expm1: ef.expm1, pow3: (x) => ef.pow(x, 3), powAllPairs: (x) => ef.pow(ef.reshape(ef.tile(x, [12]), [12, 12]), ef.reshape(x, [12, 1])), topK: (x) => ef.cast(ef.topK(x, 6).indices, 'float32'),
    };
    const fails: string[] = [];
    ef.config({ gpuCpuHandoffSize: 0 });
    try {
      for (const [name, f] of Object.entries(ops)) {
        const [cpu, gpu] = await Promise.all(
          (['cpu', 'webgpu'] as const).map(async (b) => {
            const y = ef.withDevice(b, () => ef.tidy(() => f(ef.tensor(V, [V.length]))));
            return (await readAll([y]))[0]!;
          }),
        );
        const m = mismatch(gpu!, cpu!, 1e-5);
        if (m) fails.push(`${name}: ${m}`);
      }
    } finally {
      ef.config({ gpuCpuHandoffSize: defaultHandoff });
    }
    expect(fails).toEqual([]);
  });
});

// ---- regressions ---------------------------------------------------------------------------------

describe('regressions found by this fuzzing', () => {
  test('a CPU constant moved to WebGPU counts one more reference on the shared constant (its buffer is not recycled under live tensors)', async () => {
    gpu().rt.pool.trim(); // no cached buffers: the next outputs reuse the ones freed below
    const big = ef.withDevice('webgpu', () => ef.fill([2000], 1));
    const a = ef.withDevice('webgpu', () => ef.tensor([3], [1])); // a shared small constant
    ef.withDevice('webgpu', () => ef.mul(big, a)).dispose(); // a GPU kernel reads it: it gets a buffer
    const b = ef.withDevice('cpu', () => ef.tensor([3], [1]));
    ef.withDevice('webgpu', () => ef.add(big, b)).dispose(); // b moves, onto a's storage
    b.dispose(); // before the fix: the storage's only reference, so released under a
    for (let i = 0; i < 600; i++) ef.withDevice('webgpu', () => ef.tensor([1000 + i], [1])).dispose(); // evict it from the cache
    ef.config({ gpuCpuHandoffSize: 0 });
    const junk = Array.from({ length: 40 }, (_, i) => ef.withDevice('webgpu', () => ef.tidy(() => ef.mul(ef.fill([4], 7 + i), 2))));
    ef.config({ gpuCpuHandoffSize: defaultHandoff });
    const y = ef.withDevice('webgpu', () => ef.mul(big, a));
    expect(Array.from((await y.data()) as Float32Array).slice(0, 3)).toEqual([3, 3, 3]);
    ef.dispose([big, a, y, ...junk]);
  });

  test('an empty reduction writes its identity in order: a buffer the open batch still reads is not overwritten first', async () => {
    ef.config({ gpuCpuHandoffSize: 0 });
    gpu().rt.pool.trim(); // no cached buffers: the reduction's output is x's buffer, freed in this batch
    try {
      const x = ef.tensor(Float32Array.from({ length: 1000 }, (_, i) => i + 1), [1000]);
      const y = ef.neg(x); // recorded, not yet submitted: reads x's buffer
      x.dispose(); // x's buffer may now be handed to an output of this batch
      const e = ef.zeros([1000, 0]);
      const s = ef.reduceProd(e, 1); // 1,000 ones, possibly into x's buffer
      expect(Array.from(((await y.data()) as Float32Array).slice(0, 4))).toEqual([-1, -2, -3, -4]);
      expect(Array.from(((await s.data()) as Float32Array).slice(0, 2))).toEqual([1, 1]);
      ef.dispose([y, e, s]);
    } finally {
      ef.config({ gpuCpuHandoffSize: defaultHandoff });
    }
  });

  test('reductions through subgroups and through the workgroup tree agree, NaN included', async () => {
    const x = Float32Array.from({ length: 3 * 2000 }, (_, i) => Math.sin(i));
    x[2345] = NaN;
    const run = async (subgroups: boolean) => {
      gpu().rt.useSubgroups = subgroups;
      try {
        const ys = ef.withDevice('webgpu', () => ef.tidy(() => {
          const t = ef.tensor(x, [3, 2000]);
          return [ef.reduceMax(t, 1), ef.reduceMin(t, 1), ef.reduceSum(t, 1)];
        }));
        return (await readAll(ys)).map((o) => o.values);
      } finally {
        gpu().rt.useSubgroups = true;
      }
    };
    const cpu = (await readAll(ef.withDevice('cpu', () => ef.tidy(() => {
      const t = ef.tensor(x, [3, 2000]);
      return [ef.reduceMax(t, 1), ef.reduceMin(t, 1), ef.reduceSum(t, 1)];
    })))).map((o) => o.values);
    for (const got of [await run(true), await run(false)]) {
      expect(got[0]![1]).toBeNaN(); // the row holding the NaN
      expect(got[1]![1]).toBeNaN();
      got.forEach((v, k) => v.forEach((e, i) => (Number.isNaN(cpu[k]![i]!) ? expect(e).toBeNaN() : expect(e).toBeCloseTo(cpu[k]![i]!, 4))));
    }
  });
});
