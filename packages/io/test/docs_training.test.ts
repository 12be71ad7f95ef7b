// Runs every ```ts snippet of docs/training.md in order, so the documentation stays runnable, and checks
// what the comments say they print or hold. It lives in io's tests because one snippet (moving
// averages) restores through io's Saver; everything else is core.
import { expect, test } from '@jest/globals';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ef from '@eagerflow/core';
import * as cpu from '@eagerflow/cpu-backend';
import * as io from '@eagerflow/io';
import { describeDocSnippets } from '../../../tools/test/doc_snippets.js';

const doc = describeDocSnippets(join(dirname(fileURLToPath(import.meta.url)), '../../../docs/training.md'), {
  minSnippets: 10,
  modules: { '@eagerflow/core': ef, '@eagerflow/cpu-backend': cpu, '@eagerflow/io': io },
  globals: { ef },
  beforeEach: async () => {
    // Each snippet starts with no variables, as the page's tf.reset_default_graph() row does it.
    ef.resetVariableStore();
    for (const key of ef.getAllCollectionKeys()) ef.clearCollection(key);
    ef.dispose(ef.globalVariables());
    await ef.setBackend('cpu');
  },
});

test('docs/training.md: printed values and comments hold', () => {
  const scopes = doc.result("variableScope('foo'").printed;
  expect(scopes[0]).toBe('true');
  expect(scopes[1]).toBe("getVariable: variable 'foo/v' already exists, disallowed. Did you mean to set reuse: true or reuse: 'auto' in variableScope? (or pick another name)");
  expect(scopes[2]).toBe("getVariable: variable 'foo/w' does not exist, or was not created with getVariable(); reuse: true only gets existing variables. Did you mean reuse: 'auto'?");

  expect(Number(doc.result('getTotalLoss').printed[0])).toBeCloseTo(1.2, 6);
  expect(doc.result('asymmetricLoss').printed).toEqual(['4.75', '4.75']);

  const fit = doc.result('GradientDescentOptimizer(0.001)').printed.join('\n').split('\n'); // w.print(): both weights a little above 1
  expect(fit[0]).toBe('Tensor(shape=[2,1], dtype=float32, backend=cpu)');
  const weights = fit[1]!.match(/[\d.]+/g)!.map(Number);
  expect(weights).toHaveLength(2);
  for (const v of weights) expect(v > 1 && v < 1.2).toBe(true);

  const optimizer = doc.result('clipByGlobalNorm').scope as { globalStep: ef.Variable; gv: { loss: ef.Tensor } };
  expect(optimizer.globalStep.name).toBe('global_step');
  expect(optimizer.gv.loss.shape).toEqual([]);
  expect(doc.result('clipByGlobalNorm').printed).toEqual(['2']);

  const [lr, atBoundary, past] = doc.result('piecewiseConstant').printed[0]!.split(' ').map(Number);
  expect([lr, atBoundary, past]).toEqual([expect.closeTo(0.09216, 7), 0.1, 0.01]);
  const schedules = doc.result('piecewiseConstant').scope as Record<string, { valueAt(step: number): number }>;
  expect(schedules.poly!.valueAt(10000)).toBeCloseTo(1e-4, 9);
  expect(schedules.cosine!.valueAt(10000)).toBeCloseTo(0, 9);
  expect(schedules.inverse!.valueAt(100)).toBeCloseTo(0.1 / 1.5, 9);

  const ema = doc.result('ExponentialMovingAverage(0.99').printed;
  expect(ema[0]).toBe('w/ExponentialMovingAverage');
  const [averaged, raw] = ema[1]!.split(' ').map(Number);
  expect(averaged).toBeCloseTo(5.6, 5);
  expect(raw).toBe(6);

  const layers = doc.result("variableScope('model', { reuse: 'auto' }").printed;
  expect(layers[0]).toBe('[2,10] [2,10]');
  expect(layers[1]!.split(' ')).toEqual(['model/conv2d/kernel', 'model/conv2d/bias', 'model/batch_normalization/beta', 'model/batch_normalization/gamma',
    'model/batch_normalization/moving_mean', 'model/batch_normalization/moving_variance', 'model/dense/kernel', 'model/dense/bias']);

  const slim = doc.result('slim.argScope').printed.join('\n');
  expect(slim).toContain('[1,10]');
  for (const name of ['conv1/weights', 'conv2/weights', 'conv3/conv3_1/weights', 'conv3/conv3_3/weights', 'fc/fc_1/weights', 'fc/fc_2/weights', 'logits/weights']) expect(slim).toContain(name);
  expect(slim).toMatch(/^Total size of variables: \d+$/m); // analyzeVars: totals
  expect(slim).toContain('fused_conv2d (float32 1x28x28x1, float32 5x5x1x6, float32 6 -> float32 1x28x28x6) [4704]'); // analyzeOps: each op
  expect(slim).toMatch(/^Ops by type: .*fused_conv2d x2, max_pool x2/m); // … and counts per op
});
