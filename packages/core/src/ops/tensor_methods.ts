/**
 * Chainable tensor methods (`x.mul(w).add(b).relu().sum()`), added to Tensor's prototype here so
 * that tensor.ts never imports the ops layer. Each method is the public op of the same meaning.
 */
import type { DType } from '../dtype.js';
import type { Shape } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { TensorLike } from './convert.js';
import { cast } from './api/cast.js';
import * as E from './api/elementwise.js';
import { stopGradient } from './api/gradient_ops.js';
import { matmul, type MatmulOptions } from './api/linalg.js';
import * as R from './api/reduce.js';
import { broadcastTo, reshape, transpose } from './api/shape_ops.js';
import { expandDims, gather, identity, reverse, slice, squeeze, tile } from './api/array_ops.js';

type Axes = number | readonly number[] | null;

export interface TensorMethods {
  add(b: TensorLike): Tensor;
  sub(b: TensorLike): Tensor;
  mul(b: TensorLike): Tensor;
  /** Division (floors on int32, as TensorFlow's floordiv). */
  div(b: TensorLike): Tensor;
  floorDiv(b: TensorLike): Tensor;
  mod(b: TensorLike): Tensor;
  pow(b: TensorLike): Tensor;
  minimum(b: TensorLike): Tensor;
  maximum(b: TensorLike): Tensor;
  squaredDifference(b: TensorLike): Tensor;
  greater(b: TensorLike): Tensor;
  greaterEqual(b: TensorLike): Tensor;
  less(b: TensorLike): Tensor;
  lessEqual(b: TensorLike): Tensor;
  equal(b: TensorLike): Tensor;
  notEqual(b: TensorLike): Tensor;
  logicalAnd(b: TensorLike): Tensor;
  logicalOr(b: TensorLike): Tensor;
  logicalNot(): Tensor;
  neg(): Tensor;
  abs(): Tensor;
  exp(): Tensor;
  log(): Tensor;
  log1p(): Tensor;
  expm1(): Tensor;
  sqrt(): Tensor;
  rsqrt(): Tensor;
  square(): Tensor;
  reciprocal(): Tensor;
  sigmoid(): Tensor;
  tanh(): Tensor;
  relu(): Tensor;
  relu6(): Tensor;
  elu(): Tensor;
  selu(): Tensor;
  leakyRelu(alpha?: number): Tensor;
  softplus(): Tensor;
  sin(): Tensor;
  cos(): Tensor;
  floor(): Tensor;
  ceil(): Tensor;
  round(): Tensor;
  sign(): Tensor;
  clipByValue(clipMin: number, clipMax: number): Tensor;
  /** reduceSum; no axis: all axes. */
  sum(axis?: Axes, keepDims?: boolean): Tensor;
  mean(axis?: Axes, keepDims?: boolean): Tensor;
  max(axis?: Axes, keepDims?: boolean): Tensor;
  min(axis?: Axes, keepDims?: boolean): Tensor;
  prod(axis?: Axes, keepDims?: boolean): Tensor;
  all(axis?: Axes, keepDims?: boolean): Tensor;
  any(axis?: Axes, keepDims?: boolean): Tensor;
  argMax(axis?: number): Tensor;
  argMin(axis?: number): Tensor;
  matmul(b: TensorLike, options?: MatmulOptions): Tensor;
  /** New shape for the same data (one dimension may be -1); shares storage. */
  reshape(shape: Shape): Tensor;
  /** reshape([-1]) */
  flatten(): Tensor;
  transpose(perm?: readonly number[]): Tensor;
  broadcastTo(shape: Shape): Tensor;
  expandDims(axis?: number): Tensor;
  squeeze(axis?: number | readonly number[]): Tensor;
  /** slice(begin, size?) as ef.slice. */
  slice(begin: number | readonly number[], size?: number | readonly number[]): Tensor;
  gather(indices: TensorLike, axis?: number): Tensor;
  tile(multiples: readonly number[]): Tensor;
  reverse(axes: number | readonly number[]): Tensor;
  cast(dtype: DType): Tensor;
  /** A new tensor with the same values and its own lifetime (shares the immutable storage); gradients flow through. */
  clone(): Tensor;
  /** stopGradient: the same values as a constant to tapes (PyTorch's detach). */
  detach(): Tensor;
}

declare module '../tensor.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Tensor extends TensorMethods {}
}

const methods: TensorMethods & ThisType<Tensor> = {
  add(b) { return E.add(this, b); },
  sub(b) { return E.sub(this, b); },
  mul(b) { return E.mul(this, b); },
  div(b) { return E.div(this, b); },
  floorDiv(b) { return E.floorDiv(this, b); },
  mod(b) { return E.mod(this, b); },
  pow(b) { return E.pow(this, b); },
  minimum(b) { return E.minimum(this, b); },
  maximum(b) { return E.maximum(this, b); },
  squaredDifference(b) { return E.squaredDifference(this, b); },
  greater(b) { return E.greater(this, b); },
  greaterEqual(b) { return E.greaterEqual(this, b); },
  less(b) { return E.less(this, b); },
  lessEqual(b) { return E.lessEqual(this, b); },
  equal(b) { return E.equal(this, b); },
  notEqual(b) { return E.notEqual(this, b); },
  logicalAnd(b) { return E.logicalAnd(this, b); },
  logicalOr(b) { return E.logicalOr(this, b); },
  logicalNot() { return E.logicalNot(this); },
  neg() { return E.neg(this); },
  abs() { return E.abs(this); },
  exp() { return E.exp(this); },
  log() { return E.log(this); },
  log1p() { return E.log1p(this); },
  expm1() { return E.expm1(this); },
  sqrt() { return E.sqrt(this); },
  rsqrt() { return E.rsqrt(this); },
  square() { return E.square(this); },
  reciprocal() { return E.reciprocal(this); },
  sigmoid() { return E.sigmoid(this); },
  tanh() { return E.tanh(this); },
  relu() { return E.relu(this); },
  relu6() { return E.relu6(this); },
  elu() { return E.elu(this); },
  selu() { return E.selu(this); },
  leakyRelu(alpha) { return E.leakyRelu(this, alpha); },
  softplus() { return E.softplus(this); },
  sin() { return E.sin(this); },
  cos() { return E.cos(this); },
  floor() { return E.floor(this); },
  ceil() { return E.ceil(this); },
  round() { return E.round(this); },
  sign() { return E.sign(this); },
  clipByValue(clipMin, clipMax) { return E.clipByValue(this, clipMin, clipMax); },
  sum(axis, keepDims) { return R.reduceSum(this, axis, keepDims); },
  mean(axis, keepDims) { return R.reduceMean(this, axis, keepDims); },
  max(axis, keepDims) { return R.reduceMax(this, axis, keepDims); },
  min(axis, keepDims) { return R.reduceMin(this, axis, keepDims); },
  prod(axis, keepDims) { return R.reduceProd(this, axis, keepDims); },
  all(axis, keepDims) { return R.reduceAll(this, axis, keepDims); },
  any(axis, keepDims) { return R.reduceAny(this, axis, keepDims); },
  argMax(axis) { return R.argMax(this, axis); },
  argMin(axis) { return R.argMin(this, axis); },
  matmul(b, options) { return matmul(this, b, options ?? {}); },
  reshape(shape) { return reshape(this, shape); },
  flatten() { return reshape(this, [-1]); },
  transpose(perm) { return transpose(this, perm); },
  broadcastTo(shape) { return broadcastTo(this, shape); },
  expandDims(axis) { return expandDims(this, axis); },
  squeeze(axis) { return squeeze(this, axis); },
  slice(begin, size) { return slice(this, begin, size); },
  gather(indices, axis) { return gather(this, indices, axis ?? 0); },
  tile(multiples) { return tile(this, multiples); },
  reverse(axes) { return reverse(this, axes); },
  cast(dtype) { return cast(this, dtype); },
  clone() { return identity(this); },
  detach() { return stopGradient(this); },
};

for (const [name, fn] of Object.entries(methods)) {
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
}

/** Names of the chainable methods (documentation and tests). */
export const TENSOR_METHOD_NAMES: readonly (keyof TensorMethods)[] = Object.keys(methods) as (keyof TensorMethods)[];
