import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import * as d from '@eagerflow/data';
import { decodeElement, encodeElement, type CacheSpec } from '../src/cache_file.js';
import { tempDir, toJs } from './helpers.js';

type T = ef.Tensor;
const tmp = tempDir();
let n = 0;
/** A fresh cache path in the temporary directory. */
const fresh = (): string => join(tmp.dir, `cache-${n++}.efcache`);

beforeAll(async () => {
  await ef.setBackend('cpu');
});
afterAll(() => tmp.cleanup());

async function values(ds: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const e of ds) {
    out.push(toJs(e));
    d.disposeElement(e);
  }
  return out;
}
/** Files of the temporary directory that are leftovers of a cache pass (temporary names). */
const temporaries = (): string[] => readdirSync(tmp.dir).filter((f) => f.includes('.tmp-'));

/** A pipeline whose source and map count their calls. */
function counted(file: string | undefined, count = 5) {
  const calls = { source: 0, map: 0 };
  const ds = d.Dataset.fromGenerator<T>(function* () {
    calls.source++;
    for (let i = 0; i < count; i++) yield i;
  })
    .map((x: T) => {
      calls.map++;
      return { x: ef.mul(x, 2), label: ef.cast(x, 'int32') };
    })
    .cache(file);
  return { ds, calls };
}

describe('Dataset.cache(filename)', () => {
  test('the first pass writes the file, later passes read it without running the pipeline', async () => {
    const file = fresh();
    const { ds, calls } = counted(file);
    expect(existsSync(file)).toBe(false);
    const want = [0, 1, 2, 3, 4].map((i) => ({ x: 2 * i, label: i }));
    expect(await values(ds)).toEqual(want);
    expect(calls).toEqual({ source: 1, map: 5 });
    expect(existsSync(file)).toBe(true);
    expect(temporaries()).toEqual([]);

    expect(await values(ds)).toEqual(want);
    expect(await values(ds.repeat(2))).toEqual([...want, ...want]);
    expect(calls).toEqual({ source: 1, map: 5 }); // neither the source nor the map ran again

    // Another pipeline (as in another process) over the same file reads it too.
    const other = counted(file);
    expect(await values(other.ds)).toEqual(want);
    expect(other.calls).toEqual({ source: 0, map: 0 });

    // The file is a TFRecord file: header + 5 elements + end record, every record CRC-checked.
    const records = d.decodeTFRecords(readFileSync(file));
    expect(records).toHaveLength(7);
    expect(new TextDecoder().decode(records[0]!.subarray(0, 7))).toBe('EFCACHE');
    expect(JSON.parse(new TextDecoder().decode(records[0]!.subarray(8)))).toEqual({
      format: 'eagerflow.data.cache',
      version: 1,
      spec: {
        kind: 'dict',
        entries: [
          ['x', { kind: 'tensor', dtype: 'float32', shape: [] }],
          ['label', { kind: 'tensor', dtype: 'int32', shape: [] }],
        ],
      },
    });
    expect(JSON.parse(new TextDecoder().decode(records[6]!.subarray(1)))).toEqual({ count: 5 });
  });

  test('a pass stopped early leaves no usable cache (nor a temporary file); the next full pass writes it', async () => {
    const file = fresh();
    const { ds, calls } = counted(file);
    expect(await values(ds.take(2))).toEqual([{ x: 0, label: 0 }, { x: 2, label: 1 }]);
    expect(existsSync(file)).toBe(false);
    expect(temporaries()).toEqual([]);

    // Breaking out of for-await, and a one-shot iterator abandoned half way, behave the same.
    for await (const e of ds) {
      d.disposeElement(e);
      break;
    }
    const it = ds.makeOneShotIterator();
    d.disposeElement(await it.getNext());
    await it.return();
    expect(existsSync(file)).toBe(false);
    expect(temporaries()).toEqual([]);

    expect(await values(ds)).toHaveLength(5);
    expect(existsSync(file)).toBe(true);
    const before = { ...calls };
    expect(await values(ds)).toHaveLength(5);
    expect(calls).toEqual(before);
  });

  test('inside repeat: the first epoch writes the file, the next ones read it', async () => {
    const file = fresh();
    const { ds, calls } = counted(file, 3);
    expect(await values(ds.repeat(3))).toHaveLength(9);
    expect(calls).toEqual({ source: 1, map: 3 });
    expect(existsSync(file)).toBe(true);
  });

  test('a failing pass leaves no cache', async () => {
    const file = fresh();
    const ds = d.Dataset.fromGenerator(function* () {
      yield 1;
      throw new Error('source failed');
    }).cache(file);
    await expect(values(ds)).rejects.toThrow(/source failed/);
    expect(existsSync(file)).toBe(false);
    expect(temporaries()).toEqual([]);
  });

  test('int64, string, bool, float32 and int32 tensors, nested structures and SparseTensors round-trip exactly', async () => {
    const file = fresh();
    const big = [2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n, -1n, 0n, 123456789012345678n];
    const floats = new Float32Array([0.1, -0, NaN, Infinity, -Infinity, 1e-45, 3.4028234663852886e38, -1.5]);
    const strs = [new Uint8Array([]), new TextEncoder().encode('héllo, 世界'), new Uint8Array([0, 255, 0xc3, 0x28, 10]), new Uint8Array(1000).fill(7), new TextEncoder().encode(''), new Uint8Array([1])];
    const bools = new Uint8Array([1, 0, 1, 1, 0, 0]);
    const ints = new Int32Array([2147483647, -2147483648, 0, -1, 7, 42]);
    const src = d.Dataset.fromHostSlices<Record<string, unknown>>({
      id: { dtype: 'int64', shape: [6], values: BigInt64Array.from(big) },
      pair: [
        { dtype: 'float32', shape: [6, 2, 2], values: Float32Array.from({ length: 24 }, (_, i) => floats[i % 8]!) },
        { dtype: 'string', shape: [6], values: strs },
      ],
      meta: { flag: { dtype: 'bool', shape: [6], values: bools }, n: { dtype: 'int32', shape: [6, 1], values: ints } },
    })
      .map((e: Record<string, unknown>) => ({ ...e, sparse: new d.SparseTensor(ef.makeTensor(BigInt64Array.from([0n, 2n]), [2, 1], 'int64'), ef.tensor([1.5, -2], [2], 'float32'), ef.makeTensor(BigInt64Array.from([5n]), [1], 'int64')) }))
      .cache(file);

    const read = async (): Promise<unknown[][]> => {
      const out: unknown[][] = [];
      for await (const e of src) {
        const el = e as unknown as { id: T; pair: [T, T]; meta: { flag: T; n: T }; sparse: d.SparseTensor };
        expect(Object.keys(el)).toEqual(['id', 'pair', 'meta', 'sparse']);
        expect([el.id.dtype, el.pair[0].dtype, el.pair[1].dtype, el.meta.flag.dtype, el.meta.n.dtype]).toEqual(['int64', 'float32', 'string', 'bool', 'int32']);
        expect([el.id.shape, el.pair[0].shape, el.pair[1].shape, el.meta.n.shape]).toEqual([[], [2, 2], [], [1]]);
        expect(el.sparse).toBeInstanceOf(d.SparseTensor);
        out.push([
          el.id.dataSync()[0],
          new Uint8Array((el.pair[0].dataSync() as Float32Array).buffer.slice(0)), // bit patterns (NaN, -0)
          el.pair[1].dataSync()[0],
          el.meta.flag.dataSync()[0],
          el.meta.n.dataSync()[0],
          Array.from(el.sparse.indices.dataSync() as BigInt64Array),
          Array.from(el.sparse.values.dataSync() as Float32Array),
          Array.from(el.sparse.denseShape.dataSync() as BigInt64Array),
        ]);
        d.disposeElement(e);
      }
      return out;
    };
    const first = await read(); // writes
    expect(existsSync(file)).toBe(true);
    const second = await read(); // reads the file
    expect(second).toEqual(first);
    expect(second.map((r) => r[0])).toEqual(big);
    expect(second.map((r) => Array.from(r[2] as Uint8Array))).toEqual(strs.map((s) => Array.from(s)));
    expect(second.map((r) => r[3])).toEqual(Array.from(bools));
    expect(second.map((r) => r[4])).toEqual(Array.from(ints));
    const f = new Float32Array((second[1]![1] as Uint8Array).buffer);
    expect(Array.from(f)).toEqual(Array.from(floats.subarray(4, 8))); // element 1 holds floats[4..8)
    expect(Object.is(new Float32Array((second[0]![1] as Uint8Array).buffer)[1], -0)).toBe(true);
    expect(Number.isNaN(new Float32Array((second[0]![1] as Uint8Array).buffer)[2])).toBe(true);
    expect(second[0]![6]).toEqual([1.5, -2]);
  });

  test('JS scalar components are stored as themselves (encoder level)', () => {
    const spec: CacheSpec = { kind: 'list', items: [{ kind: 'js' }, { kind: 'dict', entries: [['b', { kind: 'js' }], ['s', { kind: 'js' }], ['n', { kind: 'js' }], ['big', { kind: 'js' }]] }] };
    const x = [1.25, { b: true, s: 'zürich', n: null, big: -(2n ** 70n) }];
    expect(decodeElement(spec, encodeElement(spec, x))).toEqual(x);
    expect(() => encodeElement(spec, [new Date(), {}])).toThrow(/component '\[0\]' \(\[object Date\]\) cannot be cached/);
    expect(() => encodeElement(spec, [1])).toThrow(/component '<root>' is a list of 1, the cache's element spec says/);
  });

  test('a corrupted cache file is a DataLossError naming the file and offset', async () => {
    const file = fresh();
    const { ds } = counted(file, 4);
    await values(ds);
    const good = readFileSync(file);
    const records = d.decodeTFRecords(good);
    const element1At = records[0]!.length + 16 + records[1]!.length + 16;

    // A flipped byte in the payload of element 1: the record's CRC fails.
    const bad = new Uint8Array(good);
    bad[element1At + 12 + 3]! ^= 0x40;
    writeFileSync(file, bad);
    const err = (await values(ds).catch((e: unknown) => e)) as d.DataLossError;
    expect(err).toBeInstanceOf(d.DataLossError);
    expect(err.file).toBe(file);
    expect(err.offset).toBe(element1At);
    expect(err.message).toContain(`at offset ${element1At} in ${file}`);

    // Cut short before the end record: detected (a partial cache is never taken as complete).
    const endAt = good.length - (records.at(-1)!.length + 16);
    writeFileSync(file, good.subarray(0, endAt));
    await expect(values(ds)).rejects.toThrow(new RegExp(`end record is missing after 4 elements.*at offset ${endAt} in ${file}`));
    writeFileSync(file, good.subarray(0, endAt + 5));
    await expect(values(ds)).rejects.toThrow(/truncated record header/);

    // Valid framing, wrong payload: the element record of a different structure.
    const wrong = [...records];
    wrong[2] = Uint8Array.of(0x45, 0, 0); // tag 'E', a tensor leaf, dtype float32, then nothing
    writeFileSync(file, d.encodeTFRecords(wrong));
    const e2 = (await values(ds).catch((e: unknown) => e)) as d.DataLossError;
    expect(e2).toBeInstanceOf(d.DataLossError);
    expect(e2.offset).toBe(element1At);
    expect(e2.message).toMatch(/corrupted dataset cache: record ends inside a rank/);

    // Not a cache file at all.
    writeFileSync(file, d.encodeTFRecords(['hello']));
    await expect(values(ds)).rejects.toThrow(/not a dataset cache file .*at offset 0/);
  });

  test('a cache file written for another element spec is a clear error', async () => {
    const file = fresh();
    await values(d.Dataset.range(3).cache(file)); // int32 scalars
    const same = await values(d.Dataset.range(3).cache(file));
    expect(same).toEqual([0, 1, 2]);
    await expect(values(d.Dataset.range(3, undefined, 1, { dtype: 'float32' }).cache(file))).rejects.toThrow(
      /the cache file holds elements of spec TensorSpec\(shape=\(\), dtype=tf\.int32, name=None\), but the dataset's element spec is TensorSpec\(shape=\(\), dtype=tf\.float32, name=None\); delete the file/,
    );
    await expect(values(d.Dataset.zip([d.Dataset.range(3), d.Dataset.range(3)]).cache(file))).rejects.toThrow(d.InvalidArgumentError);
  });

  test('elements of varying shapes are cached; elements that do not follow the spec are refused while writing', async () => {
    const varying = d.Dataset.fromGenerator(function* () {
      yield [1, 2];
      yield [1, 2, 3];
    }).cache(fresh());
    expect(await values(varying)).toEqual([[1, 2], [1, 2, 3]]);
    expect(await values(varying)).toEqual([[1, 2], [1, 2, 3]]);

    const file = fresh();
    // fromGenerator refuses a dtype change itself; a concatenation of unknown specs reaches the cache.
    const ds = d.Dataset.fromGenerator(function* () {
      yield [1, 2];
    })
      .concatenate(d.Dataset.fromGenerator(function* () {
        yield ['a', 'b'];
      }))
      .cache(file);
    await expect(values(ds)).rejects.toThrow(/element 1: component '<root>' is TensorSpec\(shape=\(2,\), dtype=tf\.string.*the cache's element spec says TensorSpec\(shape=\(None,\), dtype=tf\.float32/);
    expect(existsSync(file)).toBe(false);
  });

  test('interleaved iterators do not corrupt each other', async () => {
    const file = fresh();
    const { ds, calls } = counted(file, 6);
    const other = counted(file, 6);
    const a = ds[Symbol.asyncIterator]();
    const b = ds[Symbol.asyncIterator]();
    const c = other.ds[Symbol.asyncIterator]();
    const got: unknown[][] = [[], [], []];
    for (let i = 0; i < 6; i++) {
      for (const [k, it] of [a, b, c].entries()) {
        const r = await it.next();
        got[k]!.push(toJs(r.value));
        d.disposeElement(r.value);
      }
    }
    for (const it of [a, b, c]) expect((await it.next()).done).toBe(true);
    const want = [0, 1, 2, 3, 4, 5].map((i) => ({ x: 2 * i, label: i }));
    expect(got).toEqual([want, want, want]);
    expect(calls.source + other.calls.source).toBe(3);
    expect(temporaries()).toEqual([]);
    // One complete, valid cache file.
    expect(d.decodeTFRecords(readFileSync(file))).toHaveLength(8);
    const third = counted(file, 6);
    expect(await values(third.ds)).toEqual(want);
    expect(third.calls.map).toBe(0);

    // A reader of the file and a writer over another file at once.
    const file2 = fresh();
    const w = counted(file2, 6);
    const r1 = third.ds[Symbol.asyncIterator]();
    const w1 = w.ds[Symbol.asyncIterator]();
    for (let i = 0; i < 6; i++) {
      d.disposeElement((await r1.next()).value);
      d.disposeElement((await w1.next()).value);
    }
    expect((await r1.next()).done).toBe(true);
    expect((await w1.next()).done).toBe(true);
    expect(await values(w.ds)).toEqual(want);
    expect(w.calls.map).toBe(6);
  });

  test('an empty dataset is cached too', async () => {
    const file = fresh();
    let runs = 0;
    const ds = d.Dataset.fromGenerator(function* () {
      runs++;
    }).cache(file);
    expect(await values(ds)).toEqual([]);
    expect(await values(ds)).toEqual([]);
    expect(runs).toBe(1);
    expect(d.decodeTFRecords(readFileSync(file))).toHaveLength(2);
  });

  test('works through an injected file system, with and without rename', async () => {
    const mem = d.memoryFileSystem();
    const calls = { source: 0 };
    const inMem = d.Dataset.fromGenerator(function* () {
      calls.source++;
      yield* [10, 20, 30];
    }).cache('/cache/a', { fs: mem });
    expect(await values(inMem)).toEqual([10, 20, 30]);
    expect([...mem.files.keys()]).toEqual(['/cache/a']);
    expect(await values(inMem)).toEqual([10, 20, 30]);
    expect(calls.source).toBe(1);

    // Stopped early in memory: no file, no temporary left (remove is available).
    const mem2 = d.memoryFileSystem();
    await values(d.Dataset.range(5).cache('/c', { fs: mem2 }).take(2));
    expect([...mem2.files.keys()]).toEqual([]);

    // A file system without rename/remove: the complete file is copied into place.
    const mem3 = d.memoryFileSystem();
    const { rename: _r, remove: _rm, ...plain } = mem3;
    const noRename: d.DataFileSystem = plain;
    const ds3 = d.Dataset.range(4).cache('/c', { fs: noRename });
    expect(await values(ds3)).toEqual([0, 1, 2, 3]);
    expect(mem3.files.has('/c')).toBe(true);
    expect(await values(ds3)).toEqual([0, 1, 2, 3]);

    // The installed file system is the default.
    const mem4 = d.memoryFileSystem();
    d.setFileSystem(mem4);
    try {
      expect(await values(d.Dataset.range(2).cache('/installed'))).toEqual([0, 1]);
      expect(mem4.files.has('/installed')).toBe(true);
    } finally {
      d.setFileSystem(undefined);
    }
  });

  test('cache() without a filename (and with "") still caches in memory', async () => {
    for (const arg of [undefined, '']) {
      const { ds, calls } = counted(arg, 3);
      expect(await values(ds)).toEqual([0, 1, 2].map((i) => ({ x: 2 * i, label: i })));
      expect(await values(ds)).toEqual([0, 1, 2].map((i) => ({ x: 2 * i, label: i })));
      expect(calls).toEqual({ source: 1, map: 3 });
      // A stopped pass is not kept.
      const s = counted(arg, 3);
      await values(s.ds.take(1));
      await values(s.ds);
      expect(s.calls.source).toBe(2);
    }
  });
});
