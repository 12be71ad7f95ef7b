#!/usr/bin/env node
/**
 * The training program: `npm run train -- --model lenet5 --dataset fashion-mnist --epochs 5 …`.
 * Trains an image classifier, prints a progress bar and the test accuracy after each epoch,
 * writes an SVG plot, a JSON summary, and (with --checkpoint-dir) TensorFlow-format checkpoints.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import { FlagError, helpText, parseFlags, type FlagSpec } from './train/flags.js';
import { loadImageSet, makeBatch, shuffled, type ImageSet } from './train/data.js';
import { ProgressBar } from './train/progress.js';
import { renderSvg } from './train/plot.js';

/** Every flag, in one place. */
export const FLAGS = {
  model: { type: 'string', default: 'lenet5', choices: ['lenet5'], help: 'network to train' },
  dataset: { type: 'string', default: 'fashion-mnist', choices: ['fashion-mnist', 'mnist'], help: 'dataset (IDX files)' },
  dataDir: { type: 'string', default: null, help: 'directory with the IDX files (default: /usr/share/datasets/<dataset>)' },
  epochs: { type: 'int', default: 5, help: 'passes over the training set' },
  batchSize: { type: 'int', default: 128, help: 'images per training step' },
  optimizer: { type: 'string', default: 'adam', choices: ['adam', 'sgd', 'momentum', 'nesterov', 'rmsprop', 'adagrad'], help: 'optimizer' },
  learningRate: { type: 'number', default: 0.001, help: 'initial learning rate' },
  momentum: { type: 'number', default: 0.9, help: 'momentum (momentum/nesterov/rmsprop)' },
  lrDecay: { type: 'string', default: 'none', choices: ['none', 'exponential', 'cosine', 'polynomial'], help: 'learning-rate schedule over the whole run' },
  weightDecay: { type: 'number', default: 0, help: 'l2 regularizer scale on weights (TF semantics: scale·Σw²/2)' },
  emaDecay: { type: 'number', default: 0.99, help: 'exponential moving average of the weights (0 = off); evaluation uses the averages' },
  backend: { type: 'string', default: 'auto', choices: ['auto', 'cpu', 'webgpu'], help: "backend: 'auto' picks WebGPU on a hardware adapter, else the CPU (a software adapter such as SwiftShader is slower than the CPU; ask for it with --backend webgpu)" },
  seed: { type: 'int', default: 1, help: 'random seed (initial weights, shuffling)' },
  checkpointDir: { type: 'string', default: null, help: 'save a checkpoint (TensorFlow format) here after each epoch' },
  restore: { type: 'boolean', default: false, help: 'resume from the latest checkpoint in --checkpoint-dir' },
  jsonOut: { type: 'string', default: null, help: 'write the JSON summary here' },
  logdir: { type: 'string', default: null, help: 'write TensorBoard event files (the model graph, loss/accuracy scalars) here' },
  plotOut: { type: 'string', default: 'out/train/training.svg', help: 'write the loss/accuracy plot (SVG) here; empty = none' },
  limitTrain: { type: 'int', default: null, help: 'use only the first N training images (quick runs)' },
  maxSteps: { type: 'int', default: null, help: 'stop each epoch after N steps (quick runs)' },
  limitTest: { type: 'int', default: null, help: 'evaluate on the first N test images only (quick runs)' },
  evalBatchSize: { type: 'int', default: 1000, help: 'images per evaluation batch' },
  quiet: { type: 'boolean', default: false, help: 'no progress bar' },
} satisfies Record<string, FlagSpec>;

type Options = NonNullable<ReturnType<typeof parseFlags<typeof FLAGS>>>;

export interface EpochSummary {
  epoch: number;
  loss: number;
  trainAccuracy: number;
  testAccuracy: number;
  /** Test accuracy with the raw (not averaged) weights, when --ema-decay is on. */
  testAccuracyRaw?: number;
  imagesPerSec: number;
  seconds: number;
}

export interface Summary {
  model: string;
  dataset: string;
  backend: string;
  optimizer: string;
  learningRate: number;
  batchSize: number;
  emaDecay: number;
  seed: number;
  parameters: number;
  steps: number;
  firstStepLoss: number;
  epochs: EpochSummary[];
  finalTestAccuracy: number;
  totalSeconds: number;
  checkpoint?: string;
}

async function selectBackend(name: string): Promise<string> {
  const loadGpu = async (): Promise<string | null> => {
    try {
      await import('@eagerflow/webgpu-backend');
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  };
  if (name === 'cpu') {
    await ef.setBackend('cpu');
  } else if (name === 'webgpu') {
    const err = await loadGpu();
    if (err) throw new Error(`--backend webgpu: the WebGPU backend could not be loaded: ${err}`);
    await ef.setBackend('webgpu');
  } else {
    await loadGpu();
    await ef.ready();
  }
  return ef.getBackend();
}

function makeOptimizer(o: Options, lr: ef.train.LearningRate): ef.train.Optimizer {
  switch (o.optimizer) {
    case 'sgd':
      return new ef.train.GradientDescentOptimizer(lr);
    case 'momentum':
      return new ef.train.MomentumOptimizer(lr, o.momentum);
    case 'nesterov':
      return new ef.train.MomentumOptimizer(lr, o.momentum, { useNesterov: true });
    case 'rmsprop':
      return new ef.train.RMSPropOptimizer(lr, { momentum: o.momentum === 0.9 ? 0 : o.momentum });
    case 'adagrad':
      return new ef.train.AdagradOptimizer(lr);
    default:
      return new ef.train.AdamOptimizer(lr);
  }
}

function makeSchedule(o: Options, step: ef.Variable, totalSteps: number): ef.train.LearningRate {
  const lr = o.learningRate;
  switch (o.lrDecay) {
    case 'exponential':
      // ×0.5 over the run, by epoch (staircase), as the notes' LEARNING_RATE_STEP usage
      return ef.train.exponentialDecay(lr, step, Math.max(1, Math.floor(totalSteps / Math.max(1, o.epochs))), 0.5 ** (1 / Math.max(1, o.epochs - 1 || 1)), true);
    case 'cosine':
      return ef.train.cosineDecay(lr, step, totalSteps);
    case 'polynomial':
      return ef.train.polynomialDecay(lr, step, totalSteps, { endLearningRate: lr / 100 });
    default:
      return lr;
  }
}

async function evaluate(model: ef.layers.Module, set: ImageSet, batchSize: number): Promise<number> {
  const d = set.test;
  let correct = 0;
  for (let s = 0; s < d.count; s += batchSize) {
    const { x, y } = makeBatch(set, d, null, s, Math.min(d.count, s + batchSize));
    const c = ef.tidy(() => ef.reduceSum(ef.cast(ef.equal(ef.cast(ef.argMax(model.apply(x, { training: false }), 1), 'int32'), y), 'float32')));
    correct += Number((await c.data())[0]);
    ef.dispose([x, y, c]);
  }
  return correct / d.count;
}

function writeFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

export async function main(argv: readonly string[]): Promise<Summary | null> {
  const o = parseFlags(FLAGS, argv);
  if (!o) {
    console.log(helpText('npm run train --', 'Trains an image classifier (LeNet-5 on Fashion-MNIST by default) with eagerflow.', FLAGS));
    return null;
  }
  if (o.epochs < 1 || o.batchSize < 1 || o.evalBatchSize < 1) throw new FlagError('--epochs, --batch-size and --eval-batch-size must be ≥ 1');
  if (!(o.learningRate > 0)) throw new FlagError('--learning-rate must be positive');
  if (o.emaDecay < 0 || o.emaDecay >= 1) throw new FlagError('--ema-decay must be in [0, 1)');
  if (o.restore && !o.checkpointDir) throw new FlagError('--restore needs --checkpoint-dir');

  const set = loadImageSet(o.dataset, o.dataDir, o.limitTrain, o.limitTest);
  const backend = await selectBackend(o.backend);
  ef.setRandomSeed(o.seed); // initial weights (Philox random ops) and dropout
  const rng = new ef.initializers.HostRandom(o.seed); // host Philox draws for the shuffles

  const model = new ef.models.LeNet5({ numClasses: set.numClasses, weightsRegularizer: o.weightDecay > 0 ? ef.regularizers.l2(o.weightDecay) : undefined });
  const stepsPerEpoch = Math.min(Math.ceil(set.train.count / o.batchSize), o.maxSteps ?? Infinity);
  const globalStep = ef.train.getOrCreateGlobalStep();
  const optimizer = makeOptimizer(o, makeSchedule(o, globalStep, stepsPerEpoch * o.epochs));
  const ema = o.emaDecay > 0 ? new ef.train.ExponentialMovingAverage(o.emaDecay, { numUpdates: globalStep }) : null;

  // Make every variable now (model, slots, averages), so a checkpoint can be restored into them.
  ef.tidy(() => void model.apply(ef.zeros([1, set.train.rows, set.train.cols, 1])));
  optimizer.build(model.trainableVariables);
  ema?.apply(model.trainableVariables);
  const parameters = model.countParams();
  console.log(`eagerflow: ${o.model} (${parameters.toLocaleString('en-US')} parameters) on ${set.name} (${set.train.count} train / ${set.test.count} test images), backend '${backend}', ${o.optimizer} lr ${o.learningRate}, batch ${o.batchSize}`);

  let saver: import('@eagerflow/io').Saver | null = null;
  let io: typeof import('@eagerflow/io') | null = null;
  if (o.checkpointDir) {
    io = await import('@eagerflow/io');
    mkdirSync(o.checkpointDir, { recursive: true });
    saver = new io.Saver({ maxToKeep: 3 });
    if (o.restore) {
      const latest = await io.latestCheckpoint(o.checkpointDir);
      if (!latest) throw new Error(`--restore: no checkpoint in ${o.checkpointDir}`);
      await saver.restore(latest);
      console.log(`restored ${latest} (global step ${Number((await globalStep.data())[0])})`);
    }
  }

  let tb: import('@eagerflow/data').SummaryWriter | null = null;
  if (o.logdir) {
    const data = await import('@eagerflow/data');
    tb = await data.createFileWriter(o.logdir);
    console.log(`TensorBoard events: ${tb.path}`);
    // TF1's FileWriter(logdir, sess.graph): the ops of one forward pass, for the Graphs tab.
    const images = ef.zeros([1, set.train.rows, set.train.cols, 1]);
    await tb.addGraph(() => ef.tidy(() => void model.apply(images, { training: true })));
    images.dispose();
  }

  const progress = new ProgressBar(process.stderr, o.quiet);
  const epochs: EpochSummary[] = [];
  const lossCurve: [number, number][] = [];
  const accCurve: [number, number][] = [];
  let firstStepLoss = NaN;
  let stepsDone = 0;
  let checkpoint: string | undefined;
  const t0 = performance.now();
  const startMem = ef.memory().numTensors;

  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const order = shuffled(set.train.count, rng);
    let lossSum = 0, accSum = 0, seen = 0, curveLoss = 0, curveN = 0;
    const te = performance.now();
    for (let step = 0; step < stepsPerEpoch; step++) {
      const start = step * o.batchSize;
      const { x, y } = makeBatch(set, set.train, order, start, Math.min(set.train.count, start + o.batchSize));
      let batchAcc: ef.Tensor | undefined;
      const loss = optimizer.minimize(
        () => {
          const logits = model.apply(x, { training: true });
          batchAcc = ef.keep(ef.noGrad(() => ef.metrics.accuracy(y, logits)));
          const l = ef.losses.sparseSoftmaxCrossEntropy(y, logits);
          return o.weightDecay > 0 ? ef.losses.getTotalLoss(l) : l;
        },
        { globalStep },
      );
      ema?.apply(model.trainableVariables);
      // One host read per step for both numbers (on a GPU each read is a submit and a wait).
      const stats = ef.tidy(() => ef.stack([loss, batchAcc!]));
      const sv = await stats.data();
      const b = x.shape[0]!;
      ef.dispose([x, y, loss, batchAcc!, stats]);
      const l = Number(sv[0]), a = Number(sv[1]);
      if (!Number.isFinite(l)) throw new Error(`the loss became ${l} at step ${stepsDone + 1}; lower --learning-rate`);
      if (stepsDone === 0) firstStepLoss = l;
      stepsDone++;
      lossSum += l * b;
      accSum += a * b;
      seen += b;
      curveLoss += l;
      curveN++;
      if (curveN === 10 || step === stepsPerEpoch - 1) {
        lossCurve.push([stepsDone, curveLoss / curveN]);
        await tb?.scalar('train/loss', curveLoss / curveN, stepsDone);
        curveLoss = curveN = 0;
      }
      const secs = (performance.now() - te) / 1000;
      const ips = seen / secs;
      const remaining = (stepsPerEpoch - step - 1) * o.batchSize + (o.epochs - epoch) * stepsPerEpoch * o.batchSize;
      progress.update({ epoch, epochs: o.epochs, step: step + 1, steps: stepsPerEpoch, loss: lossSum / seen, accuracy: accSum / seen, imagesPerSec: ips }, remaining / ips);
    }
    progress.done();
    const seconds = (performance.now() - te) / 1000;
    const testAccuracy = ema ? await ema.withAverages(() => evaluate(model, set, o.evalBatchSize)) : await evaluate(model, set, o.evalBatchSize);
    const testAccuracyRaw = ema ? await evaluate(model, set, o.evalBatchSize) : undefined;
    const e: EpochSummary = { epoch, loss: lossSum / seen, trainAccuracy: accSum / seen, testAccuracy, ...(ema ? { testAccuracyRaw } : {}), imagesPerSec: seen / seconds, seconds };
    epochs.push(e);
    accCurve.push([stepsDone, testAccuracy]);
    await tb?.scalar('train/accuracy', e.trainAccuracy, stepsDone);
    await tb?.scalar('test/accuracy', testAccuracy, stepsDone);
    await tb?.flush();
    console.log(
      `epoch ${epoch}/${o.epochs}: loss ${e.loss.toFixed(4)}, train accuracy ${(100 * e.trainAccuracy).toFixed(2)}%, test accuracy ${(100 * testAccuracy).toFixed(2)}%` +
        (ema ? ` (EMA; raw weights ${(100 * testAccuracyRaw!).toFixed(2)}%)` : '') +
        `, ${Math.round(e.imagesPerSec)} images/s, ${seconds.toFixed(1)} s`,
    );
    if (saver && o.checkpointDir) {
      checkpoint = await saver.save(`${o.checkpointDir}/model.ckpt`, { globalStep });
      console.log(`saved ${checkpoint}`);
    }
  }

  const summary: Summary = {
    model: o.model,
    dataset: o.dataset,
    backend,
    optimizer: o.optimizer,
    learningRate: o.learningRate,
    batchSize: o.batchSize,
    emaDecay: o.emaDecay,
    seed: o.seed,
    parameters,
    steps: stepsDone,
    firstStepLoss,
    epochs,
    finalTestAccuracy: epochs[epochs.length - 1]!.testAccuracy,
    totalSeconds: (performance.now() - t0) / 1000,
    ...(checkpoint ? { checkpoint } : {}),
  };
  await tb?.close();
  const leaked = ef.memory().numTensors - startMem;
  if (leaked !== 0) console.warn(`warning: ${leaked} more live tensors than at the start of training`);
  if (o.plotOut) {
    writeFile(o.plotOut, renderSvg({ title: `${o.model} on ${o.dataset} (${backend}, ${o.optimizer} lr ${o.learningRate}, batch ${o.batchSize})`, loss: lossCurve, accuracy: accCurve }));
    console.log(`plot: ${o.plotOut}`);
  }
  if (o.jsonOut) {
    writeFile(o.jsonOut, `${JSON.stringify(summary, null, 2)}\n`);
    console.log(`summary: ${o.jsonOut}`);
  }
  console.log(`final test accuracy ${(100 * summary.finalTestAccuracy).toFixed(2)}% after ${o.epochs} epoch(s), ${summary.totalSeconds.toFixed(1)} s`);
  return summary;
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  main(process.argv.slice(2))
    .then(() => {
      ef.disposeBackend(); // Dawn keeps the process alive while a device lives
      process.exit(0);
    })
    .catch((e: unknown) => {
      console.error(e instanceof FlagError ? `error: ${e.message} (see --help)` : `error: ${(e as Error).message}`);
      ef.disposeBackend();
      process.exit(e instanceof FlagError ? 2 : 1);
    });
}
