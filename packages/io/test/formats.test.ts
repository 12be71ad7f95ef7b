import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { TableBuilder, TableReader, crc32c, crc32cExtend, maskCrc, snappyDecompress, unmaskCrc } from '@eagerflow/io';
import { fx } from './helpers';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

describe('crc32c', () => {
  test('check values from formats.md §0.3', () => {
    expect(crc32c(enc('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(new Uint8Array(0))).toBe(0);
    expect(maskCrc(0)).toBe(0xa282ead8);
    expect(maskCrc(crc32c(enc('123456789')))).toBe(0xc78ab0e5);
    expect(unmaskCrc(0xc78ab0e5)).toBe(0xe3069283);
  });

  test('extend and unaligned views agree with a bytewise reference', () => {
    const data = Uint8Array.from({ length: 1000 }, (_, i) => (i * 131 + 7) & 0xff);
    const ref = (b: Uint8Array) => {
      let c = ~0;
      for (const x of b) {
        c ^= x;
        for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
      }
      return ~c >>> 0;
    };
    for (const [a, b] of [[0, 1000], [1, 999], [3, 17], [5, 5], [7, 640]] as const) {
      expect(crc32c(data.subarray(a, b))).toBe(ref(data.subarray(a, b)));
    }
    expect(crc32cExtend(crc32c(data.subarray(0, 333)), data.subarray(333))).toBe(crc32c(data));
  });
});

describe('snappy', () => {
  test('decompresses the half_plus_two index data block (87 → 100 bytes)', () => {
    const file = new Uint8Array(readFileSync(fx('checkpoint/serving_saved_model_half_plus_two_cpu/variables.index')));
    expect(Array.from(file.subarray(0, 4))).toEqual([0x64, 0x6c, 0x00, 0x00]);
    const block = snappyDecompress(file.subarray(0, 87));
    expect(block.length).toBe(100);
    expect(Array.from(block.subarray(0, 10))).toEqual([0x00, 0x00, 0x06, 0x08, 0x01, 0x1a, 0x02, 0x08, 0x01, 0x00]);
  });

  test('copies (1-, 2-, 4-byte offsets, overlapping runs) and errors', () => {
    // "abcd" literal, then copy len 8 offset 4 (1-byte form), then copy len 3 offset 2 (2-byte), then 4-byte form len 2 offset 1.
    const src = Uint8Array.from([17, 3 << 2, 97, 98, 99, 100, (1 | ((8 - 4) << 2)), 4, 2 | ((3 - 1) << 2), 2, 0, 3 | ((2 - 1) << 2), 1, 0, 0, 0]);
    expect(dec(snappyDecompress(src))).toBe('abcdabcdabcdcdccc');
    expect(() => snappyDecompress(Uint8Array.from([5, 1 | (0 << 2), 1]))).toThrow(/offset 1 is invalid/);
    expect(() => snappyDecompress(Uint8Array.from([9, 3 << 2, 97]))).toThrow(/literal/);
    expect(() => snappyDecompress(Uint8Array.from([9, 0, 97]))).toThrow(/declares 9/);
    // 60+ literal lengths use extra bytes
    const lit = Uint8Array.from({ length: 200 }, (_, i) => i);
    const withLen = new Uint8Array(4 + 200);
    withLen.set([200, 1, 60 << 2, 199]);
    withLen.set(lit, 4);
    expect(Array.from(snappyDecompress(withLen))).toEqual(Array.from(lit));
  });
});

describe('SSTable', () => {
  const tfx = () => new Uint8Array(readFileSync(fx('checkpoint/tfx_estimator/model.ckpt-1000.index')));

  test('tfx_estimator index: footer, restart points, 61 sorted entries', () => {
    const file = tfx();
    expect(file.length).toBe(2710);
    const footer = file.subarray(file.length - 48);
    expect(Array.from(footer.subarray(0, 6))).toEqual([0xc5, 0x14, 0x08, 0xd2, 0x14, 0x0f]);
    expect(Array.from(footer.subarray(40))).toEqual([0x57, 0xfb, 0x80, 0x8b, 0x24, 0x75, 0x47, 0xdb]);
    // data block (0, 2624): restarts [0, 560, 1306, 1962]
    const dv = new DataView(file.buffer, file.byteOffset);
    const n = dv.getUint32(2624 - 4, true);
    expect(n).toBe(4);
    expect([0, 1, 2, 3].map((i) => dv.getUint32(2624 - 4 - 4 * n + 4 * i, true))).toEqual([0, 560, 1306, 1962]);
    // index block
    expect(Array.from(file.subarray(2642, 2642 + 15))).toEqual([0, 1, 3, 0x75, 0, 0xc0, 0x14, 0, 0, 0, 0, 1, 0, 0, 0]);
    const keys = [...new TableReader(file, 'tfx.index')].map(([k]) => dec(k));
    expect(keys.length).toBe(61);
    expect(keys[0]).toBe('');
    expect(keys[1]).toBe('dnn/hiddenlayer_0/bias');
    expect(keys[60]).toBe('training/Ftrl/linear/linear_model/trip_start_month_xf/weights/linear');
    expect([...keys].sort()).toEqual(keys);
  });

  test('TableBuilder reproduces the tfx index byte for byte from its pairs', () => {
    const file = tfx();
    const b = new TableBuilder();
    for (const [k, v] of new TableReader(file, 'tfx.index')) b.add(k.slice(), v.slice());
    expect(Buffer.from(b.finish()).equals(Buffer.from(file))).toBe(true);
  });

  test('empty metaindex block trailer and separator keys across several blocks', () => {
    const b = new TableBuilder({ blockSize: 64 });
    const pairs: [string, string][] = [];
    for (let i = 0; i < 50; i++) pairs.push([`key/${String(i).padStart(3, '0')}`, `value-${i}`]);
    for (const [k, v] of pairs) b.add(enc(k), enc(v));
    const out = b.finish();
    const got = [...new TableReader(out, 'x')].map(([k, v]) => [dec(k), dec(v)]);
    expect(got).toEqual(pairs);
    expect(() => b.add(enc('a'), enc('b'))).toThrow();
    const b2 = new TableBuilder();
    b2.add(enc('b'), enc('1'));
    expect(() => b2.add(enc('a'), enc('2'))).toThrow(/strictly increasing/);
    // metaindex of an otherwise empty table: 00000000 01000000 | 00 | c0 f2 a1 b0
    const empty = new TableBuilder().finish();
    expect(Array.from(empty.subarray(0, 13))).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0, 0xc0, 0xf2, 0xa1, 0xb0]);
  });

  test('corruption is reported with the file name', () => {
    const file = tfx();
    const bad = file.slice();
    bad[100] ^= 0xff;
    expect(() => [...new TableReader(bad, 'my.index')]).toThrow(/my\.index: checksum mismatch in data block at offset 0/);
    const badMagic = file.slice();
    badMagic[file.length - 1] = 0;
    expect(() => new TableReader(badMagic, 'my.index')).toThrow(/my\.index: bad table magic/);
    expect(() => new TableReader(file.subarray(0, 20), 'my.index')).toThrow(/shorter than the 48-byte table footer/);
  });
});
