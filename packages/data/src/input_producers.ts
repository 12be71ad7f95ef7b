/**
 * TF1's input producers: queues of strings, integers or tensor slices, refilled one epoch at a time
 * by a registered QueueRunner (shuffled each epoch by default).
 */
import * as ef from '@eagerflow/core';
import type { DType, Tensor } from '@eagerflow/core';
import { sliceHost } from './dataset_elements.js';
import { checkPositive, describeValue, InvalidArgumentError, OutOfRangeError } from './errors.js';
import { FIFOQueue, type InputSource } from './queues.js';
import { addQueueRunner, QueueRunner, type EnqueueOp } from './queue_runner.js';
import { mixSeed, randomSeed, Rng } from './random.js';
import { isTensor, type HostTensor } from './structure.js';

export interface ProducerOptions {
  /** Passes over the input; undefined = forever. After the last one, dequeues fail with OutOfRangeError. */
  numEpochs?: number;
  shuffle?: boolean;
  seed?: number;
  capacity?: number;
  name?: string;
  collection?: string;
}

/**
 * Queue of the given host values, refilled once per epoch by a registered QueueRunner (TF's
 * input_producer). Shuffles each epoch when `shuffle`.
 */
function epochProducer<T>(items: readonly unknown[], dtype: DType, options: ProducerOptions, kind: string): FIFOQueue<T> {
  const capacity = options.capacity ?? 32;
  if (options.numEpochs !== undefined) checkPositive(options.numEpochs, kind, 'numEpochs (or undefined: forever)');
  const q = new FIFOQueue<T>(capacity, { dtypes: dtype, name: options.name ?? kind });
  const seed = options.seed ?? randomSeed();
  let epoch = 0;
  const op: EnqueueOp = async () => {
    if (options.numEpochs !== undefined && epoch >= options.numEpochs) throw new OutOfRangeError(`${kind}: ${options.numEpochs} epoch(s) done`);
    const order = items.map((_, i) => i);
    if (options.shuffle) {
      const rng = new Rng(mixSeed(seed, epoch));
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.nextInt(i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
    }
    epoch++;
    for (const i of order) await q.enqueue(items[i]);
  };
  addQueueRunner(new QueueRunner(q, [op]), options.collection);
  return q;
}

/** Queue of file names (or any strings), one epoch after the other (TF's string_input_producer; shuffle defaults to true). */
export function stringInputProducer(strings: readonly string[], options: ProducerOptions = {}): FIFOQueue<Tensor> {
  if (!Array.isArray(strings) || strings.some((x) => typeof x !== 'string')) {
    throw new InvalidArgumentError(`stringInputProducer: strings must be a list of strings; found ${describeValue(Array.isArray(strings) ? strings.find((x) => typeof x !== 'string') : strings)}`);
  }
  if (!strings.length) throw new InvalidArgumentError('stringInputProducer: the string list is empty');
  return epochProducer<Tensor>(strings, 'string', { shuffle: true, ...options }, 'stringInputProducer');
}

/** Queue of the integers 0..limit-1 per epoch (TF's range_input_producer; shuffle defaults to true). */
export function rangeInputProducer(limit: number, options: ProducerOptions = {}): FIFOQueue<Tensor> {
  checkPositive(limit, 'rangeInputProducer', 'limit');
  return epochProducer<Tensor>(
    Array.from({ length: limit }, (_, i) => i),
    'int32',
    { shuffle: true, ...options },
    'rangeInputProducer',
  );
}

/**
 * One slice (along the first dimension) of every tensor of `tensorList` per dequeue (TF's
 * slice_input_producer; shuffle defaults to true). Returns an InputSource of tensor lists.
 */
export function sliceInputProducer(tensorList: readonly unknown[], options: ProducerOptions = {}): InputSource<Tensor[]> & { queue: FIFOQueue<Tensor> } {
  const hosts: HostTensor[] = tensorList.map((x) => {
    const t = isTensor(x) ? x : Array.isArray(x) && x.every((e) => typeof e === 'string') ? ef.makeTensor(x as string[], [x.length], 'string') : ef.tensor(x);
    const h = { dtype: t.dtype, shape: [...t.shape], values: t.dataSync() };
    if (t !== x) t.dispose();
    return h;
  });
  if (!hosts.length) throw new InvalidArgumentError('sliceInputProducer: tensorList is empty');
  const n = hosts[0]!.shape[0];
  hosts.forEach((h, i) => {
    if (h.shape.length === 0) throw new InvalidArgumentError(`sliceInputProducer: tensor ${i} is a scalar; every tensor needs rank ≥ 1 (the first dimension is sliced)`);
    if (h.shape[0] !== n) throw new InvalidArgumentError(`sliceInputProducer: all tensors need the same first dimension (tensor 0: ${n}, tensor ${i}: ${h.shape[0]})`);
  });
  const queue = rangeInputProducer(n!, options);
  return {
    queue,
    async dequeue(): Promise<Tensor[]> {
      const idxT = await queue.dequeue();
      const i = Number((idxT.dataSync() as Int32Array)[0]);
      idxT.dispose();
      return hosts.map((h) => sliceHost(h, i));
    },
  };
}
