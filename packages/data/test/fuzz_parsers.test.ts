/**
 * Seeded robustness fuzzing of the data package's readers: TFRecord framing (plain, GZIP, ZLIB; the
 * in-memory decoder, the streaming reader, TFRecordDataset and TFRecordReader), tf.train.Example /
 * SequenceExample protos and their parse specs, IDX, PNG / JPEG and TensorBoard event files.
 *
 * Real inputs (the shared fixtures and files from our own writers) are mutated — bit flips, byte
 * overwrites, truncation at every framing boundary, huge length fields, appended garbage, empty
 * files — and every outcome must be either the unmutated result (a change in an ignored area) or an
 * error of one of the package's classes whose message names the file (where there is one) and says
 * what was expected versus found. A flip inside CRC-protected bytes must always be detected, and no
 * case may take longer than CASE_MS. Problems are collected and reported together per test.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { crc32, deflateSync, gzipSync } from 'node:zlib';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import * as d from '@eagerflow/data';
import { collect, FIXTURES, IRIS, PENGUIN_EVAL, PENGUIN_TRAIN, RUST, SEQUENCE, te } from './helpers.js';

beforeAll(async () => {
  await ef.setBackend('cpu');
});

const SEED = 0x5eed;
const CASE_MS = 2000;
const TF2_EVENTS = `${FIXTURES}/events/go_tensorboard_tf2_scalars/events.out.tfevents.1585499054.Jaakkos-Mac-mini.local.11684.5.v2`;
const LEGACY_EVENTS = `${FIXTURES}/events/tensorboard_reducer_strict_run_1/events.out.tfevents.1622543341.janoshs-mbp.lan.86862.0`;
const CHROMIUM_PNG = '/usr/share/icons/hicolor/16x16/apps/chromium.png';
const NODEJS_JPEG = '/usr/share/doc/nodejs/thin-white-stripe.jpg';

const OUR_ERRORS = [d.DataLossError, d.InvalidArgumentError, d.OutOfRangeError, d.IdxError, d.ProtoError];
/** A message that says what was expected versus found (or where the data ends). */
const EXPLAINS = /expected|found|needs?\b|mismatch|truncated|remain|runs past|not a|must|too large|unexpected|unknown|unsupported|exceed|longer than|out of range|does not fit|corrupt|asks for|missing|invalid|malformed/i;

/** What a JavaScript crash says (also when wrapped in one of our errors). */
const CRASH = /Cannot (read|set) propert|is not a function|is not iterable|Invalid typed array length|Invalid array length|Maximum call stack|undefined|NaN/;

type Outcome<T> = { value: T; error?: undefined } | { error: unknown; value?: undefined };

/** Seeded draws, timing and the collected problems of one test. */
class Fuzz {
  readonly problems: string[] = [];
  private readonly kinds = new Map<string, number>();
  private readonly rng: ef.initializers.HostRandom;
  constructor(seed: number) {
    this.rng = new ef.initializers.HostRandom(seed);
  }
  int(n: number): number {
    return Math.floor(this.rng.next() * n);
  }
  bytes(n: number): Uint8Array {
    return Uint8Array.from({ length: n }, () => this.int(256));
  }
  /** Records a problem; at most 3 of a kind (its first two ':'-separated parts) are kept. */
  fail(label: string, what: string): void {
    const kind = what.split(':').slice(0, 2).join(':');
    const n = this.kinds.get(kind) ?? 0;
    this.kinds.set(kind, n + 1);
    if (n < 3) this.problems.push(`${label}: ${what}`);
  }
  private timed<T>(label: string, t0: number, o: Outcome<T>): Outcome<T> {
    const ms = performance.now() - t0;
    if (ms > CASE_MS) this.fail(label, `slow: took ${ms.toFixed(0)} ms`);
    return o;
  }
  run<T>(label: string, fn: () => T): Outcome<T> {
    const t0 = performance.now();
    try {
      return this.timed(label, t0, { value: fn() });
    } catch (error) {
      return this.timed(label, t0, { error });
    }
  }
  async runAsync<T>(label: string, fn: () => Promise<T>): Promise<Outcome<T>> {
    const t0 = performance.now();
    try {
      return this.timed(label, t0, { value: await fn() });
    } catch (error) {
      return this.timed(label, t0, { error });
    }
  }
  /** True when `e` is one of our errors naming `file` and explaining itself (records a problem otherwise). */
  checkError(label: string, e: unknown, file?: string, pattern?: RegExp): boolean {
    const err = e as Error;
    if (!OUR_ERRORS.some((C) => e instanceof C)) {
      this.fail(label, `raw error: ${err?.name}: ${err?.message}`);
      return false;
    }
    if (CRASH.test(err.message)) this.fail(label, `crash text in the message: ${err.message}`);
    else if (file !== undefined && !err.message.includes(file)) this.fail(label, `error does not name the file: ${err.message}`);
    else if (!EXPLAINS.test(err.message)) this.fail(label, `vague error: ${err.message}`);
    else if (pattern && !pattern.test(err.message)) this.fail(label, `unexpected error: ${err.message} (want ${pattern})`);
    else return true;
    return false;
  }
  /** The outcome must be an error (ours, naming the file). */
  expectError<T>(label: string, o: Outcome<T>, file?: string, pattern?: RegExp): unknown {
    if (o.error === undefined) this.fail(label, 'undetected: no error');
    else if (this.checkError(label, o.error, file, pattern)) return o.error;
    return undefined;
  }
  /** The outcome must equal `same` (compared with `eq`) or be one of our errors. */
  expectSameOrError<T>(label: string, o: Outcome<T>, same: T, eq: (a: T, b: T) => boolean, file?: string): void {
    if (o.error !== undefined) this.checkError(label, o.error, file);
    else if (!eq(o.value!, same)) this.fail(label, 'silently different result');
  }
  done(): void {
    expect(this.problems).toEqual([]);
  }
}

// ---- byte mutations ----------------------------------------------------------------------------

const flipBit = (b: Uint8Array, pos: number, bit: number): Uint8Array => {
  const m = b.slice();
  m[pos]! ^= 1 << bit;
  return m;
};
const withByte = (b: Uint8Array, pos: number, v: number): Uint8Array => {
  const m = b.slice();
  m[pos] = v;
  return m;
};
const cat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));
const bytesEq = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
const recordsEq = (a: Uint8Array[], b: Uint8Array[]): boolean => a.length === b.length && a.every((x, i) => bytesEq(x, b[i]!));
const read = (path: string): Uint8Array => new Uint8Array(readFileSync(path));

/** Bit positions to flip: every bit of the first and last `edge` bytes, and `n` random others. */
function flipSites(f: Fuzz, size: number, n: number, edge = 16): [number, number][] {
  const out: [number, number][] = [];
  for (let p = 0; p < size; p++) if (p < edge || p >= size - edge) for (let bit = 0; bit < 8; bit++) out.push([p, bit]);
  for (let i = 0; i < n; i++) out.push([f.int(size), f.int(8)]);
  return out;
}

// ---- TFRecord framing ----------------------------------------------------------------------------

/** Offsets of the records of a valid uncompressed TFRecord image. */
function recordStarts(b: Uint8Array): number[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: number[] = [];
  for (let p = 0; p < b.length; p += 16 + dv.getUint32(p, true)) out.push(p);
  return out;
}
const recordHolding = (starts: number[], pos: number): number => {
  let i = 0;
  while (i + 1 < starts.length && starts[i + 1]! <= pos) i++;
  return i;
};

/** A copy of `b` whose record at `at` claims `length` bytes, with a valid length CRC. */
function withLength(b: Uint8Array, at: number, length: bigint): Uint8Array {
  const m = b.slice();
  const dv = new DataView(m.buffer);
  dv.setBigUint64(at, length, true);
  dv.setUint32(at + 8, d.maskedCrc32c(m, at, at + 8), true);
  return m;
}

function tfrecordInputs(f: Fuzz): { label: string; bytes: Uint8Array }[] {
  const example = d.encodeExample({ x: d.floatFeature([1, 2, 3]), s: d.bytesFeature('text') });
  return [
    { label: 'iris', bytes: read(IRIS) },
    { label: 'rust', bytes: read(RUST) },
    { label: 'tf2-events', bytes: read(TF2_EVENTS) },
    { label: 'legacy-events', bytes: read(LEGACY_EVENTS) },
    { label: 'own', bytes: d.encodeTFRecords(['', 'a', f.bytes(300), example, f.bytes(3000)]) },
  ];
}

/** Reads `bytes` as the file `path` through the streaming reader (a small random read size). */
async function readStreaming(path: string, bytes: Uint8Array, bufferSize: number, options: d.TFRecordReadOptions = {}): Promise<Uint8Array[]> {
  const fs = d.memoryFileSystem(new Map([[path, bytes]]));
  return collect(d.readTFRecords(path, { fs, bufferSize, ...options }));
}

/** The same through TFRecordDataset (records as scalar string tensors). */
async function readDataset(path: string, bytes: Uint8Array, options: d.TFRecordDatasetOptions = {}): Promise<Uint8Array[]> {
  const fs = d.memoryFileSystem(new Map([[path, bytes]]));
  const out: Uint8Array[] = [];
  for await (const t of d.TFRecordDataset([path], { fs, bufferSize: 64, ...options })) {
    out.push((t.dataSync() as Uint8Array[])[0]!.slice());
    t.dispose();
  }
  return out;
}

/** The same through TF1's TFRecordReader over a one-file filename queue. */
async function readQueue(path: string, bytes: Uint8Array, options: d.TFRecordReadOptions = {}): Promise<Uint8Array[]> {
  const fs = d.memoryFileSystem(new Map([[path, bytes]]));
  const names = [path];
  const queue = {
    dequeue: async (): Promise<string> => {
      if (names.length) return names.shift()!;
      throw new d.OutOfRangeError('filename queue is closed and empty');
    },
  };
  const reader = new d.TFRecordReader({ fs, bufferSize: 100, ...options });
  const out: Uint8Array[] = [];
  for (;;) {
    try {
      out.push((await reader.read(queue)).value);
    } catch (e) {
      if (d.isOutOfRange(e)) return out;
      throw e;
    }
  }
}

/** The streaming readers must agree with the in-memory decoder: the same records or the same error. */
async function checkStreamingAgrees(f: Fuzz, label: string, path: string, bytes: Uint8Array, sync: Outcome<Uint8Array[]>, options: Omit<d.TFRecordReadOptions, 'onCorrupt'> = {}): Promise<void> {
  const readers: [string, () => Promise<Uint8Array[]>][] = [
    ['readTFRecords', () => readStreaming(path, bytes, 1 + f.int(40), options)],
    ['TFRecordDataset', () => readDataset(path, bytes, options)],
    ['TFRecordDataset interleaved', () => readDataset(path, bytes, { ...options, numParallelReads: 2 })],
    ['TFRecordReader', () => readQueue(path, bytes, options)],
  ];
  for (const [api, fn] of readers) {
    const o = await f.runAsync(`${label} ${api}`, fn);
    if (sync.error !== undefined) {
      if (o.error === undefined) f.fail(`${label} ${api}`, 'undetected: returned records where the in-memory decoder failed');
      else if (f.checkError(`${label} ${api}`, o.error, path) && (o.error as Error).message !== (sync.error as Error).message) {
        f.fail(`${label} ${api}`, `different error: ${(o.error as Error).message} vs ${(sync.error as Error).message}`);
      }
    } else if (o.error !== undefined) f.checkError(`${label} ${api}`, o.error, path);
    else if (!recordsEq(o.value!, sync.value!)) f.fail(`${label} ${api}`, 'different records from the in-memory decoder');
  }
}

describe('TFRecord framing (uncompressed)', () => {
  test('every bit flip or byte overwrite is a DataLossError at the offset of the record holding it', async () => {
    const f = new Fuzz(SEED);
    for (const { label, bytes } of tfrecordInputs(f)) {
      const path = `/fuzz/${label}.tfrecord`;
      const records = d.decodeTFRecords(bytes, path);
      const starts = recordStarts(bytes);
      const sites = flipSites(f, bytes.length, 250);
      for (let i = 0; i < 100; i++) sites.push([f.int(bytes.length), -1 - f.int(255)]); // overwrite with a new value
      for (const [k, [pos, bit]] of sites.entries()) {
        const m = bit >= 0 ? flipBit(bytes, pos, bit) : withByte(bytes, pos, (bytes[pos]! - bit) & 255);
        const at = starts[recordHolding(starts, pos)]!;
        const lbl = `${label} byte ${pos} ${bit >= 0 ? `bit ${bit}` : 'overwrite'}`;
        const o = f.run(lbl, () => d.decodeTFRecords(m, path));
        const err = f.expectError(lbl, o, path, /CRC mismatch/) as d.DataLossError | undefined;
        if (err && err.offset !== at) f.fail(lbl, `wrong offset: ${err.offset}, the record starts at ${at}`);
        if (k % 8 === 0) await checkStreamingAgrees(f, lbl, path, m, o);
        // skipCorrupt drops exactly the damaged record.
        const seen: d.DataLossError[] = [];
        const kept = f.run(`${lbl} skipCorrupt`, () => {
          const p = new d.TFRecordParser(path, { skipCorrupt: true, onCorrupt: (e) => seen.push(e) });
          return p.end(p.push(m));
        });
        const idx = recordHolding(starts, pos);
        if (kept.error !== undefined) f.checkError(`${lbl} skipCorrupt`, kept.error, path);
        else if (!recordsEq(kept.value!, records.filter((_, i) => i !== idx))) f.fail(`${lbl} skipCorrupt`, 'did not drop exactly the damaged record');
        else if (seen.length !== 1 || seen[0]!.offset !== at) f.fail(`${lbl} skipCorrupt`, `onCorrupt saw offsets [${seen.map((e) => e.offset)}], want [${at}]`);
        // Without CRC checks a flip may go through, but never as a raw exception.
        const unchecked = f.run(`${lbl} unchecked`, () => d.decodeTFRecords(m, path, { verifyChecksums: false }));
        if (unchecked.error !== undefined) f.checkError(`${lbl} unchecked`, unchecked.error, path);
      }
    }
    f.done();
  });

  test('truncation at every framing boundary is a truncated-record error at the record offset', async () => {
    const f = new Fuzz(SEED + 1);
    for (const { label, bytes } of tfrecordInputs(f)) {
      const path = `/fuzz/${label}.tfrecord`;
      const records = d.decodeTFRecords(bytes, path);
      const starts = recordStarts(bytes);
      const picked = [...new Set([0, 1, 2, 3, starts.length - 1])].filter((i) => i < starts.length);
      for (const i of picked) {
        const at = starts[i]!;
        const n = records[i]!.length;
        // length field, length CRC, payload (start, middle, end), data CRC
        const cuts = [0, 1, 4, 7, 8, 9, 11, 12, 13, 12 + (n >> 1), 12 + n, 12 + n + 1, 12 + n + 3].filter((c) => c === 0 || c < 16 + n);
        for (const c of [...new Set(cuts)]) {
          const m = bytes.slice(0, at + c);
          const lbl = `${label} record ${i} cut at +${c}`;
          const o = f.run(lbl, () => d.decodeTFRecords(m, path));
          if (c === 0) {
            // A file that ends between records is complete (TF reads it without error).
            if (o.error !== undefined || !recordsEq(o.value!, records.slice(0, i))) f.fail(lbl, 'a clean end between records is not the record prefix');
          } else {
            const err = f.expectError(lbl, o, path, /truncated/) as d.DataLossError | undefined;
            if (err && err.offset !== at) f.fail(lbl, `wrong offset: ${err.offset}, the record starts at ${at}`);
            const kept = f.run(`${lbl} skipCorrupt`, () => d.decodeTFRecords(m, path, { skipCorrupt: true }));
            if (kept.error !== undefined || !recordsEq(kept.value!, records.slice(0, i))) f.fail(`${lbl} skipCorrupt`, 'did not keep exactly the complete records');
          }
          await checkStreamingAgrees(f, lbl, path, m, o);
        }
      }
    }
    f.done();
  });

  test('huge length fields fail fast, without allocating the claimed size', async () => {
    const f = new Fuzz(SEED + 2);
    const rss0 = process.memoryUsage().rss;
    for (const { label, bytes } of tfrecordInputs(f)) {
      const path = `/fuzz/${label}.tfrecord`;
      const starts = recordStarts(bytes);
      for (const i of [0, starts.length - 1]) {
        for (const len of [2n ** 40n, 2n ** 32n - 1n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 63n, 2n ** 64n - 1n]) {
          const lbl = `${label} record ${i} length ${len}`;
          const m = withLength(bytes, starts[i]!, len);
          const o = f.run(lbl, () => d.decodeTFRecords(m, path));
          const err = f.expectError(lbl, o, path, /truncated record: length \d+ needs|too large/) as d.DataLossError | undefined;
          if (err && err.offset !== starts[i]) f.fail(lbl, `wrong offset: ${err.offset}, the record starts at ${starts[i]}`);
          await checkStreamingAgrees(f, lbl, path, m, o);
          // The same length without a valid CRC, read unchecked.
          const raw = bytes.slice();
          new DataView(raw.buffer).setBigUint64(starts[i]!, len, true);
          f.expectError(`${lbl} unchecked`, f.run(`${lbl} unchecked`, () => d.decodeTFRecords(raw, path, { verifyChecksums: false })), path, /truncated|too large/);
        }
      }
    }
    const grown = (process.memoryUsage().rss - rss0) / 2 ** 20;
    if (grown > 512) f.fail('huge lengths', `memory grew by ${grown.toFixed(0)} MiB`);
    f.done();
  });

  test('appended garbage is an error at the end of the valid data; an empty file has no records', async () => {
    const f = new Fuzz(SEED + 3);
    for (const { label, bytes } of tfrecordInputs(f)) {
      const path = `/fuzz/${label}.tfrecord`;
      const tails = [f.bytes(1), f.bytes(11), f.bytes(12), f.bytes(40), new Uint8Array(16), new Uint8Array(16).fill(0xff), cat(d.encodeTFRecords(['ok']), f.bytes(5))];
      for (const [k, tail] of tails.entries()) {
        const lbl = `${label} + garbage ${k}`;
        const m = cat(bytes, tail);
        const o = f.run(lbl, () => d.decodeTFRecords(m, path));
        const at = k === tails.length - 1 ? bytes.length + 18 : bytes.length;
        const err = f.expectError(lbl, o, path) as d.DataLossError | undefined;
        if (err && err.offset !== at) f.fail(lbl, `wrong offset: ${err.offset}, the garbage starts at ${at}`);
        await checkStreamingAgrees(f, lbl, path, m, o);
      }
    }
    const empty = new Uint8Array(0);
    const o = f.run('empty file', () => d.decodeTFRecords(empty, '/fuzz/empty.tfrecord'));
    if (o.error !== undefined || o.value!.length !== 0) f.fail('empty file', 'is not an empty record list');
    await checkStreamingAgrees(f, 'empty file', '/fuzz/empty.tfrecord', empty, o);
    f.done();
  });
});

describe('TFRecord framing (GZIP / ZLIB)', () => {
  async function compressedInputs(): Promise<{ label: string; compression: 'GZIP' | 'ZLIB'; bytes: Uint8Array }[]> {
    const records = ['', 'first', 'x'.repeat(5000), te.encode('last')];
    const own = async (compression: 'GZIP' | 'ZLIB'): Promise<Uint8Array> => {
      const fs = d.memoryFileSystem();
      const w = new d.TFRecordWriter('/w', { compression, fs });
      for (const r of records) await w.write(r);
      await w.close();
      return fs.files.get('/w')!;
    };
    return [
      { label: 'penguin-eval', compression: 'GZIP', bytes: read(PENGUIN_EVAL) },
      { label: 'penguin-train', compression: 'GZIP', bytes: read(PENGUIN_TRAIN) },
      { label: 'own-gzip', compression: 'GZIP', bytes: await own('GZIP') },
      { label: 'own-zlib', compression: 'ZLIB', bytes: await own('ZLIB') },
    ];
  }

  test('flips, truncation and garbage: the same records or a DataLossError naming the file', async () => {
    const f = new Fuzz(SEED + 4);
    for (const { label, compression, bytes } of await compressedInputs()) {
      const path = `/fuzz/${label}.gz`;
      const records = await readStreaming(path, bytes, 1 << 20, { compression });
      const readAs = (m: Uint8Array): Promise<Uint8Array[]> => readStreaming(path, m, 1 + f.int(4096), { compression });
      for (const [pos, bit] of flipSites(f, bytes.length, 120, 12)) {
        const lbl = `${label} byte ${pos} bit ${bit}`;
        f.expectSameOrError(lbl, await f.runAsync(lbl, () => readAs(flipBit(bytes, pos, bit))), records, recordsEq, path);
      }
      const cuts = [1, 2, 9, 10, bytes.length - 1, bytes.length - 4, bytes.length - 8];
      for (let i = 0; i < 30; i++) cuts.push(1 + f.int(bytes.length - 1));
      for (const c of cuts) {
        const lbl = `${label} cut at ${c}`;
        f.expectError(lbl, await f.runAsync(lbl, () => readAs(bytes.slice(0, c))), path);
      }
      for (const tail of [f.bytes(1), f.bytes(30), gzipSync(f.bytes(20)), deflateSync(d.encodeTFRecords(['z']))]) {
        const lbl = `${label} + ${tail.length} garbage bytes`;
        f.expectSameOrError(lbl, await f.runAsync(lbl, () => readAs(cat(bytes, tail))), records, recordsEq, path);
      }
      // Through the dataset and the queue reader too.
      const m = flipBit(bytes, bytes.length >> 1, 3);
      f.expectError(`${label} TFRecordDataset`, await f.runAsync(`${label} TFRecordDataset`, () => readDataset(path, m, { compression })), path);
      f.expectError(`${label} TFRecordReader`, await f.runAsync(`${label} TFRecordReader`, () => readQueue(path, m, { compression })), path);
    }
    for (const compression of ['GZIP', 'ZLIB'] as const) {
      const lbl = `empty ${compression} file`;
      // No records, as in TF (its inflating reader sees the end of input at once).
      const o = await f.runAsync(lbl, () => readStreaming('/fuzz/empty.gz', new Uint8Array(0), 64, { compression }));
      if (o.error !== undefined || o.value!.length !== 0) f.fail(lbl, `is not an empty record list: ${o.error ?? o.value!.length}`);
    }
    f.done();
  });
});

// ---- tf.train.Example / SequenceExample -----------------------------------------------------------

type Values = ArrayLike<unknown>;
/** Exact float bits (NaN payloads included). */
const floatBits = (v: Float32Array): number[] => Array.from(new Uint32Array(v.buffer, v.byteOffset, v.length));
/** The values of a decoded Feature in the form the parsers return (float bits, int64 as bigint). */
function featureAsParsed(feat: d.Feature | undefined, dtype: d.FeatureDType): unknown[] {
  if (!feat || feat.kind === 'none') return [];
  if (feat.kind === 'floatList') return floatBits(feat.value);
  if (feat.kind === 'int64List') return feat.value.map((l) => (dtype === 'int32' ? l.toInt() : BigInt(l.toString())));
  return feat.value.map((b) => Array.from(b).join(','));
}
function parsedValues(v: Values, dtype: d.FeatureDType): unknown[] {
  if (dtype === 'float32') return floatBits(v as Float32Array);
  if (dtype === 'string') return Array.from(v as Uint8Array[], (b) => Array.from(b).join(','));
  return Array.from(v);
}
const valuesText = (x: unknown[]): string => x.map(String).join(' ');
const dtypeOf = (feat: d.Feature): d.FeatureDType => (feat.kind === 'floatList' ? 'float32' : feat.kind === 'int64List' ? 'int64' : 'string');
const countOf = (feat: d.Feature): number => (feat.kind === 'none' ? 0 : feat.value.length);

/** Specs that the unmutated example satisfies: FixedLen, VarLen, and FixedLen with int64 read as int32. */
function specsFor(ex: d.Example): Record<'fixed' | 'varlen' | 'int32', Record<string, d.FeatureSpec>> {
  const specs = { fixed: {}, varlen: {}, int32: {} } as Record<'fixed' | 'varlen' | 'int32', Record<string, d.FeatureSpec>>;
  for (const [key, feat] of Object.entries(ex.features)) {
    if (feat.kind === 'none') continue;
    const dtype = dtypeOf(feat);
    specs.fixed[key] = d.FixedLenFeature([countOf(feat)], dtype);
    specs.varlen[key] = d.VarLenFeature(dtype);
    specs.int32[key] = d.FixedLenFeature([countOf(feat)], dtype === 'int64' ? 'int32' : dtype);
  }
  return specs;
}

/**
 * Parses `m` three ways (decodeExample, FixedLen and VarLen specs): each may fail with our error
 * class; where the decoder and a parser both succeed they must agree value for value.
 */
function checkExample(f: Fuzz, label: string, m: Uint8Array, specs: ReturnType<typeof specsFor>): void {
  const dec = f.run(`${label} decodeExample`, () => d.decodeExample(m));
  if (dec.error !== undefined) f.checkError(`${label} decodeExample`, dec.error);
  for (const [kind, spec] of Object.entries(specs)) {
    const o = f.run(`${label} ${kind}`, () => d.parseSingleExampleHost(m, spec));
    if (o.error !== undefined) {
      f.checkError(`${label} ${kind}`, o.error);
      continue;
    }
    if (dec.error !== undefined) continue;
    for (const [key, s] of Object.entries(spec)) {
      const got = o.value![key]!;
      const values = 'sparse' in got ? got.values.values : got.values;
      if (valuesText(parsedValues(values, s.dtype)) !== valuesText(featureAsParsed(dec.value!.features[key], s.dtype))) {
        f.fail(`${label} ${kind}`, `parse and decodeExample disagree on feature '${key}'`);
      }
    }
  }
}

/** Structural damage at `pos`: a bad varint, an unsupported wire type, a length past the end. */
function protoDamage(b: Uint8Array, pos: number): [string, Uint8Array][] {
  const at = (ins: number[]): Uint8Array => cat(b.subarray(0, pos), Uint8Array.from(ins), b.subarray(pos));
  return [
    ['11-byte varint', at([0x08, ...new Array(10).fill(0xff), 0x01])],
    ['wire type 3', at([0x0b])],
    ['wire type 7', at([0x0f])],
    ['length past the end', at([0x0a, 0xff, 0xff, 0xff, 0x7f])],
    ['truncated varint tag', at([0x80])],
  ];
}

describe('tf.train.Example parsing', () => {
  async function exampleInputs(): Promise<{ label: string; bytes: Uint8Array }[]> {
    const iris = (await collect(d.readTFRecords(IRIS))).slice(0, 3);
    const penguin = (await collect(d.readTFRecords(PENGUIN_EVAL, { compression: 'GZIP' }))).slice(0, 3);
    const own = d.encodeExample({
      b: d.bytesFeature(['x', 'yy', '']),
      f: d.floatFeature([1.5, -2, 0.25]),
      i: d.int64Feature([0, -1, 2 ** 40, '9223372036854775807', '-9223372036854775808']),
      empty: d.floatFeature([]),
      big: d.floatFeature(Array.from({ length: 20 }, (_, i) => i / 3)), // ≥ 64 bytes: the bulk-copy path
    });
    return [...iris.map((bytes, i) => ({ label: `iris ${i}`, bytes })), ...penguin.map((bytes, i) => ({ label: `penguin ${i}`, bytes })), { label: 'own', bytes: own }];
  }

  test('mutated examples: our errors, and the parsers agree with decodeExample where both succeed', async () => {
    const f = new Fuzz(SEED + 5);
    for (const { label, bytes } of await exampleInputs()) {
      const specs = specsFor(d.decodeExample(bytes));
      for (const [pos, bit] of flipSites(f, bytes.length, 200, 8)) checkExample(f, `${label} byte ${pos} bit ${bit}`, flipBit(bytes, pos, bit), specs);
      for (let i = 0; i < 80; i++) {
        const pos = f.int(bytes.length);
        checkExample(f, `${label} byte ${pos} overwrite`, withByte(bytes, pos, f.int(256)), specs);
      }
      for (let c = 0; c < bytes.length; c++) checkExample(f, `${label} cut at ${c}`, bytes.subarray(0, c), specs);
      for (let i = 0; i < 6; i++) {
        const pos = f.int(bytes.length + 1);
        for (const [what, m] of protoDamage(bytes, pos)) checkExample(f, `${label} ${what} at ${pos}`, m, specs);
      }
      checkExample(f, `${label} + garbage`, cat(bytes, f.bytes(7)), specs);
    }
    f.done();
  });

  test('spec mismatches name the feature and say what was expected versus found', async () => {
    const f = new Fuzz(SEED + 6);
    const [iris] = await collect(d.readTFRecords(IRIS));
    const own = d.encodeExample({ i: d.int64Feature([1, 2 ** 40]), s: d.bytesFeature('text') });
    const cases: [string, Uint8Array | Uint8Array[], Record<string, d.FeatureSpec>, RegExp][] = [
      ['float as int64', iris!, { petal_length: d.FixedLenFeature([], 'int64') }, /'petal_length'.*float_list.*int64/],
      ['float as string', iris!, { petal_length: d.VarLenFeature('string') }, /'petal_length'.*float_list.*string/],
      ['int64 as float', own, { i: d.FixedLenFeature([2], 'float32') }, /'i'.*int64_list.*float32/],
      ['too few values', iris!, { petal_length: d.FixedLenFeature([2], 'float32') }, /'petal_length'.*needs 2 values, found 1/],
      ['too many values', own, { i: d.FixedLenFeature([], 'int64') }, /'i'.*needs 1 values, found 2/],
      ['int64 beyond int32', own, { i: d.FixedLenFeature([2], 'int32') }, /'i'.*1099511627776 does not fit in int32/],
      ['missing', own, { nope: d.FixedLenFeature([], 'int64') }, /'nope' is required but missing/],
      ['batch: the bad example is named', [iris!, own], { petal_length: d.FixedLenFeature([], 'float32') }, /example 1: feature 'petal_length' is required/],
    ];
    // Default values the feature's dtype cannot hold.
    const defaults: [string, d.FeatureDType, d.FixedLenFeatureSpec['defaultValue'], RegExp][] = [
      ['fractional int64 default', 'int64', 1.5, /'d'.*int64.*1\.5 is not an integer/],
      ['int32 default beyond int32', 'int32', [1, 2 ** 40], /'d'.*int32.*1099511627776 does not fit in int32/],
      ['non-decimal int64 default', 'int64', 'seven', /'d'.*int64.*"seven" is not a decimal integer/],
      ['string float32 default', 'float32', 'x', /'d'.*float32.*must be a number, found string "x"/],
    ];
    for (const [label, dtype, dflt, pattern] of defaults) cases.push([label, own, { d: d.FixedLenFeature([2], dtype, dflt) }, pattern]);
    for (const [label, input, spec, pattern] of cases) {
      const o = f.run(label, () => (Array.isArray(input) ? d.parseExampleHost(input, spec) : d.parseSingleExampleHost(input, spec)));
      f.expectError(label, o, undefined, pattern);
      if (o.error !== undefined && !(o.error instanceof d.InvalidArgumentError)) f.fail(label, `not an InvalidArgumentError: ${o.error}`);
    }
    f.done();
  });

  test('mutated SequenceExamples: our errors only', async () => {
    const f = new Fuzz(SEED + 7);
    const recs = (await collect(d.readTFRecords(SEQUENCE, { compression: 'GZIP' }))).slice(0, 2);
    const own = d.encodeSequenceExample({
      context: { id: d.int64Feature(7), name: d.bytesFeature('seq') },
      featureLists: { x: [d.floatFeature([1, 2]), d.floatFeature([3, 4])], tok: [d.int64Feature([1]), d.int64Feature([2, 3])] },
    });
    for (const [k, bytes] of [...recs, own].entries()) {
      const seq = d.decodeSequenceExample(bytes);
      const context = specsFor({ features: seq.context }).fixed;
      const sequence: Record<string, d.SequenceFeatureSpec> = {};
      for (const [key, steps] of Object.entries(seq.featureLists)) {
        const first = steps.find((s) => s.kind !== 'none');
        if (!first) continue;
        // Steps of one length: FixedLenSequenceFeature; else VarLen.
        const uniform = steps.every((s) => s.kind === first.kind && countOf(s) === countOf(first));
        sequence[key] = uniform ? d.FixedLenSequenceFeature([countOf(first)], dtypeOf(first)) : d.VarLenFeature(dtypeOf(first));
      }
      const check = (label: string, m: Uint8Array): void => {
        const dec = f.run(`${label} decode`, () => d.decodeSequenceExample(m));
        if (dec.error !== undefined) f.checkError(`${label} decode`, dec.error);
        const o = f.run(`${label} parse`, () => d.parseSingleSequenceExampleHost(m, context, sequence));
        if (o.error !== undefined) f.checkError(`${label} parse`, o.error);
      };
      for (const [pos, bit] of flipSites(f, bytes.length, 150, 8)) check(`sequence ${k} byte ${pos} bit ${bit}`, flipBit(bytes, pos, bit));
      for (let i = 0; i < 60; i++) {
        const c = f.int(bytes.length);
        check(`sequence ${k} cut at ${c}`, bytes.subarray(0, c));
      }
      for (const [what, m] of protoDamage(bytes, f.int(bytes.length))) check(`sequence ${k} ${what}`, m);
    }
    f.done();
  });
});

// ---- IDX -------------------------------------------------------------------------------------------

function idxFile(type: number, dims: number[], data: Uint8Array): Uint8Array {
  const head = new Uint8Array(4 + 4 * dims.length);
  const dv = new DataView(head.buffer);
  head[2] = type;
  head[3] = dims.length;
  dims.forEach((v, i) => dv.setUint32(4 + 4 * i, v, false));
  return cat(head, data);
}

describe('IDX', () => {
  test('flips, truncation, huge dims and garbage: IdxErrors naming the file, or a consistent array', async () => {
    const f = new Fuzz(SEED + 8);
    const sizes: Record<number, number> = { 0x08: 1, 0x09: 1, 0x0b: 2, 0x0c: 4, 0x0d: 4, 0x0e: 8 };
    const inputs = [
      { label: 'uint8', bytes: idxFile(0x08, [3, 4, 5], f.bytes(60)) },
      { label: 'int8', bytes: idxFile(0x09, [7], f.bytes(7)) },
      { label: 'int16', bytes: idxFile(0x0b, [2, 3], f.bytes(12)) },
      { label: 'int32', bytes: idxFile(0x0c, [5], f.bytes(20)) },
      { label: 'float32', bytes: idxFile(0x0d, [2, 2], f.bytes(16)) },
      { label: 'float64', bytes: idxFile(0x0e, [3], f.bytes(24)) },
      { label: 'scalar', bytes: idxFile(0x08, [], f.bytes(1)) },
    ];
    const check = (label: string, file: string, m: Uint8Array): void => {
      const o = f.run(label, () => d.decodeIdx(m, file));
      if (o.error !== undefined) {
        if (f.checkError(label, o.error, file) && !(o.error instanceof d.IdxError)) f.fail(label, `not an IdxError: ${o.error}`);
        return;
      }
      // No checksum: a flip may give other values or another type, but never an inconsistent array.
      const { shape, data } = o.value!;
      const count = shape.reduce((a, b) => a * b, 1);
      if (data.length !== count || 4 + 4 * shape.length + count * sizes[m[2]!]! !== m.length) f.fail(label, `inconsistent result: shape [${shape}] with ${data.length} values from ${m.length} bytes`);
    };
    for (const { label, bytes } of inputs) {
      const file = `/fuzz/${label}.idx`;
      for (let p = 0; p < bytes.length; p++) for (let bit = 0; bit < 8; bit++) check(`${label} byte ${p} bit ${bit}`, file, flipBit(bytes, p, bit));
      for (let c = 0; c < bytes.length; c++) check(`${label} cut at ${c}`, file, bytes.subarray(0, c));
      const ndim = bytes[3]!;
      for (let i = 0; i < ndim; i++) {
        for (const dim of [0xffffffff, 0x80000000, 0x10000]) {
          const m = bytes.slice();
          new DataView(m.buffer).setUint32(4 + 4 * i, dim, false);
          check(`${label} dim ${i} = ${dim}`, file, m);
        }
      }
      check(`${label} + garbage`, file, cat(bytes, f.bytes(3)));
    }
    check('empty file', '/fuzz/empty.idx', new Uint8Array(0));
    // Gzip-compressed files, through both readers.
    const plain = inputs[0]!.bytes;
    const gz = new Uint8Array(gzipSync(plain));
    for (const [name, m] of [
      ['flipped', flipBit(gz, gz.length >> 1, 2)],
      ['truncated', gz.subarray(0, gz.length - 5)],
      ['bad header', withByte(gz, 3, 0xff)],
    ] as const) {
      const file = `/fuzz/${name}.idx.gz`;
      const fs = d.memoryFileSystem(new Map([[file, m]]));
      f.expectError(`readIdx ${name} gzip`, f.run(`readIdx ${name} gzip`, () => d.readIdx(file, { fs })), file);
      f.expectError(`readIdxAsync ${name} gzip`, await f.runAsync(`readIdxAsync ${name} gzip`, () => d.readIdxAsync(file, { fs })), file);
      // A codec that only streams (as in browsers) takes readIdxAsync's other path.
      const node = d.nodeCodec();
      d.setCompressionCodec({ decompress: node.decompress, compress: node.compress });
      try {
        const good = await f.runAsync('readIdxAsync streaming', () => d.readIdxAsync(file, { fs: d.memoryFileSystem(new Map([[file, gz]])) }));
        f.expectSameOrError('readIdxAsync streaming', good, d.decodeIdx(plain), (a, b) => a.shape.join() === b.shape.join() && bytesEq(a.data as Uint8Array, b.data as Uint8Array));
        if (good.error !== undefined) f.fail('readIdxAsync streaming', 'a valid gzip file failed');
        f.expectError(`readIdxAsync ${name} gzip, streaming`, await f.runAsync(`readIdxAsync ${name} gzip, streaming`, () => d.readIdxAsync(file, { fs })), file);
      } finally {
        d.setCompressionCodec(undefined);
      }
    }
    f.done();
  });
});

// ---- PNG / JPEG ----------------------------------------------------------------------------------

/** decodeImage's result as plain data (the tensor is disposed). */
function decodeToHost(bytes: Uint8Array): { shape: number[]; values: Int32Array } {
  const t = d.decodeImage(bytes);
  try {
    return { shape: [...t.shape], values: (t.dataSync() as Int32Array).slice() };
  } finally {
    t.dispose();
  }
}
const hostEq = (a: { shape: number[]; values: Int32Array }, b: { shape: number[]; values: Int32Array }): boolean =>
  a.shape.join() === b.shape.join() && a.values.length === b.values.length && a.values.every((v, i) => v === b.values[i]);

function testImage(f: Fuzz, h: number, w: number, c: number, max = 255): ef.Tensor {
  return ef.makeTensor(Int32Array.from({ length: h * w * c }, () => f.int(max + 1)), [h, w, c], 'int32');
}

/** A copy of a PNG whose IHDR declares width × height, with a valid CRC (a crafted file). */
function withPngSize(png: Uint8Array, width: number, height: number): Uint8Array {
  const m = png.slice();
  const dv = new DataView(m.buffer);
  dv.setUint32(16, width);
  dv.setUint32(20, height);
  dv.setUint32(29, crc32(m.subarray(12, 29)) >>> 0);
  return m;
}

/** Offset of the first marker segment FF xx for which `is(xx)` holds (walking the segments from SOI). */
function jpegSegment(jpg: Uint8Array, is: (marker: number) => boolean): number {
  let p = 2;
  while (!is(jpg[p + 1]!)) p += 2 + ((jpg[p + 2]! << 8) | jpg[p + 3]!);
  return p;
}

/** A copy of a JPEG whose frame header (SOF) declares width × height. */
function withJpegSize(jpg: Uint8Array, width: number, height: number): Uint8Array {
  const m = jpg.slice();
  const p = jpegSegment(m, (x) => x >= 0xc0 && x <= 0xc2);
  const dv = new DataView(m.buffer);
  dv.setUint16(p + 5, height);
  dv.setUint16(p + 7, width);
  return m;
}

describe('PNG / JPEG decoders', () => {
  test('PNG: every flip is detected (chunk CRCs) or decodes to the same image; truncation is an error', () => {
    const f = new Fuzz(SEED + 9);
    const encode = (t: ef.Tensor, options?: d.EncodePngOptions): Uint8Array => {
      try {
        return d.encodePng(t, options);
      } finally {
        t.dispose();
      }
    };
    const inputs = [
      { label: 'rgb', bytes: encode(testImage(f, 6, 8, 3)) },
      { label: 'gray', bytes: encode(testImage(f, 7, 5, 1)) },
      { label: 'gray-alpha', bytes: encode(testImage(f, 3, 9, 2)) },
      { label: 'rgba-16', bytes: encode(testImage(f, 4, 4, 4, 65535), { bitDepth: 16 }) },
      { label: 'chromium', bytes: read(CHROMIUM_PNG) },
    ];
    for (const { label, bytes } of inputs) {
      const want = decodeToHost(bytes);
      const sites = bytes.length <= 400 ? flipSites(f, bytes.length, 0, bytes.length) : flipSites(f, bytes.length, 600, 40);
      for (const [pos, bit] of sites) {
        const lbl = `${label} byte ${pos} bit ${bit}`;
        const o = f.run(lbl, () => decodeToHost(flipBit(bytes, pos, bit)));
        if (o.error !== undefined) f.checkError(lbl, o.error, undefined, /^decodeImage: .*(PNG|JPEG|image format)/);
        else if (!hostEq(o.value!, want)) f.fail(lbl, 'undetected: a flip changed the decoded image');
      }
      for (let c = 0; c < bytes.length; c += bytes.length > 400 ? 1 + f.int(9) : 1) {
        f.expectError(`${label} cut at ${c}`, f.run(`${label} cut at ${c}`, () => decodeToHost(bytes.subarray(0, c))), undefined, /^decodeImage: /);
      }
      const tail = f.run(`${label} + garbage`, () => decodeToHost(cat(bytes, f.bytes(9))));
      f.expectSameOrError(`${label} + garbage`, tail, want, hostEq);
    }
    // Crafted headers (valid CRCs) declaring far more pixels than the data holds.
    const rgb = inputs[0]!.bytes;
    for (const [w, h] of [[8, 7], [60000, 60000], [0x7fffffff, 0x7fffffff], [1, 0x7fffffff]] as const) {
      const lbl = `crafted PNG ${w}x${h}`;
      f.expectError(lbl, f.run(lbl, () => decodeToHost(withPngSize(rgb, w, h))), undefined, /^decodeImage: .*PNG/);
    }
    f.done();
  });

  test('JPEG: flips decode to a well-formed image or fail with our error; truncation and absurd frame sizes fail', () => {
    const f = new Fuzz(SEED + 10);
    const encode = (t: ef.Tensor): Uint8Array => {
      try {
        return d.encodeJpeg(t, { quality: 90 });
      } finally {
        t.dispose();
      }
    };
    // The real file decodes slowly (493x58): fewer flips there.
    const inputs = [
      { label: 'rgb', bytes: encode(testImage(f, 16, 16, 3)), flips: 250 },
      { label: 'gray', bytes: encode(testImage(f, 9, 13, 1)), flips: 250 },
      { label: 'nodejs', bytes: read(NODEJS_JPEG), flips: 60 },
    ];
    for (const { label, bytes, flips } of inputs) {
      const want = decodeToHost(bytes);
      for (const [pos, bit] of flipSites(f, bytes.length, flips, flips / 10)) {
        const lbl = `${label} byte ${pos} bit ${bit}`;
        const o = f.run(lbl, () => decodeToHost(flipBit(bytes, pos, bit)));
        if (o.error !== undefined) f.checkError(lbl, o.error, undefined, /^decodeImage: .*(JPEG|image format)/);
        // No checksum: a flip may change pixels, but the result must be a whole image.
        else if (o.value!.shape.length !== 3 || o.value!.values.length !== o.value!.shape.reduce((a, b) => a * b, 1) || o.value!.values.some((v) => !(v >= 0 && v <= 255))) {
          f.fail(lbl, `malformed image of shape [${o.value!.shape}]`);
        }
      }
      for (let i = 0; i < 40; i++) {
        const c = i < 8 ? bytes.length - 1 - i : f.int(bytes.length);
        f.expectError(`${label} cut at ${c}`, f.run(`${label} cut at ${c}`, () => decodeToHost(bytes.subarray(0, c))), undefined, /^decodeImage: /);
      }
      const tail = f.run(`${label} + garbage`, () => decodeToHost(cat(bytes, f.bytes(9))));
      f.expectSameOrError(`${label} + garbage`, tail, want, hostEq);
      // Frame sizes far beyond the compressed data are refused before the decoder allocates for them.
      for (const [w, h] of [[3000, 3000], [9000, 9000], [65535, 65535]] as const) {
        const lbl = `${label} crafted frame ${w}x${h}`;
        f.expectError(lbl, f.run(lbl, () => decodeToHost(withJpegSize(bytes, w, h))), undefined, /^decodeImage: corrupt JPEG: the frame header says \d+x\d+ .* but the file holds \d+ bytes of compressed image data/);
      }
      f.expectError(`${label} crafted frame 16x32784`, f.run(`${label} crafted frame 16x32784`, () => decodeToHost(withJpegSize(bytes, 16, 32784))), undefined, /^decodeImage: .*JPEG/);
      // The file ends with an empty scan header (FF DA 00 02).
      const sos = jpegSegment(bytes, (x) => x === 0xda);
      const emptyScan = cat(bytes.subarray(0, sos + 2), Uint8Array.of(0, 2));
      f.expectError(`${label} empty scan header`, f.run(`${label} empty scan header`, () => decodeToHost(emptyScan)), undefined, /^decodeImage: corrupt JPEG: scan header of 2 bytes/);
    }
    f.done();
  });
});

// ---- TensorBoard event files -------------------------------------------------------------------

describe('TensorBoard event files', () => {
  async function ownEventFile(f: Fuzz): Promise<Uint8Array> {
    const fs = d.memoryFileSystem();
    const w = new d.SummaryWriter('/logs/events.out.tfevents.1.fuzz', { fs, now: () => 1000 });
    await w.scalar('loss', 0.5, 1);
    await w.histogram('weights', Array.from({ length: 50 }, () => f.int(1000) / 100 - 5), 2);
    await w.text('note', 'hello', 3);
    await w.image('img', Array.from({ length: 2 * 3 * 3 }, () => f.int(256)), [2, 3, 3], 4);
    await w.addGraph(() => ef.add(ef.scalar(1), ef.scalar(2)).dispose());
    await w.close();
    return fs.files.get('/logs/events.out.tfevents.1.fuzz')!;
  }
  const readEvents = (path: string, bytes: Uint8Array): Promise<d.SummaryEvent[]> => collect(d.readEventFile(path, { fs: d.memoryFileSystem(new Map([[path, bytes]])), bufferSize: 256 }));

  test('framing damage is a DataLossError; a damaged Event proto (valid CRC) is an error naming the file and record', async () => {
    const f = new Fuzz(SEED + 11);
    const inputs = [
      { label: 'tf2', bytes: read(TF2_EVENTS) },
      { label: 'legacy', bytes: read(LEGACY_EVENTS) },
      { label: 'own', bytes: await ownEventFile(f) },
    ];
    for (const { label, bytes } of inputs) {
      const path = `/fuzz/${label}/events.out.tfevents`;
      const events = await readEvents(path, bytes);
      expect(events.length).toBeGreaterThan(1);
      for (const [pos, bit] of flipSites(f, bytes.length, 40, 4)) {
        const lbl = `${label} byte ${pos} bit ${bit}`;
        f.expectError(lbl, await f.runAsync(lbl, () => readEvents(path, flipBit(bytes, pos, bit))), path, /CRC mismatch/);
      }
      // Damage inside the Event protos, re-framed with valid CRCs: only the proto decoder can notice.
      const records = d.decodeTFRecords(bytes);
      for (let i = 0; i < 60; i++) {
        const r = f.int(records.length);
        const rec = records[r]!;
        const damaged = i % 3 === 0 ? rec.subarray(0, f.int(rec.length)) : i % 3 === 1 ? flipBit(rec, f.int(rec.length), f.int(8)) : protoDamage(rec, f.int(rec.length + 1))[f.int(5)]![1];
        const m = d.encodeTFRecords(records.map((x, k) => (k === r ? damaged : x)));
        const lbl = `${label} record ${r} damage ${i}`;
        const o = await f.runAsync(lbl, () => readEvents(path, m));
        if (o.error !== undefined && f.checkError(lbl, o.error, path) && !(o.error as Error).message.includes(`record ${r} at offset`)) f.fail(lbl, `error does not name record ${r}: ${(o.error as Error).message}`);
      }
      const cut = await f.runAsync(`${label} truncated`, () => readEvents(path, bytes.subarray(0, bytes.length - 3)));
      f.expectError(`${label} truncated`, cut, path, /truncated/);
    }
    // The graph of our own file: decodeGraphDef on damaged bytes.
    const graph = (await readEvents('/own', inputs[2]!.bytes)).find((e) => e.graphDef)!.graphDef!;
    for (const [pos, bit] of flipSites(f, graph.length, 200, 8)) {
      const o = f.run(`graph byte ${pos} bit ${bit}`, () => d.decodeGraphDef(flipBit(graph, pos, bit)));
      if (o.error !== undefined) f.checkError(`graph byte ${pos} bit ${bit}`, o.error);
    }
    f.done();
  });
});
