/**
 * TF1's tf.train.batch / shuffle_batch: a queue filled from a source by QueueRunner tasks, dequeued
 * `batchSize` examples at a time.
 */
import * as ef from '@eagerflow/core';
import { checkPositive, describeValue, InvalidArgumentError } from './errors.js';
import { FIFOQueue, RandomShuffleQueue, type InputSource, type QueueBase } from './queues.js';
import { addQueueRunner, QueueRunner, type EnqueueOp } from './queue_runner.js';

export interface BatchOptions {
  capacity?: number;
  /** Enqueuing tasks pulling from the source (TF's num_threads). */
  numThreads?: number;
  /** Return a last, smaller batch when the input ends (else the rest is dropped with OutOfRange). */
  allowSmallerFinalBatch?: boolean;
  /** The source yields batches already (TF's enqueue_many). */
  enqueueMany?: boolean;
  shapes?: readonly (readonly number[])[];
  name?: string;
  collection?: string;
}

function sourceOp<T>(source: InputSource<T> | (() => Promise<T>), op: string): () => Promise<T> {
  if (typeof source !== 'function' && typeof (source as InputSource<T> | null)?.dequeue !== 'function') {
    throw new InvalidArgumentError(`${op}: source must be a queue/producer (with dequeue()) or an async function; found ${describeValue(source)}`);
  }
  return typeof source === 'function' ? source : () => source.dequeue();
}

function makeBatcher<T>(fnName: string, q: QueueBase<T>, source: InputSource<unknown> | (() => Promise<unknown>), batchSize: number, options: BatchOptions): InputSource<T> & { queue: QueueBase<T> } {
  const pull = sourceOp(source, fnName);
  checkPositive(batchSize, fnName, 'batchSize');
  if (options.numThreads !== undefined) checkPositive(options.numThreads, fnName, 'numThreads');
  const threads = options.numThreads ?? 1;
  const op: EnqueueOp = async () => {
    const x = await pull();
    try {
      if (options.enqueueMany) await q.enqueueMany(x);
      else await q.enqueue(x);
    } finally {
      ef.dispose(x as never);
    }
  };
  addQueueRunner(new QueueRunner(q, Array.from({ length: threads }, () => op)), options.collection);
  return {
    queue: q,
    dequeue: () => (options.allowSmallerFinalBatch ? q.dequeueUpTo(batchSize) : q.dequeueMany(batchSize)),
  };
}

/**
 * TF's tf.train.batch: a FIFOQueue filled by `numThreads` tasks from `source` (an InputSource such as a
 * producer, or an async function returning one example); `dequeue()` returns `batchSize` examples stacked.
 */
export function batch<T = unknown>(source: InputSource<unknown> | (() => Promise<unknown>), batchSize: number, options: BatchOptions = {}): InputSource<T> & { queue: QueueBase<T> } {
  const q = new FIFOQueue<T>(options.capacity ?? 32, { shapes: options.shapes, name: options.name ?? 'batch_queue' });
  return makeBatcher('batch', q, source, batchSize, options);
}

/**
 * TF's tf.train.shuffle_batch: like batch, through a RandomShuffleQueue that keeps at least
 * `minAfterDequeue` examples after each dequeue so batches mix examples from far apart.
 */
export function shuffleBatch<T = unknown>(
  source: InputSource<unknown> | (() => Promise<unknown>),
  batchSize: number,
  options: BatchOptions & { minAfterDequeue: number; seed?: number },
): InputSource<T> & { queue: QueueBase<T> } {
  if (typeof options?.minAfterDequeue !== 'number') throw new InvalidArgumentError(`shuffleBatch: options.minAfterDequeue is required (a non-negative integer below capacity); found ${describeValue(options?.minAfterDequeue)}`);
  const capacity = options.capacity ?? 32;
  if (options.minAfterDequeue >= capacity) throw new InvalidArgumentError(`shuffleBatch: minAfterDequeue (${options.minAfterDequeue}) must be smaller than capacity (${capacity})`);
  const q = new RandomShuffleQueue<T>(capacity, options.minAfterDequeue, { shapes: options.shapes, seed: options.seed, name: options.name ?? 'shuffle_batch_queue' });
  return makeBatcher('shuffleBatch', q, source, batchSize, options);
}
