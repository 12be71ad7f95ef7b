/**
 * Initializers with TensorFlow's formulas. An initializer is `(shape, dtype) => Tensor`. Random
 * initializers run the Philox random ops (ops/defs/random_*), so the same seeds give the same
 * values on every backend and the values are made where the variable lives (no host upload).
 *
 * Seeds follow TensorFlow's rules (random/seed.ts, ef.setRandomSeed):
 *  - an explicit `seed` is the op seed; the initializer always produces the values of the *first*
 *    call of that op with those seeds (a TF1 initializer op: same seed, same values every time);
 *  - without one, the global seed and the op-seed counter pick a fresh stream per initializer call,
 *    reproducible after ef.setRandomSeed; with neither, values differ per run.
 */
import type { DType } from '../dtype.js';
import { OpError } from '../errors.js';
import { sizeOf, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { makeTensor } from '../ops/create_values.js';
import { cast } from '../ops/api/cast.js';
import { apply1 } from '../ops/dispatch.js';
import { randomNormalDef } from '../ops/defs/random_normal.js';
import { randomUniformDef } from '../ops/defs/random_uniform.js';
import { truncatedNormalDef } from '../ops/defs/truncated_normal.js';
import type { PhiloxStream } from '../random/philox.js';
import { getSeed, nextStream, setRandomSeed } from '../random/seed.js';

export type Initializer = (shape: Shape, dtype?: DType) => Tensor;

/** 1 / stddev of a standard normal truncated to [-2, 2] (TensorFlow's correction). */
export const TRUNCATED_NORMAL_STDDEV_CORRECTION = 0.87962566103423978;
/** contrib's variance_scaling_initializer draws its truncated normal with variance 1.3·factor/n. */
const CONTRIB_TRUNCATED_VARIANCE = 1.3;

/**
 * Kept for compatibility: the initializers have no seed of their own any more, this is
 * ef.setRandomSeed (TensorFlow's single graph-level seed).
 * @deprecated use ef.setRandomSeed
 */
export function setInitializerSeed(seed: number | null): void {
  setRandomSeed(seed);
}

/** The Philox stream of one initializer call (see the seed rules above). */
function initStream(kind: string, seed: number | undefined, op: string): PhiloxStream {
  if (seed === undefined) return nextStream(kind, undefined, op);
  return { key: getSeed(seed, op)!, counter: [0, 0] };
}

function asDType(t: Tensor, dtype: DType): Tensor {
  if (t.dtype === dtype) return t;
  const out = cast(t, dtype);
  t.dispose();
  return out;
}

function normalInit(kind: 'normal' | 'truncated', shape: Shape, dtype: DType, mean: number, stddev: number, seed: number | undefined, op: string): Tensor {
  const def = kind === 'normal' ? randomNormalDef : truncatedNormalDef;
  const attrs = { shape: [...shape], mean, stddev, key: [0, 0] as [number, number], counter: [0, 0] as [number, number] };
  def.infer([], attrs); // validate before the op-seed counter advances
  const s = initStream(kind === 'normal' ? 'random_normal' : 'truncated_normal', seed, op);
  return asDType(apply1(def, [], { ...attrs, key: s.key, counter: s.counter }), dtype);
}

function uniformInit(shape: Shape, dtype: DType, minval: number, maxval: number, seed: number | undefined, op: string): Tensor {
  const opDType = dtype === 'int32' ? 'int32' : 'float32';
  const attrs = { shape: [...shape], dtype: opDType, minval, maxval, key: [0, 0] as [number, number], counter: [0, 0] as [number, number] } as const;
  randomUniformDef.infer([], attrs);
  const s = initStream(`random_uniform:${opDType}`, seed, op);
  return asDType(apply1(randomUniformDef, [], { ...attrs, key: s.key, counter: s.counter }), dtype);
}

function fromHost(shape: Shape, dtype: DType, gen: (i: number) => number): Tensor {
  const n = sizeOf(shape);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = gen(i);
  return makeTensor(v, shape, dtype);
}

export const constant = (value: number | ArrayLike<number> = 0): Initializer => (shape, dtype = 'float32') => {
  if (typeof value === 'number') return fromHost(shape, dtype, () => value);
  if (value.length !== sizeOf(shape)) throw new OpError('constantInitializer', `${value.length} values for shape [${shape.join(',')}]`);
  return fromHost(shape, dtype, (i) => value[i]!);
};
export const zeros = (): Initializer => constant(0);
export const ones = (): Initializer => constant(1);

export interface RandomOptions {
  seed?: number;
}

export const randomNormal = ({ mean = 0, stddev = 1, seed }: { mean?: number; stddev?: number } & RandomOptions = {}): Initializer => (shape, dtype = 'float32') =>
  normalInit('normal', shape, dtype, mean, stddev, seed, 'randomNormalInitializer');

/** Normal re-drawn outside two standard deviations (tf.truncated_normal_initializer). */
export const truncatedNormal = ({ mean = 0, stddev = 1, seed }: { mean?: number; stddev?: number } & RandomOptions = {}): Initializer => (shape, dtype = 'float32') =>
  normalInit('truncated', shape, dtype, mean, stddev, seed, 'truncatedNormalInitializer');

/** Uniform in [minval, maxval) (tf.random_uniform_initializer; TF1 defaults 0 and 1). */
export const randomUniform = ({ minval = 0, maxval = 1, seed }: { minval?: number; maxval?: number } & RandomOptions = {}): Initializer => (shape, dtype = 'float32') =>
  uniformInit(shape, dtype, minval, maxval, seed, 'randomUniformInitializer');

/** fan_in / fan_out as TensorFlow computes them (conv kernels: receptive field × channels). */
export function computeFans(shape: Shape): { fanIn: number; fanOut: number } {
  if (shape.length < 1) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  if (shape.length === 2) return { fanIn: shape[0]!, fanOut: shape[1]! };
  const receptive = sizeOf(shape.slice(0, -2));
  return { fanIn: shape[shape.length - 2]! * receptive, fanOut: shape[shape.length - 1]! * receptive };
}

export type FanMode = 'FAN_IN' | 'FAN_OUT' | 'FAN_AVG' | 'fan_in' | 'fan_out' | 'fan_avg';
export type Distribution = 'truncated_normal' | 'untruncated_normal' | 'normal' | 'uniform';

export interface VarianceScalingOptions extends RandomOptions {
  /** Multiplier of the variance (contrib's `factor`, core's `scale`); default 2 (He) as contrib. */
  factor?: number;
  scale?: number;
  mode?: FanMode;
  /** contrib's flag: true = uniform, false = truncated normal. */
  uniform?: boolean;
  /** core's name for the same choice; wins over `uniform`. 'normal' means truncated normal (TF ≤1.12). */
  distribution?: Distribution;
}

/**
 * n = fan_in | fan_out | (fan_in+fan_out)/2 by mode; uniform: ±sqrt(3·scale/n);
 * truncated normal: stddev sqrt(scale/n) / 0.87962566103423978 (core's tf.variance_scaling_initializer,
 * chosen by `distribution`), or sqrt(1.3·factor/n) when called contrib-style without `distribution`
 * (tf.contrib.layers.variance_scaling_initializer, xavier_initializer(uniform=False));
 * untruncated: stddev sqrt(scale/n).
 */
export const varianceScaling = (options: VarianceScalingOptions = {}): Initializer => (shape, dtype = 'float32') => {
  const scale = options.scale ?? options.factor ?? 2;
  if (!(scale > 0)) throw new OpError('varianceScaling', `scale must be positive, found ${scale}`);
  const mode = (options.mode ?? 'FAN_IN').toUpperCase();
  const { fanIn, fanOut } = computeFans(shape);
  const n = mode === 'FAN_IN' ? fanIn : mode === 'FAN_OUT' ? fanOut : mode === 'FAN_AVG' ? (fanIn + fanOut) / 2 : NaN;
  if (Number.isNaN(n)) throw new OpError('varianceScaling', `mode must be FAN_IN, FAN_OUT or FAN_AVG, found '${options.mode}'`);
  const dist: Distribution = options.distribution ?? (options.uniform ? 'uniform' : 'truncated_normal');
  const v = scale / Math.max(1, n);
  switch (dist) {
    case 'uniform': {
      const limit = Math.sqrt(3 * v);
      return uniformInit(shape, dtype, -limit, limit, options.seed, 'varianceScaling');
    }
    case 'untruncated_normal':
      return normalInit('normal', shape, dtype, 0, Math.sqrt(v), options.seed, 'varianceScaling');
    case 'truncated_normal':
    case 'normal': {
      const stddev = options.distribution === undefined ? Math.sqrt(CONTRIB_TRUNCATED_VARIANCE * v) : Math.sqrt(v) / TRUNCATED_NORMAL_STDDEV_CORRECTION;
      return normalInit('truncated', shape, dtype, 0, stddev, options.seed, 'varianceScaling');
    }
    default:
      throw new OpError('varianceScaling', `unknown distribution '${String(dist)}'`);
  }
};

/** Glorot/Xavier uniform: ±sqrt(6/(fan_in+fan_out)) (TensorFlow's default for getVariable). */
export const glorotUniform = (o: RandomOptions = {}): Initializer => varianceScaling({ scale: 1, mode: 'FAN_AVG', distribution: 'uniform', seed: o.seed });
export const glorotNormal = (o: RandomOptions = {}): Initializer => varianceScaling({ scale: 1, mode: 'FAN_AVG', distribution: 'truncated_normal', seed: o.seed });
/** tf.contrib.layers.xavier_initializer: variance_scaling_initializer(factor=1, FAN_AVG, uniform). */
export const xavier = ({ uniform = true, seed }: { uniform?: boolean } & RandomOptions = {}): Initializer => varianceScaling({ factor: 1, mode: 'FAN_AVG', uniform, seed });
/** tf.contrib.layers' names, for code ported from TF1 (TensorFlow defines them as these aliases too). */
export const xavierInitializer = xavier;
export const xavierInitializerConv2d = xavier;
export const varianceScalingInitializer = varianceScaling;
/** He / MSRA: scale 2, FAN_IN, truncated normal (contrib's variance_scaling_initializer() default). */
export const heNormal = (o: RandomOptions = {}): Initializer => varianceScaling({ scale: 2, mode: 'FAN_IN', distribution: 'truncated_normal', seed: o.seed });
export const heUniform = (o: RandomOptions = {}): Initializer => varianceScaling({ scale: 2, mode: 'FAN_IN', distribution: 'uniform', seed: o.seed });
export const lecunNormal = (o: RandomOptions = {}): Initializer => varianceScaling({ scale: 1, mode: 'FAN_IN', distribution: 'truncated_normal', seed: o.seed });
export const lecunUniform = (o: RandomOptions = {}): Initializer => varianceScaling({ scale: 1, mode: 'FAN_IN', distribution: 'uniform', seed: o.seed });
