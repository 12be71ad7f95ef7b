/**
 * LeNet-5 (LeCun et al. 1998) with ReLU and max pooling, slim-style names:
 *   conv1 5×5×6 SAME → pool1 2×2 → conv2 5×5×16 VALID → pool2 2×2 → flatten(400)
 *   → fc3 120 → fc4 84 → logits numClasses.  Variables 'LeNet5/conv1/weights', …
 * 61,706 parameters for 28×28×1 inputs and 10 classes.
 */
import { OpError, fmtShape } from '../errors.js';
import { variableScope, type Reuse } from '../framework/variable_scope.js';
import type { Regularizer } from '../regularizers/regularizers.js';
import type { Tensor } from '../tensor.js';
import { Module, type CallOptions } from '../layers/module.js';
import * as slim from '../slim/layers.js';

export interface LeNet5Options {
  numClasses?: number;
  /** Regularizer for weights (e.g. ef.regularizers.l2(5e-4)). */
  weightsRegularizer?: Regularizer;
  /** Dropout keep probability before the logits while training (1 = none, the default). */
  dropoutKeepProb?: number;
  isTraining?: boolean;
}

/** The network body in the current variable scope; returns [logits, endPoints]. */
export function lenet5Body(images: Tensor, o: LeNet5Options = {}): [Tensor, Record<string, Tensor>] {
  if (images.rank !== 4) throw new OpError('lenet5', `images must be [batch, height, width, channels], found ${fmtShape(images.shape)}`);
  const ep: Record<string, Tensor> = {};
  const reg = o.weightsRegularizer;
  let net = (ep.conv1 = slim.conv2d(images, 6, 5, { scope: 'conv1', padding: 'SAME', weightsRegularizer: reg }));
  net = ep.pool1 = slim.maxPool2d(net, 2, { stride: 2, scope: 'pool1' });
  net = ep.conv2 = slim.conv2d(net, 16, 5, { scope: 'conv2', padding: 'VALID', weightsRegularizer: reg });
  net = ep.pool2 = slim.maxPool2d(net, 2, { stride: 2, scope: 'pool2' });
  net = ep.flatten = slim.flatten(net);
  net = ep.fc3 = slim.fullyConnected(net, 120, { scope: 'fc3', weightsRegularizer: reg });
  net = ep.fc4 = slim.fullyConnected(net, 84, { scope: 'fc4', weightsRegularizer: reg });
  if ((o.dropoutKeepProb ?? 1) < 1) net = slim.dropout(net, { keepProb: o.dropoutKeepProb, isTraining: o.isTraining ?? true });
  net = ep.logits = slim.fullyConnected(net, o.numClasses ?? 10, { scope: 'logits', activationFn: null, weightsRegularizer: reg });
  return [net, ep];
}

/** Functional form (slim nets style): `const [logits] = ef.models.lenet5(images, {reuse: 'auto'})`. */
export function lenet5(images: Tensor, options: LeNet5Options & { scope?: string; reuse?: Reuse } = {}): [Tensor, Record<string, Tensor>] {
  return variableScope(options.scope ?? 'LeNet5', { reuse: options.reuse }, () => lenet5Body(images, options));
}

/** Object form: `const model = new ef.models.LeNet5(); model.apply(x, {training: true})`. */
export class LeNet5 extends Module {
  constructor(readonly options: LeNet5Options & { name?: string } = {}) {
    super(options.name ?? 'LeNet5');
  }
  call(x: Tensor, o: CallOptions = {}): Tensor {
    return lenet5Body(x, { ...this.options, isTraining: o.training ?? false })[0];
  }
}
