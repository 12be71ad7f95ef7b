/**
 * Random ops (TensorFlow's tf.random.*): Philox 4x32-10 streams keyed by TensorFlow's seed rules
 * (random/seed.ts), so the same seeds give the same numbers on every backend.
 */
import { OpError } from '../../errors.js';
import { assertValidShape, shapeList, type Shape } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { nextStream } from '../../random/seed.js';
import { convert, type TensorLike } from '../convert.js';
import { gatherOp } from '../defs/gather.js';
import { randomNormalDef } from '../defs/random_normal.js';
import { randomPermutationDef } from '../defs/random_permutation.js';
import { randomUniformDef, type RandomUniformAttrs } from '../defs/random_uniform.js';
import type { RandomNormalAttrs } from '../defs/random_util.js';
import { truncatedNormalDef } from '../defs/truncated_normal.js';
import { apply1 } from '../dispatch.js';

export { setRandomSeed, getRandomSeed, getSeed, DEFAULT_GRAPH_SEED } from '../../random/seed.js';

export interface RandomUniformOptions {
  /** Default 0. */
  minval?: number;
  /** Default 1 for float32; required for int32. */
  maxval?: number;
  dtype?: 'float32' | 'int32';
  seed?: number;
}

const PLACEHOLDER = { key: [0, 0] as [number, number], counter: [0, 0] as [number, number] };

/** Uniform values in [minval, maxval) (float32, or int32 with an explicit maxval). */
export function randomUniform(shape: Shape, options: RandomUniformOptions = {}): Tensor {
  const dtype = options.dtype ?? 'float32';
  if (dtype === 'int32' && options.maxval === undefined) throw new OpError('randomUniform', 'maxval must be given for dtype int32');
  const attrs: RandomUniformAttrs = { shape: shapeList('randomUniform', shape), dtype, minval: options.minval ?? 0, maxval: options.maxval ?? 1, ...PLACEHOLDER };
  randomUniformDef.infer([], attrs); // validate before the call counter advances
  return apply1(randomUniformDef, [], { ...attrs, ...nextStream(`random_uniform:${dtype}`, options.seed, 'randomUniform') });
}

export interface RandomNormalOptions {
  mean?: number;
  stddev?: number;
  dtype?: 'float32';
  seed?: number;
}

function normalAttrs(op: string, shape: Shape, options: RandomNormalOptions): RandomNormalAttrs {
  if (options.dtype !== undefined && options.dtype !== 'float32') throw new OpError(op, `dtype must be float32, found ${options.dtype}`);
  assertValidShape(op, shape);
  return { shape: [...shape], mean: options.mean ?? 0, stddev: options.stddev ?? 1, ...PLACEHOLDER };
}

/** Normal samples (Box–Muller over Philox uniforms). */
export function randomNormal(shape: Shape, options: RandomNormalOptions = {}): Tensor {
  const attrs = normalAttrs('randomNormal', shape, options);
  randomNormalDef.infer([], attrs);
  return apply1(randomNormalDef, [], { ...attrs, ...nextStream('random_normal', options.seed, 'randomNormal') });
}

/** Normal samples with values beyond two stddev re-drawn (TensorFlow's truncated_normal). */
export function truncatedNormal(shape: Shape, options: RandomNormalOptions = {}): Tensor {
  const attrs = normalAttrs('truncatedNormal', shape, options);
  truncatedNormalDef.infer([], attrs);
  return apply1(truncatedNormalDef, [], { ...attrs, ...nextStream('truncated_normal', options.seed, 'truncatedNormal') });
}

/** Shuffles x along its first dimension (TensorFlow's random.shuffle). */
export function randomShuffle(x: TensorLike, options: { seed?: number } = {}): Tensor {
  const t = convert(x, 'x', 'randomShuffle');
  if (t.rank === 0) throw new OpError('randomShuffle', 'input must have rank >= 1 (it shuffles the first dimension), found a scalar');
  const perm = apply1(randomPermutationDef, [], { n: t.shape[0]!, ...nextStream('random_permutation', options.seed, 'randomShuffle') });
  const out = gatherOp(t, perm, 0, 0);
  perm.dispose();
  return out;
}
