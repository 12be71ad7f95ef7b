import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import * as d from '@eagerflow/data';
import { collect, PENGUIN_EVAL, PENGUIN_TRAIN, tempDir, TFR, toJs } from './helpers.js';

type T = ef.Tensor;
const tmp = tempDir();
beforeAll(async () => {
  await ef.setBackend('cpu');
});
afterAll(() => tmp.cleanup());

/** Values of a dataset of scalars/tensors as nested JS arrays (disposes the elements). */
async function values(ds: d.Dataset<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const e of ds) {
    out.push(toJs(e));
    d.disposeElement(e);
  }
  return out;
}

describe('sources and elementSpec', () => {
  test('notes: from_tensor_slices of a dict → output types {a: float32, b: int32}, shapes {a: (), b: (100,)}', async () => {
    const a = ef.tensor([0.1, 0.2, 0.3, 0.4]);
    const b = ef.tensor(Array.from({ length: 400 }, (_, i) => i % 100), [4, 100], 'int32');
    const ds = d.Dataset.fromTensorSlices<{ a: T; b: T }>({ a, b });
    expect(ds.specString()).toBe("{'a': TensorSpec(shape=(), dtype=tf.float32, name=None), 'b': TensorSpec(shape=(100,), dtype=tf.int32, name=None)}");
    const spec = ds.elementSpec as Record<string, d.TensorSpec>;
    expect(spec.a!.dtype).toBe('float32');
    expect(spec.b!.shape).toEqual([100]);
    expect(ds.cardinality).toBe(4);
    a.dispose();
    b.dispose(); // the dataset keeps its own copy
    const els = await ds.toArray();
    expect(els).toHaveLength(4);
    expect(els[2]!.a.shape).toEqual([]);
    expect(els[2]!.a.dataSync()[0]).toBeCloseTo(0.3);
    expect(els[2]!.b.shape).toEqual([100]);
    d.disposeElement(els);
  });

  test('from_tensor_slices needs equal first dimensions; JS arrays, tuples and strings work', async () => {
    expect(() => d.Dataset.fromTensorSlices({ x: ef.tensor([1, 2]), y: ef.tensor([1, 2, 3]) })).toThrow(/same first dimension.*component 1 has 3/);
    expect(await values(d.Dataset.fromTensorSlices([[1, 2], [3, 4]]))).toEqual([[1, 2], [3, 4]]);
    expect(await values(d.Dataset.fromTensorSlices([ef.tensor(['a', 'b']), ef.tensor([1, 2], [2], 'int32')]))).toEqual([['a', 1], ['b', 2]]);
  });

  test('notes: one-shot iterator over 10×3 values, then OutOfRange', async () => {
    const data = Array.from({ length: 10 }, (_, i) => [i, i + 0.5, -i]);
    const it = d.Dataset.fromTensorSlices(data).makeOneShotIterator();
    for (let i = 0; i < 10; i++) {
      const v = (await it.getNext()) as T;
      expect(v.arraySync()).toEqual([i, i + 0.5, -i]);
      v.dispose();
    }
    await expect(it.getNext()).rejects.toBeInstanceOf(d.OutOfRangeError);
  });

  test('notes: initializable iterator, Dataset.range(maxValue) fed at initialization, re-initializable', async () => {
    const it = d.Dataset.makeInitializableIterator((p: { maxValue: number }) => d.Dataset.range(p.maxValue, undefined, 1, { dtype: 'int64' }));
    await expect(it.getNext()).rejects.toThrow(/not been initialized/);
    await it.initialize({ maxValue: 10 });
    const got: bigint[] = [];
    for (let i = 0; i < 10; i++) got.push(((await it.getNext()) as T).dataSync()[0] as bigint);
    expect(got).toEqual([0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n]);
    await expect(it.getNext()).rejects.toThrow(d.OutOfRangeError);
    await it.initialize({ maxValue: 3 });
    expect(await values(d.Dataset.fromGenerator(async function* () {
      for (;;) {
        try {
          yield await it.getNext();
        } catch (e) {
          if (e instanceof d.OutOfRangeError) return;
          throw e;
        }
      }
    }))).toEqual([0, 1, 2]);
    // from_structure: any dataset with a compatible spec
    const r = d.Dataset.iteratorFromStructure(new d.TensorSpec([], 'int32'));
    await r.initialize(d.Dataset.range(2));
    expect(toJs(await r.getNext())).toBe(0);
    await r.initialize(d.Dataset.range(5, 7));
    expect(toJs(await r.getNext())).toBe(5);
    await expect(r.initialize(d.Dataset.fromTensorSlices([[1.5]]))).rejects.toThrow(/does not match/);
  });

  test('range like Python; fromGenerator with and without a signature', async () => {
    expect(await values(d.Dataset.range(5))).toEqual([0, 1, 2, 3, 4]);
    expect(await values(d.Dataset.range(10, 0, -3))).toEqual([10, 7, 4, 1]);
    const sig = { x: new d.TensorSpec([2], 'float32'), s: new d.TensorSpec([], 'string') };
    const ds = d.Dataset.fromGenerator(function* () {
      yield { x: [1, 2], s: 'a' };
      yield { x: [3, 4], s: 'b' };
    }, sig);
    expect(ds.elementSpec).toBe(sig);
    expect(await values(ds)).toEqual([{ x: [1, 2], s: 'a' }, { x: [3, 4], s: 'b' }]);
    const bad = d.Dataset.fromGenerator(function* () {
      yield { x: [1, 2, 3], s: 'a' };
    }, sig);
    await expect(collect(bad)).rejects.toThrow(/element 0 component 'x' is float32\[3\]/);
    expect(() => d.Dataset.fromGenerator(function* () {}).elementSpec).toThrow(/inferElementSpec/);
  });
});

describe('transformations', () => {
  test('map (sync, inside tidy; unused inputs disposed), filter, take, skip, repeat, concatenate, zip', async () => {
    const before = ef.memory().numTensors;
    const sq = d.Dataset.range(6).map((x: T) => ef.mul(x, x));
    expect(await values(sq)).toEqual([0, 1, 4, 9, 16, 25]);
    expect(await values(d.Dataset.range(10).filter((x: T) => ef.equal(ef.mod(x, 3), 0)))).toEqual([0, 3, 6, 9]);
    expect(await values(d.Dataset.range(10).skip(7))).toEqual([7, 8, 9]);
    expect(await values(d.Dataset.range(10).take(2))).toEqual([0, 1]);
    expect(await values(d.Dataset.range(3).repeat(2))).toEqual([0, 1, 2, 0, 1, 2]);
    expect(await values(d.Dataset.range(3).repeat().take(7))).toEqual([0, 1, 2, 0, 1, 2, 0]);
    expect(await values(d.Dataset.range(2).concatenate(d.Dataset.range(5, 7)))).toEqual([0, 1, 5, 6]);
    expect(await values(d.Dataset.zip([d.Dataset.range(3), d.Dataset.range(10, 20)]))).toEqual([[0, 10], [1, 11], [2, 12]]);
    expect(await values(d.Dataset.zip({ a: d.Dataset.range(2), b: d.Dataset.fromTensorSlices(['x', 'y', 'z']) }))).toEqual([{ a: 0, b: 'x' }, { a: 1, b: 'y' }]);
    expect(ef.memory().numTensors).toBe(before);
  });

  test('map with numParallelCalls keeps order while calls overlap', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const ds = d.Dataset.range(12).map(
      async (x: T) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        const v = x.dataSync()[0] as number;
        await new Promise((r) => setTimeout(r, (12 - v) % 4));
        inFlight--;
        return ef.tensor(v * 10);
      },
      { numParallelCalls: 4 },
    );
    expect(await values(ds)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110]);
    expect(maxInFlight).toBe(4);
    await expect(collect(d.Dataset.range(2).map((() => Promise.resolve(ef.tensor(1))) as never))).rejects.toThrow(/declare it `async`/);
  });

  test('batch with and without dropRemainder; elementSpec gains a leading dimension', async () => {
    const ds = d.Dataset.fromTensorSlices({ x: Array.from({ length: 7 }, (_, i) => [i, i]), y: [0, 1, 2, 3, 4, 5, 6] });
    const b = ds.batch(3);
    expect(d.specToString(b.elementSpec)).toBe("{'x': TensorSpec(shape=(None, 2), dtype=tf.float32, name=None), 'y': TensorSpec(shape=(None,), dtype=tf.float32, name=None)}");
    const got = (await values(b)) as { x: number[][]; y: number[] }[];
    expect(got.map((e) => e.y)).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(got[2]!.x).toEqual([[6, 6]]);
    const dropped = ds.batch(3, { dropRemainder: true });
    expect((dropped.elementSpec as Record<string, d.TensorSpec>).y!.shape).toEqual([3]);
    expect(dropped.cardinality).toBe(2);
    expect(((await values(dropped)) as { y: number[] }[]).map((e) => e.y)).toEqual([[0, 1, 2], [3, 4, 5]]);
    const ragged = d.Dataset.fromGenerator(function* () {
      yield [1];
      yield [1, 2];
    });
    await expect(collect(ragged.batch(2))).rejects.toThrow(/shapes \[1\] and \[2\]; use paddedBatch/);
  });

  test('paddedBatch pads to the longest (or given) shape with the padding value', async () => {
    const ds = d.Dataset.range(1, 5).map((x: T) => ef.fill([x.dataSync()[0] as number], x.dataSync()[0] as number, 'int32'));
    expect(await values(ds.paddedBatch(2))).toEqual([[[1, 0], [2, 2]], [[3, 3, 3, 0], [4, 4, 4, 4]]]);
    expect(await values(ds.paddedBatch(4, { paddedShapes: [5], paddingValues: -1 }))).toEqual([[[1, -1, -1, -1, -1], [2, 2, -1, -1, -1], [3, 3, 3, -1, -1], [4, 4, 4, 4, -1]]]);
    await expect(collect(ds.paddedBatch(4, { paddedShapes: [3] }))).rejects.toThrow(/size 4, larger than the padded size 3/);
  });

  test('shuffle: TF buffer semantics, seeded reproducibility, reshuffleEachIteration', async () => {
    const N = 50;
    const seeded = d.Dataset.range(N).shuffle(10, { seed: 42 });
    const e1 = (await values(seeded)) as number[];
    const e2 = (await values(seeded)) as number[];
    expect([...e1].sort((a, b) => a - b)).toEqual(Array.from({ length: N }, (_, i) => i));
    expect(e1).not.toEqual(e2); // a new order every epoch
    expect(await values(d.Dataset.range(N).shuffle(10, { seed: 42 }))).toEqual(e1); // same seed → same orders
    const fixed = d.Dataset.range(N).shuffle(10, { seed: 7, reshuffleEachIteration: false });
    expect(await values(fixed)).toEqual(await values(fixed));
    // Buffer semantics: output i comes from the first (bufferSize + i) inputs.
    for (let seed = 0; seed < 20; seed++) {
      const out = (await values(d.Dataset.range(N).shuffle(5, { seed }))) as number[];
      out.forEach((v, i) => expect(v).toBeLessThan(5 + i));
    }
    expect(await values(d.Dataset.range(8).shuffle(1))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // shuffle before repeat reshuffles per epoch
    const rep = (await values(d.Dataset.range(10).shuffle(10, { seed: 3 }).repeat(2))) as number[];
    expect(rep.slice(0, 10).sort((a, b) => a - b)).toEqual(rep.slice(10).sort((a, b) => a - b));
    expect(rep.slice(0, 10)).not.toEqual(rep.slice(10));
  });

  test('prefetch runs the producer ahead of the consumer; stopping early disposes buffered elements', async () => {
    let produced = 0;
    const ds = d.Dataset.fromGenerator(function* () {
      for (let i = 0; i < 100; i++) {
        produced++;
        yield i;
      }
    }).prefetch(5);
    const it = ds[Symbol.asyncIterator]();
    const first = await it.next();
    (first.value as T).dispose();
    await new Promise((r) => setTimeout(r, 20));
    expect(produced).toBeGreaterThanOrEqual(6); // 1 consumed + 5 buffered
    expect(produced).toBeLessThanOrEqual(7);
    const before = ef.memory().numTensors;
    await it.return!();
    expect(ef.memory().numTensors).toBeLessThan(before);
    expect(await values(d.Dataset.range(20).prefetch(d.AUTOTUNE))).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const failing = d.Dataset.fromGenerator(function* () {
      yield 1;
      throw new Error('producer broke');
    }).prefetch(2);
    await expect(collect(failing)).rejects.toThrow('producer broke');
  });

  test('interleave: TF documentation example (cycle_length=2, block_length=4)', async () => {
    const ds = d.Dataset.range(1, 6).interleave((x: T) => d.Dataset.fromTensors(x).repeat(6), { cycleLength: 2, blockLength: 4 });
    expect(await values(ds)).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 3, 3, 4, 4, 5, 5, 5, 5, 5, 5]);
    const par = d.Dataset.range(1, 6).interleave((x: T) => d.Dataset.fromTensors(x).repeat(6), { cycleLength: 2, blockLength: 4, numParallelCalls: 2 });
    expect(await values(par)).toEqual(await values(ds)); // same deterministic order with prefetching sub-datasets
  });

  test('cache replays the first complete pass without re-running the source', async () => {
    let runs = 0;
    const ds = d.Dataset.fromGenerator<T>(function* () {
      runs++;
      yield* [1, 2, 3];
    })
      .map((x: T) => ef.mul(x, 2))
      .cache();
    expect(await values(ds)).toEqual([2, 4, 6]);
    expect(await values(ds)).toEqual([2, 4, 6]);
    expect(runs).toBe(1);
  });

  test('worker-thread map (module-path function) and its main-thread fallback give the same results', async () => {
    expect(d.workersAvailable()).toBe(true);
    const mod = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, 'fixtures', 'worker_fns.mjs');
    const src = d.Dataset.fromTensorSlices({ image: ef.tensor(Array.from({ length: 24 }, (_, i) => i * 10), [8, 3], 'int32'), label: ef.tensor([0, 1, 2, 3, 4, 5, 6, 7], [8], 'int32') });
    const fn = d.workerFunction(mod, 'normalize');
    const inWorkers = (await values(src.map(fn, { numParallelCalls: 2 }))) as { image: number[]; label: number; tid: number }[];
    const inline = (await values(src.map(fn, { useWorkers: false }))) as typeof inWorkers;
    expect(inWorkers.map((e) => e.label)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    inWorkers.forEach((e, i) => e.image.forEach((v, k) => expect(v).toBeCloseTo(((i * 3 + k) * 10) / 255, 6)));
    expect(inWorkers.every((e) => e.tid > 0)).toBe(true); // ran in worker threads
    expect(new Set(inWorkers.map((e) => e.tid)).size).toBe(2);
    expect(inline.every((e) => e.tid === 0)).toBe(true); // main thread
    expect(inline.map((e) => ({ image: e.image, label: e.label }))).toEqual(inWorkers.map((e) => ({ image: e.image, label: e.label })));
    await expect(collect(src.map(d.workerFunction(mod, 'fails'), { numParallelCalls: 1 }))).rejects.toThrow(/deliberate failure in worker/);
    await expect(collect(src.map(d.workerFunction(mod, 'missing'), { numParallelCalls: 1 }))).rejects.toThrow(/no exported function "missing"/);
  });
});

describe('TFRecordDataset and listFiles on the fixtures', () => {
  test('listFiles (matched once, sorted without shuffle) → TFRecordDataset(GZIP) → parse map → batch', async () => {
    const files = d.Dataset.listFiles(`${TFR}/tfx_penguin/Split-*/data_tfrecord-*.gz`, { shuffle: false });
    expect(await values(files)).toEqual([PENGUIN_EVAL, PENGUIN_TRAIN]);
    const spec = { species: d.FixedLenFeature([], 'int32'), body_mass_g: d.FixedLenFeature([], 'float32') };
    const before = ef.memory().numTensors;
    const ds = d.Dataset.TFRecordDataset(files, { compression: 'GZIP' })
      .map((r: T) => d.parseSingleExample(r, spec))
      .batch(100);
    const counts = [0, 0, 0];
    let n = 0;
    for await (const b of ds as d.Dataset<Record<string, T>>) {
      for (const s of b.species!.dataSync() as Int32Array) counts[s]!++;
      n += b.species!.shape[0]!;
      d.disposeElement(b);
    }
    expect(n).toBe(334);
    expect(counts).toEqual([99 + 47, 46 + 22, 89 + 31]);
    expect(ef.memory().numTensors).toBe(before);
    await expect(collect(d.Dataset.listFiles(join(tmp.dir, 'none-*.tfrecord')))).rejects.toThrow(/no files match/);
  });

  test("the notes' pattern on real records: parse an int64 feature, then label = cast(features['label'], int32)", async () => {
    // TF: features = tf.parse_single_example(serialized, {'label': tf.FixedLenFeature([], tf.int64), ...})
    //     label = tf.cast(features['label'], tf.int32)
    const spec = { species: d.FixedLenFeature([], 'int64'), body_mass_g: d.FixedLenFeature([], 'float32') };
    const before = ef.memory().numTensors;
    const ds = d.Dataset.TFRecordDataset(PENGUIN_TRAIN, { compression: 'GZIP' })
      .map((r: T) => {
        const features = d.parseSingleExample(r, spec) as Record<string, T>;
        expect(features.species!.dtype).toBe('int64');
        return { label: ef.cast(features.species!, 'int32'), mass: features.body_mass_g! };
      })
      .batch(64);
    const counts = [0, 0, 0];
    let firstLabel: number | undefined;
    for await (const b of ds as d.Dataset<{ label: T; mass: T }>) {
      expect(b.label.dtype).toBe('int32');
      firstLabel ??= (b.label.dataSync() as Int32Array)[0];
      // The int32 label feeds the usual ops; the int64 one would too (oneHot accepts int64 indices).
      const perClass = ef.tidy(() => ef.reduceSum(ef.oneHot(b.label, 3), 0));
      (perClass.dataSync() as Float32Array).forEach((c, k) => (counts[k]! += c));
      perClass.dispose();
      d.disposeElement(b);
    }
    expect(firstLabel).toBe(0); // first train record: species 0 (fixtures README)
    expect(counts).toEqual([99, 46, 89]);
    expect(ef.memory().numTensors).toBe(before);
  });

  test('TFRecordDataset element spec, numParallelReads interleaves files record by record', async () => {
    const { TFRecordWriter } = d;
    const paths = ['a', 'b'].map((n) => join(tmp.dir, `${n}.tfrecord`));
    for (const [i, p] of paths.entries()) {
      const w = new TFRecordWriter(p);
      for (let k = 0; k < 3; k++) await w.write(`${'ab'[i]}${k}`);
      await w.close();
    }
    const ds = d.Dataset.TFRecordDataset(paths, { numParallelReads: 2 });
    expect(ds.specString()).toBe('TensorSpec(shape=(), dtype=tf.string, name=None)');
    expect(await values(ds)).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'b2']);
    expect(await values(d.Dataset.TFRecordDataset(paths))).toEqual(['a0', 'a1', 'a2', 'b0', 'b1', 'b2']);
  });
});

describe('flatMap, unbatch, window (TF semantics)', () => {
  const n = (x: T): number => Number(x.dataSync()[0]);
  /** Each window (a Dataset, or a structure of them) as values; iterated twice to check it replays. */
  async function windows(ds: d.Dataset<unknown>): Promise<unknown[]> {
    const out: unknown[] = [];
    for await (const w of ds) {
      const once = w instanceof d.Dataset ? await values(w) : Object.fromEntries(await Promise.all(Object.entries(w as Record<string, d.Dataset>).map(async ([k, v]) => [k, await values(v)])));
      if (w instanceof d.Dataset) expect(await values(w)).toEqual(once);
      out.push(once);
    }
    return out;
  }

  test('flatMap concatenates the datasets in order (TF example), skipping empty ones; no tensor leaks', async () => {
    const before = ef.memory().numTensors;
    expect(await values(d.Dataset.fromTensorSlices<T>([[1, 2, 3], [4, 5, 6], [7, 8, 9]]).flatMap((x: T) => d.Dataset.fromTensorSlices(x)))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await values(d.Dataset.range(4).flatMap((x: T) => d.Dataset.range(n(x))))).toEqual([0, 0, 1, 0, 1, 2]);
    expect(await values(d.Dataset.range(0).flatMap((x: T) => d.Dataset.fromTensors(x)))).toEqual([]);
    expect(await values(d.Dataset.range(3).flatMap(() => d.Dataset.range(0)))).toEqual([]);
    // A sub-dataset that yields the element's own tensor: handed out, not disposed under the consumer.
    expect(await values(d.Dataset.range(3).flatMap((x: T) => d.Dataset.fromGenerator(function* () { yield x; })))).toEqual([0, 1, 2]);
    expect(await values(d.Dataset.range(10).flatMap((x: T) => d.Dataset.fromTensors(x).repeat(2)).take(3))).toEqual([0, 0, 1]); // stopped early
    expect(ef.memory().numTensors).toBe(before);
    const ds = d.Dataset.range(3).flatMap((x: T) => d.Dataset.fromTensors(x), { outputSpec: new d.TensorSpec([], 'int32') });
    expect(ds.specString()).toBe('TensorSpec(shape=(), dtype=tf.int32, name=None)');
    expect(ds.cardinality).toBeUndefined();
  });

  test('unbatch splits every component along the first dimension (tensors, dicts, tuples, strings)', async () => {
    const before = ef.memory().numTensors;
    expect(await values(d.Dataset.range(7).batch(3).unbatch())).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const inputs = [ef.tensor([[1, 2], [3, 4], [5, 6]]), ef.tensor(['x', 'y', 'z']), ef.tensor([7, 8, 9], [3], 'int32'), ef.zeros([0, 2]), ef.ones([1, 2])];
    const dict = d.Dataset.fromTensors({ a: inputs[0], b: [inputs[1], inputs[2]] });
    expect(await values(dict.unbatch())).toEqual([{ a: [1, 2], b: ['x', 7] }, { a: [3, 4], b: ['y', 8] }, { a: [5, 6], b: ['z', 9] }]);
    expect(dict.unbatch().specString()).toBe("{'a': TensorSpec(shape=(2,), dtype=tf.float32, name=None), 'b': (TensorSpec(shape=(), dtype=tf.string, name=None), TensorSpec(shape=(), dtype=tf.int32, name=None))}");
    expect(await values(d.Dataset.range(0).batch(2).unbatch())).toEqual([]); // empty dataset
    expect(await values(d.Dataset.fromTensors(inputs[3]).concatenate(d.Dataset.fromTensors(inputs[4])).unbatch())).toEqual([[1, 1]]); // an empty element
    ef.dispose(inputs);
    expect(ef.memory().numTensors).toBe(before);
    // Cardinality: known with a static first dimension (batch with dropRemainder), unknown otherwise.
    expect(d.Dataset.range(7).batch(3, { dropRemainder: true }).unbatch().cardinality).toBe(6);
    expect(d.Dataset.range(7).batch(3).unbatch().cardinality).toBeUndefined();
    expect(d.Dataset.range(7).batch(3).unbatch().specString()).toBe(d.Dataset.range(7).specString());
  });

  test('unbatch of SparseTensors inverts batch: rows keep their entries, dense shape loses its first size', async () => {
    const sp = (idx: number[], vals: number[], size: number) => new d.SparseTensor(ef.tensor(idx.map(BigInt), [idx.length, 1], 'int64'), ef.tensor(vals), ef.tensor([BigInt(size)], [1], 'int64'));
    const ds = d.Dataset.fromGenerator(function* () {
      yield { s: sp([0, 2], [1, 2], 3), t: ef.tensor([1]) };
      yield { s: sp([1], [5], 3), t: ef.tensor([2]) };
      yield { s: sp([], [], 3), t: ef.tensor([3]) };
    });
    const out: unknown[] = [];
    for await (const e of ds.batch(2).unbatch() as d.Dataset<{ s: d.SparseTensor; t: T }>) {
      out.push([Array.from(e.s.indices.dataSync() as BigInt64Array, Number), e.s.indices.shape, Array.from(e.s.values.dataSync() as Float32Array), e.s.shapeSync(), Array.from(e.t.dataSync() as Float32Array)]);
      d.disposeElement(e);
    }
    expect(out).toEqual([
      [[0, 2], [2, 1], [1, 2], [3], [1]],
      [[1], [1, 1], [5], [3], [2]],
      [[], [0, 1], [], [3], [3]],
    ]);
  });

  test('window: TF documentation examples (shift, stride, dropRemainder), cardinality as TF computes it', async () => {
    const cases: [number, number | undefined, number | undefined, boolean | undefined, number[][]][] = [
      [3, 1, undefined, undefined, [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6], [5, 6], [6]]],
      [3, 1, undefined, true, [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6]]],
      [3, 2, undefined, undefined, [[0, 1, 2], [2, 3, 4], [4, 5, 6], [6]]],
      [3, undefined, undefined, undefined, [[0, 1, 2], [3, 4, 5], [6]]], // shift defaults to size
      [3, undefined, undefined, true, [[0, 1, 2], [3, 4, 5]]],
      [2, 3, undefined, undefined, [[0, 1], [3, 4], [6]]], // shift > size skips element 2 and 5
      [2, 3, undefined, true, [[0, 1], [3, 4]]],
      [3, 1, 2, undefined, [[0, 2, 4], [1, 3, 5], [2, 4, 6], [3, 5], [4, 6], [5], [6]]], // stride > 1
      [3, 1, 2, true, [[0, 2, 4], [1, 3, 5], [2, 4, 6]]],
      [2, 4, 3, undefined, [[0, 3], [4]]],
      [8, 1, undefined, true, []], // no full window
    ];
    for (const [size, shift, stride, drop, want] of cases) {
      const ds = d.Dataset.range(7).window(size, shift, stride, drop);
      expect([size, shift, stride, drop, await windows(ds)]).toEqual([size, shift, stride, drop, want]);
      expect([size, shift, stride, drop, ds.cardinality]).toEqual([size, shift, stride, drop, want.length]);
    }
    expect(await windows(d.Dataset.range(0).window(3))).toEqual([]);
    expect(d.Dataset.range(0).window(3).cardinality).toBe(0);
    expect(d.Dataset.range(3).repeat().window(2).cardinality).toBe(Infinity);
  });

  test('window + flatMap gives sliding windows; structures give structures of window datasets (zip them)', async () => {
    const before = ef.memory().numTensors;
    const sliding = d.Dataset.range(5).window(3, 1, 1, true).flatMap((w) => w.batch(3));
    expect(await values(sliding)).toEqual([[0, 1, 2], [1, 2, 3], [2, 3, 4]]);
    expect(await values(d.Dataset.range(5).window(3, 1).flatMap((w) => w.batch(3)))).toEqual([[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4], [4]]);
    const ds = d.Dataset.fromTensorSlices({ a: [1, 2, 3, 4, 5], b: ['p', 'q', 'r', 's', 't'] });
    expect(await windows(ds.window(2))).toEqual([{ a: [1, 2], b: ['p', 'q'] }, { a: [3, 4], b: ['r', 's'] }, { a: [5], b: ['t'] }]);
    const zipped = ds.window<Record<string, d.Dataset>>(2, 1, 1, true).flatMap((w) => d.Dataset.zip(w).batch(2));
    expect((await values(zipped)).slice(0, 2)).toEqual([{ a: [1, 2], b: ['p', 'q'] }, { a: [2, 3], b: ['q', 'r'] }]);
    for await (const w of ds.window<Record<string, d.Dataset>>(3)) expect(w.a!.specString()).toBe('TensorSpec(shape=(), dtype=tf.float32, name=None)');
    expect(ef.memory().numTensors).toBe(before);
  });
});
