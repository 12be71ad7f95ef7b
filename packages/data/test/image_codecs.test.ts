import { beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { crc32, deflateSync, inflateSync } from 'node:zlib';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import * as d from '@eagerflow/data';
import jpeg from 'jpeg-js';

beforeAll(async () => {
  await ef.setBackend('cpu');
});

// Real files from the packages tools/setup.sh installs (chromium, dataset-fashion-mnist); the
// nodejs documentation JPEG is used where the machine has it (Debian's nodejs package).
const CHROMIUM_PNGS = [16, 48, 128].map((s) => `/usr/share/icons/hicolor/${s}x${s}/apps/chromium.png`);
const NODEJS_JPEG = '/usr/share/doc/nodejs/thin-white-stripe.jpg';
const FASHION_MNIST = '/usr/share/datasets/fashion-mnist';

const values = (t: ef.Tensor): number[] => Array.from(t.dataSync() as Int32Array | Float32Array);

function withTensor<T>(t: ef.Tensor, f: (t: ef.Tensor) => T): T {
  try {
    return f(t);
  } finally {
    t.dispose();
  }
}

/** A smooth RGB test image: horizontal, vertical and diagonal ramps. */
function gradient(h: number, w: number, c: number, max = 255): Int32Array {
  const out = new Int32Array(h * w * c);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let k = 0; k < c; k++) {
        const v = k === 0 ? x / (w - 1) : k === 1 ? y / (h - 1) : k === 2 ? (x + y) / (w + h - 2) : 1 - x / (w - 1);
        out[(y * w + x) * c + k] = Math.round(v * max);
      }
  return out;
}

/** Deterministic noise (every sample value appears), for exact round trips. */
function noise(n: number, max: number, seed = 1): Int32Array {
  const out = new Int32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = i < 2 ? [0, max][i]! : s % (max + 1);
  }
  return out;
}

// ---- an independent PNG writer and reader (node:zlib, no fast-png) ------------------------

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** A PNG from raw (unfiltered) scanlines: `rows` holds each row's packed bytes. */
function pngFile(width: number, height: number, depth: number, colorType: number, rows: Uint8Array[], extra: [string, Uint8Array][] = []): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([depth, colorType, 0, 0, 0], 8);
  const raw = Buffer.concat(rows.map((r) => Buffer.concat([Buffer.from([0]), r])));
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(Buffer.concat([sig, chunk('IHDR', ihdr), ...extra.map(([t, b]) => chunk(t, b)), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]));
}

/** Reads a non-interlaced 8-bit PNG (any filter) with node:zlib: the test's own decoder. */
function readPng8(file: Uint8Array): { width: number; height: number; channels: number; data: Uint8Array } {
  const b = Buffer.from(file);
  let pos = 8;
  let width = 0, height = 0, channels = 0;
  const idat: Buffer[] = [];
  for (;;) {
    const len = b.readUInt32BE(pos);
    const type = b.toString('ascii', pos + 4, pos + 8);
    const body = b.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      if (body[8] !== 8 || body[12] !== 0) throw new Error('readPng8: only 8-bit non-interlaced');
      channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[body[9]!]!;
    }
    if (type === 'IDAT') idat.push(body);
    pos += 12 + len;
    if (type === 'IEND') break;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const r = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= channels ? out[y * stride + x - channels]! : 0;
      const up = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels]! : 0;
      let pred = 0;
      if (f === 1) pred = a;
      else if (f === 2) pred = up;
      else if (f === 3) pred = (a + up) >> 1;
      else if (f === 4) {
        const p = a + up - c;
        const pa = Math.abs(p - a), pb = Math.abs(p - up), pc = Math.abs(p - c);
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? up : c;
      }
      out[y * stride + x] = (r + pred) & 0xff;
    }
  }
  return { width, height, channels, data: out };
}

// ---- an independent grayscale baseline JPEG writer (block-constant images) ----------------

/**
 * A one-component baseline JPEG of an image that is constant on each 8x8 block: quantization
 * table of ones, DC codes for categories 0..11 (all 4 bits long), and an AC table holding only
 * end-of-block. Decoding it must give the block values back exactly.
 */
function grayJpeg(blocks: number[][]): Uint8Array {
  const bh = blocks.length, bw = blocks[0]!.length;
  const seg = (marker: number, body: number[]): number[] => [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];
  const bits: number[] = [];
  const put = (v: number, n: number) => {
    for (let i = n - 1; i >= 0; i--) bits.push((v >> i) & 1);
  };
  let prev = 0;
  for (const row of blocks)
    for (const v of row) {
      const dc = 8 * (v - 128);
      const diff = dc - prev;
      prev = dc;
      const cat = diff === 0 ? 0 : Math.floor(Math.log2(Math.abs(diff))) + 1;
      put(cat, 4);
      if (cat > 0) put(diff > 0 ? diff : diff + (1 << cat) - 1, cat);
      put(0, 1); // end of block
    }
  while (bits.length % 8) bits.push(1);
  const scan: number[] = [];
  for (let i = 0; i < bits.length; i += 8) {
    const byte = bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b, 0);
    scan.push(byte);
    if (byte === 0xff) scan.push(0);
  }
  const counts = (len: number, n: number) => Array.from({ length: 16 }, (_, i) => (i === len - 1 ? n : 0));
  return new Uint8Array([
    0xff, 0xd8,
    ...seg(0xdb, [0x00, ...new Array<number>(64).fill(1)]),
    ...seg(0xc0, [8, (8 * bh) >> 8, (8 * bh) & 0xff, (8 * bw) >> 8, (8 * bw) & 0xff, 1, 1, 0x11, 0]),
    ...seg(0xc4, [0x00, ...counts(4, 12), ...Array.from({ length: 12 }, (_, i) => i)]),
    ...seg(0xc4, [0x10, ...counts(1, 1), 0x00]),
    ...seg(0xda, [1, 1, 0x00, 0, 63, 0]),
    ...scan,
    0xff, 0xd9,
  ]);
}

// ---- tests ---------------------------------------------------------------------------------

describe('PNG', () => {
  test('encodePng → decodePng is exact for 1-4 channels, 8 and 16 bits', () => {
    const [h, w] = [13, 17];
    for (const bitDepth of [8, 16] as const) {
      const max = bitDepth === 16 ? 65535 : 255;
      for (const c of [1, 2, 3, 4]) {
        const src = noise(h * w * c, max, c * bitDepth);
        const bytes = withTensor(ef.makeTensor(src, [h, w, c], 'int32'), (t) => d.encodePng(t, { bitDepth }));
        expect(Array.from(bytes.subarray(0, 4))).toEqual([0x89, 0x50, 0x4e, 0x47]);
        withTensor(d.decodePng(bytes), (back) => {
          expect(back.shape).toEqual([h, w, c]);
          expect(back.dtype).toBe('int32');
          expect(values(back)).toEqual(Array.from(src));
        });
        // float32 output: the same samples over the bit depth's maximum.
        withTensor(d.decodePng(bytes, { dtype: 'float32' }), (f) => {
          expect(f.dtype).toBe('float32');
          const v = values(f);
          for (let i = 0; i < v.length; i += 7) expect(v[i]).toBeCloseTo(src[i]! / max, 6);
        });
      }
    }
  });

  test('8-bit output is read exactly by an independent decoder (node:zlib), at every compression level', () => {
    const src = gradient(20, 30, 3);
    for (const compression of [-1, 0, 1, 9]) {
      const bytes = withTensor(ef.makeTensor(src, [20, 30, 3], 'int32'), (t) => d.encodePng(t, { compression }));
      const ref = readPng8(bytes);
      expect([ref.height, ref.width, ref.channels]).toEqual([20, 30, 3]);
      expect(Array.from(ref.data)).toEqual(Array.from(src));
    }
  });

  test('float32 input is scaled by 255 (or 65535), rounded and clamped', () => {
    const f = ef.tensor([[[0, 0.5, 1], [-0.2, 1.7, 0.1]]], undefined, 'float32');
    withTensor(d.decodePng(d.encodePng(f)), (t) => expect(values(t)).toEqual([0, 128, 255, 0, 255, 26]));
    withTensor(d.decodePng(d.encodePng(f, { bitDepth: 16 })), (t) => expect(values(t)).toEqual([0, 32768, 65535, 0, 65535, 6554]));
    f.dispose();
  });

  test('reads PNGs written without fast-png: RGBA, palette, tRNS, 1/2/4-bit gray, 16-bit, gray+alpha', () => {
    // 8-bit RGBA rows through this test's own writer (pngFile: filter byte 0 + samples).
    const rgba = noise(5 * 6 * 4, 255, 7);
    const rgbaRows = Array.from({ length: 5 }, (_, y) => Uint8Array.from(rgba.subarray(y * 24, (y + 1) * 24)));
    withTensor(d.decodePng(pngFile(6, 5, 8, 6, rgbaRows)), (t) => {
      expect(t.shape).toEqual([5, 6, 4]);
      expect(values(t)).toEqual(Array.from(rgba));
    });
    // Palette of 3 colours, 2-bit indices, with and without transparency.
    const plte = new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255]);
    const rows = [new Uint8Array([0b00011000]), new Uint8Array([0b10010000])]; // [0,1,2,0], [2,1,0,0]
    const idx = [0, 1, 2, 0, 2, 1, 0, 0];
    const pal = pngFile(4, 2, 2, 3, rows, [['PLTE', plte]]);
    withTensor(d.decodePng(pal), (t) => {
      expect(t.shape).toEqual([2, 4, 3]);
      expect(values(t)).toEqual(idx.flatMap((i) => Array.from(plte.subarray(3 * i, 3 * i + 3))));
    });
    const palT = pngFile(4, 2, 2, 3, rows, [['PLTE', plte], ['tRNS', new Uint8Array([0, 128])]]);
    withTensor(d.decodePng(palT), (t) => {
      expect(t.shape).toEqual([2, 4, 4]);
      expect(values(t)).toEqual(idx.flatMap((i) => [...Array.from(plte.subarray(3 * i, 3 * i + 3)), [0, 128, 255][i]!]));
    });
    withTensor(d.decodePng(palT, { channels: 3 }), (t) => expect(t.shape).toEqual([2, 4, 3]));
    // Low bit depths are scaled to 0..255 as libpng does (v · 255 / (2^depth − 1)).
    const cases: [number, Uint8Array, number[]][] = [
      [1, new Uint8Array([0b10110000]), [255, 0, 255, 255]],
      [2, new Uint8Array([0b00011011]), [0, 85, 170, 255]],
      [4, new Uint8Array([0x0f, 0x72]), [0, 255, 119, 34]],
    ];
    for (const [depth, row, want] of cases) {
      withTensor(d.decodePng(pngFile(4, 1, depth, 0, [row])), (t) => {
        expect(t.shape).toEqual([1, 4, 1]);
        expect(values(t)).toEqual(want);
      });
    }
    // 16-bit gray, big-endian samples.
    withTensor(d.decodePng(pngFile(2, 1, 16, 0, [new Uint8Array([0x12, 0x34, 0xff, 0xfe])])), (t) => expect(values(t)).toEqual([0x1234, 0xfffe]));
    // Gray + alpha keeps 2 channels with channels: 0.
    withTensor(d.decodePng(pngFile(2, 1, 8, 4, [new Uint8Array([10, 20, 30, 40])])), (t) => {
      expect(t.shape).toEqual([1, 2, 2]);
      expect(values(t)).toEqual([10, 20, 30, 40]);
    });
  });

  test('channels conversions follow TensorFlow: weights 0.2989/0.5870/0.1140, replication, alpha dropped or 255', () => {
    const rgba = [
      [[255, 0, 0, 10], [0, 255, 0, 20]],
      [[0, 0, 255, 30], [100, 150, 200, 40]],
    ];
    const file = withTensor(ef.tensor(rgba, undefined, 'int32'), (t) => d.encodePng(t));
    const gray = (p: number[]) => Math.round(0.2989 * p[0]! + 0.587 * p[1]! + 0.114 * p[2]!);
    const px = rgba.flat();
    withTensor(d.decodePng(file, { channels: 1 }), (t) => {
      expect(t.shape).toEqual([2, 2, 1]);
      expect(values(t)).toEqual(px.map(gray));
      expect(values(t)).toEqual([76, 150, 29, 141]);
    });
    withTensor(d.decodePng(file, { channels: 3 }), (t) => expect(values(t)).toEqual(px.flatMap((p) => p.slice(0, 3))));
    withTensor(d.decodePng(file, { channels: 4 }), (t) => expect(values(t)).toEqual(px.flat()));
    // core's rgbToGrayscale agrees on the float version.
    withTensor(d.decodePng(file, { channels: 3, dtype: 'float32' }), (f) =>
      withTensor(ef.image.rgbToGrayscale(f), (g) => values(g).forEach((v, i) => expect(Math.abs(v * 255 - values(d.decodePng(file, { channels: 1 }))[i]!)).toBeLessThanOrEqual(0.5 + 1e-3))),
    );
    // Gray → RGB replicates; gray → RGBA adds an opaque alpha (65535 for 16-bit).
    const g8 = withTensor(ef.tensor([[[7], [200]]], undefined, 'int32'), (t) => d.encodePng(t));
    withTensor(d.decodePng(g8, { channels: 3 }), (t) => expect(values(t)).toEqual([7, 7, 7, 200, 200, 200]));
    withTensor(d.decodePng(g8, { channels: 4 }), (t) => expect(values(t)).toEqual([7, 7, 7, 255, 200, 200, 200, 255]));
    const g16 = withTensor(ef.tensor([[[7], [60000]]], undefined, 'int32'), (t) => d.encodePng(t, { bitDepth: 16 }));
    withTensor(d.decodePng(g16, { channels: 4 }), (t) => expect(values(t)).toEqual([7, 7, 7, 65535, 60000, 60000, 60000, 65535]));
    // RGB → RGBA.
    const rgb = withTensor(ef.tensor([[[1, 2, 3]]], undefined, 'int32'), (t) => d.encodePng(t));
    withTensor(d.decodePng(rgb, { channels: 4 }), (t) => expect(values(t)).toEqual([1, 2, 3, 255]));
  });

  test('real PNG files (chromium icons) match the independent decoder', () => {
    const present = CHROMIUM_PNGS.filter((p) => existsSync(p));
    if (present.length === 0) {
      console.warn(`skipped: no chromium icons (${CHROMIUM_PNGS[0]}); tools/setup.sh installs chromium`);
      return;
    }
    for (const path of present) {
      const file = new Uint8Array(readFileSync(path));
      const ref = readPng8(file);
      withTensor(d.decodePng(file), (t) => {
        expect(t.shape).toEqual([ref.height, ref.width, ref.channels]);
        expect(values(t)).toEqual(Array.from(ref.data));
        // Re-encoding is lossless.
        withTensor(d.decodePng(d.encodePng(t)), (back) => expect(values(back)).toEqual(values(t)));
      });
      withTensor(d.decodeImage(file, { channels: 3 }), (t) => expect(t.shape).toEqual([ref.height, ref.width, 3]));
    }
  });

  test('corrupt and truncated PNGs throw naming the function and what was found', () => {
    const file = withTensor(ef.makeTensor(gradient(16, 16, 3), [16, 16, 3], 'int32'), (t) => d.encodePng(t));
    expect(() => d.decodePng(file.subarray(0, 5))).toThrow('decodePng: not a PNG file (expected magic 89 50 4E 47 0D 0A 1A 0A, found 89 50 4E 47 0D)');
    expect(() => d.decodePng(new Uint8Array(0))).toThrow('found (empty input)');
    expect(() => d.decodePng(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toThrow('decodePng: not a PNG file (expected magic 89 50 4E 47 0D 0A 1A 0A, found FF D8 FF E0)');
    for (const cut of [20, 40, file.length - 30, file.length - 4]) {
      expect(() => d.decodePng(file.subarray(0, cut))).toThrow(/^decodePng: truncated PNG: the file ends/);
    }
    const flipped = file.slice();
    flipped[file.length - 30] ^= 0x55; // inside the compressed data or its CRC
    expect(() => d.decodePng(flipped)).toThrow(/^decodePng: invalid PNG data/);
    const badCrc = file.slice();
    badCrc[29] ^= 0x01; // the IHDR CRC
    expect(() => d.decodePng(badCrc)).toThrow(/^decodePng: invalid PNG data: .*CRC/i);
    const badType = file.slice();
    badType[12] = 0x00; // the IHDR type field
    expect(() => d.decodePng(badType)).toThrow('decodePng: corrupt PNG: expected a chunk type at byte 12, found 00 48 44 52');
  });
});

describe('JPEG', () => {
  test('encodeJpeg → decodeJpeg at quality 100 is close on a smooth image (measured bound)', () => {
    const [h, w] = [48, 64];
    const src = gradient(h, w, 3);
    const bytes = withTensor(ef.makeTensor(src, [h, w, 3], 'int32'), (t) => d.encodeJpeg(t, { quality: 100 }));
    expect(Array.from(bytes.subarray(0, 3))).toEqual([0xff, 0xd8, 0xff]);
    withTensor(d.decodeJpeg(bytes), (t) => {
      expect(t.shape).toEqual([h, w, 3]);
      const v = values(t);
      let sum = 0, max = 0;
      v.forEach((x, i) => {
        const e = Math.abs(x - src[i]!);
        sum += e;
        max = Math.max(max, e);
      });
      // Measured with jpeg-js 0.4.4 (4:4:4, quantization all ones at quality 100): mean 0.55,
      // max 3 (also on 200x300: 0.56 / 4); what is left is YCbCr rounding, hence the bounds.
      expect(sum / v.length).toBeLessThan(1);
      expect(max).toBeLessThanOrEqual(6);
    });
    // Lower quality: smaller files, larger (still bounded) error.
    const q = [95, 50, 10].map((quality) => withTensor(ef.makeTensor(src, [h, w, 3], 'int32'), (t) => d.encodeJpeg(t, { quality })));
    expect(q[0]!.length).toBeLessThan(bytes.length);
    expect(q[2]!.length).toBeLessThan(q[1]!.length);
    withTensor(ef.makeTensor(src, [h, w, 3], 'int32'), (t) => expect(d.encodeJpeg(t)).toEqual(q[0])); // default 95
    withTensor(d.decodeJpeg(q[2]!), (t) => {
      const v = values(t);
      const mean = v.reduce((s, x, i) => s + Math.abs(x - src[i]!), 0) / v.length;
      expect(mean).toBeLessThan(12); // measured 7.2
    });
  });

  test('float32 input, 1-channel input, and float32 output', () => {
    const f = ef.div(ef.cast(ef.makeTensor(gradient(16, 16, 3), [16, 16, 3], 'int32'), 'float32'), 255);
    const fromFloat = d.encodeJpeg(f, { quality: 100 });
    const fromInt = withTensor(ef.makeTensor(gradient(16, 16, 3), [16, 16, 3], 'int32'), (t) => d.encodeJpeg(t, { quality: 100 }));
    expect(fromFloat).toEqual(fromInt);
    withTensor(d.decodeJpeg(fromFloat, { dtype: 'float32' }), (t) => {
      expect(t.dtype).toBe('float32');
      const i = values(d.decodeJpeg(fromFloat));
      values(t).forEach((v, k) => expect(v).toBeCloseTo(i[k]! / 255, 6));
    });
    f.dispose();
    // A gray image is stored as equal R, G, B (jpeg-js writes YCbCr): channels 1 gives it back.
    const g = gradient(16, 24, 1);
    const bytes = withTensor(ef.makeTensor(g, [16, 24, 1], 'int32'), (t) => d.encodeJpeg(t, { quality: 100 }));
    withTensor(d.decodeJpeg(bytes, { channels: 1 }), (t) => {
      expect(t.shape).toEqual([16, 24, 1]);
      values(t).forEach((v, i) => expect(Math.abs(v - g[i]!)).toBeLessThanOrEqual(1)); // measured: exact
    });
  });

  test('a grayscale JPEG written by an independent encoder decodes exactly; channels 0/1/3', () => {
    const blocks = [
      [0, 128, 255],
      [37, 200, 90],
    ];
    const file = grayJpeg(blocks);
    const want = (c: number) => {
      const out: number[] = [];
      for (let y = 0; y < 16; y++) for (let x = 0; x < 24; x++) for (let k = 0; k < c; k++) out.push(blocks[y >> 3]![x >> 3]!);
      return out;
    };
    withTensor(d.decodeJpeg(file), (t) => {
      expect(t.shape).toEqual([16, 24, 1]); // as stored: one component
      expect(values(t)).toEqual(want(1));
    });
    withTensor(d.decodeJpeg(file, { channels: 3 }), (t) => expect(values(t)).toEqual(want(3)));
    withTensor(d.decodeImage(file, { channels: 1 }), (t) => expect(values(t)).toEqual(want(1)));
  });

  test('channels 1 on a colour JPEG uses rgb_to_grayscale weights on the decoded RGB', () => {
    const bytes = withTensor(ef.makeTensor(noise(8 * 8 * 3, 255, 3), [8, 8, 3], 'int32'), (t) => d.encodeJpeg(t));
    const rgb = values(d.decodeJpeg(bytes, { channels: 3 }));
    withTensor(d.decodeJpeg(bytes, { channels: 1 }), (t) => {
      expect(t.shape).toEqual([8, 8, 1]);
      values(t).forEach((v, p) => expect(v).toBe(Math.round(0.2989 * rgb[3 * p]! + 0.587 * rgb[3 * p + 1]! + 0.114 * rgb[3 * p + 2]!)));
    });
    withTensor(d.decodeJpeg(bytes), (t) => expect(t.shape).toEqual([8, 8, 3]));
  });

  test('a real progressive JPEG (nodejs documentation)', () => {
    if (!existsSync(NODEJS_JPEG)) {
      console.warn(`skipped: ${NODEJS_JPEG} absent (Debian's nodejs package; not installed by tools/setup.sh)`);
      return;
    }
    const file = new Uint8Array(readFileSync(NODEJS_JPEG));
    withTensor(d.decodeJpeg(file), (t) => {
      expect(t.shape).toEqual([58, 493, 3]);
      // The same pixels as jpeg-js's own RGBA path.
      const ref = jpeg.decode(file, { useTArray: true });
      const v = values(t);
      for (let p = 0; p < 58 * 493; p += 97) for (let k = 0; k < 3; k++) expect(v[3 * p + k]).toBe(ref.data[4 * p + k]);
      withTensor(d.decodeImage(file), (u) => expect(values(u)).toEqual(v));
      // Re-encoding at quality 100 stays close.
      withTensor(d.decodeJpeg(d.encodeJpeg(t, { quality: 100 })), (back) => {
        const b = values(back);
        expect(b.reduce((s, x, i) => s + Math.abs(x - v[i]!), 0) / b.length).toBeLessThan(2);
      });
    });
  });

  test('corrupt and truncated JPEGs throw naming the function and what was found', () => {
    const file = withTensor(ef.makeTensor(gradient(32, 32, 3), [32, 32, 3], 'int32'), (t) => d.encodeJpeg(t));
    expect(() => d.decodeJpeg(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toThrow('decodeJpeg: not a JPEG file (expected magic FF D8 FF, found 89 50 4E)');
    expect(() => d.decodeJpeg(new Uint8Array(0))).toThrow('decodeJpeg: not a JPEG file (expected magic FF D8 FF, found (empty input))');
    expect(() => d.decodeJpeg(file.subarray(0, 10))).toThrow(/^decodeJpeg: truncated JPEG: the file ends \(10 bytes\) inside the FF E0 segment/);
    for (const cut of [file.length - 200, file.length - 2, file.length - 1]) {
      expect(() => d.decodeJpeg(file.subarray(0, cut))).toThrow(`decodeJpeg: truncated JPEG: the file ends (${cut} bytes) inside the compressed image data, before the end-of-image marker FF D9`);
    }
    const noSof = grayJpeg([[1]]).filter((_, i, a) => i < 71 || i >= 71 + 13); // drop SOF0 (after SOI 2 + DQT 69)
    expect(noSof[71]).toBe(0xff);
    expect(() => d.decodeJpeg(noSof)).toThrow(/^decodeJpeg: (corrupt JPEG: no frame header|invalid JPEG data)/);
    const badMarker = file.slice();
    badMarker[2 + 18] = 0x12; // where the next segment's FF should be
    expect(() => d.decodeJpeg(badMarker)).toThrow(/^decodeJpeg: corrupt JPEG: expected a marker \(FF xx\) at byte 20, found 12/);
    expect(() => d.decodeJpeg(file, { channels: 4 as 3 })).toThrow('decodeJpeg: channels must be one of 0, 1, 3, found 4');
    expect(() => d.decodeImage(file, { channels: 4 })).toThrow('decodeImage: channels must be 0, 1 or 3 for a JPEG, found 4');
  });
});

describe('decodeImage and inputs', () => {
  test('dispatches on the magic bytes; GIF, BMP and others are named', () => {
    const t3 = ef.makeTensor(gradient(8, 8, 3), [8, 8, 3], 'int32');
    const png = d.encodePng(t3);
    const jpg = d.encodeJpeg(t3, { quality: 100 });
    withTensor(d.decodeImage(png), (t) => expect(values(t)).toEqual(values(t3)));
    withTensor(d.decodeImage(jpg), (t) => expect(values(t)).toEqual(values(d.decodeJpeg(jpg))));
    withTensor(d.decodeImage(png, { channels: 1, dtype: 'float32' }), (t) => {
      expect(t.shape).toEqual([8, 8, 1]);
      expect(t.dtype).toBe('float32');
    });
    t3.dispose();
    const gif = new TextEncoder().encode('GIF89a\x01\x00\x01\x00');
    expect(() => d.decodeImage(gif)).toThrow('decodeImage: unknown image format: expected a JPEG (magic FF D8 FF) or a PNG (magic 89 50 4E 47), found a GIF file (magic 47 49 46 38, "GIF8")');
    expect(() => d.decodeImage(new Uint8Array([0x42, 0x4d, 0x3a, 0, 0, 0]))).toThrow('found a BMP file (magic 42 4D, "BM")');
    expect(() => d.decodeImage(new Uint8Array([1, 2, 3, 4, 5]))).toThrow('decodeImage: unknown image format: expected a JPEG (magic FF D8 FF) or a PNG (magic 89 50 4E 47), found magic 01 02 03 04');
    expect(() => d.decodeImage(new Uint8Array(0))).toThrow('found magic (empty input)');
    expect(() => d.decodeImage(png, { channels: 2 as 1 })).toThrow('decodeImage: channels must be one of 0, 1, 3, 4, found 2');
    expect(() => d.decodeImage(png, { dtype: 'int64' as 'int32' })).toThrow("decodeImage: dtype must be 'int32' or 'float32', found int64");
    expect(() => d.decodeImage(png, { channels: 1, dtype: 'float32' })).not.toThrow();
  });

  test('a scalar string tensor holding the file bytes is accepted', () => {
    const img = ef.makeTensor(gradient(6, 5, 4), [6, 5, 4], 'int32');
    const png = d.encodePng(img);
    const jpg = d.encodeJpeg(ef.slice(img, [0, 0, 0], [-1, -1, 3]));
    const asString = ef.makeTensor([png], [], 'string');
    withTensor(d.decodePng(asString), (t) => expect(values(t)).toEqual(values(img)));
    withTensor(d.decodeImage(ef.tensor([png], [], 'string')), (t) => expect(values(t)).toEqual(values(img)));
    withTensor(d.decodeJpeg(ef.makeTensor([jpg], [], 'string')), (t) => expect(t.shape).toEqual([6, 5, 3]));
    expect(() => d.decodePng(ef.makeTensor([png, png], [2], 'string'))).toThrow('decodePng: contents must be a scalar string tensor holding the file bytes, found a string tensor of shape [2]');
    expect(() => d.decodeJpeg(img)).toThrow('decodeJpeg: contents must be a scalar string tensor holding the file bytes, found a int32 tensor of shape [6,5,4]');
    expect(() => d.decodeImage('x.png' as unknown as Uint8Array)).toThrow('decodeImage: contents must be a Uint8Array or a scalar string tensor, found "x.png"');
    img.dispose();
  });

  test('encoder argument errors', () => {
    const rgba = ef.makeTensor(gradient(4, 4, 4), [4, 4, 4], 'int32');
    expect(() => d.encodeJpeg(rgba)).toThrow('encodeJpeg: image must have 1, 3 channels, found 4 (shape [4,4,4])');
    expect(() => d.encodeJpeg(ef.zeros([4, 4]))).toThrow('encodeJpeg: image must be 3-D [height, width, channels], found shape [4,4]');
    expect(() => d.encodeJpeg(ef.zeros([2, 2, 3]), { quality: 101 })).toThrow('encodeJpeg: quality must be an integer in 0..100, found 101');
    expect(() => d.encodePng(ef.makeTensor([0, 256, 3], [1, 1, 3], 'int32'))).toThrow('encodePng: int32 image values must lie in 0..255, found 256 at flat index 1');
    expect(() => d.encodePng(ef.makeTensor([-1], [1, 1, 1], 'int32'), { bitDepth: 16 })).toThrow('encodePng: int32 image values must lie in 0..65535, found -1 at flat index 0');
    expect(() => d.encodePng(ef.zeros([2, 2, 5]))).toThrow('encodePng: image must have 1, 2, 3, 4 channels, found 5');
    expect(() => d.encodePng(ef.zeros([0, 2, 3]))).toThrow('encodePng: image must not be empty, found shape [0,2,3]');
    expect(() => d.encodePng(ef.zeros([2, 2, 3], 'bool'))).toThrow('encodePng: image must be int32 (0..255) or float32 ([0, 1]), found bool');
    expect(() => d.encodePng(rgba, { bitDepth: 12 as 8 })).toThrow('encodePng: bitDepth must be 8 or 16, found 12');
    expect(() => d.encodePng(rgba, { compression: 10 })).toThrow('encodePng: compression must be an integer in -1..9, found 10');
    // quality 0 is accepted (the lowest quality).
    expect(d.decodeJpeg(d.encodeJpeg(ef.zeros([8, 8, 3]), { quality: 0 })).shape).toEqual([8, 8, 3]);
    rgba.dispose();
  });

  test('encodeJpeg works without a Buffer global (browsers)', () => {
    const g = globalThis as { Buffer?: unknown };
    const saved = g.Buffer;
    const img = ef.makeTensor(gradient(8, 8, 3), [8, 8, 3], 'int32');
    const withBuffer = d.encodeJpeg(img);
    delete g.Buffer;
    try {
      const bytes = d.encodeJpeg(img);
      expect(g.Buffer).toBeUndefined(); // the loan is returned
      expect(bytes).toEqual(withBuffer);
      expect(bytes).toBeInstanceOf(Uint8Array);
      withTensor(d.decodeJpeg(bytes), (t) => expect(t.shape).toEqual([8, 8, 3]));
    } finally {
      g.Buffer = saved;
      img.dispose();
    }
  });

  test('encodePngPixels (raw HWC pixels, as the summary writer has them) round-trips exactly', () => {
    const px = noise(3 * 4 * 2, 255, 9);
    const bytes = d.encodePngPixels(px, 3, 4, 2);
    withTensor(d.decodePng(bytes), (t) => {
      expect(t.shape).toEqual([3, 4, 2]);
      expect(values(t)).toEqual(Array.from(px));
    });
    expect(() => d.encodePngPixels(px, 3, 4, 3)).toThrow('encodePngPixels: 24 values for 3x4x3 (expected 36)');
    expect(() => d.encodePngPixels([300], 1, 1, 1)).toThrow('encodePngPixels: pixel values must be integers in 0..255, found 300 at flat index 0');
  });

  test('a Fashion-MNIST image encodes as PNG and decodes back exactly', () => {
    if (!existsSync(`${FASHION_MNIST}/t10k-images-idx3-ubyte.gz`)) {
      console.warn(`skipped: Fashion-MNIST not in ${FASHION_MNIST} (tools/setup.sh installs dataset-fashion-mnist)`);
      return;
    }
    const m = d.loadFashionMnist(FASHION_MNIST, { split: 'test' });
    for (const i of [0, 1, 9999]) {
      const pixels = m.images.subarray(i * m.rows * m.cols, (i + 1) * m.rows * m.cols);
      const img = ef.makeTensor(Int32Array.from(pixels), [m.rows, m.cols, 1], 'int32');
      const png = d.encodePng(img);
      expect(readPng8(png).data).toEqual(pixels);
      withTensor(d.decodeImage(ef.makeTensor([png], [], 'string')), (t) => {
        expect(t.shape).toEqual([28, 28, 1]);
        expect(values(t)).toEqual(Array.from(pixels));
      });
      // ef.image.convertImageDtype maps int32 0..255 to float32 0..1 like dtype: 'float32'.
      withTensor(ef.image.convertImageDtype(d.decodePng(png), 'float32'), (f) =>
        withTensor(d.decodePng(png, { dtype: 'float32' }), (g) => values(f).forEach((v, k) => expect(v).toBeCloseTo(values(g)[k]!, 6))),
      );
      img.dispose();
    }
  });
});
