/**
 * tf.layers, functional: each call makes (or, under reuse, gets) its variables in a scope named
 * after the layer ('dense/kernel', 'conv2d_1/bias', 'batch_normalization/moving_mean' …). Default
 * names are unique within one entry of the enclosing variableScope, so a model function run in
 * `variableScope('model', {reuse: 'auto'}, …)` reuses its variables on every call.
 * The `*Body` functions make the variables in the current scope (object layers use them).
 */
import { noGrad } from '../autograd/api.js';
import { OpError, fmtShape } from '../errors.js';
import { getVariable, getVariableScope, scopedName, uniqueLayerName, variableScope, type GetVariableOptions, type Reuse } from '../framework/variable_scope.js';
import { GraphKeys } from '../framework/collections.js';
import { ones, zeros, type Initializer } from '../initializers/initializers.js';
import type { Regularizer } from '../regularizers/regularizers.js';
import * as E from '../ops/api/elementwise.js';
import { matmul } from '../ops/api/linalg.js';
import { reduceMean } from '../ops/api/reduce.js';
import { reshape } from '../ops/api/shape_ops.js';
import { avgPool, conv2d as nnConv2d, maxPool } from '../ops/api/nn.js';
import { engine } from '../engine.js';
import { normalizeHW } from '../ops/defs/conv_util.js';
import { shapesEqual, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { findVariable, type Variable } from '../variable.js';
import { activationFn, fusedActivation, type Activation } from './activations.js';
import { biasAdd, dropout as nnDropout } from '../ops/composites/nn.js';
import { embeddingLookup } from '../ops/api/nn_lookup.js';
import { conv2d as fusedConv2d, matMul as fusedMatMul } from '../ops/api/fused.js';

export interface LayerCommon {
  name?: string;
  reuse?: Reuse;
  trainable?: boolean;
}

function scoped<T>(base: string, o: LayerCommon, body: () => T): T {
  return variableScope(o.name ?? uniqueLayerName(base), { reuse: o.reuse }, body);
}

const upper = (p: string | undefined, dflt: string): string => (p ?? dflt).toUpperCase();

/** The layer's input: a live float32 tensor. */
function checkInput(op: string, x: Tensor): void {
  engine.assertLive(x, op, 'inputs');
  if (x.dtype !== 'float32') throw new OpError(op, `inputs must be float32, found ${x.dtype} ${fmtShape(x.shape)}`);
}

function checkCount(op: string, arg: string, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new OpError(op, `${arg} must be a positive integer, found ${String(n)}`);
}

/**
 * getVariable for a layer weight; when the layer already holds the weight with another shape
 * (it was built for other inputs), the error names the layer and the input shape.
 */
function layerWeight(op: string, x: Tensor, name: string, options: GetVariableOptions & { shape: Shape }): Variable {
  const full = scopedName(name);
  const built = getVariableScope().reuse !== false ? findVariable(full) : undefined;
  if (built && !shapesEqual(built.shape, options.shape)) {
    throw new OpError(op, `inputs of shape ${fmtShape(x.shape)} do not fit the layer built for other inputs: ${name} '${full}' has shape ${fmtShape(built.shape)}, these inputs need ${fmtShape(options.shape)}`);
  }
  return getVariable(name, options);
}

// ---- dense ----------------------------------------------------------------------------------

/** Kernel and bias settings shared by dense and conv2d. */
export interface WeightOptions {
  useBias?: boolean;
  kernelInitializer?: Initializer;
  biasInitializer?: Initializer;
  kernelRegularizer?: Regularizer;
  biasRegularizer?: Regularizer;
}

export interface DenseOptions extends LayerCommon, WeightOptions {
  activation?: Activation;
}

/** inputs · kernel + bias over the last axis (any rank ≥ 2). */
export function denseBody(x: Tensor, units: number, o: DenseOptions, names = { kernel: 'kernel', bias: 'bias' }): Tensor {
  checkInput('dense', x);
  checkCount('dense', 'units', units);
  const actFn = activationFn(o.activation, 'dense');
  if (x.rank < 2) throw new OpError('dense', `inputs must have rank >= 2, found shape ${fmtShape(x.shape)}`);
  const inDim = x.shape[x.rank - 1]!;
  const kernel = layerWeight('dense', x, names.kernel, { shape: [inDim, units], initializer: o.kernelInitializer, regularizer: o.kernelRegularizer, trainable: o.trainable });
  const x2 = x.rank === 2 ? x : reshape(x, [-1, inDim]);
  const bias = (o.useBias ?? true) ? getVariable(names.bias, { shape: [units], initializer: o.biasInitializer ?? zeros(), regularizer: o.biasRegularizer, trainable: o.trainable }) : null;
  const act = fusedActivation(o.activation);
  let y: Tensor;
  if (bias && act) y = fusedMatMul({ a: x2, b: kernel, bias, activation: act });
  else {
    y = matmul(x2, kernel);
    if (bias) y = biasAdd(y, bias);
  }
  if (x.rank !== 2) y = reshape(y, [...x.shape.slice(0, -1), units]);
  return bias && act ? y : actFn(y);
}

export function dense(inputs: Tensor, units: number, options: DenseOptions = {}): Tensor {
  return scoped('dense', options, () => denseBody(inputs, units, options));
}

// ---- conv2d -----------------------------------------------------------------------------------

export interface Conv2DOptions extends LayerCommon, WeightOptions {
  strides?: number | readonly number[];
  /** 'valid' (default, as tf.layers), 'same', or explicit [[0,0],[top,bottom],[left,right],[0,0]]. */
  padding?: string | readonly (readonly number[])[];
  dilationRate?: number | readonly number[];
  activation?: Activation;
}

export function conv2dBody(x: Tensor, filters: number, kernelSize: number | readonly number[], o: Conv2DOptions, names = { kernel: 'kernel', bias: 'bias' }, defaultPadding = 'VALID'): Tensor {
  checkInput('conv2d', x);
  checkCount('conv2d', 'filters', filters);
  const actFn = activationFn(o.activation, 'conv2d');
  if (x.rank !== 4) throw new OpError('conv2d', `inputs must be [batch, height, width, channels], found shape ${fmtShape(x.shape)}`);
  const [kh, kw] = normalizeHW('conv2d', 'kernelSize', kernelSize);
  const kernel = layerWeight('conv2d', x, names.kernel, { shape: [kh, kw, x.shape[3]!, filters], initializer: o.kernelInitializer, regularizer: o.kernelRegularizer, trainable: o.trainable });
  const pad = typeof o.padding === 'object' ? o.padding : upper(o.padding, defaultPadding);
  const bias = (o.useBias ?? true) ? getVariable(names.bias, { shape: [filters], initializer: o.biasInitializer ?? zeros(), regularizer: o.biasRegularizer, trainable: o.trainable }) : null;
  const act = fusedActivation(o.activation);
  const conv = { strides: normalizeHW('conv2d', 'strides', o.strides ?? 1), padding: pad, dilations: normalizeHW('conv2d', 'dilationRate', o.dilationRate ?? 1) };
  if (bias && act) return fusedConv2d({ x, filter: kernel, ...conv, bias, activation: act });
  const y = nnConv2d(x, kernel, conv.strides, pad, { dilations: conv.dilations });
  return actFn(bias ? biasAdd(y, bias) : y);
}

export function conv2d(inputs: Tensor, filters: number, kernelSize: number | readonly number[], options: Conv2DOptions = {}): Tensor {
  return scoped('conv2d', options, () => conv2dBody(inputs, filters, kernelSize, options));
}

// ---- pooling ---------------------------------------------------------------------------------

export interface PoolOptions {
  padding?: string;
  name?: string;
}

export function maxPooling2d(inputs: Tensor, poolSize: number | readonly number[], strides: number | readonly number[], options: PoolOptions = {}): Tensor {
  return maxPool(inputs, normalizeHW('maxPooling2d', 'poolSize', poolSize), normalizeHW('maxPooling2d', 'strides', strides), upper(options.padding, 'VALID'));
}

export function averagePooling2d(inputs: Tensor, poolSize: number | readonly number[], strides: number | readonly number[], options: PoolOptions = {}): Tensor {
  return avgPool(inputs, normalizeHW('averagePooling2d', 'poolSize', poolSize), normalizeHW('averagePooling2d', 'strides', strides), upper(options.padding, 'VALID'));
}

// ---- batch normalization ------------------------------------------------------------------

export interface BatchNormOptions extends LayerCommon {
  axis?: number;
  /** Moving-average momentum (tf.layers default 0.99; slim's `decay` 0.999). */
  momentum?: number;
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  betaInitializer?: Initializer;
  gammaInitializer?: Initializer;
  movingMeanInitializer?: Initializer;
  movingVarianceInitializer?: Initializer;
  betaRegularizer?: Regularizer;
  gammaRegularizer?: Regularizer;
  /** Batch statistics (and moving-average updates) when true; moving statistics when false. */
  training?: boolean;
}

/**
 * Normalizes over every axis but `axis`. In training the moving mean/variance (non-trainable
 * variables, in GLOBAL_VARIABLES and MODEL_VARIABLES, so checkpoints hold them) are updated at
 * once: moving = moving − (1 − momentum)·(moving − batch).
 */
export function batchNormBody(x: Tensor, o: BatchNormOptions): Tensor {
  checkInput('batchNormalization', x);
  const axis = (o.axis ?? -1) < 0 ? x.rank + (o.axis ?? -1) : o.axis!;
  if (axis < 0 || axis >= x.rank) throw new OpError('batchNormalization', `axis ${o.axis} is out of range for shape ${fmtShape(x.shape)}`);
  const c = x.shape[axis]!;
  const paramShape: Shape = [c];
  const bshape = x.shape.map((d, i) => (i === axis ? d : 1));
  const momentum = o.momentum ?? 0.99;
  const eps = o.epsilon ?? 1e-3;
  const beta = (o.center ?? true) ? layerWeight('batchNormalization', x, 'beta', { shape: paramShape, initializer: o.betaInitializer ?? zeros(), regularizer: o.betaRegularizer, trainable: o.trainable }) : null;
  const gamma = (o.scale ?? true) ? layerWeight('batchNormalization', x, 'gamma', { shape: paramShape, initializer: o.gammaInitializer ?? ones(), regularizer: o.gammaRegularizer, trainable: o.trainable }) : null;
  const mm = layerWeight('batchNormalization', x, 'moving_mean', { shape: paramShape, initializer: o.movingMeanInitializer ?? zeros(), trainable: false, collections: [GraphKeys.MODEL_VARIABLES] });
  const mv = layerWeight('batchNormalization', x, 'moving_variance', { shape: paramShape, initializer: o.movingVarianceInitializer ?? ones(), trainable: false, collections: [GraphKeys.MODEL_VARIABLES] });
  let mean: Tensor, variance: Tensor;
  if (o.training) {
    const axes = x.shape.map((_, i) => i).filter((i) => i !== axis);
    mean = reduceMean(x, axes, true);
    variance = reduceMean(E.squaredDifference(x, mean), axes, true);
    const m1 = reshape(mean, paramShape);
    const v1 = reshape(variance, paramShape);
    noGrad(() => {
      const newM = E.sub(mm, E.mul(E.sub(mm, m1), 1 - momentum));
      const newV = E.sub(mv, E.mul(E.sub(mv, v1), 1 - momentum));
      mm.assign(newM);
      mv.assign(newV);
    });
  } else {
    mean = reshape(mm, bshape);
    variance = reshape(mv, bshape);
  }
  let inv = E.rsqrt(E.add(variance, eps));
  if (gamma) inv = E.mul(inv, reshape(gamma, bshape));
  let y = E.mul(E.sub(x, mean), inv);
  if (beta) y = E.add(y, reshape(beta, bshape));
  return y;
}

export function batchNormalization(inputs: Tensor, options: BatchNormOptions = {}): Tensor {
  return scoped('batch_normalization', options, () => batchNormBody(inputs, options));
}

// ---- dropout, flatten, embedding -----------------------------------------------------------

export interface DropoutOptions {
  rate?: number;
  noiseShape?: Shape;
  seed?: number;
  /** Dropout only happens when training is true (tf.layers default false). */
  training?: boolean;
}

/** tf.layers.dropout: ef.nn.dropout (Philox mask, TensorFlow's seed rules) when training. */
export function dropout(inputs: Tensor, options: DropoutOptions = {}): Tensor {
  if (!options.training) return inputs;
  return nnDropout(inputs, options.rate ?? 0.5, { seed: options.seed, noiseShape: options.noiseShape });
}

/** [batch, ...] → [batch, prod(...)] */
export function flatten(inputs: Tensor): Tensor {
  engine.assertLive(inputs, 'flatten', 'inputs');
  if (inputs.rank < 1) throw new OpError('flatten', 'inputs must have a batch dimension');
  return reshape(inputs, [inputs.shape[0]!, inputs.size / Math.max(1, inputs.shape[0]!) || 0]);
}

export interface EmbeddingOptions extends LayerCommon {
  initializer?: Initializer;
  regularizer?: Regularizer;
}

/** Rows of the table `embeddings` [vocabSize, dim] for integer ids (any shape) → [...ids.shape, dim]. */
export function embeddingBody(ids: Tensor, vocabSize: number, dim: number, o: EmbeddingOptions): Tensor {
  checkCount('embedding', 'vocabSize', vocabSize);
  checkCount('embedding', 'dim', dim);
  const table = getVariable('embeddings', { shape: [vocabSize, dim], initializer: o.initializer, regularizer: o.regularizer, trainable: o.trainable });
  return embeddingLookup(table, ids);
}

/** ef.nn.embeddingLookup (a gather; its gradient is an unsorted segment sum into the read rows). */
export { embeddingLookup };

export function embedding(ids: Tensor, vocabSize: number, dim: number, options: EmbeddingOptions = {}): Tensor {
  return scoped('embedding', options, () => embeddingBody(ids, vocabSize, dim, options));
}
