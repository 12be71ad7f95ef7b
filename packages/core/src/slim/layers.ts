/**
 * TF-Slim layers (arg-scopable): conv2d, fullyConnected, maxPool2d, avgPool2d, batchNorm,
 * flatten, dropout. Variables follow slim's names: '<scope>/weights', '<scope>/biases',
 * '<scope>/BatchNorm/{beta,gamma,moving_mean,moving_variance}'.
 */
import { OpError, fmtShape } from '../errors.js';
import { uniqueLayerName, variableScope, type Reuse } from '../framework/variable_scope.js';
import { xavier, zeros, type Initializer } from '../initializers/initializers.js';
import type { Regularizer } from '../regularizers/regularizers.js';
import { relu } from '../ops/api/elementwise.js';
import type { Tensor } from '../tensor.js';
import { activate, type Activation } from '../layers/activations.js';
import * as F from '../layers/functional.js';
import { addArgScope } from './arg_scope.js';

export interface SlimCommon {
  scope?: string;
  reuse?: Reuse;
  trainable?: boolean;
}

export interface SlimLayerOptions extends SlimCommon {
  stride?: number | readonly number[];
  padding?: string | readonly (readonly number[])[];
  rate?: number;
  /** Default relu (slim); null for linear. */
  activationFn?: Activation;
  normalizerFn?: ((x: Tensor, params: Record<string, unknown>) => Tensor) | null;
  normalizerParams?: Record<string, unknown>;
  weightsInitializer?: Initializer;
  weightsRegularizer?: Regularizer;
  biasesInitializer?: Initializer | null;
  biasesRegularizer?: Regularizer;
}

const NAMES = { kernel: 'weights', bias: 'biases' };

const activationOf = (o: SlimLayerOptions): Activation => (o.activationFn === undefined ? relu : o.activationFn);

/** Without a normalizer the layer body applies the activation (fused with the bias add). */
function finish(y: Tensor, o: SlimLayerOptions): Tensor {
  return o.normalizerFn ? activate(o.normalizerFn(y, { ...(o.normalizerParams ?? {}) }), activationOf(o)) : y;
}

function scoped<T>(o: SlimCommon, base: string, fn: () => T): T {
  return variableScope(o.scope ?? uniqueLayerName(base), { reuse: o.reuse }, fn);
}

function conv2dImpl(inputs: Tensor, numOutputs: number, kernelSize: number | readonly number[], options: SlimLayerOptions = {}): Tensor {
  const o = options;
  return scoped(o, 'Conv', () => {
    const y = F.conv2dBody(
      inputs,
      numOutputs,
      kernelSize,
      {
        strides: o.stride ?? 1,
        padding: o.padding ?? 'SAME',
        dilationRate: o.rate ?? 1,
        ...weightOptions(o),
      },
      NAMES,
      'SAME',
    );
    return finish(y, o);
  });
}

/** slim's weights/biases arguments as the layers' kernel/bias options (a normalizer replaces the bias). */
function weightOptions(o: SlimLayerOptions): F.WeightOptions & Pick<F.DenseOptions, 'trainable' | 'activation'> {
  return {
    activation: o.normalizerFn ? null : activationOf(o),
    useBias: !o.normalizerFn && o.biasesInitializer !== null,
    kernelInitializer: o.weightsInitializer ?? xavier(),
    kernelRegularizer: o.weightsRegularizer,
    biasInitializer: o.biasesInitializer ?? zeros(),
    biasRegularizer: o.biasesRegularizer,
    trainable: o.trainable,
  };
}

function fullyConnectedImpl(inputs: Tensor, numOutputs: number, options: SlimLayerOptions = {}): Tensor {
  const o = options;
  return scoped(o, 'fully_connected', () => {
    const y = F.denseBody(
      inputs,
      numOutputs,
      weightOptions(o),
      NAMES,
    );
    return finish(y, o);
  });
}

export interface SlimPoolOptions {
  stride?: number | readonly number[];
  padding?: string;
  scope?: string;
}

function maxPool2dImpl(inputs: Tensor, kernelSize: number | readonly number[], options: SlimPoolOptions = {}): Tensor {
  return F.maxPooling2d(inputs, kernelSize, options.stride ?? 2, { padding: options.padding ?? 'VALID' });
}

function avgPool2dImpl(inputs: Tensor, kernelSize: number | readonly number[], options: SlimPoolOptions = {}): Tensor {
  return F.averagePooling2d(inputs, kernelSize, options.stride ?? 2, { padding: options.padding ?? 'VALID' });
}

export interface SlimBatchNormOptions extends SlimCommon {
  decay?: number;
  center?: boolean;
  /** slim default false (no gamma). */
  scale?: boolean;
  epsilon?: number;
  activationFn?: Activation;
  isTraining?: boolean;
  paramInitializers?: { beta?: Initializer; gamma?: Initializer; moving_mean?: Initializer; moving_variance?: Initializer };
  paramRegularizers?: { beta?: Regularizer; gamma?: Regularizer };
}

function batchNormImpl(inputs: Tensor, options: SlimBatchNormOptions = {}): Tensor {
  const o = options;
  return scoped(o, 'BatchNorm', () => {
    const y = F.batchNormBody(inputs, {
      momentum: o.decay ?? 0.999,
      center: o.center ?? true,
      scale: o.scale ?? false,
      epsilon: o.epsilon ?? 0.001,
      training: o.isTraining ?? true,
      trainable: o.trainable,
      betaInitializer: o.paramInitializers?.beta,
      gammaInitializer: o.paramInitializers?.gamma,
      movingMeanInitializer: o.paramInitializers?.moving_mean,
      movingVarianceInitializer: o.paramInitializers?.moving_variance,
      betaRegularizer: o.paramRegularizers?.beta,
      gammaRegularizer: o.paramRegularizers?.gamma,
    });
    return activate(y, o.activationFn);
  });
}

function flattenImpl(inputs: Tensor, _options: { scope?: string } = {}): Tensor {
  return F.flatten(inputs);
}

function dropoutImpl(inputs: Tensor, options: { keepProb?: number; isTraining?: boolean; noiseShape?: readonly number[]; seed?: number; scope?: string } = {}): Tensor {
  const keep = options.keepProb ?? 0.5;
  if (!(keep > 0 && keep <= 1)) throw new OpError('slim.dropout', `keepProb must be in (0, 1], found ${keep}`);
  return F.dropout(inputs, { rate: 1 - keep, training: options.isTraining ?? true, noiseShape: options.noiseShape, seed: options.seed });
}

/** slim.conv2d: inputs [N,H,W,C]; padding 'SAME', stride 1, relu by default. */
export const conv2d = addArgScope(conv2dImpl, 3);
/** slim.fully_connected: weights [in, out]; relu by default. */
export const fullyConnected = addArgScope(fullyConnectedImpl, 2);
/** slim.max_pool2d: stride 2, 'VALID' by default. */
export const maxPool2d = addArgScope(maxPool2dImpl, 2);
export const avgPool2d = addArgScope(avgPool2dImpl, 2);
/** slim.batch_norm: decay 0.999, center, no scale, epsilon 0.001, isTraining true by default. */
export const batchNorm = addArgScope(batchNormImpl, 1);
export const flatten = addArgScope(flattenImpl, 1);
export const dropout = addArgScope(dropoutImpl, 1);

export function checkRank(op: string, x: Tensor, rank: number): void {
  if (x.rank !== rank) throw new OpError(op, `expected rank ${rank}, found shape ${fmtShape(x.shape)}`);
}
