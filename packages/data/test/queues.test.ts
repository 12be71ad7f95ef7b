import { afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import * as d from '@eagerflow/data';
import { PENGUIN_EVAL, PENGUIN_TRAIN, tempDir, td } from './helpers.js';

type T = ef.Tensor;
beforeAll(async () => {
  await ef.setBackend('cpu');
});
afterEach(() => d.clearQueueRunners());

const num = (t: T): number => {
  const v = t.dataSync()[0] as number | bigint;
  t.dispose();
  return Number(v);
};
/** Resolves to 'pending' if `p` has not settled within a few event-loop turns. */
async function state(p: Promise<unknown>): Promise<'pending' | 'resolved' | 'rejected'> {
  let s: 'pending' | 'resolved' | 'rejected' = 'pending';
  p.then(
    () => (s = 'resolved'),
    () => (s = 'rejected'),
  );
  await new Promise((r) => setTimeout(r, 10));
  return s;
}

describe('FIFOQueue', () => {
  test('notes example: FIFOQueue(2, int32), enqueue_many([0, 10]), then dequeue x / enqueue x+1 five times → 0 10 1 11 2', async () => {
    const q = new d.FIFOQueue<T>(2, 'int32');
    await q.enqueueMany([[0, 10]]);
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      const x = await q.dequeue();
      await q.enqueue([ef.add(x, 1)]);
      seen.push(num(x));
    }
    expect(seen).toEqual([0, 10, 1, 11, 2]);
    expect(q.size()).toBe(2);
  });

  test('capacity blocking: a full queue holds enqueues until a dequeue frees a slot; empty blocks dequeues', async () => {
    const q = new d.FIFOQueue<T>(2, { dtypes: 'float32' });
    await q.enqueue(1);
    await q.enqueue(2);
    const third = q.enqueue(3);
    expect(await state(third)).toBe('pending');
    expect(q.size()).toBe(2);
    expect(num(await q.dequeue())).toBe(1);
    expect(await state(third)).toBe('resolved');
    expect([num(await q.dequeue()), num(await q.dequeue())]).toEqual([2, 3]);
    const waiting = q.dequeue();
    expect(await state(waiting)).toBe('pending');
    await q.enqueue(4);
    expect(num((await waiting) as T)).toBe(4);
  });

  test('close: enqueue fails, remaining elements drain, then OutOfRange; cancelPendingEnqueues', async () => {
    const q = new d.FIFOQueue<T>(3, 'int32');
    await q.enqueueMany([[1, 2, 3]]);
    const blocked = q.enqueue(4);
    q.close();
    await expect(q.enqueue(5)).rejects.toThrow(/is closed/);
    expect(num(await q.dequeue())).toBe(1);
    expect(await state(blocked)).toBe('resolved'); // pending enqueues may complete after a plain close
    const many = await q.dequeueMany(2);
    expect(many.arraySync()).toEqual([2, 3]);
    expect(num(await q.dequeue())).toBe(4);
    await expect(q.dequeue()).rejects.toThrow(/closed and has insufficient elements \(requested 1, current size 0\)/);
    await expect(q.dequeue()).rejects.toBeInstanceOf(d.OutOfRangeError);

    const q2 = new d.FIFOQueue<T>(1, 'int32');
    await q2.enqueue(1);
    const pending = q2.enqueue(2);
    q2.close({ cancelPendingEnqueues: true });
    await expect(pending).rejects.toBeInstanceOf(d.CancelledError);
  });

  test('a one-component queue hands out bare tensors whether its dtype was given alone or in a list (TF)', async () => {
    for (const dtypes of ['int32', ['int32']] as const) {
      const q = new d.FIFOQueue<T>(4, { dtypes: dtypes as d.QueueOptions['dtypes'] });
      await q.enqueue(ef.tensor(5, [], 'int32'));
      await q.enqueue([ef.tensor(6, [], 'int32')]);
      const a = await q.dequeue();
      const b = await q.dequeue();
      expect(a instanceof ef.Tensor && b instanceof ef.Tensor).toBe(true);
      expect([a.dataSync()[0], b.dataSync()[0]]).toEqual([5, 6]);
    }
  });

  test('shapes [] is one scalar shape, as in TF (not zero shapes)', async () => {
    const q = new d.FIFOQueue<T>(3, { dtypes: ['float32'], shapes: [] });
    await q.enqueue(5);
    expect(num(await q.dequeue())).toBe(5);
    await expect(q.enqueue([1, 2])).rejects.toThrow(/component 0 has shape \[2\], the queue expects \[\]/);
  });

  test('dequeueMany / dequeueUpTo with several components, shapes and names', async () => {
    const q = new d.FIFOQueue<T[]>(10, { dtypes: ['float32', 'int32'], shapes: [[2], []] });
    await q.enqueueMany([ef.tensor([[1, 2], [3, 4], [5, 6]]), ef.tensor([7, 8, 9], [3], 'int32')]);
    const [x, y] = await q.dequeueMany(2);
    expect(x!.arraySync()).toEqual([[1, 2], [3, 4]]);
    expect(y!.arraySync()).toEqual([7, 8]);
    await expect(q.enqueue([ef.tensor([1, 2, 3]), ef.tensor(1, [], 'int32')])).rejects.toThrow(/component 0 has shape \[3\], the queue expects \[2\]/);
    q.close();
    await expect(q.dequeueMany(2)).rejects.toThrow(d.OutOfRangeError);
    const [rx] = await q.dequeueUpTo(2); // closed: the remaining one
    expect(rx!.arraySync()).toEqual([[5, 6]]);
    const named = new d.FIFOQueue<Record<string, T>>(4, { dtypes: ['string', 'int32'], names: ['name', 'n'] });
    await named.enqueue({ name: 'a', n: 1 });
    const e = await named.dequeue();
    expect(e.name!.arraySync()).toBe('a');
    expect(e.n!.arraySync()).toBe(1);
  });
});

describe('PaddingFIFOQueue', () => {
  test('dequeueMany / dequeueUpTo pad each component to the largest size in the batch (zeros, empty strings)', async () => {
    const q = new d.PaddingFIFOQueue<T[]>(10, { dtypes: ['int32', 'string', 'float32'], shapes: [[null], [-1], [null, 2]] });
    await q.enqueue([[1, 2, 3], ef.tensor(['a'], [1], 'string'), ef.ones([1, 2])]);
    await q.enqueue([[4], ef.tensor(['b', 'c'], [2], 'string'), ef.fill([3, 2], 2)]);
    await q.enqueue([[5, 6], ef.tensor([], [0], 'string'), ef.zeros([0, 2])]);
    await q.enqueue([[], ef.tensor(['d'], [1], 'string'), ef.fill([1, 2], 3)]);
    expect(q.size()).toBe(4);
    const [a, s, f] = await q.dequeueMany(2);
    expect([a!.shape, a!.arraySync()]).toEqual([[2, 3], [[1, 2, 3], [4, 0, 0]]]);
    expect([s!.shape, s!.arraySync()]).toEqual([[2, 2], [['a', ''], ['b', 'c']]]);
    expect([f!.shape, f!.arraySync()]).toEqual([[2, 3, 2], [[[1, 1], [0, 0], [0, 0]], [[2, 2], [2, 2], [2, 2]]]]);
    const [one] = await q.dequeue(); // a single element is not padded
    expect([one!.shape, one!.arraySync()]).toEqual([[2], [5, 6]]);
    q.close();
    const [ra, rs, rf] = await q.dequeueUpTo(5); // closed: the remaining one; an empty dimension stays empty
    expect([ra!.shape, rs!.arraySync(), rf!.arraySync()]).toEqual([[1, 0], [['d']], [[[3, 3]]]]);
    await expect(q.dequeueUpTo(1)).rejects.toThrow(d.OutOfRangeError);
    ef.dispose([a!, s!, f!, one!, ra!, rs!, rf!]);
  });

  test('a single component gives bare tensors; enqueueMany slices; enqueue checks rank and the known dimensions', async () => {
    const q = new d.PaddingFIFOQueue<T>(10, { dtypes: 'int32', shapes: [null, 2] });
    await q.enqueueMany([[[[1, 2]], [[3, 4]]]]); // two elements of shape [1, 2]
    await q.enqueue([[5, 6], [7, 8], [9, 10]]);
    const b = await q.dequeueMany(3);
    expect(b.arraySync()).toEqual([[[1, 2], [0, 0], [0, 0]], [[3, 4], [0, 0], [0, 0]], [[5, 6], [7, 8], [9, 10]]]);
    await expect(q.enqueue([[[1, 2, 3]]])).rejects.toThrow(/PaddingFIFOQueue 'paddingfifoqueue_\d+': component 0 has shape \[1,3\], the queue expects \[\?,2\]/);
    await expect(q.enqueue([1, 2])).rejects.toThrow(/component 0 has shape \[2\], the queue expects \[\?,2\]/);
    expect(q.size()).toBe(0);
    b.dispose();
  });
});

describe('RandomShuffleQueue', () => {
  test('min_after_dequeue: dequeue waits until more than minAfterDequeue elements are held', async () => {
    const q = new d.RandomShuffleQueue<T>(10, 5, { dtypes: 'int32', seed: 1 });
    await q.enqueueMany([[0, 1, 2, 3, 4]]);
    const first = q.dequeue();
    expect(await state(first)).toBe('pending'); // 5 elements, none may leave yet
    await q.enqueue(5);
    expect(await state(first)).toBe('resolved');
    expect(q.size()).toBe(5);
    q.close(); // after close min_after_dequeue no longer applies
    const rest: number[] = [num((await first) as T)];
    for (let i = 0; i < 5; i++) rest.push(num(await q.dequeue()));
    expect(rest.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(() => new d.RandomShuffleQueue(10, 10)).toThrow(/minAfterDequeue \(10\) must be in \[0, capacity\)/);
  });

  test('mixing: seeded shuffle_batch over 100 ordered examples mixes far-apart examples', async () => {
    const coord = new d.Coordinator();
    const input = d.sliceInputProducer([Array.from({ length: 100 }, (_, i) => i)], { shuffle: false, numEpochs: 1 });
    const batches = d.shuffleBatch<T[]>(input, 10, { capacity: 60, minAfterDequeue: 40, seed: 3, allowSmallerFinalBatch: true });
    const threads = d.startQueueRunners(coord);
    const all: number[] = [];
    const first = Array.from(((await batches.dequeue())[0]!.dataSync() as Float32Array));
    all.push(...first);
    // The first batch is drawn from ≥ 50 queued examples: it cannot be the first ten in order.
    expect(first).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Math.max(...first)).toBeGreaterThanOrEqual(10);
    for (;;) {
      try {
        const [b] = await batches.dequeue();
        all.push(...(b!.dataSync() as Float32Array));
      } catch (e) {
        expect(e).toBeInstanceOf(d.OutOfRangeError);
        break;
      }
    }
    expect(all).toHaveLength(100);
    expect([...all].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    coord.requestStop();
    await coord.join(threads);
  });
});

describe('Coordinator and QueueRunner', () => {
  test('notes: should_stop loops; one task calls request_stop and all of them end', async () => {
    const coord = new d.Coordinator();
    const counts = [0, 0, 0];
    const worker = (id: number) => async () => {
      while (!coord.shouldStop()) {
        counts[id]!++;
        if (id === 1 && counts[id] === 5) coord.requestStop();
        await new Promise((r) => setTimeout(r, 1));
      }
    };
    const threads = [0, 1, 2].map((i) => worker(i)());
    await coord.join(threads);
    expect(coord.shouldStop()).toBe(true);
    expect(counts[1]).toBe(5);
    expect(Math.max(...counts)).toBeLessThanOrEqual(7);
  });

  test('notes: QueueRunner(queue, [enqueue_op]*5) fills FIFOQueue(100, float); request_stop ends all runners', async () => {
    const queue = new d.FIFOQueue<T>(100, 'float32');
    let k = 0;
    const enqueueOp = () => queue.enqueue([ef.tensor([Math.sin(k++)])]);
    const qr = new d.QueueRunner(queue, Array(5).fill(enqueueOp));
    d.addQueueRunner(qr);
    const coord = new d.Coordinator();
    const threads = d.startQueueRunners(coord);
    expect(threads).toHaveLength(6); // 5 enqueue tasks + the cancel watcher
    for (let i = 0; i < 3; i++) {
      const v = await queue.dequeue();
      expect(v.shape).toEqual([1]);
      v.dispose();
    }
    await new Promise((r) => setTimeout(r, 10));
    expect(queue.size()).toBe(100); // runners keep it full; 5 enqueues are blocked
    coord.requestStop();
    await coord.join(threads, { stopGracePeriodMs: 2000 });
    expect(threads.every((t) => t.done)).toBe(true);
    expect(queue.isClosed()).toBe(true);
    expect(qr.exceptions).toEqual([]);
  });

  test('an error in a runner stops the coordinator and join re-throws it', async () => {
    const q = new d.FIFOQueue<T>(10, 'float32');
    let n = 0;
    const op = async () => {
      if (++n === 4) throw new Error('reader failed');
      await q.enqueue(n);
    };
    d.addQueueRunner(new d.QueueRunner(q, [op]));
    const coord = new d.Coordinator();
    const threads = d.startQueueRunners(coord);
    await expect(coord.join(threads)).rejects.toThrow('reader failed');
    expect(coord.shouldStop()).toBe(true);
  });

  test('join grace period: a task that ignores the stop request is reported', async () => {
    const coord = new d.Coordinator();
    let release: () => void = () => undefined;
    const stuck = new d.CoordinatedThread('stuck-task', () => new Promise<void>((r) => (release = r)));
    coord.requestStop();
    await expect(coord.join([stuck], { stopGracePeriodMs: 20 })).rejects.toThrow(/still running 20 ms after the stop request: stuck-task/);
    release();
  });
});

describe('input producers', () => {
  test('notes: slice_input_producer([images, labels], num_epochs=None, shuffle=False) gives 8 pairs in order, cycling', async () => {
    const images = ['img1', 'img2', 'img3', 'img4', 'img5'];
    const labels = [1, 2, 3, 4, 5];
    const f = d.sliceInputProducer([images, labels], { shuffle: false });
    const coord = new d.Coordinator();
    const threads = d.startQueueRunners(coord);
    const got: [string, number][] = [];
    for (let i = 0; i < 8; i++) {
      const [img, lbl] = await f.dequeue();
      got.push([img!.arraySync() as string, num(lbl!)]);
      img!.dispose();
    }
    expect(got).toEqual([['img1', 1], ['img2', 2], ['img3', 3], ['img4', 4], ['img5', 5], ['img1', 1], ['img2', 2], ['img3', 3]]);
    coord.requestStop();
    await coord.join(threads);
  });

  test('string_input_producer with num_epochs=2: each file twice (shuffled per epoch), then OutOfRange', async () => {
    const names = ['a', 'b', 'c', 'd'];
    const q = d.stringInputProducer(names, { numEpochs: 2, seed: 5 });
    const coord = new d.Coordinator();
    const threads = d.startQueueRunners(coord);
    const got: string[] = [];
    for (;;) {
      try {
        const t = await q.dequeue();
        got.push(t.arraySync() as string);
        t.dispose();
      } catch (e) {
        expect(e).toBeInstanceOf(d.OutOfRangeError);
        break;
      }
    }
    expect(got).toHaveLength(8);
    expect(got.slice(0, 4).sort()).toEqual(names);
    expect(got.slice(4).sort()).toEqual(names);
    coord.requestStop();
    await coord.join(threads);
  });

  test('notes reading flow: string_input_producer → TFRecordReader.read → parse_single_example, num_epochs=1 ends with OutOfRange', async () => {
    const q = d.stringInputProducer([PENGUIN_TRAIN, PENGUIN_EVAL], { numEpochs: 1, shuffle: false });
    const reader = new d.TFRecordReader({ compression: 'GZIP' });
    const coord = new d.Coordinator();
    const threads = d.startQueueRunners(coord);
    let n = 0;
    let firstKey = '';
    const species = [0, 0, 0];
    try {
      for (;;) {
        const { key, value } = await reader.read(q);
        if (!n) firstKey = key;
        const f = d.parseSingleExample(value, { species: d.FixedLenFeature([], 'int32') });
        species[num(f.species as T)]!++;
        n++;
      }
    } catch (e) {
      if (!(e instanceof d.OutOfRangeError)) throw e;
    } finally {
      coord.requestStop();
      await coord.join(threads);
    }
    expect(n).toBe(334);
    expect(firstKey).toBe(`${PENGUIN_TRAIN}:0`);
    expect(species).toEqual([146, 68, 120]);
  });

  test('tf.train.batch over an example source; allowSmallerFinalBatch returns the remainder', async () => {
    const producer = d.sliceInputProducer([ef.tensor(Array.from({ length: 25 }, (_, i) => [i, -i])), ef.tensor(Array.from({ length: 25 }, (_, i) => i), [25], 'int32')], { shuffle: false, numEpochs: 1 });
    const b = d.batch<T[]>(producer, 10, { capacity: 30, numThreads: 1, allowSmallerFinalBatch: true });
    const coord = new d.Coordinator();
    const threads = d.startQueueRunners(coord);
    const sizes: number[] = [];
    const labels: number[] = [];
    for (;;) {
      try {
        const [x, y] = await b.dequeue();
        sizes.push(x!.shape[0]!);
        expect(x!.shape[1]).toBe(2);
        labels.push(...(y!.dataSync() as Int32Array));
      } catch (e) {
        expect(e).toBeInstanceOf(d.OutOfRangeError);
        break;
      }
    }
    expect(sizes).toEqual([10, 10, 5]);
    expect(labels).toEqual(Array.from({ length: 25 }, (_, i) => i));
    coord.requestStop();
    await coord.join(threads);
  });

  test('matchFilenamesOnce and a queue of real file names', async () => {
    const tmp = tempDir();
    try {
      const { TFRecordWriter } = d;
      for (const n of ['x1', 'x2']) {
        const w = new TFRecordWriter(join(tmp.dir, `${n}.tfrecord`));
        await w.write(n);
        await w.close();
      }
      const files = await d.matchFilenamesOnce(join(tmp.dir, 'x?.tfrecord'));
      expect(files).toEqual([join(tmp.dir, 'x1.tfrecord'), join(tmp.dir, 'x2.tfrecord')]);
      const q = d.stringInputProducer(files, { numEpochs: 1, shuffle: false });
      const coord = new d.Coordinator();
      const threads = d.startQueueRunners(coord);
      const reader = new d.TFRecordReader();
      const { values } = await reader.readUpTo(q, 10);
      expect(values.map((v) => td.decode(v))).toEqual(['x1', 'x2']);
      coord.requestStop();
      await coord.join(threads);
    } finally {
      tmp.cleanup();
    }
  });
});
