/**
 * The conformance suite: every op declaration × its samples, run on the current backend.
 * Forward outputs are compared with the op's float64 reference (and hand-computed expectations);
 * gradients from the vjp are compared with central finite differences of the float64 reference.
 */
import type { DType, DataValues } from '../dtype.js';
import { engine } from '../engine.js';
import { sizeOf, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { valueAndGrads } from '../autograd/api.js';
import { makeTensor } from '../ops/create_values.js';
import { ALL_OPS } from '../ops/defs/index.js';
import { apply } from '../ops/dispatch.js';
import type { HostTensor, OpDef, OpSample } from '../ops/op_def.js';
import { add, mul } from '../ops/api/elementwise.js';
import { reduceSum } from '../ops/api/reduce.js';
import { num } from '../ops/reference_util.js';

export interface ConformanceCase {
  readonly op: string;
  readonly name: string;
  run(): Promise<void>;
}

export interface ConformanceOptions {
  /** Only these op ids. */
  ops?: readonly string[];
  /** Extra op defs beyond the built-in list (packages that declare their own ops). */
  extra?: readonly OpDef<any>[];
  /** Skip gradient checks (e.g. a backend under construction). */
  forwardOnly?: boolean;
}

const FORWARD_TOL: Record<string, number> = { float32: 1e-4, int32: 0, bool: 0 };
const GRAD_TOL = 2e-3;
const FD_STEP = 1e-3;

/** Deterministic uniform [0, 1) draws (mulberry32) for sample and test inputs, so failures reproduce. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hostInputs(sample: OpSample<unknown>, seed: number): HostTensor[] {
  const rand = seededRandom(seed);
  return sample.inputs.map((spec) => {
    if ('values' in spec) return spec;
    const dtype: DType = spec.dtype ?? 'float32';
    const [lo, hi] = spec.range ?? [-2, 2];
    const n = sizeOf(spec.shape);
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const u = rand();
      values[i] = dtype === 'bool' ? (u < 0.5 ? 0 : 1) : dtype === 'int32' || dtype === 'int64' ? Math.floor(lo + u * (hi - lo + 1)) : Math.fround(lo + u * (hi - lo));
    }
    return { shape: spec.shape, dtype, values };
  });
}

function toDevice(h: HostTensor): Tensor {
  // int64 samples may give a BigInt64Array: values beyond 2^53 stay exact.
  if (h.values instanceof BigInt64Array) return makeTensor(h.values, h.shape, h.dtype);
  return makeTensor(Array.from(h.values as ArrayLike<number>, Number), h.shape, h.dtype);
}

function fmt(v: ArrayLike<number>, n = 8): string {
  return `[${Array.from(v).slice(0, n).map((x) => Number(x).toPrecision(6)).join(', ')}${v.length > n ? ', …' : ''}]`;
}

function compare(what: string, got: ArrayLike<number>, want: ArrayLike<number>, tol: number): void {
  if (got.length !== want.length) throw new Error(`${what}: ${got.length} values, expected ${want.length}`);
  for (let i = 0; i < got.length; i++) {
    const g = Number(got[i]);
    const w = Number(want[i]);
    if (Number.isNaN(w) && Number.isNaN(g)) continue;
    if (w === g) continue;
    if (!(Math.abs(g - w) <= tol * (1 + Math.abs(w)))) {
      throw new Error(`${what}: element ${i} is ${g}, expected ${w} (tolerance ${tol})\n  got      ${fmt(got)}\n  expected ${fmt(want)}`);
    }
  }
}

function sameShape(what: string, got: Shape, want: Shape): void {
  if (got.length !== want.length || got.some((d, i) => d !== want[i])) throw new Error(`${what}: shape [${got.join(',')}], expected [${want.join(',')}]`);
}

function numeric(values: DataValues): number[] {
  return Array.from(values as ArrayLike<number | bigint>, Number);
}

async function checkForward(def: OpDef<any>, sample: OpSample<any>, inputs: HostTensor[]): Promise<void> {
  const tensors = inputs.map(toDevice);
  const outs = apply(def, tensors, sample.attrs);
  try {
    const tol = def.tolerance?.forward ?? FORWARD_TOL[outs[0]?.dtype ?? 'float32'] ?? 0;
    const refs = def.reference ? def.reference(inputs, sample.attrs) : undefined;
    for (let j = 0; j < outs.length; j++) {
      const got = numeric(await outs[j]!.data());
      for (const [label, want] of [['reference', refs?.[j]], ['expected', sample.expected?.[j]]] as const) {
        if (!want) continue;
        sameShape(`${def.id} output ${j} vs ${label}`, outs[j]!.shape, want.shape);
        if (outs[j]!.dtype !== want.dtype) throw new Error(`${def.id} output ${j}: dtype ${outs[j]!.dtype}, ${label} says ${want.dtype}`);
        compare(`${def.id} output ${j} vs ${label}`, got, num(want), def.random ? (def.tolerance?.forward ?? 0) : tol);
      }
    }
    if (!refs && !sample.expected) throw new Error(`${def.id}: sample has neither a reference nor expected values`);
  } finally {
    for (const t of [...tensors, ...outs]) t.dispose();
  }
}

async function checkGradient(def: OpDef<any>, sample: OpSample<any>, inputs: HostTensor[], seed: number): Promise<void> {
  const reference = def.reference!.bind(def);
  const refOuts = reference(inputs, sample.attrs);
  const rand = seededRandom(seed + 7);
  const weights = refOuts.map((o) => Float64Array.from({ length: sizeOf(o.shape) }, () => Math.fround(rand() * 2 - 1)));
  const loss = (ins: HostTensor[]) =>
    reference(ins, sample.attrs).reduce((s, o, j) => (o.dtype === 'float32' ? s + num(o).reduce((a, v, i) => a + v * weights[j]![i]!, 0) : s), 0);

  const tensors = inputs.map(toDevice);
  const wts = refOuts.map((o, j) => makeTensor(weights[j]!, o.shape, 'float32'));
  const diffIdx = inputs.map((h, i) => (h.dtype === 'float32' ? i : -1)).filter((i) => i >= 0);
  const { value, grads } = valueAndGrads(() => {
    const outs = apply(def, tensors, sample.attrs);
    const terms = outs.filter((o) => o.dtype === 'float32').map((o) => reduceSum(mul(o, wts[outs.indexOf(o)]!)));
    return terms.reduce((s, t) => add(s, t));
  }, diffIdx.map((i) => tensors[i]!));
  try {
    for (let k = 0; k < diffIdx.length; k++) {
      const i = diffIdx[k]!;
      const got = numeric(await grads[k]!.data());
      const base = num(inputs[i]!);
      const want = new Float64Array(base.length);
      for (let e = 0; e < base.length; e++) {
        const at = (delta: number) => {
          const v = Float64Array.from(base);
          v[e] = base[e]! + delta;
          const ins = inputs.slice();
          ins[i] = { ...inputs[i]!, values: v };
          return loss(ins);
        };
        want[e] = (at(FD_STEP) - at(-FD_STEP)) / (2 * FD_STEP);
      }
      sameShape(`${def.id} gradient of input ${i}`, grads[k]!.shape, inputs[i]!.shape);
      compare(`${def.id} gradient of input ${i} vs finite differences`, got, want, def.tolerance?.grad ?? GRAD_TOL);
    }
  } finally {
    for (const t of [...tensors, ...wts, value, ...grads]) t.dispose();
  }
}

/** One case per (op, sample): forward check, then gradient check where the op is differentiable. */
export function conformanceCases(options: ConformanceOptions = {}): ConformanceCase[] {
  const defs = [...ALL_OPS, ...(options.extra ?? [])].filter((d) => !options.ops || options.ops.includes(d.id));
  const cases: ConformanceCase[] = [];
  for (const def of defs) {
    (def.samples ?? []).forEach((sample, s) => {
      const shapes = sample.inputs.map((i) => `[${i.shape.join(',')}]`).join(' ');
      const name = `${def.id} #${s}${sample.name ? ` ${sample.name}` : ''} ${shapes}`;
      const seed = 1000 + s * 31 + def.id.length;
      cases.push({
        op: def.id,
        name,
        async run() {
          const before = engine.memory().numTensors;
          const inputs = hostInputs(sample, seed);
          await checkForward(def, sample, inputs);
          if (!options.forwardOnly && def.vjp && def.reference && !sample.noGrad) await checkGradient(def, sample, inputs, seed);
          const after = engine.memory().numTensors;
          if (after !== before) throw new Error(`${def.id}: ${after - before} tensors leaked by the case`);
        },
      });
    });
  }
  return cases;
}

/** Op ids that have no samples (the suite would silently skip them). */
export function opsWithoutSamples(): string[] {
  return ALL_OPS.filter((d) => !d.samples?.length).map((d) => d.id);
}
