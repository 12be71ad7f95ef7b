/**
 * Seeded robustness fuzzing of the readers: real files (TensorFlow checkpoints, safetensors, state
 * files, checkpoints of our Saver) are mutated (bit flips, byte overwrites, truncation, structural
 * edits) and every outcome must be either the unmutated result (only for areas no reader looks at:
 * the SSTable metaindex block and footer padding, bytes of no tensor) or one of our errors naming
 * the file, within a time bound, never a raw TypeError/RangeError. Bit flips in tensor data are
 * always caught by the CRC; a failed restore changes no variable; a failed save keeps the previous
 * checkpoint and the state file.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInThisContext } from 'node:vm';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import * as io from '@eagerflow/io';
import { disposeAllVariables, fx, nums, tempDir } from './helpers';

const { gfile } = io;
const enc = (s: string) => new TextEncoder().encode(s);
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const LIMIT_MS = 2000;

/** mulberry32: the same cases on every run. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type ErrorClass = abstract new (...args: never[]) => Error;
type Outcome<T> = { ok: true; value: T } | { ok: false; error: Error };

/** Runs one case; throws (failing the test) when it takes longer than LIMIT_MS. */
async function attempt<T>(what: string, fn: () => T | Promise<T>): Promise<Outcome<T>> {
  const t0 = performance.now();
  let out: Outcome<T>;
  try {
    out = { ok: true, value: await fn() };
  } catch (e) {
    out = { ok: false, error: e as Error };
  }
  const ms = performance.now() - t0;
  if (ms > LIMIT_MS) throw new Error(`${what}: took ${ms.toFixed(0)} ms (limit ${LIMIT_MS} ms)`);
  return out;
}

/** Messages of JavaScript engine errors (a reader that threw one was not checking its input). */
const ENGINE = /Cannot read propert|undefined|is not a function|is not iterable|out of bounds|outside the bounds|The value of ".*" is out of range|Invalid array length|Invalid typed array|Maximum call stack|in JSON at position|Array buffer allocation/;

/** Collects the cases that went wrong, so that one run reports all of them. */
class Failures {
  readonly list: string[] = [];
  add(what: string, msg: string): void {
    this.list.push(`${what}: ${msg}`);
  }
  /** A clean error: one of `classes`, naming `file`, no engine message. */
  clean(what: string, e: Error, classes: ErrorClass[], file: string): void {
    if (!classes.some((c) => e instanceof c) || !e.message.includes(file) || ENGINE.test(e.message)) this.add(what, `${e.constructor.name}: ${e.message}`);
  }
  check(): void {
    expect(this.list.slice(0, 20)).toEqual([]);
  }
}

// ---- checkpoint fixtures ---------------------------------------------------------------------

interface Handle {
  offset: number;
  size: number;
}
interface Fixture {
  name: string;
  /** mem:// prefix holding a copy */
  prefix: string;
  index: Uint8Array;
  data: Uint8Array;
  /** JSON of the unmutated header and entries */
  ref: string;
  entries: io.BundleEntry[];
  values: Map<string, io.RawTensor>;
  layout: { data: Handle; meta: Handle; index: Handle; footer: number };
}

/** Handles of a table with one data block, checked against its footer. */
function layoutOf(file: Uint8Array): Fixture['layout'] {
  const footer = file.length - 48;
  const r = new io.ProtoReader(file, footer, footer + 40);
  const meta = { offset: r.varint(), size: r.varint() };
  const index = { offset: r.varint(), size: r.varint() };
  expect([index.offset, index.offset + index.size + 5]).toEqual([meta.offset + meta.size + 5, footer]);
  return { data: { offset: 0, size: meta.offset - 5 }, meta, index, footer };
}

/** Recomputes a block's trailer CRC (after an edit of its contents or type byte). */
function fixCrc(file: Uint8Array, h: Handle): void {
  const crc = io.crc32cExtend(io.crc32c(file.subarray(h.offset, h.offset + h.size)), file.subarray(h.offset + h.size, h.offset + h.size + 1));
  new DataView(file.buffer, file.byteOffset).setUint32(h.offset + h.size + 1, io.maskCrc(crc), true);
}

const snapshot = (r: io.BundleReader): string => JSON.stringify([r.header, [...r.entries.values()]]);

function rawBytesOf(t: io.RawTensor): Uint8Array[] {
  if (t.dtype === 'string') return t.values as Uint8Array[];
  const v = t.values as Exclude<io.RawValues, Uint8Array[]>;
  return [new Uint8Array(v.buffer, v.byteOffset, v.byteLength)];
}
function sameRaw(a: io.RawTensor, b: io.RawTensor): boolean {
  const x = rawBytesOf(a);
  const y = rawBytesOf(b);
  return a.dtype === b.dtype && JSON.stringify(a.shape) === JSON.stringify(b.shape) && x.length === y.length && x.every((p, i) => Buffer.compare(p, y[i]!) === 0);
}

async function fixture(name: string, prefix: string, index: Uint8Array, data: Uint8Array): Promise<Fixture> {
  await gfile.writeFile(io.indexFileName(prefix), index);
  await gfile.writeFile(io.dataFileName(prefix, 0, 1), data);
  const r = await io.BundleReader.open(prefix);
  const values = new Map<string, io.RawTensor>();
  for (const n of r.entries.keys()) values.set(n, await r.readRaw(n));
  await r.close();
  return { name, prefix, index, data, ref: snapshot(r), entries: [...r.entries.values()], values, layout: layoutOf(index) };
}

const TF_CHECKPOINTS = ['serving_saved_model_half_plus_two_cpu/variables', 'serving_saved_model_half_plus_two_tf2_cpu/variables', 'tfx_estimator/model.ckpt-1000'];
const fixtures: Fixture[] = [];
const fileBytes = (p: string) => new Uint8Array(readFileSync(p));

beforeAll(async () => {
  await ef.setBackend('cpu');
  for (const c of TF_CHECKPOINTS) {
    const p = fx(`checkpoint/${c}`);
    fixtures.push(await fixture(c, `mem://fz/${c}`, fileBytes(`${p}.index`), fileBytes(`${p}.data-00000-of-00001`)));
  }
  // one of ours: several dtypes, written by the Saver
  await gfile.makeDirs('mem://fz/ours');
  const vars = [
    ef.variable(ef.tensor(Float32Array.from({ length: 24 }, (_, i) => i / 7), [2, 3, 4]), { name: 'dense/kernel' }),
    ef.variable(ef.tensor([0.5, -1, 2]), { name: 'dense/bias' }),
    ef.variable(ef.tensor([1, 2, 3, 4, 5], [5], 'int32'), { name: 'embedding/ids' }),
    ef.variable(ef.tensor([7n], [], 'int64'), { name: 'global_step' }),
  ];
  await new io.Saver({ varList: vars }).save('mem://fz/ours/model.ckpt', { globalStep: 7 });
  disposeAllVariables();
  const ours = 'mem://fz/ours/model.ckpt-7';
  fixtures.push(await fixture('saver', ours, await gfile.readFile(io.indexFileName(ours)), await gfile.readFile(io.dataFileName(ours, 0, 1))));
});
afterAll(async () => {
  await io.shutdownCrcWorkers();
});

/** One seeded bit per byte for the larger files, every bit of the small ones. */
function flipBits(length: number, rand: () => number, everyBitBelow = 400): number[] {
  if (length <= everyBitBelow) return Array.from({ length: length * 8 }, (_, i) => i);
  return Array.from({ length }, (_, i) => i * 8 + Math.floor(rand() * 8));
}

/** Parses a mutated index: a clean error, or (for a change at `pos` in an `ignored` area only) the unmutated entries. */
function checkIndex(f: Fixture, bytes: Uint8Array, what: string, failures: Failures, ignored: (pos: number) => boolean, pos: number): Promise<void> {
  return attempt(what, () => io.BundleReader.fromIndexBytes(f.prefix, bytes)).then((o) => {
    if (!o.ok) return failures.clean(what, o.error, [io.CheckpointError], `${f.prefix}.index`);
    if (snapshot(o.value) !== f.ref) failures.add(what, 'parsed to different entries without an error');
    else if (!ignored(pos)) failures.add(what, `accepted a change at byte ${pos}, which is not in an unread area`);
  });
}

describe('TensorBundle index (.index): SSTable, Snappy blocks, BundleEntryProto', () => {
  test('bit flips and byte overwrites: detected (block CRC, magic, bounds) except in the metaindex block and the footer padding, which TensorFlow never reads either', async () => {
    const failures = new Failures();
    const rand = rng(1);
    for (const f of fixtures) {
      const { meta, index, footer } = f.layout;
      // Unread: the metaindex block (TF writes it empty and never reads it), the footer's padding.
      // A flip in the footer's handles may only succeed by encoding the same handle differently.
      const ignored = (p: number) => (p >= meta.offset && p < index.offset) || (p >= footer && p < footer + 40);
      for (const bit of flipBits(f.index.length, rand)) {
        const m = f.index.slice();
        m[bit >> 3]! ^= 1 << (bit & 7);
        await checkIndex(f, m, `${f.name}.index bit ${bit}`, failures, ignored, bit >> 3);
      }
      for (let k = 0; k < 300; k++) {
        const pos = Math.floor(rand() * f.index.length);
        const m = f.index.slice();
        m[pos] = Math.floor(rand() * 256);
        if (m[pos] !== f.index[pos]) await checkIndex(f, m, `${f.name}.index byte ${pos} := ${m[pos]}`, failures, ignored, pos);
      }
    }
    failures.check();
  });

  test('truncation at every length (so at every block and footer boundary) and appended bytes are detected', async () => {
    const failures = new Failures();
    for (const f of fixtures) {
      for (let n = 0; n < f.index.length; n++) {
        await checkIndex(f, f.index.subarray(0, n), `${f.name}.index cut to ${n} bytes`, failures, () => false, n);
      }
      for (const extra of [1, 5, 48, 100]) {
        const m = new Uint8Array(f.index.length + extra);
        m.set(f.index);
        await checkIndex(f, m, `${f.name}.index + ${extra} zero bytes`, failures, () => false, f.index.length);
      }
    }
    failures.check();
    // the public readers on files cut at the block boundaries
    for (const f of fixtures) {
      const { data, meta, index, footer } = f.layout;
      const prefix = `mem://fz/cut/${f.name}`;
      await gfile.writeFile(io.dataFileName(prefix, 0, 1), f.data);
      for (const cut of [data.offset + data.size, meta.offset, index.offset, footer, f.index.length - 1]) {
        await gfile.writeFile(io.indexFileName(prefix), f.index.subarray(0, cut));
        const list = await attempt(`listVariables of ${f.name} cut to ${cut}`, () => io.listVariables(prefix));
        expect(list.ok ? 'listed' : list.error).toBeInstanceOf(io.CheckpointError);
        expect(list.ok ? '' : list.error.message).toMatch(new RegExp(`^${escapeRe(prefix)}\\.index: (bad table magic|file is \\d+ bytes, shorter than)`));
      }
      await gfile.writeFile(io.indexFileName(prefix), f.index);
      expect((await io.listVariables(prefix)).map(([n]) => n)).toEqual(f.entries.map((e) => e.name));
    }
    const f = fixtures[2]!;
    expect(() => io.BundleReader.fromIndexBytes(f.prefix, f.index.subarray(0, f.layout.footer))).toThrow(/tfx_estimator\/model\.ckpt-1000\.index: bad table magic 0x[0-9a-f]{16} \(expected 0xdb4775248b80fb57\)/);
    expect(() => io.BundleReader.fromIndexBytes(f.prefix, f.index.subarray(0, 40))).toThrow(/model\.ckpt-1000\.index: file is 40 bytes, shorter than the 48-byte table footer/);
  });

  test('mutated block contents with a recomputed CRC reach the Snappy, block and proto decoders: clean errors, or entries whose tensors read cleanly', async () => {
    const failures = new Failures();
    const rand = rng(2);
    let parsed = 0;
    for (const f of fixtures) {
      const { data, index } = f.layout;
      for (const block of [data, index]) {
        // every byte of the small blocks; 600 seeded positions of the large one; the type byte too
        const span = block.size + 1;
        const positions = span <= 300 ? Array.from({ length: span }, (_, i) => i) : Array.from({ length: 600 }, () => Math.floor(rand() * span));
        for (const p of positions) {
          for (const value of [f.index[block.offset + p]! ^ (1 << Math.floor(rand() * 8)), Math.floor(rand() * 256)]) {
            const m = f.index.slice();
            m[block.offset + p] = value;
            fixCrc(m, block);
            const what = `${f.name}.index block@${block.offset} byte ${p} := ${value} (CRC fixed)`;
            const o = await attempt(what, () => io.BundleReader.fromIndexBytes(f.prefix, m));
            if (!o.ok) {
              failures.clean(what, o.error, [io.CheckpointError], `${f.prefix}.index`);
              continue;
            }
            parsed++;
            const r = o.value;
            const names = [...r.entries.keys()];
            if (names.some((n, i) => i > 0 && !(names[i - 1]! < n))) failures.add(what, `entries out of order: ${names.join(', ')}`);
            // Read the tensors whose entry changed (the others read the same bytes as before).
            for (const e of r.entries.values()) {
              const before = f.entries.find((x) => x.name === e.name);
              if (before && JSON.stringify(before) === JSON.stringify(e)) continue;
              const t = await attempt(`${what}: read '${e.name}'`, () => r.readRaw(e.name));
              if (!t.ok) failures.clean(`${what}: read '${e.name}'`, t.error, [io.CheckpointError], f.prefix);
              else if (before && before.offset === e.offset && before.size === e.size && before.tfDtype === e.tfDtype && JSON.stringify(before.shape) === JSON.stringify(e.shape)) {
                if (!sameRaw(t.value, f.values.get(e.name)!)) failures.add(what, `'${e.name}' read different values`);
              }
            }
            await r.close();
          }
        }
      }
    }
    failures.check();
    expect(parsed).toBeGreaterThan(100); // the pass did reach the readers
  });
});

// ---- structural edits ------------------------------------------------------------------------

const dec = (b: Uint8Array) => new TextDecoder().decode(b);

/** All (key, value) pairs of an index. */
const pairsOf = (index: Uint8Array): [Uint8Array, Uint8Array][] => [...new io.TableReader(index, 'x')].map(([k, v]) => [k.slice(), v.slice()]);

/** A table of `pairs` (which must be sorted: the builder checks). */
function buildTable(pairs: [Uint8Array, Uint8Array][], options?: io.TableBuilderOptions): Uint8Array {
  const b = new io.TableBuilder(options);
  for (const [k, v] of pairs) b.add(k, v);
  return b.finish();
}

/** The index with the value under `key` replaced (or dropped when `edit` returns null). */
function editPair(index: Uint8Array, key: string, edit: (v: Uint8Array) => Uint8Array | null): Uint8Array {
  const out: [Uint8Array, Uint8Array][] = [];
  for (const [k, v] of pairsOf(index)) {
    const nv = dec(k) === key ? edit(v) : v;
    if (nv) out.push([k, nv]);
  }
  return buildTable(out);
}

/** The index with `name`'s BundleEntryProto changed. */
const editEntry = (index: Uint8Array, name: string, edit: (e: io.BundleEntry) => Partial<io.BundleEntry>): Uint8Array =>
  editPair(index, name, (v) => {
    const e = io.parseEntry(name, v);
    return io.encodeEntry({ ...e, ...edit(e) });
  });

/** A one-data-block table (uncompressed) whose data block holds exactly `contents`, CRC valid. */
function tableWithDataBlock(contents: Uint8Array): Uint8Array {
  // The builder's block for one pair ('k', V zero bytes) grows with V: find the V of the same size.
  for (let v = 0; v <= contents.length; v++) {
    const t = buildTable([[enc('k'), new Uint8Array(v)]]);
    const { data } = layoutOf(t);
    if (data.size !== contents.length) continue;
    t.set(contents, data.offset);
    fixCrc(t, data);
    return t;
  }
  throw new Error(`no table layout for a ${contents.length}-byte block`);
}

/** `file` with the only occurrence of `from` in bytes [start, end) replaced by `to` (same length). */
function patch(file: Uint8Array, from: string, to: string, start = 0, end = file.length): Uint8Array {
  const b = Buffer.from(file.subarray(0, end));
  const at = b.indexOf(from, start);
  expect([at >= 0, b.indexOf(from, at + 1)]).toEqual([true, -1]);
  const m = file.slice();
  m.set(enc(to), at);
  return m;
}

describe('structural edits of checkpoints', () => {
  const tfx = () => fixtures[2]!;
  const ours = () => fixtures[3]!;
  const open = (f: Fixture, index: Uint8Array) => io.BundleReader.fromIndexBytes(f.prefix, index);

  test('footer: huge and overlong varints, handles past the end, bad magic', () => {
    const f = tfx();
    const { meta, index, footer } = f.layout;
    const withFooter = (handles: io.ProtoWriter) => {
      const m = f.index.slice();
      expect(handles.pos).toBeLessThanOrEqual(40);
      m.fill(0, footer, footer + 40);
      m.set(handles.view(), footer);
      return m;
    };
    const w = () => new io.ProtoWriter(48).varint(meta.offset).varint(meta.size);
    const cases: [Uint8Array, string | RegExp][] = [
      [withFooter(w().varint(2n ** 63n).varint(index.size)), /model\.ckpt-1000\.index: corrupt footer: malformed message: varint exceeds 2\^53 at byte \d+/],
      [withFooter(w().varint(index.offset).varint(2 ** 40)), 'model.ckpt-1000.index: index block at offset 2642 (size 1099511627776) runs past the end of the file (2710 bytes; truncated?)'],
      [withFooter(w().varint(2 ** 53 - 1).varint(1)), 'index block at offset 9007199254740991 (size 1) runs past the end of the file'],
      [withFooter(w().raw(new Uint8Array(10).fill(0xff)).byte(1)), /corrupt footer: malformed message: varint longer than 10 bytes/],
      [withFooter(w().varint(index.offset).varint(index.size - 1)), /checksum mismatch in index block at offset 2642: stored masked crc32c 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8} \(file corrupt\)/],
      [withFooter(w().varint(0).varint(0)), /checksum mismatch in index block at offset 0/],
    ];
    const badMagic = f.index.slice();
    badMagic[f.index.length - 1] = 0xdc;
    cases.push([badMagic, 'model.ckpt-1000.index: bad table magic 0xdc4775248b80fb57 (expected 0xdb4775248b80fb57)']);
    for (const [m, want] of cases) {
      expect(() => open(f, m)).toThrow(io.CheckpointError);
      expect(() => open(f, m)).toThrow(want);
    }
  });

  test('block trailers: every compression type byte (CRC fixed), restart counts that do not fit', () => {
    for (const f of fixtures) {
      const { data, index } = f.layout;
      for (const block of [data, index]) {
        const what = block === data ? 'data block at offset 0' : `index block at offset ${index.offset}`;
        const type = f.index[block.offset + block.size]!;
        for (let t = 0; t < 256; t++) {
          const m = f.index.slice();
          m[block.offset + block.size] = t;
          fixCrc(m, block);
          if (t === type) expect(snapshot(open(f, m))).toBe(f.ref);
          else if (t > 1) expect(() => open(f, m)).toThrow(`${f.prefix}.index: ${what} has unknown compression type ${t} (expected 0: none or 1: Snappy)`);
          // a Snappy block read raw, or a raw block decompressed
          else expect(() => open(f, m)).toThrow(new RegExp(`^${escapeRe(f.prefix)}\\.index: (corrupt Snappy data in |corrupt )?${what}: `));
        }
      }
      expect(f.index[data.offset + data.size]).toBe(f.name.includes('half_plus_two') ? 1 : 0);
      const m = f.index.slice();
      new DataView(m.buffer).setUint32(index.offset + index.size - 4, 0xffffffff, true);
      fixCrc(m, index);
      expect(() => open(f, m)).toThrow(`${f.prefix}.index: corrupt index block at offset ${index.offset}: 4294967295 restart points do not fit in a ${index.size}-byte block`);
    }
  });

  test('block entries: shared prefixes longer than the previous key, huge key and value lengths, repeated keys', () => {
    // raw entries: (shared, nonShared, valueLen) varints, then the key delta and value; one restart
    const block = (entries: [number | bigint, number | bigint, number | bigint, string][]) => {
      const w = new io.ProtoWriter();
      for (const [s, n, v, rest] of entries) w.varint(s).varint(n).varint(v).raw(enc(rest));
      return w.fixed32(0).fixed32(1).finish();
    };
    const ok = tableWithDataBlock(block([[0, 1, 1, 'ax'], [1, 1, 1, 'by']]));
    expect([...new io.TableReader(ok, 't')].map(([k, v]) => [dec(k), dec(v)])).toEqual([['a', 'x'], ['ab', 'y']]);
    const cases: [Uint8Array, string][] = [
      [block([[0, 1, 0, 'a'], [5, 1, 0, 'b']]), 'entry shares 5 bytes with a 1-byte previous key'],
      [block([[0, 2 ** 40, 0, 'a']]), 'malformed message: length 1099511627776 runs past the end'],
      [block([[0, 1, 2 ** 53 - 1, 'a']]), 'malformed message: length 9007199254740991 runs past the end'],
      [block([[0, 2n ** 63n, 0, 'a']]), 'malformed message: varint exceeds 2^53'],
      [block([[0, 1, 0, 'b'], [0, 1, 0, 'b']]), "key 'b' follows 'b' (keys must be strictly increasing)"],
      [block([[0, 1, 0, 'b'], [0, 1, 0, 'a']]), "key 'a' follows 'b' (keys must be strictly increasing)"],
      [block([[0, 2, 0, 'ab'], [1, 0, 0, '']]), "key 'a' follows 'ab' (keys must be strictly increasing)"],
    ];
    for (const [contents, want] of cases) {
      const file = tableWithDataBlock(contents);
      expect(() => [...new io.TableReader(file, 'edited.index')]).toThrow(io.TableError);
      expect(() => [...new io.TableReader(file, 'edited.index')]).toThrow(`edited.index: corrupt data block at offset 0: ${want}`);
    }
  });

  test("duplicate or unsorted tensor names are rejected (a duplicate used to shadow its twin: reading it returned the other tensor's data)", async () => {
    const f = ours();
    // same-length names, stored whole (restart interval 1), so that a name can be patched in place
    const rename = new Map([['dense/bias', 'v1'], ['dense/kernel', 'v2'], ['embedding/ids', 'v3'], ['global_step', 'v4']]);
    const pairs = pairsOf(f.index).map(([k, v]) => [enc(rename.get(dec(k)) ?? ''), v] as [Uint8Array, Uint8Array]);
    const whole = buildTable(pairs, { restartInterval: 1 });
    expect([...open(f, whole).entries.keys()]).toEqual(['v1', 'v2', 'v3', 'v4']);
    expect(sameRaw(await open(f, whole).readRaw('v3'), f.values.get('embedding/ids')!)).toBe(true);
    const data = layoutOf(whole).data;
    for (const [to, want] of [['v2', "key 'v2' follows 'v2'"], ['v0', "key 'v0' follows 'v2'"]] as const) {
      const m = patch(whole, 'v3', to);
      fixCrc(m, data);
      expect(() => open(f, m)).toThrow(io.CheckpointError);
      expect(() => open(f, m)).toThrow(`${f.prefix}.index: corrupt data block at offset 0: ${want} (keys must be strictly increasing)`);
    }
    // across blocks (one pair per block), and in the index block (checksums off: no CRC to fix)
    const spread = buildTable(pairs, { blockSize: 1 });
    const { index } = layoutOf(spread);
    expect([...new io.TableReader(spread, 't')].length).toBe(5);
    const across = patch(spread, 'v3', 'v1', 0, index.offset);
    expect(() => [...new io.TableReader(across, 'spread.index', false)]).toThrow(/^spread\.index: corrupt data block at offset \d+: key 'v1' follows 'v2' \(keys must be strictly increasing\)$/);
    const inIndex = patch(spread, 'v3', 'v1', index.offset);
    expect(() => new io.TableReader(inIndex, 'spread.index', false)).toThrow(`spread.index: corrupt index block at offset ${index.offset}: key 'v1' follows 'v2' (keys must be strictly increasing)`);
  });
});

describe('BundleEntryProto / BundleHeaderProto fields inconsistent with the data', () => {
  const ours = () => fixtures[3]!;
  const read = async (f: Fixture, index: Uint8Array, name: string) => {
    const r = io.BundleReader.fromIndexBytes(f.prefix, index);
    try {
      return await r.readRaw(name);
    } finally {
      await r.close();
    }
  };

  test('dtype, shape, size, offset, shard and checksum fields: clean errors naming the data file and tensor, expected vs found', async () => {
    const f = ours();
    const data = `${io.dataFileName(f.prefix, 0, 1)}: tensor 'dense/bias': `;
    const bias = f.entries.find((e) => e.name === 'dense/bias')!;
    expect([bias.dtype, bias.shape, bias.size]).toEqual(['float32', [3], 12]);
    const slices = (v: Uint8Array) => Uint8Array.from([...v, 0x3a, 0x00]); // + an empty TensorSliceProto (field 7)
    const cases: [Uint8Array, string][] = [
      [editEntry(f.index, 'dense/bias', () => ({ size: 8 })), 'index says 8 bytes, but float32 shape [3] needs 12 (index corrupt)'],
      [editEntry(f.index, 'dense/bias', () => ({ shape: [4] })), 'index says 12 bytes, but float32 shape [4] needs 16 (index corrupt)'],
      [editEntry(f.index, 'dense/bias', () => ({ shape: [3, 0] })), 'index says 12 bytes, but float32 shape [3, 0] needs 0 (index corrupt)'],
      [editEntry(f.index, 'dense/bias', () => ({ tfDtype: 2 })), 'index says 12 bytes, but float64 shape [3] needs 24 (index corrupt)'],
      [editEntry(f.index, 'dense/bias', () => ({ tfDtype: 8 })), 'dtype complex64 is not supported'],
      [editEntry(f.index, 'dense/bias', () => ({ tfDtype: 0 })), 'dtype DataType 0 is not supported'],
      [editEntry(f.index, 'dense/bias', () => ({ tfDtype: 1000 })), 'dtype DataType 1000 is not supported'],
      [editEntry(f.index, 'dense/bias', () => ({ shape: [-1, 3] })), 'has an invalid shape [-1, 3]'],
      [editEntry(f.index, 'dense/bias', () => ({ shape: [2 ** 40, 2 ** 40] })), 'index says 12 bytes, but float32 shape [1099511627776, 1099511627776] needs 4.835703278458517e+24 (index corrupt)'],
      [editEntry(f.index, 'dense/bias', () => ({ offset: 1e6 })), `bytes [1000000, 1000012) run past the end of the data file (${f.data.length} bytes; truncated?)`],
      // a huge size that matches its shape is not allocated: the file is too short
      [editEntry(f.index, 'dense/bias', () => ({ shape: [2 ** 40], size: 2 ** 42 })), `bytes [${bias.offset}, ${bias.offset + 2 ** 42}) run past the end of the data file (${f.data.length} bytes; truncated?)`],
      [editEntry(f.index, 'dense/bias', () => ({ offset: -4 })), 'index has a negative offset -4 or size 12 (index corrupt)'],
      [editEntry(f.index, 'dense/bias', () => ({ crc32c: bias.crc32c ^ 1 })), `crc32c mismatch: index has 0x${((bias.crc32c ^ 1) >>> 0).toString(16).padStart(8, '0')}, data gives 0x${bias.crc32c.toString(16).padStart(8, '0')} (data file corrupt)`],
      [editPair(f.index, 'dense/bias', slices), 'is a partitioned variable (1 slices); reading slices is not supported'],
    ];
    for (const [index, want] of cases) {
      const o = await attempt(want, () => read(f, index, 'dense/bias'));
      expect(o.ok ? 'read without error' : o.error).toBeInstanceOf(io.CheckpointError);
      expect(o.ok ? '' : o.error.message).toBe(data + want);
    }
    await expect(read(f, editEntry(f.index, 'dense/bias', () => ({ shardId: 1 })), 'dense/bias')).rejects.toThrow("data-00001-of-00001: tensor 'dense/bias': shard_id 1 is outside the 1 data files");
  });

  test('a negative offset is an error, also on a local disk with checksums off (it used to read from the current file position: wrong data, silently)', async () => {
    const f = ours();
    const tmp = tempDir();
    try {
      const prefix = join(tmp.dir, 'model.ckpt-7');
      writeFileSync(io.dataFileName(prefix, 0, 1), f.data);
      const bad = editEntry(f.index, 'global_step', () => ({ offset: -1 }));
      for (const verifyChecksums of [true, false]) {
        const r = io.BundleReader.fromIndexBytes(prefix, bad, { verifyChecksums });
        await expect(r.readRaw('global_step')).rejects.toThrow(`${io.dataFileName(prefix, 0, 1)}: tensor 'global_step': index has a negative offset -1 or size 8 (index corrupt)`);
        expect(nums(io.rawToTensor(await r.readRaw('dense/bias')))).toEqual([0.5, -1, 2]);
        await r.close();
      }
    } finally {
      tmp.cleanup();
    }
  });

  test('proto-level corruption of an entry: wrong wire types, unknown rank, truncation, overlong and huge varints', async () => {
    const f = ours();
    const name = 'dense/bias';
    const entry = io.encodeEntry(f.entries.find((e) => e.name === name)!);
    const w = () => new io.ProtoWriter();
    const cases: [Uint8Array, string][] = [
      [w().tag(1, 2).bytes(Uint8Array.of(1)).finish(), 'dtype (field 1) has wire type 2, expected 0'],
      [w().tag(2, 0).varint(3).finish(), 'shape (field 2) has wire type 0, expected 2'],
      [w().tag(6, 0).varint(3).finish(), 'crc32c (field 6) has wire type 0, expected 5'],
      [w().lenField(2, w().tag(3, 0).varint(1).finish()).finish(), 'shape has unknown rank'],
      [w().tag(4, 0).raw(new Uint8Array(10).fill(0xff)).byte(1).finish(), 'malformed message: varint longer than 10 bytes at byte 1'],
      [w().tag(4, 0).varint(2n ** 62n).finish(), 'malformed message: integer 4611686018427387904 out of range at byte 10'],
      [w().tag(2, 2).varint(0xffffffff).finish(), 'malformed message: length 4294967295 runs past the end (0 bytes left) at byte 6'],
      [w().tag(2, 2).varint(2 ** 40).finish(), 'malformed message: varint does not fit in 32 bits at byte 7'],
      [w().tag(9, 7).finish(), 'malformed message: unsupported wire type 7 at byte 1'],
      [Uint8Array.of(0), 'malformed message: field number 0 at byte 1'],
      [entry.subarray(0, entry.length - 1), `malformed message: truncated fixed32 at byte ${entry.length - 4}`],
    ];
    for (const [value, want] of cases) {
      const index = editPair(f.index, name, () => value);
      expect(() => io.BundleReader.fromIndexBytes(f.prefix, index)).toThrow(`${f.prefix}.index: tensor '${name}': corrupt BundleEntryProto: ${want}`);
    }
  });

  test('header: missing, corrupt, too new, shard counts', async () => {
    const f = ours();
    const idx = `${f.prefix}.index: `;
    const header = (fields: (w: io.ProtoWriter) => io.ProtoWriter) => editPair(f.index, '', () => fields(new io.ProtoWriter()).finish());
    const version = (v: io.ProtoWriter) => (w: io.ProtoWriter) => w.tag(1, 0).varint(1).lenField(3, v.finish());
    const cases: [Uint8Array, string][] = [
      [editPair(f.index, '', () => null), 'no header entry (empty key): not a TensorBundle index'],
      [header((w) => w.tag(1, 0).varint(0)), 'header has num_shards 0'],
      [header((w) => w.tag(1, 0).varint(-2)), 'header has num_shards -2'],
      [header(version(new io.ProtoWriter().tag(1, 0).varint(2).tag(2, 0).varint(2))), 'bundle version (producer 2, min_consumer 2) is too new for this reader (version 1)'],
      [header(version(new io.ProtoWriter().tag(3, 0).varint(1))), 'bundle version (producer 0, min_consumer 0) is too new for this reader (version 1)'],
      [header(version(new io.ProtoWriter().lenField(3, Uint8Array.of(0, 1)))), 'bundle version (producer 0, min_consumer 0) is too new for this reader (version 1)'],
      [header((w) => w.tag(1, 2).bytes(Uint8Array.of(1))), 'corrupt header: num_shards (field 1) has wire type 2, expected 0'],
      [header((w) => w.byte(0xff)), 'corrupt header: malformed message: truncated varint at byte 0'],
      [header((w) => w.tag(3, 2).varint(100)), 'corrupt header: malformed message: length 100 runs past the end (0 bytes left) at byte 2'],
    ];
    for (const [index, want] of cases) {
      expect(() => io.BundleReader.fromIndexBytes(f.prefix, index)).toThrow(io.CheckpointError);
      expect(() => io.BundleReader.fromIndexBytes(f.prefix, index)).toThrow(idx + want);
    }
    // three shards declared, one written: the data file name says which one is missing
    const r = io.BundleReader.fromIndexBytes(f.prefix, header((w) => w.tag(1, 0).varint(3)));
    await expect(r.readRaw('dense/bias')).rejects.toThrow(`checkpoint '${f.prefix}': data file ${io.dataFileName(f.prefix, 0, 3)} is missing`);
  });
});

describe('data files (.data-*): per-tensor CRC-32C', () => {
  /** The tensor whose bytes hold `pos`, if any. */
  const covering = (f: Fixture, pos: number) => f.entries.find((e) => pos >= e.offset && pos < e.offset + e.size);

  /** Reads `names` from a copy of the checkpoint whose data file is `data`. */
  async function readAll(f: Fixture, data: Uint8Array, what: string, names: string[]): Promise<Map<string, Outcome<io.RawTensor>>> {
    const prefix = `mem://fz/mutated/${f.name}`;
    await gfile.writeFile(io.dataFileName(prefix, 0, 1), data);
    const r = io.BundleReader.fromIndexBytes(prefix, f.index);
    const out = new Map<string, Outcome<io.RawTensor>>();
    for (const n of names) out.set(n, await attempt(`${what}: read '${n}'`, () => r.readRaw(n)));
    await r.close();
    return out;
  }

  test('every bit flip inside a tensor is caught by its CRC (seeded sample of the large file); the other tensors read unchanged', async () => {
    const failures = new Failures();
    const rand = rng(3);
    for (const f of fixtures) {
      const dataPath = io.dataFileName(`mem://fz/mutated/${f.name}`, 0, 1);
      const bits = f.data.length <= 1000 ? Array.from({ length: f.data.length * 8 }, (_, i) => i) : Array.from({ length: 400 }, () => Math.floor(rand() * f.data.length * 8));
      // and the first and last byte of every tensor
      for (const e of f.entries) if (e.size > 0) bits.push(e.offset * 8 + Math.floor(rand() * 8), (e.offset + e.size - 1) * 8 + Math.floor(rand() * 8));
      for (const bit of bits) {
        const m = f.data.slice();
        m[bit >> 3]! ^= 1 << (bit & 7);
        const hit = covering(f, bit >> 3);
        const other = f.entries[Math.floor(rand() * f.entries.length)]!;
        const what = `${f.name} data bit ${bit}`;
        const got = await readAll(f, m, what, [...new Set([hit?.name ?? other.name, other.name])]);
        for (const [n, o] of got) {
          if (n === hit?.name) {
            if (o.ok) failures.add(what, `flip in '${n}' read without an error`);
            else if (!/crc32c mismatch: index has 0x[0-9a-f]{8}, data gives 0x[0-9a-f]{8}|string length checksum mismatch|corrupt string tensor/.test(o.error.message)) failures.add(what, o.error.message);
            else failures.clean(what, o.error, [io.CheckpointError], `${dataPath}: tensor '${n}'`);
          } else if (!o.ok || !sameRaw(o.value, f.values.get(n)!)) {
            failures.add(what, `'${n}' (not containing the flip) ${o.ok ? 'read different values' : `failed: ${o.error.message}`}`);
          }
        }
      }
    }
    failures.check();
  });

  test('truncation at every tensor boundary (and one byte either side): the tensors that no longer fit fail naming their byte range, the others read', async () => {
    const failures = new Failures();
    for (const f of fixtures) {
      const cuts = new Set<number>();
      for (const e of f.entries) for (const c of [e.offset, e.offset + e.size]) for (const d of [-1, 0, 1]) if (c + d >= 0 && c + d < f.data.length) cuts.add(c + d);
      for (const cut of cuts) {
        const what = `${f.name} data cut to ${cut} bytes`;
        const got = await readAll(f, f.data.subarray(0, cut), what, f.entries.map((e) => e.name));
        for (const e of f.entries) {
          const o = got.get(e.name)!;
          const fits = e.offset + e.size <= cut;
          if (fits && !(o.ok && sameRaw(o.value, f.values.get(e.name)!))) failures.add(what, `'${e.name}' fits but did not read back`);
          if (!fits) {
            if (o.ok) failures.add(what, `'${e.name}' read although it is cut`);
            else if (!o.error.message.endsWith(`: tensor '${e.name}': bytes [${e.offset}, ${e.offset + e.size}) run past the end of the data file (${cut} bytes; truncated?)`)) failures.add(what, o.error.message);
          }
        }
      }
    }
    failures.check();
  });
});

describe('Snappy and protobuf decoders on their own', () => {
  /** The Snappy-compressed data blocks of the half_plus_two indexes. */
  const streams = () => fixtures.filter((f) => f.index[f.layout.data.size] === 1).map((f) => f.index.slice(0, f.layout.data.size));

  /** SnappyError, or exactly the declared number of bytes. */
  function checkSnappy(src: Uint8Array, what: string, failures: Failures): Promise<void> {
    return attempt(what, () => io.snappyDecompress(src)).then((o) => {
      if (!o.ok) {
        if (!(o.error instanceof io.SnappyError) || ENGINE.test(o.error.message)) failures.add(what, `${o.error.constructor.name}: ${o.error.message}`);
      } else if (o.value.length !== io.snappyUncompressedLength(src)) failures.add(what, `returned ${o.value.length} bytes, declared ${io.snappyUncompressedLength(src)}`);
    });
  }

  test('every bit flip, random byte and truncation of real Snappy blocks, and random streams: SnappyError or the declared length', async () => {
    const failures = new Failures();
    const rand = rng(4);
    const srcs = streams();
    expect(srcs.map((s) => [s.length, io.snappyDecompress(s).length])).toEqual([[87, 100], [153, 192]]);
    for (const s of srcs) {
      for (let bit = 0; bit < s.length * 8; bit++) {
        const m = s.slice();
        m[bit >> 3]! ^= 1 << (bit & 7);
        await checkSnappy(m, `bit ${bit} of a ${s.length}-byte stream`, failures);
      }
      for (let pos = 0; pos < s.length; pos++) {
        const m = s.slice();
        m[pos] = Math.floor(rand() * 256);
        await checkSnappy(m, `byte ${pos} := ${m[pos]}`, failures);
        await checkSnappy(s.subarray(0, pos), `cut to ${pos} bytes`, failures);
      }
    }
    for (let k = 0; k < 3000; k++) {
      const m = Uint8Array.from({ length: 1 + Math.floor(rand() * 48) }, () => Math.floor(rand() * 256));
      if (rand() < 0.7) m[0] = Math.floor(rand() * 128); // a plausible length preamble
      await checkSnappy(m, `random stream ${Buffer.from(m).toString('hex')}`, failures);
    }
    failures.check();
  });

  test('corrupt streams: bad copy offsets, lengths beyond the output or input, bad preambles, a huge declared length (rejected before allocating it)', () => {
    const lit = (s: string) => [(s.length - 1) << 2, ...enc(s)];
    const copy1 = (len: number, off: number) => [1 | ((len - 4) << 2) | ((off >> 8) << 5), off & 0xff];
    const copy2 = (len: number, off: number) => [2 | ((len - 1) << 2), off & 0xff, off >> 8];
    const cases: [number[], string][] = [
      [[5, ...lit('a'), ...copy1(4, 0)], 'copy offset 0 is invalid at output byte 1'],
      [[5, ...lit('a'), ...copy1(4, 2)], 'copy offset 2 is invalid at output byte 1'],
      [[5, ...lit('ab'), ...copy2(3, 300)], 'copy offset 300 is invalid at output byte 2'],
      [[2, ...lit('a'), ...copy1(4, 1)], 'output exceeds the declared length 2'],
      [[1, ...lit('ab')], 'output exceeds the declared length 1'],
      [[9, 3 << 2, 97], 'literal of 4 bytes runs past the input at byte 2'],
      [[5, 61 << 2, 1], 'truncated literal length at byte 1'],
      [[5, 63 << 2, 0xff, 0xff, 0xff, 0xff], 'literal of 4294967296 bytes runs past the input at byte 6'],
      [[4, ...lit('a'), 1], 'truncated copy'],
      [[4, ...lit('a'), 2, 1], 'truncated copy'],
      [[4, ...lit('a'), 3, 1, 0, 0], 'truncated copy'],
      [[9, ...lit('a')], 'decompressed 1 bytes but the preamble declares 9'],
      [[], 'truncated length preamble'],
      [[0x80], 'truncated length preamble'],
      [[0x80, 0x80, 0x80, 0x80, 0x80, 0], 'length preamble longer than 5 bytes'],
      [[0xff, 0xff, 0xff, 0xff, 0x1f, 0], 'uncompressed length 8589934591 exceeds 2^32-1'],
      [[0xff, 0xff, 0xff, 0xff, 0x0f, 0], 'the preamble declares 4294967295 bytes, but 1 bytes of input decompress to at most 21'],
    ];
    for (const [bytes, want] of cases) {
      expect(() => io.snappyDecompress(Uint8Array.from(bytes))).toThrow(io.SnappyError);
      expect(() => io.snappyDecompress(Uint8Array.from(bytes))).toThrow(want);
    }
    // the bound is exact: 64-byte copies of 3 bytes each (the densest encoding) still decode
    const k = 100;
    const dense = Uint8Array.from([...new io.ProtoWriter().varint(1 + 64 * k).finish(), ...lit('a'), ...Array.from({ length: k }, () => copy2(64, 1)).flat()]);
    expect(io.snappyDecompress(dense)).toEqual(new Uint8Array(1 + 64 * k).fill(97));
  });

  test('BundleEntryProto and BundleHeaderProto: every bit flip and truncation of the real entries gives a ProtoError or an entry', async () => {
    const failures = new Failures();
    for (const f of fixtures) {
      for (const [k, v] of pairsOf(f.index)) {
        const name = dec(k);
        const parse = (b: Uint8Array) => (name === '' ? io.parseHeader(b) : io.parseEntry(name, b));
        for (let bit = 0; bit <= v.length * 8; bit++) {
          const m = bit < v.length * 8 ? v.slice() : v.subarray(0, 0);
          if (bit < v.length * 8) m[bit >> 3]! ^= 1 << (bit & 7);
          const what = `${f.name} '${name}' bit ${bit}`;
          const o = await attempt(what, () => parse(m));
          if (!o.ok && (!(o.error instanceof io.ProtoError) || ENGINE.test(o.error.message))) failures.add(what, `${o.error.constructor.name}: ${o.error.message}`);
        }
        for (let n = 0; n < v.length; n++) {
          const o = await attempt(`${name} cut`, () => parse(v.subarray(0, n)));
          if (!o.ok && !(o.error instanceof io.ProtoError)) failures.add(`${f.name} '${name}' cut to ${n}`, `${o.error.constructor.name}: ${o.error.message}`);
        }
      }
    }
    failures.check();
  });
});

describe('Saver: a failed restore changes no variable, a failed save loses nothing', () => {
  const valuesOf = (vars: ef.Variable[]) => vars.map((v) => Array.from(v.dataSync() as ArrayLike<number | bigint>, String).join(','));

  test('restoring corrupted checkpoints (data flips in each tensor, truncation, index flips, bad entries, a missing data file) fails and keeps every variable', async () => {
    const dir = 'mem://fz/restore';
    await gfile.makeDirs(dir);
    const vars = [
      ef.variable(ef.tensor(Float32Array.from({ length: 12 }, (_, i) => i + 0.5), [3, 4]), { name: 'dense/kernel' }),
      ef.variable(ef.tensor([1, 2, 3, 4]), { name: 'dense/bias' }),
      ef.variable(ef.tensor([4, 5, 6], [3], 'int32'), { name: 'emb/ids' }),
      ef.variable(ef.tensor([3n], [], 'int64'), { name: 'global_step' }),
    ];
    try {
      const saver = new io.Saver({ varList: vars });
      const good = await saver.save(`${dir}/model.ckpt`);
      const saved = valuesOf(vars);
      // the values a failed restore must leave in place
      vars[0]!.assign(ef.zeros([3, 4]));
      vars[1]!.assign(ef.tensor([9, 9, 9, 9]));
      vars[2]!.assign(ef.tensor([0, 0, 0], [3], 'int32'));
      vars[3]!.assign(ef.tensor([99n], [], 'int64'));
      const current = valuesOf(vars);
      const index = await gfile.readFile(io.indexFileName(good));
      const data = await gfile.readFile(io.dataFileName(good, 0, 1));
      const entries = [...io.BundleReader.fromIndexBytes(good, index).entries.values()];
      const rand = rng(5);
      const cases: [string, Uint8Array, Uint8Array | null][] = [];
      for (const e of entries) {
        // a flip in each tensor: the others read fine, so only the all-or-nothing rule protects them
        for (const pos of [e.offset, e.offset + e.size - 1, e.offset + Math.floor(rand() * e.size)]) {
          const m = data.slice();
          m[pos]! ^= 1 << Math.floor(rand() * 8);
          cases.push([`data byte ${pos} ('${e.name}')`, index, m]);
        }
        cases.push([`data cut inside '${e.name}'`, index, data.subarray(0, e.offset + e.size - 1)]);
      }
      for (let k = 0; k < 10; k++) {
        const m = index.slice();
        m[Math.floor(rand() * layoutOf(index).meta.offset)]! ^= 1 << Math.floor(rand() * 8);
        cases.push([`index flip ${k}`, m, data]);
      }
      cases.push(['bias shape [2, 2]', editEntry(index, 'dense/bias', () => ({ shape: [2, 2] })), data]);
      cases.push(['global_step dtype int32', editEntry(index, 'global_step', () => ({ tfDtype: 3, size: 4 })), data]);
      cases.push(['global_step offset -8', editEntry(index, 'global_step', () => ({ offset: -8 })), data]);
      cases.push(['no data file', index, null]);
      for (const [what, idx, dat] of cases) {
        const bad = `${dir}/bad`;
        await gfile.writeFile(io.indexFileName(bad), idx);
        if (dat) await gfile.writeFile(io.dataFileName(bad, 0, 1), dat);
        else await gfile.remove(io.dataFileName(bad, 0, 1)).catch(() => {});
        const o = await attempt(what, () => saver.restore(bad));
        expect([what, o.ok ? 'restored' : o.error instanceof io.CheckpointError && o.error.message.includes(bad)]).toEqual([what, true]);
        expect([what, valuesOf(vars)]).toEqual([what, current]);
      }
      // the TF checkpoint the same way: a flipped byte in one tensor, the others intact
      const tfx = fixtures[2]!;
      const picked = tfx.entries.filter((e) => ['dnn/hiddenlayer_0/kernel', 'dnn/logits/bias', 'global_step'].includes(e.name));
      const tfVars = picked.map((e) => ef.variable(e.dtype === 'int64' ? ef.tensor([0n], e.shape, 'int64') : ef.zeros(e.shape), { name: e.name }));
      const tfSaver = new io.Saver({ varList: new Map(picked.map((e, i) => [e.name, tfVars[i]!])) });
      const zeros = valuesOf(tfVars);
      const m = tfx.data.slice();
      m[picked[1]!.offset]! ^= 0x10;
      await gfile.writeFile(io.dataFileName(`${dir}/tfx`, 0, 1), m);
      await gfile.writeFile(io.indexFileName(`${dir}/tfx`), tfx.index);
      await expect(tfSaver.restore(`${dir}/tfx`)).rejects.toThrow(/Saver\.restore\('mem:\/\/fz\/restore\/tfx'\) failed; no variable was changed\. 1 problem\(s\):\n {2}- .*tfx\.data-00000-of-00001: tensor 'dnn\/logits\/bias': crc32c mismatch/);
      expect(valuesOf(tfVars)).toEqual(zeros);
      await tfSaver.restore(tfx.prefix);
      expect(nums(tfVars[1]!)).toEqual([Math.fround(-0.0688979402)]);
      // and the intact checkpoint still restores everything
      await saver.restore(good);
      expect(valuesOf(vars)).toEqual(saved);
    } finally {
      disposeAllVariables();
    }
  });

  /**
   * A mem:// file system under another scheme whose `failAt`-th write operation (an append, or one
   * atomic store update: create, sync, close, rename, remove, writeFile) fails.
   */
  class FaultyStore extends gfile.MapStore {
    ops = 0;
    failAt = 0;
    fired = false;
    tick(what: string): void {
      if (++this.ops === this.failAt) {
        this.fired = true;
        throw new gfile.GFileError(`${what}: injected I/O error`, 'IO');
      }
    }
    override async batch(puts: [string, io.gfile.KVEntry][], deletes: string[]): Promise<void> {
      this.tick(`store update of ${[...puts.map((p) => p[0]), ...deletes].join(', ')}`);
      return super.batch(puts, deletes);
    }
  }
  class FaultyFileSystem extends gfile.KVFileSystem {
    constructor(private readonly faults: FaultyStore) {
      super('faulty', faults);
    }
    override async openWrite(path: string, options?: { append?: boolean }): Promise<io.gfile.WritableFile> {
      const w = await super.openWrite(path, options);
      return {
        ...w,
        append: async (data) => {
          await new Promise((r) => setTimeout(r, 0)); // fails later, as a disk write does
          this.faults.tick(`write '${path}'`);
          return w.append(data);
        },
      };
    }
  }

  test('a save that fails at any write keeps the previous checkpoint and the state file intact and readable', async () => {
    const store = new FaultyStore();
    gfile.registerFileSystem('faulty', new FaultyFileSystem(store));
    const dir = 'faulty://ckpt';
    await gfile.makeDirs(dir);
    const vars = [
      ef.variable(ef.tensor(Float32Array.from({ length: 64 }, (_, i) => i), [8, 8]), { name: 'w' }),
      ef.variable(ef.tensor([1, 2, 3]), { name: 'b' }),
      ef.variable(ef.tensor([1n], [], 'int64'), { name: 'global_step' }),
    ];
    try {
      const first = await new io.Saver({ varList: vars }).save(`${dir}/model.ckpt`, { globalStep: 1 });
      const before = new Map(store.map);
      const state = await gfile.readFile(`${dir}/checkpoint`);
      vars[0]!.assign(ef.zeros([8, 8]));
      vars[1]!.assign(ef.tensor([7, 7, 7]));
      vars[2]!.assign(ef.tensor([2n], [], 'int64'));
      const second = valuesOf(vars);
      const readB = async () => {
        const r = await io.CheckpointReader.open(dir); // the state file's latest checkpoint
        try {
          return nums(await r.getTensor('b'));
        } finally {
          await r.close();
        }
      };
      let failed = 0;
      for (let k = 1; ; k++) {
        // the same starting point each time: the first checkpoint, kept by a saver with maxToKeep 1
        store.map.clear();
        for (const [key, e] of before) store.map.set(key, e);
        const saver = new io.Saver({ varList: vars, maxToKeep: 1 });
        await saver.recoverLastCheckpoints([first]);
        store.ops = 0;
        store.failAt = k;
        store.fired = false;
        const o = await attempt(`fault at write ${k}`, () => saver.save(`${dir}/model.ckpt`, { globalStep: 2 }));
        store.failAt = 0;
        if (!store.fired) {
          expect(o.ok).toBe(true); // every write of a save has failed once
          expect([await readB(), await io.checkpointExists(first)]).toEqual([[7, 7, 7], false]);
          break;
        }
        expect(valuesOf(vars)).toEqual(second); // saving never changes the variables
        if (o.ok) continue; // a fault while clearing stale temporary files is ignored (nothing to clear)
        failed++;
        expect(o.error.message).toMatch(/injected I\/O error/);
        const st = (await io.getCheckpointState(dir))!;
        if (Buffer.compare(await gfile.readFile(`${dir}/checkpoint`), state) === 0) {
          // up to the state update: the previous checkpoint is intact and still the latest; the new one
          // has an index only once it is complete; no temporary files are left
          expect([k, st.modelCheckpointPath, await readB()]).toEqual([k, first, [1, 2, 3]]);
          if (await gfile.exists(`${dir}/model.ckpt-2.index`)) expect(nums(await io.loadVariable(`${dir}/model.ckpt-2`, 'b'))).toEqual([7, 7, 7]);
          for (const n of await gfile.listDirectory(dir)) expect([k, n, before.has(`ckpt/${n}`) || /^model\.ckpt-2\.(index|data-00000-of-00001)$/.test(n)]).toEqual([k, n, true]);
        } else {
          // while removing the old checkpoint (maxToKeep): the state names the new one, complete
          expect([k, st.modelCheckpointPath, st.allModelCheckpointPaths, await readB()]).toEqual([k, `${dir}/model.ckpt-2`, [`${dir}/model.ckpt-2`], [7, 7, 7]]);
        }
      }
      expect(failed).toBeGreaterThanOrEqual(8);
    } finally {
      disposeAllVariables();
    }
  });

  test('a write that fails while the writer is still being fed is reported by finish, not left as an unhandled rejection', async () => {
    const store = new FaultyStore();
    gfile.registerFileSystem('faulty', new FaultyFileSystem(store));
    await gfile.makeDirs('faulty://w');
    // jest hands tests a copy of `process`, whose listeners never hear the real process's events
    const realProcess = runInThisContext('process') as NodeJS.Process;
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    realProcess.on('unhandledRejection', onUnhandled);
    try {
      const writer = new io.BundleWriter('faulty://w/model');
      store.ops = 0;
      store.failAt = 2; // the data file is created (1), its first append fails (2)
      await writer.add('a', { dtype: 'float32', shape: [2], values: Float32Array.of(1, 2) });
      await new Promise((r) => setTimeout(r, 20)); // the next tensor is still being computed
      await writer.add('b', { dtype: 'float32', shape: [1], values: Float32Array.of(3) });
      await expect(writer.finish()).rejects.toThrow(/write 'faulty:\/\/w\/model\.data-00000-of-00001\.tempstate\d+': injected I\/O error/);
      await new Promise((r) => setTimeout(r, 20));
      expect(store.fired).toBe(true);
      expect(unhandled).toEqual([]);
      expect(await gfile.listDirectory('faulty://w')).toEqual([]); // temporary files removed
    } finally {
      realProcess.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('safetensors', () => {
  const FILES = ['burn/boolean', 'burn/buffer', 'burn/integer', 'burn/linear', 'burn/multi_layer', 'mlverse/hello', 'swift_safetensors/data'];
  const load = (name: string) => fileBytes(fx(`safetensors/${name}.safetensors`));
  const headerLength = (b: Uint8Array) => Number(new DataView(b.buffer, b.byteOffset).getBigUint64(0, true));
  /** Tensors in buffer order, without their names: what a renamed tensor still shares with the original. */
  const layout = (r: io.RawSafetensors) =>
    JSON.stringify([...r.header.values()].sort((a, b) => a.dataOffsets[0] - b.dataOffsets[0]).map((t) => [t.shape, t.dataOffsets, FILE_DTYPE_BYTES[t.dtype]]));
  const FILE_DTYPE_BYTES: Record<string, number> = { BOOL: 1, U8: 1, I8: 1, I16: 2, U16: 2, F16: 2, BF16: 2, I32: 4, U32: 4, F32: 4, F64: 8, I64: 8, U64: 8 };

  /** A file from a header (string or bytes), a data buffer and optionally a stated header length. */
  const file = (header: string | Uint8Array, data = new Uint8Array(0), n?: bigint) => {
    const h = typeof header === 'string' ? enc(header) : header;
    const out = new Uint8Array(8 + h.length + data.length);
    new DataView(out.buffer).setBigUint64(0, n ?? BigInt(h.length), true);
    out.set(h, 8);
    out.set(data, 8 + h.length);
    return out;
  };

  test('bit flips in the header and its length: SafetensorsError naming the file, or the same tensors (a renamed one at most); data flips land in exactly their tensor; truncation and trailing bytes are errors', async () => {
    const failures = new Failures();
    const rand = rng(6);
    for (const name of FILES) {
      const where = `${name}.safetensors`;
      const bytes = load(name);
      const ref = io.parseSafetensors(bytes, where);
      const start = 8 + headerLength(bytes);
      const check = async (m: Uint8Array, what: string, mayParse: boolean) => {
        const o = await attempt(what, () => io.parseSafetensors(m, where));
        if (!o.ok) return failures.clean(what, o.error, [io.SafetensorsError], where);
        if (!mayParse) return failures.add(what, 'parsed without an error');
        if (layout(o.value) !== layout(ref)) return failures.add(what, `parsed to another layout ${layout(o.value)}`);
        for (const [t, info] of o.value.header) {
          const [b, e] = info.dataOffsets;
          const got = rawBytesOf(o.value.tensors.get(t)!)[0]!;
          if (Buffer.compare(got, m.subarray(start + b, start + e)) !== 0) failures.add(what, `tensor '${t}' does not hold its bytes [${b}, ${e})`);
        }
      };
      for (let bit = 0; bit < start * 8; bit++) {
        const m = bytes.slice();
        m[bit >> 3]! ^= 1 << (bit & 7);
        await check(m, `${name} header bit ${bit}`, true);
      }
      for (let k = 0; k < 100; k++) {
        const bit = start * 8 + Math.floor(rand() * (bytes.length - start) * 8);
        const m = bytes.slice();
        m[bit >> 3]! ^= 1 << (bit & 7);
        await check(m, `${name} data bit ${bit}`, true);
      }
      const cuts = bytes.length <= 1000 ? Array.from({ length: bytes.length }, (_, i) => i) : [...Array.from({ length: 200 }, () => Math.floor(rand() * bytes.length)), start - 1, start, start + 1, bytes.length - 1];
      for (const cut of cuts) await check(bytes.subarray(0, cut), `${name} cut to ${cut} bytes`, false);
      await check(file(bytes.subarray(8, start), Uint8Array.from([...bytes.subarray(start), 0])), `${name} + 1 trailing byte`, false);
    }
    failures.check();
  });

  test('malformed headers: JSON syntax, bad strings (used to throw a raw SyntaxError), deep nesting (used to overflow the stack), not an object, not UTF-8, duplicate keys', () => {
    const cases: [Uint8Array, string][] = [
      [file('{'), 'invalid header JSON at character 1: expected a string key'],
      [file('{"a"'), "invalid header JSON at character 4: expected ':'"],
      [file('{"a":}'), 'invalid header JSON at character 5: unexpected token'],
      [file('{"a":{"dtype":"F32",}}'), 'invalid header JSON at character 20: expected a string key'],
      [file('{"a" 1}'), "invalid header JSON at character 5: expected ':'"],
      [file("{'a':1}"), 'invalid header JSON at character 1: expected a string key'],
      [file('{"a":tru}'), 'invalid header JSON at character 5: unexpected token'],
      [file('{"a":[1,2}'), "invalid header JSON at character 9: expected ',' or ']'"],
      [file('{"a":1}}'), 'invalid header JSON at character 7: trailing characters'],
      [file('{"a":"b'), 'invalid header JSON at character 7: unterminated string'],
      [file('{"a\\q":1}'), 'invalid header JSON at character 1: invalid string (a bad escape or an unescaped control character)'],
      [file('{"a":"\\u12"}'), 'invalid header JSON at character 5: invalid string (a bad escape or an unescaped control character)'],
      [file('{"a\tb":1}'), 'invalid header JSON at character 1: invalid string (a bad escape or an unescaped control character)'],
      [file(`{"a":${'['.repeat(100000)}${']'.repeat(100000)}}`), 'invalid header JSON at character 132: nesting deeper than 128 levels'],
      [file(`{"a":${'{"b":'.repeat(5000)}1${'}'.repeat(5000)}}`), 'invalid header JSON at character 640: nesting deeper than 128 levels'],
      [file('{"a":{"dtype":"F32","dtype":"F32"}}'), 'invalid header JSON at character 27: duplicate key "dtype"'],
      [file('{"a":1,"a":1}'), 'invalid header JSON at character 10: duplicate key "a"'],
      [file('[{"a":1}]'), "header must start with '{'"],
      [file(' {}'), "header must start with '{'"],
      [file(Uint8Array.of(0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d)), 'header is not valid UTF-8'],
      [file('{"__metadata__":{"k":1}}'), "__metadata__ value for 'k' is not a string"],
      [file('{"__metadata__":[]}'), '__metadata__ must be an object of strings'],
      [file('{"a":1e999}'), "tensor 'a': entry is not an object"],
    ];
    for (const [bytes, want] of cases) {
      const o = (() => {
        try {
          io.parseSafetensors(bytes, 'bad.safetensors');
          return 'parsed';
        } catch (e) {
          return e as Error;
        }
      })();
      expect([want, o]).toEqual([want, expect.any(io.SafetensorsError)]);
      expect((o as Error).message).toBe(`bad.safetensors: ${want}`);
    }
  });

  test('tensor entries: overlapping, out-of-range and invalid data_offsets, sizes that do not match, unknown dtypes, huge header lengths', () => {
    const d = (n: number) => new Uint8Array(n);
    const t = (name: string, dtype: string, shape: unknown, offsets: unknown) => `"${name}":{"dtype":"${dtype}","shape":${JSON.stringify(shape)},"data_offsets":${JSON.stringify(offsets)}}`;
    const cases: [Uint8Array, string][] = [
      [file(`{${t('a', 'F32', [2], [0, 8])},${t('b', 'F32', [2], [4, 12])}}`, d(12)), "tensor 'b': data_offsets [4, 12] overlap tensor 'a' (which ends at 8)"],
      [file(`{${t('a', 'F32', [2], [0, 8])}}`, d(4)), "tensor 'a': data_offsets [0, 8] out of range: the data buffer has 4 bytes"],
      [file(`{${t('a', 'F32', [2], [0, 2 ** 53])}}`, d(8)), "tensor 'a': invalid data_offsets [0,9007199254740992] (expected [begin, end] in bytes)"],
      [file(`{${t('a', 'F32', [2], [4, 12])}}`, d(12)), "tensor 'a': data_offsets begin at 4, leaving a hole after byte 0"],
      [file(`{${t('a', 'F32', [2], [8, 0])}}`, d(8)), "tensor 'a': data_offsets [8, 0] end before they begin"],
      [file(`{${t('a', 'F32', [2], [-8, 0])}}`, d(8)), "tensor 'a': invalid data_offsets [-8,0] (expected [begin, end] in bytes)"],
      [file(`{${t('a', 'F32', [2], [0, 8, 9])}}`, d(8)), "tensor 'a': invalid data_offsets [0,8,9] (expected [begin, end] in bytes)"],
      [file(`{${t('a', 'F32', [2], [0, 7.5])}}`, d(8)), "tensor 'a': invalid data_offsets [0,7.5] (expected [begin, end] in bytes)"],
      [file(`{${t('a', 'F32', [3], [0, 8])}}`, d(8)), "tensor 'a': F32 shape [3] needs 12 bytes, data_offsets give 8"],
      [file(`{${t('a', 'F32', [2 ** 40, 2 ** 40], [0, 8])}}`, d(8)), "tensor 'a': F32 shape [1099511627776, 1099511627776] needs 4.835703278458517e+24 bytes, data_offsets give 8"],
      [file(`{${t('a', 'F32', [-2], [0, 8])}}`, d(8)), "tensor 'a': invalid shape [-2] (expected an array of non-negative integers)"],
      [file(`{${t('a', 'F32', '2', [0, 8])}}`, d(8)), 'tensor \'a\': invalid shape "2" (expected an array of non-negative integers)'],
      [file(`{${t('a', 'F33', [2], [0, 8])}}`, d(8)), "tensor 'a': dtype F33 is unknown"],
      [file(`{${t('a', 'C64', [1], [0, 8])}}`, d(8)), "tensor 'a': dtype C64 is not supported by eagerflow"],
      [file('{"a":{"shape":[],"data_offsets":[0,0]}}'), "tensor 'a': missing dtype"],
      [file('{"a":{"dtype":"F32","data_offsets":[0,0]}}'), "tensor 'a': missing shape"],
      [file('{"a":{"dtype":"F32","shape":[0]}}'), "tensor 'a': missing data_offsets"],
      [file(`{${t('a', 'F32', [2], [0, 8])}}`, d(9)), 'the data buffer has 9 bytes but tensors cover 8 (trailing bytes)'],
      [file('{}', d(0), 2n ** 64n - 1n), 'header length 18446744073709551615 exceeds the limit of 100000000 bytes'],
      [file('{}', d(0), 100000001n), 'header length 100000001 exceeds the limit of 100000000 bytes'],
      [file('{}', d(0), 11n), 'header length 11 runs past the end of the 10-byte file (truncated?)'],
      [Uint8Array.of(2, 0, 0, 0, 0, 0, 0), 'file is 7 bytes, too short for the 8-byte header length'],
    ];
    for (const [bytes, want] of cases) {
      expect(() => io.parseSafetensors(bytes, 'bad.safetensors')).toThrow(io.SafetensorsError);
      expect(() => io.parseSafetensors(bytes, 'bad.safetensors')).toThrow(`bad.safetensors: ${want}`);
    }
  });

  test('long runs of whitespace in a header parse in linear time (the padding trim used to take O(n^2))', async () => {
    const spaces = ' '.repeat(100000);
    const h = `{${spaces}"a"${spaces}:{"dtype":"F32","shape":[1],"data_offsets":[0,4]}${spaces}}${spaces}`;
    const o = await attempt('100 KB blank runs', () => io.parseSafetensors(file(h, Uint8Array.of(0, 0, 0x80, 0x3f)), 'blank.safetensors'));
    expect(o.ok && Array.from(o.value.tensors.get('a')!.values as Float32Array)).toEqual([1]);
  });
});

describe('checkpoint state files', () => {
  const texts = async () => {
    await gfile.makeDirs('mem://fz/state');
    await io.updateCheckpointState('mem://fz/state', 'mem://fz/state/model.ckpt-20', ['mem://fz/state/model.ckpt-10', 'mem://fz/state/dir "x"\\y\n\u00e9'], { timestamps: [1.5e9, 1.6e9], lastPreservedTimestamp: 1.4e9 });
    return [
      ['tfx_estimator/checkpoint', readFileSync(fx('checkpoint/tfx_estimator/checkpoint'), 'utf8')],
      ['serving_bad_half_plus_two_state/checkpoint', readFileSync(fx('checkpoint/serving_bad_half_plus_two_state/checkpoint'), 'utf8')],
      ['ours', await gfile.readText('mem://fz/state/checkpoint')],
    ] as const;
  };

  test('bit flips, byte overwrites and truncation: CheckpointError naming the file, or a state of strings and finite numbers', async () => {
    const failures = new Failures();
    const rand = rng(7);
    for (const [name, text] of await texts()) {
      const bytes = enc(text);
      const ref = io.parseCheckpointState(text, name);
      expect(ref.modelCheckpointPath).not.toBe('');
      const check = async (m: Uint8Array, what: string) => {
        const o = await attempt(what, () => io.parseCheckpointState(new TextDecoder().decode(m), name));
        if (!o.ok) return failures.clean(what, o.error, [io.CheckpointError], name);
        const st = o.value;
        const strings = [st.modelCheckpointPath, ...st.allModelCheckpointPaths];
        const numbers = [...st.allModelCheckpointTimestamps, ...(st.lastPreservedTimestamp === undefined ? [] : [st.lastPreservedTimestamp])];
        if (!strings.every((s) => typeof s === 'string') || !numbers.every(Number.isFinite)) failures.add(what, JSON.stringify(st));
      };
      for (let bit = 0; bit < bytes.length * 8; bit++) {
        const m = bytes.slice();
        m[bit >> 3]! ^= 1 << (bit & 7);
        await check(m, `${name} bit ${bit}`);
      }
      for (let pos = 0; pos < bytes.length; pos++) {
        const m = bytes.slice();
        m[pos] = Math.floor(rand() * 256);
        await check(m, `${name} byte ${pos} := ${m[pos]}`);
        await check(bytes.subarray(0, pos), `${name} cut to ${pos}`);
      }
    }
    failures.check();
  });

  test('malformed text: clean errors with the line; long blank runs parse in linear time (they used to backtrack O(n^2)); a field name runs to its end', async () => {
    const cases: [string, string][] = [
      [`model_checkpoint_path${' '.repeat(100000)}`, ": cannot parse text proto at line 1: 'model_checkpoint_path                   '"],
      [`model_checkpoint_path${'\n'.repeat(100000)}`, ": cannot parse text proto at line 1: 'model_checkpoint_path'"],
      ['model_checkpoint_path: "a', ": field 'model_checkpoint_path' at line 1 must be a quoted string"],
      ['model_checkpoint_path: a', ": field 'model_checkpoint_path' at line 1 must be a quoted string"],
      ['model_checkpoint_path: "a\\q"', ' line 1: unknown escape \\q'],
      ['model_checkpoint_path: "a\\x"', ' line 1: bad \\x escape'],
      ['model_checkpoint_path: "a"\nall_model_checkpoint_timestamps: abc', ": field 'all_model_checkpoint_timestamps' at line 2 must be a number, got abc"],
      ['model_checkpoint_path: "a"\nall_model_checkpoint_timestamps: "1"', ": field 'all_model_checkpoint_timestamps' at line 2 must be a number, got \"1\""],
      ['model_checkpoint_path: "a"\n\n}', ": cannot parse text proto at line 3: '}'"],
      // the name is not cut short to find a value: 'last_preserved_timestamp5' is no field with value 5
      ['model_checkpoint_path: "a"\nlast_preserved_timestamp5', ": cannot parse text proto at line 2: 'last_preserved_timestamp5'"],
    ];
    for (const [text, want] of cases) {
      const o = await attempt(want, () => io.parseCheckpointState(text, 'dir/checkpoint'));
      expect(o.ok ? 'parsed' : o.error).toBeInstanceOf(io.CheckpointError);
      expect(o.ok ? '' : o.error.message).toBe(`dir/checkpoint${want}`);
    }
    const big = await attempt('blank runs', () => io.parseCheckpointState(`model_checkpoint_path${' '.repeat(100000)}:${' '.repeat(100000)}"m"${' '.repeat(100000)}`, 'c'));
    expect(big.ok && big.value.modelCheckpointPath).toBe('m');
    await gfile.writeFile('mem://fz/state2/checkpoint', 'all_model_checkpoint_paths: "x"\n');
    await expect(io.getCheckpointState('mem://fz/state2')).rejects.toThrow('mem://fz/state2/checkpoint: invalid checkpoint state: no model_checkpoint_path');
  });

  test('serving_bad_half_plus_two_state: the state names a checkpoint that does not exist; readers say so', async () => {
    const dir = fx('checkpoint/serving_bad_half_plus_two_state');
    const st = await io.getCheckpointState(dir);
    expect(st).toEqual({ modelCheckpointPath: '/tmp/bad_half_plus_two/00000123/export', allModelCheckpointPaths: ['/tmp/bad_half_plus_two/00000123/export'], allModelCheckpointTimestamps: [] });
    expect(await io.latestCheckpoint(dir)).toBeNull();
    await expect(io.CheckpointReader.open(dir)).rejects.toThrow(io.CheckpointError);
    await expect(io.CheckpointReader.open(dir)).rejects.toThrow(`no checkpoint found in directory '${dir}' (no usable 'checkpoint' state file)`);
    const v = ef.variable(ef.zeros([]), { name: 'a' });
    try {
      await expect(new io.Saver({ varList: [v] }).restore(dir)).rejects.toThrow(`no checkpoint found in directory '${dir}'`);
      expect(nums(v)).toEqual([0]);
    } finally {
      v.dispose();
    }
  });
});
