import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import * as d from '@eagerflow/data';
import { tempDir } from './helpers.js';

const DIR = '/usr/share/datasets/fashion-mnist';
const tmp = tempDir();
beforeAll(async () => {
  await ef.setBackend('cpu');
});
afterAll(() => tmp.cleanup());

describe('IDX format', () => {
  test('decodes every element type, big-endian, plain and gzip', () => {
    const header = (type: number, dims: number[]) => {
      const b = Buffer.alloc(4 + 4 * dims.length);
      b[2] = type;
      b[3] = dims.length;
      dims.forEach((v, i) => b.writeUInt32BE(v, 4 + 4 * i));
      return b;
    };
    const i16 = Buffer.alloc(4);
    i16.writeInt16BE(-2, 0);
    i16.writeInt16BE(300, 2);
    const f32 = Buffer.alloc(8);
    f32.writeFloatBE(1.5, 0);
    f32.writeFloatBE(-0.25, 4);
    const f64 = Buffer.alloc(8);
    f64.writeDoubleBE(Math.PI, 0);
    const cases: [Buffer, d.IdxType, number[], number[]][] = [
      [Buffer.concat([header(0x08, [2, 2]), Buffer.from([0, 1, 254, 255])]), 'uint8', [2, 2], [0, 1, 254, 255]],
      [Buffer.concat([header(0x09, [2]), Buffer.from([0xff, 0x7f])]), 'int8', [2], [-1, 127]],
      [Buffer.concat([header(0x0b, [2]), i16]), 'int16', [2], [-2, 300]],
      [Buffer.concat([header(0x0c, [1]), Buffer.from([0xff, 0xff, 0xff, 0xfe])]), 'int32', [1], [-2]],
      [Buffer.concat([header(0x0d, [2]), f32]), 'float32', [2], [1.5, -0.25]],
      [Buffer.concat([header(0x0e, [1]), f64]), 'float64', [1], [Math.PI]],
    ];
    for (const [bytes, dtype, shape, values] of cases) {
      const a = d.decodeIdx(new Uint8Array(bytes));
      expect(a.dtype).toBe(dtype);
      expect(a.shape).toEqual(shape);
      expect(Array.from(a.data)).toEqual(values);
      const p = join(tmp.dir, `${dtype}.idx.gz`);
      writeFileSync(p, gzipSync(bytes));
      expect(Array.from(d.readIdx(p).data)).toEqual(values);
    }
  });

  test('errors name the file and the problem', () => {
    expect(() => d.decodeIdx(new Uint8Array([1, 0, 8, 1]), 'f.idx')).toThrow(/f\.idx: bad IDX magic 01 00 08 01/);
    expect(() => d.decodeIdx(new Uint8Array([0, 0, 0x42, 1, 0, 0, 0, 1, 5]), 'f.idx')).toThrow(/unknown IDX element type 0x42/);
    expect(() => d.decodeIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 5]), 'f.idx')).toThrow(/truncated IDX data: shape \[3\] of uint8 needs 11 bytes, the file has 9/);
    expect(() => d.readIdx(join(tmp.dir, 'missing.idx'))).toThrow(/missing\.idx: no such file/);
    const p = join(tmp.dir, 'bad.gz');
    writeFileSync(p, Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]));
    expect(() => d.readIdx(p)).toThrow(/bad\.gz: gzip data is corrupt/);
  });
});

describe('Fashion-MNIST (Debian dataset-fashion-mnist)', () => {
  test('train: 60000 images 28×28 and labels 0..9, 6000 of each class', () => {
    const m = d.loadFashionMnist(DIR, { split: 'train' });
    expect(m.count).toBe(60000);
    expect([m.rows, m.cols]).toEqual([28, 28]);
    expect(m.images.length).toBe(60000 * 784);
    expect(m.labels.length).toBe(60000);
    const counts = new Array(10).fill(0);
    for (const l of m.labels) counts[l]++;
    expect(counts).toEqual(new Array(10).fill(6000));
    // pixels use the full byte range; background (0) dominates the clothing images
    let zeros = 0;
    let max = 0;
    for (let i = 0; i < 784 * 100; i++) {
      if (m.images[i] === 0) zeros++;
      max = Math.max(max, m.images[i]!);
    }
    expect(max).toBe(255);
    expect(zeros / (784 * 100)).toBeGreaterThan(0.3);
    // label of the first training image: the published first label of Fashion-MNIST train is 9 (ankle boot)
    expect(m.labels[0]).toBe(9);
  });

  test('test split: 10000 images, 1000 per class; readIdx gives shapes and dtype', () => {
    const m = d.loadFashionMnist(DIR, { split: 'test' });
    expect(m.count).toBe(10000);
    const counts = new Array(10).fill(0);
    for (const l of m.labels) counts[l]++;
    expect(counts).toEqual(new Array(10).fill(1000));
    const raw = d.readIdx(`${DIR}/t10k-images-idx3-ubyte.gz`);
    expect(raw.shape).toEqual([10000, 28, 28]);
    expect(raw.dtype).toBe('uint8');
    expect(createHash('sha256').update(raw.data).digest('hex')).toBe(createHash('sha256').update(m.images).digest('hex'));
    expect(d.readIdx(`${DIR}/t10k-labels-idx1-ubyte.gz`).shape).toEqual([10000]);
  });

  test('a missing directory explains how to get the data', () => {
    expect(() => d.loadFashionMnist(join(tmp.dir, 'nowhere'))).toThrow(/apt-get install dataset-fashion-mnist.*--data-dir/);
  });

  test('idxDataset → {image float32 [28,28,1] in [0,1], label int32}, shuffled batches', async () => {
    const ds = d.idxDataset(DIR, { split: 'test' });
    expect(d.specToString(ds.elementSpec)).toBe("{'image': TensorSpec(shape=(28, 28, 1), dtype=tf.float32, name=None), 'label': TensorSpec(shape=(), dtype=tf.int32, name=None)}");
    expect(ds.cardinality).toBe(10000);
    const m = d.loadFashionMnist(DIR, { split: 'test' });
    const before = ef.memory().numTensors;
    let seen = 0;
    for await (const b of ds.shuffle(1000, { seed: 1 }).batch(256).take(3)) {
      expect(b.image.shape).toEqual([256, 28, 28, 1]);
      expect(b.label.dtype).toBe('int32');
      const img = b.image.dataSync() as Float32Array;
      expect(Math.max(...img.subarray(0, 784))).toBeLessThanOrEqual(1);
      seen += 256;
      d.disposeElement(b);
    }
    expect(seen).toBe(768);
    expect(ef.memory().numTensors).toBe(before);
    const [first] = await ds.take(1).toArray();
    const px = first!.image.dataSync() as Float32Array;
    expect(Array.from(px.subarray(0, 784), (v) => Math.round(v * 255))).toEqual(Array.from(m.images.subarray(0, 784)));
    expect(first!.label.dataSync()[0]).toBe(m.labels[0]);
  });
});
