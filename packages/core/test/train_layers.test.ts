import { afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import { resetAll, vals } from './train_helpers';

beforeAll(async () => {
  await ef.setBackend('cpu');
});
afterEach(resetAll);

describe('functional layers', () => {
  test('dense/conv2d names, shapes; reuse inside a scope entered again', () => {
    const x = ef.ones([2, 8, 8, 3]);
    const model = () =>
      ef.variableScope('model', { reuse: 'auto' }, () => {
        let y = ef.layers.conv2d(x, 4, 3, { padding: 'same', activation: 'relu' });
        y = ef.layers.maxPooling2d(y, 2, 2);
        y = ef.layers.flatten(y);
        return ef.layers.dense(y, 5);
      });
    const y1 = model();
    expect(y1.shape).toEqual([2, 5]);
    const names = ef.globalVariables().map((v) => v.name);
    expect(names).toEqual(['model/conv2d/kernel', 'model/conv2d/bias', 'model/dense/kernel', 'model/dense/bias']);
    model();
    expect(ef.globalVariables().length).toBe(4);
    expect(ef.findVariable('model/conv2d/kernel')!.shape).toEqual([3, 3, 3, 4]);
    // default names are unique within one scope entry
    ef.variableScope('two', () => {
      ef.layers.dense(ef.ones([1, 2]), 2);
      ef.layers.dense(ef.ones([1, 2]), 2);
    });
    expect(ef.findVariable('two/dense_1/kernel')).toBeDefined();
  });

  test('batchNormalization: batch stats in training, moving averages updated (non-trainable), used at inference', () => {
    const x = ef.tensor([[1, 10], [3, 30]]);
    const y = ef.layers.batchNormalization(x, { training: true, momentum: 0.5, name: 'bn' });
    // per-column mean [2, 20], var [1, 100]
    const out = vals(y);
    expect(out[0]).toBeCloseTo(-1 / Math.sqrt(1 + 1e-3), 4);
    expect(out[3]).toBeCloseTo(10 / Math.sqrt(100 + 1e-3), 4);
    const mm = ef.findVariable('bn/moving_mean')!;
    const mv = ef.findVariable('bn/moving_variance')!;
    expect(mm.trainable).toBe(false);
    expect(vals(mm)).toEqual([1, 10]);
    expect(vals(mv)).toEqual([1, 50.5]);
    expect(ef.trainableVariables().map((v) => v.name)).toEqual(['bn/beta', 'bn/gamma']);
    const inf = ef.variableScope('', { reuse: true }, () => ef.layers.batchNormalization(x, { training: false, name: 'bn' }));
    expect(vals(inf)[0]).toBeCloseTo(0 / Math.sqrt(1 + 1e-3), 4);
    expect(ef.getCollection(ef.GraphKeys.MODEL_VARIABLES)).toEqual([mm, mv]);
  });

  test('dropout only in training, scaled by 1/(1-rate); embedding rows', () => {
    const x = ef.ones([1000]);
    expect(ef.layers.dropout(x, { rate: 0.5 })).toBe(x);
    const d = vals(ef.layers.dropout(x, { rate: 0.25, training: true, seed: 1 }));
    expect(new Set(d)).toEqual(new Set([0, Math.fround(1 / 0.75)]));
    const kept = d.filter((v) => v > 0).length;
    expect(kept).toBeGreaterThan(700);
    expect(kept).toBeLessThan(800);
    const e = ef.layers.embedding(ef.tensor([[0, 2]], undefined, 'int32'), 3, 2, { initializer: ef.initializers.constant([1, 2, 3, 4, 5, 6]), name: 'emb' });
    expect(e.shape).toEqual([1, 2, 2]);
    expect(vals(e)).toEqual([1, 2, 5, 6]);
  });
});

describe('object layers, Sequential, Module', () => {
  test('Sequential of object layers; summary; variables', () => {
    const model = new ef.layers.Sequential([new ef.layers.Conv2D(2, 3, { padding: 'same' }), new ef.layers.BatchNormalization(), new ef.layers.Flatten(), new ef.layers.Dropout(0.5), new ef.layers.Dense(3)]);
    const y = model.apply(ef.ones([2, 4, 4, 1]), { training: true });
    expect(y.shape).toEqual([2, 3]);
    model.apply(ef.ones([2, 4, 4, 1]));
    expect(model.variables.map((v) => v.name)).toEqual([
      'conv2d/kernel',
      'conv2d/bias',
      'batch_normalization/beta',
      'batch_normalization/gamma',
      'batch_normalization/moving_mean',
      'batch_normalization/moving_variance',
      'dense/kernel',
      'dense/bias',
    ]);
    expect(model.countParams()).toBe(18 + 2 + 8 + 32 * 3 + 3);
    const text = model.summary(() => {});
    expect(text).toContain('Total params: 127');
    expect(text).toContain('Non-trainable params: 4');
  });

  test('a custom Module with functional layers inside call()', () => {
    class MLP extends ef.layers.Module {
      call(x: ef.Tensor) {
        return ef.layers.dense(ef.layers.dense(x, 4, { activation: 'relu' }), 1);
      }
    }
    const m = new MLP();
    m.apply(ef.ones([1, 2]));
    m.apply(ef.ones([1, 2]));
    expect(m.variables.map((v) => v.name)).toEqual(['mlp/dense/kernel', 'mlp/dense/bias', 'mlp/dense_1/kernel', 'mlp/dense_1/bias']);
    expect(new MLP().scopeName).toBe('mlp_1');
  });
});

describe('models', () => {
  test('LeNet-5: slim names, 61,706 parameters, logits [N,10]', () => {
    const m = new ef.models.LeNet5();
    const y = m.apply(ef.zeros([2, 28, 28, 1]));
    expect(y.shape).toEqual([2, 10]);
    expect(m.countParams()).toBe(61706);
    expect(m.variables.map((v) => v.name)).toEqual([
      'LeNet5/conv1/weights', 'LeNet5/conv1/biases', 'LeNet5/conv2/weights', 'LeNet5/conv2/biases',
      'LeNet5/fc3/weights', 'LeNet5/fc3/biases', 'LeNet5/fc4/weights', 'LeNet5/fc4/biases', 'LeNet5/logits/weights', 'LeNet5/logits/biases',
    ]);
  });

  test('ResNet-50 v1: slim variable names, numClasses null → [N,1,1,2048]', () => {
    const [net, ep] = ef.models.resnetV1_50(ef.zeros([1, 32, 32, 3]), { numClasses: null, isTraining: false, weightsInitializer: ef.initializers.zeros() }); // zeros: fast on 2 CI cores
    expect(net.shape).toEqual([1, 1, 1, 2048]);
    expect(ep.block1!.shape).toEqual([1, 4, 4, 256]);
    const names = new Set(ef.globalVariables().map((v) => v.name));
    for (const n of [
      'resnet_v1_50/conv1/weights',
      'resnet_v1_50/conv1/BatchNorm/gamma',
      'resnet_v1_50/conv1/BatchNorm/beta',
      'resnet_v1_50/conv1/BatchNorm/moving_mean',
      'resnet_v1_50/block1/unit_1/bottleneck_v1/shortcut/weights',
      'resnet_v1_50/block1/unit_1/bottleneck_v1/conv2/weights',
      'resnet_v1_50/block4/unit_3/bottleneck_v1/conv3/BatchNorm/moving_variance',
    ]) expect(names).toContain(n);
    expect(names.has('resnet_v1_50/conv1/biases')).toBe(false);
    expect(names.has('resnet_v1_50/block1/unit_2/bottleneck_v1/shortcut/weights')).toBe(false);
    expect(ef.findVariable('resnet_v1_50/conv1/weights')!.shape).toEqual([7, 7, 3, 64]);
    // TF-Slim's resnet_v1_50 without logits: 23,508,032 trainable parameters (+ 53,120 moving statistics)
    const trainable = ef.trainableVariables().reduce((n, v) => n + v.size, 0);
    const all = ef.globalVariables().reduce((n, v) => n + v.size, 0);
    expect(trainable).toBe(23508032);
    expect(all - trainable).toBe(53120);
    expect(ef.losses.getRegularizationLosses().length).toBe(53);
  }, 60000);
});
