/**
 * Learning-rate schedules as functions of the global step (tf.train.exponential_decay …). Each
 * returns a function `() => Tensor` an optimizer takes as its learning rate (computed with
 * tensor ops, so no GPU read is needed), plus `valueAt(step)` for the same formula on the host.
 */
import { OpError } from '../errors.js';
import { add, ceil, cos, div, floor, lessEqual, maximum, minimum, mul, pow, sub, where } from '../ops/api/elementwise.js';
import { cast } from '../ops/api/cast.js';
import { fill } from '../ops/api/creation.js';
import { Tensor } from '../tensor.js';

/** What a schedule reads: the global-step variable, a tensor, a number, or a function. */
export type StepSource = Tensor | number | (() => Tensor | number);

export interface Schedule {
  (): Tensor;
  /** The learning rate at `step` (host arithmetic, float64). */
  valueAt(step: number): number;
}

function stepTensor(step: StepSource): Tensor {
  const s = typeof step === 'function' ? step() : step;
  return typeof s === 'number' ? fill([], s) : cast(s, 'float32');
}

function make(step: StepSource, tensorFn: (s: Tensor) => Tensor, hostFn: (s: number) => number): Schedule {
  const f = (() => tensorFn(stepTensor(step))) as Schedule;
  f.valueAt = hostFn;
  return f;
}

function positive(op: string, name: string, v: number): void {
  if (!(v > 0)) throw new OpError(op, `${name} must be positive, found ${v}`);
}

/** lr · rate^(step / decaySteps); with staircase the exponent is floored. */
export function exponentialDecay(learningRate: number, globalStep: StepSource, decaySteps: number, decayRate: number, staircase = false): Schedule {
  positive('exponentialDecay', 'decaySteps', decaySteps);
  return make(
    globalStep,
    (s) => {
      let p = div(s, decaySteps);
      if (staircase) p = floor(p);
      return mul(learningRate, pow(fill([], decayRate), p));
    },
    (s) => learningRate * decayRate ** (staircase ? Math.floor(s / decaySteps) : s / decaySteps),
  );
}

/** values[0] while step ≤ boundaries[0], values[i] while step ≤ boundaries[i], values[last] after. */
export function piecewiseConstant(globalStep: StepSource, boundaries: readonly number[], values: readonly number[]): Schedule {
  if (values.length !== boundaries.length + 1) {
    throw new OpError('piecewiseConstant', `values must have one more entry than boundaries (${values.length} values, ${boundaries.length} boundaries)`);
  }
  for (let i = 1; i < boundaries.length; i++) if (!(boundaries[i]! > boundaries[i - 1]!)) throw new OpError('piecewiseConstant', 'boundaries must be increasing');
  return make(
    globalStep,
    (s) => {
      let out = fill([], values[values.length - 1]!);
      for (let i = boundaries.length - 1; i >= 0; i--) out = where(lessEqual(s, boundaries[i]!), fill([], values[i]!), out);
      return out;
    },
    (s) => {
      for (let i = 0; i < boundaries.length; i++) if (s <= boundaries[i]!) return values[i]!;
      return values[values.length - 1]!;
    },
  );
}

/**
 * (lr − end)·(1 − step/decaySteps)^power + end, step clipped to decaySteps; with cycle the
 * decay restarts: decaySteps · ceil(step/decaySteps).
 */
export function polynomialDecay(
  learningRate: number,
  globalStep: StepSource,
  decaySteps: number,
  { endLearningRate = 0.0001, power = 1.0, cycle = false }: { endLearningRate?: number; power?: number; cycle?: boolean } = {},
): Schedule {
  positive('polynomialDecay', 'decaySteps', decaySteps);
  return make(
    globalStep,
    (s) => {
      let steps: Tensor | number = decaySteps;
      let st = s;
      if (cycle) steps = mul(decaySteps, maximum(ceil(div(s, decaySteps)), 1));
      else st = minimum(s, decaySteps);
      const frac = sub(1, div(st, steps));
      return add(mul(learningRate - endLearningRate, pow(frac, fill([], power))), endLearningRate);
    },
    (s) => {
      let steps = decaySteps;
      if (cycle) steps = decaySteps * Math.max(1, Math.ceil(s / decaySteps));
      else s = Math.min(s, decaySteps);
      return (learningRate - endLearningRate) * (1 - s / steps) ** power + endLearningRate;
    },
  );
}

/** lr · ((1 − alpha)·0.5·(1 + cos(π·min(step, decaySteps)/decaySteps)) + alpha). */
export function cosineDecay(learningRate: number, globalStep: StepSource, decaySteps: number, { alpha = 0 }: { alpha?: number } = {}): Schedule {
  positive('cosineDecay', 'decaySteps', decaySteps);
  return make(
    globalStep,
    (s) => {
      const c = mul(0.5, add(1, cos(mul(Math.PI / decaySteps, minimum(s, decaySteps)))));
      return mul(learningRate, add(mul(1 - alpha, c), alpha));
    },
    (s) => learningRate * ((1 - alpha) * 0.5 * (1 + Math.cos((Math.PI * Math.min(s, decaySteps)) / decaySteps)) + alpha),
  );
}

/** lr / (1 + rate · step/decaySteps) (floored with staircase). */
export function inverseTimeDecay(learningRate: number, globalStep: StepSource, decaySteps: number, decayRate: number, staircase = false): Schedule {
  positive('inverseTimeDecay', 'decaySteps', decaySteps);
  return make(
    globalStep,
    (s) => {
      let p = div(s, decaySteps);
      if (staircase) p = floor(p);
      return div(learningRate, add(1, mul(decayRate, p)));
    },
    (s) => learningRate / (1 + decayRate * (staircase ? Math.floor(s / decaySteps) : s / decaySteps)),
  );
}
