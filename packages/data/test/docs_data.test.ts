// Runs every ```ts snippet of docs/data.md in order (later ones read the files earlier ones write under
// /tmp), so the documentation stays runnable, and checks what the comments say they print or hold.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as ef from '@eagerflow/core';
import * as cpu from '@eagerflow/cpu-backend';
import * as data from '@eagerflow/data';
import * as io from '@eagerflow/io';
import { describeDocSnippets, writeFileBlocks } from '../../../tools/test/doc_snippets.js';

const docPath = join(dirname(fileURLToPath(import.meta.url)), '../../../docs/data.md');
// decode.mjs (a ```js block) is written here; snippets see import.meta.url in this directory.
const moduleDir = fs.mkdtempSync(join(tmpdir(), 'ef-docs-data-'));

beforeAll(() => {
  expect(writeFileBlocks(fs.readFileSync(docPath, 'utf8'), moduleDir)).toEqual(['decode.mjs']);
  fs.rmSync('/tmp/train.efcache', { force: true }); // so the cache snippet writes it
  fs.rmSync('/tmp/logs/run1', { recursive: true, force: true }); // one event file per run otherwise piles up
});
afterAll(() => fs.rmSync(moduleDir, { recursive: true, force: true }));

let gfileAdapter: data.DataFileSystem | undefined;
const doc = describeDocSnippets(docPath, {
  minSnippets: 19,
  modules: { '@eagerflow/core': ef, '@eagerflow/cpu-backend': cpu, '@eagerflow/data': data, '@eagerflow/io': io, 'node:fs': fs },
  globals: { ef, data },
  importMetaUrl: pathToFileURL(join(moduleDir, 'snippet.mjs')).href,
  beforeEach: async () => {
    const installed = data.getFileSystem();
    if (!installed.readFileSync) gfileAdapter = installed; // the one the gfile adapter snippet installed
    data.setFileSystem(undefined); // each snippet starts from the default file system
    await ef.setBackend('cpu');
  },
});

test('docs/data.md: printed values and comments hold', () => {
  const all = doc.printed();
  expect(all).toContain('1000'); // records read back
  expect(all).toContain("{'x': TensorSpec(shape=(2,), dtype=tf.float32, name=None), 'y': TensorSpec(shape=(), dtype=tf.int32, name=None)}\n[2,2]\n[1,2]");
  expect(all).toContain(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'].join('\n')); // initializable iterator
  expect(all).toContain('0\n10\n1\n11\n2'); // FIFOQueue
  expect(all).toContain('[0,1,2]\n[1,2,3]\n[2,3,4]\n[3,4,5]\n[4,5,6]\n[0,2,4]\n[2,4,6]\n[4,6]\n[6]\n[[1,2],"a"]\n[[3,4],"b"]'); // window, flatMap, unbatch
  expect(all).toContain('[[1,2,3],[4,0,0]]'); // PaddingFIFOQueue
  expect(all).toContain('[128] [128]'); // TFRecord training input
  expect(all).toContain('[28,28,1] 0\n[28,28,1] 1'); // worker map
  expect(doc.result('WholeFileReader()').printed.sort()).toEqual(['/tmp/images/cat.jpg int32 [8,8,3]', '/tmp/images/dog.jpg int32 [8,8,3]']);
  expect(all).toContain('[1,2]\n0 loss 1\n0 weights histogram of 1000\n1 loss 0.5'); // summaries
  expect(all).toContain('0 notes ');

  const example = doc.result('data.decodeExample(bytes)').scope as { ex: data.Example };
  const { label, weights, name } = example.ex.features as Record<string, { kind: string; value: unknown }>;
  expect(label!.kind).toBe('int64List');
  expect((label!.value as { toString(): string }[]).map(String)).toEqual(['1', '-1', String(2n ** 60n)]);
  expect(weights!.kind).toBe('floatList');
  expect(weights!.value).toBeInstanceOf(Float32Array);
  expect(name!.kind).toBe('bytesList');
  expect(new TextDecoder().decode((name!.value as Uint8Array[])[0])).toBe('penguin');

  const parsing = doc.result('data.parseSingleExample(bytes, spec)').scope as { image: ef.Tensor; tags: data.SparseTensor; batch: Record<string, ef.Tensor | data.SparseTensor>; parsed: Record<string, ef.Tensor> };
  expect([parsing.image.dtype, parsing.image.shape]).toEqual(['int32', [784]]);
  expect([parsing.tags.indices.dtype, parsing.tags.indices.shape, parsing.tags.values.shape, parsing.tags.denseShape.dtype, parsing.tags.denseShape.shape]).toEqual(['int64', [2, 1], [2], 'int64', [1]]);
  expect(parsing.parsed.weights!.dataSync()).toEqual(new Float32Array([1, 1])); // the default
  expect((parsing.batch.image as ef.Tensor).shape).toEqual([2]);
  expect((parsing.batch.weights as ef.Tensor).shape).toEqual([2, 2]);
  expect((parsing.batch.tags as data.SparseTensor).indices.shape).toEqual([4, 2]);

  const idx = doc.result('data.idxDataset(').scope as { train: data.MnistData; raw: data.IdxArray; ds: data.Dataset };
  expect([idx.train.images.length, idx.train.labels.length, idx.train.count, idx.train.rows, idx.train.cols]).toEqual([60000 * 28 * 28, 60000, 60000, 28, 28]);
  expect([idx.raw.shape, idx.raw.dtype, idx.raw.data instanceof Uint8Array]).toEqual([[10000], 'uint8', true]);
  expect(idx.ds.specString()).toBe("{'image': TensorSpec(shape=(28, 28, 1), dtype=tf.float32, name=None), 'label': TensorSpec(shape=(), dtype=tf.int32, name=None)}");

  const images = doc.result('data.encodePng(img)').scope as Record<string, ef.Tensor> & { mnist: data.MnistData; png: Uint8Array; jpg: Uint8Array };
  expect(images.mnist.labels[0]).toBe(9); // ankle boot
  const described = (t: ef.Tensor) => `${t.dtype} [${t.shape.join(', ')}]`;
  expect([images.back!, images.rgb!, images.x!, images.y!, images.decoded!].map(described)).toEqual(['int32 [28, 28, 1]', 'int32 [28, 28, 3]', 'float32 [28, 28, 1]', 'int32 [28, 28, 1]', 'float32 [28, 28, 1]']);
  expect(images.back!.dataSync()).toEqual(images.img!.dataSync());
  const maxAbsDiff = (a: ef.Tensor, b: ef.Tensor) => Math.max(...(ef.abs(ef.sub(a, b)).dataSync() as Float32Array | Int32Array));
  expect(maxAbsDiff(images.x!, ef.div(ef.cast(images.back!, 'float32'), 255))).toBeLessThan(1e-6); // x is back / 255
  expect(maxAbsDiff(images.y!, images.img!)).toBeLessThan(32); // the JPEG round trip: lossy, close (13 at most, 1.4 on average)
  expect(ef.reduceMean(ef.cast(ef.abs(ef.sub(images.y!, images.img!)), 'float32')).dataSync()[0]).toBeLessThan(4);
  expect([images.asString!.dtype, images.asString!.shape]).toEqual(['string', []]);
});

test('docs/data.md: the gfile adapter reads, writes, globs and caches through io', async () => {
  expect(gfileAdapter).toBeDefined();
  data.setFileSystem(gfileAdapter);
  try {
    const w = new data.TFRecordWriter('mem://docs-data/part-0.tfrecord.gz', { compression: 'GZIP' });
    for (let i = 0; i < 5; i++) await w.write(data.encodeExample({ features: { i: data.int64Feature(i) } }));
    await w.close();
    expect(await io.gfile.exists('mem://docs-data/part-0.tfrecord.gz')).toBe(true);
    const ds = data.Dataset.listFiles('mem://docs-data/part-*.tfrecord.gz')
      .interleave((f) => data.Dataset.TFRecordDataset(f as ef.Tensor, { compression: 'GZIP' }))
      .map((r: ef.Tensor) => data.parseSingleExample(r, { i: data.FixedLenFeature([], 'int32') }).i as ef.Tensor)
      .cache('mem://docs-data/ds.efcache');
    for (let pass = 0; pass < 2; pass++) {
      expect((await ds.toArray()).map((t) => t.dataSync()[0])).toEqual([0, 1, 2, 3, 4]);
    }
    expect(await io.gfile.glob('mem://docs-data/*')).toEqual(['mem://docs-data/ds.efcache', 'mem://docs-data/part-0.tfrecord.gz']);
  } finally {
    data.setFileSystem(undefined);
  }
});
