/**
 * Initializers with TensorFlow's formulas. An initializer is `(shape, dtype) => Tensor`; the
 * values are computed on the host with a seeded generator and uploaded once.
 */
import type { DType } from '../dtype.js';
import { OpError } from '../errors.js';
import { sizeOf, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { makeTensor } from '../ops/create_values.js';
import { generatorFor, type HostRandom } from './host_random.js';

export type Initializer = (shape: Shape, dtype?: DType) => Tensor;

/** 1 / stddev of a standard normal truncated to [-2, 2] (TensorFlow's correction). */
export const TRUNCATED_NORMAL_STDDEV_CORRECTION = 0.87962566103423978;

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

export const randomNormal = ({ mean = 0, stddev = 1, seed }: { mean?: number; stddev?: number } & RandomOptions = {}): Initializer => (shape, dtype = 'float32') => {
  const r = generatorFor(seed);
  return fromHost(shape, dtype, () => mean + stddev * r.normal());
};

/** Normal re-drawn outside two standard deviations (tf.truncated_normal_initializer). */
export const truncatedNormal = ({ mean = 0, stddev = 1, seed }: { mean?: number; stddev?: number } & RandomOptions = {}): Initializer => (shape, dtype = 'float32') => {
  const r = generatorFor(seed);
  return fromHost(shape, dtype, () => mean + stddev * r.truncatedNormal());
};

/** Uniform in [minval, maxval) (tf.random_uniform_initializer; TF1 defaults 0 and 1). */
export const randomUniform = ({ minval = 0, maxval = 1, seed }: { minval?: number; maxval?: number } & RandomOptions = {}): Initializer => (shape, dtype = 'float32') => {
  const r = generatorFor(seed);
  if (dtype === 'int32') return fromHost(shape, dtype, () => Math.floor(minval + (maxval - minval) * r.next()));
  return fromHost(shape, dtype, () => minval + (maxval - minval) * r.next());
};

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
 * truncated normal: stddev sqrt(scale/n) / 0.87962566103423978; untruncated: stddev sqrt(scale/n).
 */
export const varianceScaling = (options: VarianceScalingOptions = {}): Initializer => (shape, dtype = 'float32') => {
  const scale = options.scale ?? options.factor ?? 2;
  if (!(scale > 0)) throw new OpError('varianceScaling', `scale must be positive, found ${scale}`);
  const mode = (options.mode ?? 'FAN_IN').toUpperCase();
  const { fanIn, fanOut } = computeFans(shape);
  const n = mode === 'FAN_IN' ? fanIn : mode === 'FAN_OUT' ? fanOut : mode === 'FAN_AVG' ? (fanIn + fanOut) / 2 : NaN;
  if (Number.isNaN(n)) throw new OpError('varianceScaling', `mode must be FAN_IN, FAN_OUT or FAN_AVG, found '${options.mode}'`);
  const dist: Distribution = options.distribution ?? (options.uniform ? 'uniform' : 'truncated_normal');
  const r: HostRandom = generatorFor(options.seed);
  const v = scale / Math.max(1, n);
  switch (dist) {
    case 'uniform': {
      const limit = Math.sqrt(3 * v);
      return fromHost(shape, dtype, () => (2 * r.next() - 1) * limit);
    }
    case 'untruncated_normal':
      return fromHost(shape, dtype, () => Math.sqrt(v) * r.normal());
    case 'truncated_normal':
    case 'normal': {
      const stddev = Math.sqrt(v) / TRUNCATED_NORMAL_STDDEV_CORRECTION;
      return fromHost(shape, dtype, () => stddev * r.truncatedNormal());
    }
    default:
      throw new OpError('varianceScaling', `unknown distribution '${String(dist)}'`);
  }
};

/** Glorot/Xavier uniform: ±sqrt(6/(fan_in+fan_out)) (TensorFlow's default for getVariable). */
export const glorotUniform = (o: RandomOptions = {}): Initializer => varianceScaling({ scale: 1, mode: 'FAN_AVG', distribution: 'uniform', seed: o.seed });
export const glorotNormal = (o: RandomOptions = {}): Initializer => varianceScaling({ scale: 1, mode: 'FAN_AVG', distribution: 'truncated_normal', seed: o.seed });
/** tf.contrib.layers.xavier_initializer(uniform=true). */
export const xavier = ({ uniform = true, seed }: { uniform?: boolean } & RandomOptions = {}): Initializer => (uniform ? glorotUniform({ seed }) : glorotNormal({ seed }));
/** He / MSRA: scale 2, FAN_IN, truncated normal (contrib's variance_scaling_initializer() default). */
export const heNormal = (o: RandomOptions = {}): Initializer => varianceScaling({ scale: 2, mode: 'FAN_IN', distribution: 'truncated_normal', seed: o.seed });
export const heUniform = (o: RandomOptions = {}): Initializer => varianceScaling({ scale: 2, mode: 'FAN_IN', distribution: 'uniform', seed: o.seed });
export const lecunNormal = (o: RandomOptions = {}): Initializer => varianceScaling({ scale: 1, mode: 'FAN_IN', distribution: 'truncated_normal', seed: o.seed });
export const lecunUniform = (o: RandomOptions = {}): Initializer => varianceScaling({ scale: 1, mode: 'FAN_IN', distribution: 'uniform', seed: o.seed });
