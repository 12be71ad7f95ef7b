import { afterAll, describe, expect, test } from '@jest/globals';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, inflateSync } from 'node:zlib';
import * as d from '@eagerflow/data';
import { collect, IRIS, PENGUIN_EVAL, PENGUIN_TRAIN, RUST, SEQUENCE, sha256, td, te, tempDir, TFR } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('CRC-32C', () => {
  test('check values from formats.md §0.3', () => {
    expect(d.crc32c(te.encode('123456789'))).toBe(0xe3069283);
    expect(d.crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(d.crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(d.crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(d.crc32c(new Uint8Array(0))).toBe(0);
  });
  test('extend continues a CRC and every length/alignment agrees with the bitwise definition', () => {
    const bitwise = (b: Uint8Array): number => {
      let c = 0xffffffff;
      for (const x of b) {
        c ^= x;
        for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
      }
      return (c ^ 0xffffffff) >>> 0;
    };
    const data = Uint8Array.from({ length: 100 }, (_, i) => (i * 37 + 11) & 255);
    for (let start = 0; start < 9; start++) {
      for (let end = start; end <= 40; end++) expect(d.crc32c(data, start, end)).toBe(bitwise(data.subarray(start, end)));
    }
    const a = te.encode('hello, ');
    const b = te.encode('world');
    expect(d.crc32cExtend(d.crc32c(a), b)).toBe(d.crc32c(te.encode('hello, world')));
  });
  test('mask and unmask', () => {
    expect(d.maskCrc(0)).toBe(0xa282ead8);
    expect(d.maskCrc(0xe3069283)).toBe(0xc78ab0e5);
    for (const v of [0, 1, 0xe3069283, 0xffffffff, 0x12345678]) expect(d.unmaskCrc(d.maskCrc(v))).toBe(v);
  });
});

describe('TFRecord fixtures', () => {
  test('fixtures are unmodified (SHA-256 from fixtures/README.md)', () => {
    expect(sha256(RUST)).toBe('93e94a7b5316d43ed136e5a32a4cc9152bfee8290a38b90ecdbb8665c3b02029');
    expect(sha256(IRIS)).toBe('210c92ab4892d66bf3a439ab1a3e118cba25573cfc337638bd5affd37dc9b462');
    expect(sha256(PENGUIN_TRAIN)).toBe('79b4b312b978da32514fb459dc5d7df7b50fcaa4a8696a6d1a72bb3f45f193c3');
    expect(sha256(PENGUIN_EVAL)).toBe('4b64f7f0ff513919bcc91d341a82c7aca1a6d77002c9f7e478330510ded8511f');
    expect(sha256(SEQUENCE)).toBe('b418bbfce34f4d53147e496143480e275ba932e1c315dadcf929ac99be0aa7d4');
  });

  test('tensorflow_rust: one record "The Quick Brown Fox"; the writer reproduces all 35 bytes', async () => {
    const recs = await collect(d.readTFRecords(RUST));
    expect(recs.map((r) => td.decode(r))).toEqual(['The Quick Brown Fox']);
    const expected = new Uint8Array(readFileSync(RUST));
    expect(expected.length).toBe(35);
    expect(d.encodeTFRecords(['The Quick Brown Fox'])).toEqual(expected);
    const out = join(tmp.dir, 'fox.tfrecord');
    const w = new d.TFRecordWriter(out);
    await w.write(te.encode('The Quick Brown Fox'));
    await w.close();
    expect(new Uint8Array(readFileSync(out))).toEqual(expected);
    // header bytes as in formats.md §1.1
    expect([...expected.subarray(0, 12)]).toEqual([0x13, 0, 0, 0, 0, 0, 0, 0, 0x0c, 0x91, 0x32, 0x1b]);
    expect([...expected.subarray(31)]).toEqual([0x18, 0x0d, 0xe8, 0x3a]);
  });

  test('zero-length record has footer d8 ea 82 a2', () => {
    const b = d.encodeTFRecords([new Uint8Array(0)]);
    expect(b.length).toBe(16);
    expect([...b.subarray(12)]).toEqual([0xd8, 0xea, 0x82, 0xa2]);
    expect(d.decodeTFRecords(b)).toEqual([new Uint8Array(0)]);
  });

  test('iris: 6 records, 957 bytes consumed', async () => {
    const it = d.readTFRecords(IRIS);
    const recs = await collect(it);
    expect(recs).toHaveLength(6);
    expect(it.stats).toEqual({ records: 6, corrupt: 0, bytes: 957 });
  });

  test('penguin GZIP: 234 train and 100 eval records; a wrong compression is a clear error', async () => {
    expect(await collect(d.readTFRecords(PENGUIN_TRAIN, { compression: 'GZIP' }))).toHaveLength(234);
    expect(await collect(d.readTFRecords(PENGUIN_EVAL, { compression: 'GZIP' }))).toHaveLength(100);
    await expect(collect(d.readTFRecords(PENGUIN_TRAIN))).rejects.toThrow(/data_tfrecord-00000-of-00001\.gz.*offset 0/);
    await expect(collect(d.readTFRecords(IRIS, { compression: 'GZIP' }))).rejects.toThrow(/part-00000-of-00003/);
  });

  test('several concatenated gzip members are read as one stream', async () => {
    const { gzipSync } = await import('node:zlib');
    const p = join(tmp.dir, 'multi.gz');
    writeFileSync(p, Buffer.concat([gzipSync(d.encodeTFRecords(['one', 'two'])), gzipSync(d.encodeTFRecords(['three']))]));
    expect((await collect(d.readTFRecords(p, { compression: 'GZIP' }))).map((r) => td.decode(r))).toEqual(['one', 'two', 'three']);
  });

  test('sequence GZIP: 4500 records', async () => {
    const it = d.readTFRecords(SEQUENCE, { compression: 'GZIP' });
    let n = 0;
    for await (const group of it.batches()) n += group.length;
    expect(n).toBe(4500);
  });

  test('streaming: tiny read chunks split headers, payloads and CRCs anywhere', async () => {
    const all = await collect(d.readTFRecords(IRIS));
    for (const bufferSize of [1, 3, 7, 13, 64]) {
      expect(await collect(d.readTFRecords(IRIS, { bufferSize }))).toEqual(all);
    }
    const gz = await collect(d.readTFRecords(PENGUIN_EVAL, { compression: 'GZIP', bufferSize: 5 }));
    expect(gz).toHaveLength(100);
  });
});

describe('TFRecordWriter', () => {
  const records = Array.from({ length: 300 }, (_, i) => te.encode(`record-${i}-${'x'.repeat(i % 50)}`));

  test.each(['NONE', 'GZIP', 'ZLIB'] as const)('%s round trip, and any standard inflater recovers the exact framing', async (compression) => {
    const path = join(tmp.dir, `rt-${compression}.tfrecord`);
    const w = new d.TFRecordWriter(path, { compression, bufferSize: 1000 });
    for (const r of records) await w.write(r);
    await w.flush();
    await w.close();
    const raw = new Uint8Array(readFileSync(path));
    if (compression === 'GZIP') expect([...raw.subarray(0, 3)]).toEqual([0x1f, 0x8b, 0x08]);
    if (compression === 'ZLIB') expect(raw[0]).toBe(0x78);
    const framed = compression === 'NONE' ? raw : new Uint8Array(compression === 'GZIP' ? gunzipSync(raw) : inflateSync(raw));
    expect(framed).toEqual(d.encodeTFRecords(records));
    expect(await collect(d.readTFRecords(path, { compression }))).toEqual(records);
  });

  test('flush makes written records readable before close (GZIP sync flush)', async () => {
    const path = join(tmp.dir, 'flush.tfrecord.gz');
    const w = new d.TFRecordWriter(path, { compression: 'GZIP' });
    await w.write('a');
    await w.write('bb');
    await w.flush();
    const partial = new Uint8Array(readFileSync(path));
    const { inflateRawSync, constants } = await import('node:zlib');
    // header of 10 bytes, then raw deflate that was sync-flushed
    const body = inflateRawSync(partial.subarray(10), { finishFlush: constants.Z_SYNC_FLUSH });
    expect(d.decodeTFRecords(new Uint8Array(body)).map((r) => td.decode(r))).toEqual(['a', 'bb']);
    await w.close();
    expect(() => w.write('c')).toThrow(/after close/);
  });

  test('write after close and an unwritable path are clear errors', async () => {
    const w = new d.TFRecordWriter(join(tmp.dir, 'closed.tfrecord'));
    await w.close();
    expect(() => w.write('x')).toThrow(/after close/);
    const bad = new d.TFRecordWriter(join(tmp.dir, 'no/such/dir/file.tfrecord'));
    await bad.write('x').catch(() => undefined);
    await expect(bad.close()).rejects.toThrow(/no\/such\/dir\/file\.tfrecord/);
  });

  test('in-memory file system (browser-style injection)', async () => {
    const fs = d.memoryFileSystem();
    const w = new d.TFRecordWriter('/mem/a.tfrecord', { fs });
    await w.write('one');
    await w.write('two');
    await w.close();
    expect(fs.files.get('/mem/a.tfrecord')).toEqual(d.encodeTFRecords(['one', 'two']));
    const got = await collect(d.readTFRecords('/mem/a.tfrecord', { fs, bufferSize: 4 }));
    expect(got.map((r) => td.decode(r))).toEqual(['one', 'two']);
    expect(await fs.glob('/mem/*.tfrecord')).toEqual(['/mem/a.tfrecord']);
  });
});

describe('corruption (byte flips in a temporary copy)', () => {
  const base = d.encodeTFRecords(['alpha', 'bravo', 'charlie', 'delta']);
  // record offsets: 0, 21, 42, 65 (n + 16 each)
  const offsets = [0, 21, 42, 65];
  const write = (name: string, bytes: Uint8Array): string => {
    const p = join(tmp.dir, name);
    writeFileSync(p, bytes);
    return p;
  };

  test('flipped payload byte: DataLossError naming file and record offset', async () => {
    const b = base.slice();
    b[offsets[2]! + 12 + 3]! ^= 0x40;
    const p = write('data-flip.tfrecord', b);
    const err = await collect(d.readTFRecords(p)).catch((e) => e);
    expect(err).toBeInstanceOf(d.DataLossError);
    expect(err.file).toBe(p);
    expect(err.offset).toBe(42);
    expect(err.message).toContain(p);
    expect(err.message).toMatch(/data CRC mismatch.*offset 42/);
  });

  test('flipped length byte: length CRC mismatch at that offset', async () => {
    const b = base.slice();
    b[offsets[1]!]! ^= 0x01;
    const p = write('len-flip.tfrecord', b);
    const err = await collect(d.readTFRecords(p)).catch((e) => e);
    expect(err).toBeInstanceOf(d.DataLossError);
    expect(err.offset).toBe(21);
    expect(err.message).toMatch(/length CRC mismatch/);
  });

  test('truncated file: header and payload truncation are reported with offsets', async () => {
    const p1 = write('trunc-header.tfrecord', base.subarray(0, offsets[3]! + 5));
    await expect(collect(d.readTFRecords(p1))).rejects.toThrow(/truncated record header: 5 bytes remain.*offset 65/);
    const p2 = write('trunc-payload.tfrecord', base.subarray(0, base.length - 2));
    await expect(collect(d.readTFRecords(p2))).rejects.toThrow(/truncated record: length 5 needs 21 bytes, 19 remain.*offset 65/);
  });

  test('the real iris fixture with one flipped byte (copy): error at the record offset', async () => {
    const p = join(tmp.dir, 'iris-copy.tfrecords');
    copyFileSync(`${TFR}/spotify_iris/part-00000-of-00003.tfrecords`, p);
    const bytes = new Uint8Array(readFileSync(p));
    const n0 = bytes[0]! + 16; // first record's total size
    bytes[n0 + 20]! ^= 0xff; // inside the second record's payload
    writeFileSync(p, bytes);
    const err = await collect(d.readTFRecords(p)).catch((e) => e);
    expect(err).toBeInstanceOf(d.DataLossError);
    expect(err.offset).toBe(n0);
  });

  test('skipCorrupt: drops bad records, counts them and keeps going', async () => {
    const b = base.slice();
    b[offsets[1]! + 12]! ^= 0x01; // payload of 'bravo'
    b[offsets[2]! + 3]! ^= 0x10; // length of 'charlie' (forces a resync scan)
    const p = write('skip.tfrecord', b);
    const seen: d.DataLossError[] = [];
    const it = d.readTFRecords(p, { skipCorrupt: true, onCorrupt: (e) => seen.push(e) });
    const got = (await collect(it)).map((r) => td.decode(r));
    expect(got).toEqual(['alpha', 'delta']);
    expect(it.stats.corrupt).toBe(2);
    expect(seen.map((e) => e.offset)).toEqual([21, 42]);
    const p2 = write('skip-trunc.tfrecord', base.subarray(0, base.length - 3));
    const it2 = d.readTFRecords(p2, { skipCorrupt: true, bufferSize: 8 });
    expect((await collect(it2)).map((r) => td.decode(r))).toEqual(['alpha', 'bravo', 'charlie']);
    expect(it2.stats.corrupt).toBe(1);
  });

  test('verifyChecksums: false reads records with bad data CRCs', async () => {
    const b = base.slice();
    b[offsets[0]! + 12]! = 'A'.charCodeAt(0);
    expect(d.decodeTFRecords(b, 'mem', { verifyChecksums: false }).map((r) => td.decode(r))).toEqual(['Alpha', 'bravo', 'charlie', 'delta']);
  });

  test('corrupt gzip stream names the file', async () => {
    const raw = new Uint8Array(readFileSync(PENGUIN_EVAL));
    raw[200]! ^= 0xff;
    const p = write('bad.gz', raw);
    await expect(collect(d.readTFRecords(p, { compression: 'GZIP' }))).rejects.toThrow(/bad\.gz/);
  });

  test('missing file names the path', async () => {
    await expect(collect(d.readTFRecords(join(tmp.dir, 'nope.tfrecord')))).rejects.toThrow(/nope\.tfrecord/);
  });
});
