/**
 * ResNet-50 v1 as TF-Slim builds it (nets/resnet_v1.py), with slim's variable names:
 * 'resnet_v1_50/conv1/weights', 'resnet_v1_50/conv1/BatchNorm/gamma', …,
 * 'resnet_v1_50/block1/unit_1/bottleneck_v1/shortcut/weights', …, 'resnet_v1_50/logits/weights'.
 * numClasses null → the pooled features [N, 1, 1, 2048].
 */
import { OpError, fmtShape } from '../errors.js';
import { variableScope, type Reuse } from '../framework/variable_scope.js';
import { varianceScaling, type Initializer } from '../initializers/initializers.js';
import { l2 } from '../regularizers/regularizers.js';
import { add, relu } from '../ops/api/elementwise.js';
import { reduceMean } from '../ops/api/reduce.js';
import { reshape } from '../ops/api/shape_ops.js';
import type { Tensor } from '../tensor.js';
import { Module, type CallOptions } from '../layers/module.js';
import { argScope } from '../slim/arg_scope.js';
import * as slim from '../slim/layers.js';

export interface ResNetOptions {
  /** null/undefined: no logits layer; features [N,1,1,2048]. */
  numClasses?: number | null;
  isTraining?: boolean;
  globalPool?: boolean;
  spatialSqueeze?: boolean;
  weightDecay?: number;
  batchNormDecay?: number;
  batchNormEpsilon?: number;
  /** Default: He (variance scaling, factor 2, FAN_IN, truncated normal) as slim's resnet_arg_scope. */
  weightsInitializer?: Initializer;
}

/** slim resnet_utils.conv2d_same: SAME for stride 1, else pad (k−1) split as TF does and VALID. */
function conv2dSame(x: Tensor, numOutputs: number, k: number, stride: number, scope: string): Tensor {
  if (stride === 1) return slim.conv2d(x, numOutputs, k, { stride: 1, padding: 'SAME', scope });
  const beg = Math.floor((k - 1) / 2);
  const end = k - 1 - beg;
  // Explicit conv padding equals tf.pad + VALID without the copy.
  return slim.conv2d(x, numOutputs, k, { stride, padding: [[0, 0], [beg, end], [beg, end], [0, 0]], scope });
}

function bottleneck(x: Tensor, depth: number, depthBottleneck: number, stride: number, scope: string): Tensor {
  return variableScope(scope, () =>
    variableScope('bottleneck_v1', () => {
      const depthIn = x.shape[3]!;
      const shortcut =
        depth === depthIn
          ? stride === 1
            ? x
            : slim.maxPool2d(x, 1, { stride, padding: 'SAME' })
          : slim.conv2d(x, depth, 1, { stride, activationFn: null, scope: 'shortcut' });
      let r = slim.conv2d(x, depthBottleneck, 1, { stride: 1, scope: 'conv1' });
      r = conv2dSame(r, depthBottleneck, 3, stride, 'conv2');
      r = slim.conv2d(r, depth, 1, { stride: 1, activationFn: null, scope: 'conv3' });
      return relu(add(shortcut, r));
    }),
  );
}

const BLOCKS_50: [string, number, number, number][] = [
  ['block1', 64, 3, 2],
  ['block2', 128, 4, 2],
  ['block3', 256, 6, 2],
  ['block4', 512, 3, 1],
];

/** The network in the current variable scope; returns [net, endPoints]. */
export function resnetV1_50Body(inputs: Tensor, o: ResNetOptions = {}): [Tensor, Record<string, Tensor>] {
  if (inputs.rank !== 4) throw new OpError('resnetV1_50', `inputs must be [batch, height, width, channels], found ${fmtShape(inputs.shape)}`);
  const ep: Record<string, Tensor> = {};
  const bnParams = { decay: o.batchNormDecay ?? 0.997, epsilon: o.batchNormEpsilon ?? 1e-5, scale: true, isTraining: o.isTraining ?? true };
  const defaults: slim.SlimLayerOptions = {
    weightsRegularizer: l2(o.weightDecay ?? 0.0001),
    weightsInitializer: o.weightsInitializer ?? varianceScaling({ factor: 2, mode: 'FAN_IN' }),
    activationFn: relu,
    normalizerFn: (x, p) => slim.batchNorm(x, p as slim.SlimBatchNormOptions),
    normalizerParams: bnParams,
  };
  return argScope([slim.conv2d], defaults as Record<string, unknown>, () =>
      argScope([slim.batchNorm], bnParams, () =>
        argScope([slim.maxPool2d], { padding: 'SAME' }, () => {
          let net = (ep.conv1 = conv2dSame(inputs, 64, 7, 2, 'conv1'));
          net = ep.pool1 = slim.maxPool2d(net, 3, { stride: 2, scope: 'pool1' });
          for (const [name, base, units, stride] of BLOCKS_50) {
            net = variableScope(name, () => {
              let y = net;
              for (let u = 1; u <= units; u++) y = bottleneck(y, base * 4, base, u === units ? stride : 1, `unit_${u}`);
              return y;
            });
            ep[name] = net;
          }
          if (o.globalPool ?? true) net = ep.global_pool = reduceMean(net, [1, 2], true);
          if (o.numClasses) {
            net = ep.logits = slim.conv2d(net, o.numClasses, 1, { activationFn: null, normalizerFn: null, scope: 'logits' });
            if (o.spatialSqueeze ?? true) net = reshape(net, [net.shape[0]!, o.numClasses]);
            ep.predictions = net;
          }
          return [net, ep] as [Tensor, Record<string, Tensor>];
        }),
      ),
    );
}

/** `const [features] = ef.models.resnetV1_50(images, {numClasses: null})`. */
export function resnetV1_50(inputs: Tensor, options: ResNetOptions & { scope?: string; reuse?: Reuse } = {}): [Tensor, Record<string, Tensor>] {
  return variableScope(options.scope ?? 'resnet_v1_50', { reuse: options.reuse }, () => resnetV1_50Body(inputs, options));
}

export class ResNetV1_50 extends Module {
  constructor(readonly options: ResNetOptions & { name?: string } = {}) {
    super(options.name ?? 'resnet_v1_50');
  }
  call(x: Tensor, o: CallOptions = {}): Tensor {
    return resnetV1_50Body(x, { ...this.options, isTraining: o.training ?? false })[0];
  }
}
