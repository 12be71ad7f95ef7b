import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import * as io from '@eagerflow/io';
import { fakeIndexedDB } from './fake_indexeddb';
import { FIXTURES, nums, tempDir } from './helpers';

const { gfile } = io;
const text = (b: Uint8Array) => new TextDecoder().decode(b);
let tmp: ReturnType<typeof tempDir>;
let server: Server;
let base = '';

beforeAll(async () => {
  await ef.setBackend('cpu');
  tmp = tempDir();
  gfile.registerFileSystem('indexeddb', new gfile.KVFileSystem('indexeddb', new gfile.IndexedDBStore(fakeIndexedDB())));
  server = createServer((req, res) => {
    const file = join(FIXTURES, decodeURIComponent(req.url!.split('?')[0]!));
    let data: Buffer;
    try {
      data = readFileSync(file);
    } catch {
      res.writeHead(404).end();
      return;
    }
    const range = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? '');
    if (range) {
      const [a, b] = [Number(range[1]), Number(range[2])];
      res.writeHead(206, { 'content-length': b - a + 1, 'content-range': `bytes ${a}-${b}/${data.length}` });
      res.end(req.method === 'HEAD' ? undefined : data.subarray(a, b + 1));
    } else {
      res.writeHead(200, { 'content-length': data.length });
      res.end(req.method === 'HEAD' ? undefined : data);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  tmp.cleanup();
  await new Promise((r) => server.close(r));
});

const roots: [string, () => string][] = [
  ['local disk', () => join(tmp.dir, 'fs')],
  ['mem://', () => 'mem://fs'],
  ['indexeddb:// (fake IDB)', () => 'indexeddb://fs'],
];

describe.each(roots)('gfile on %s', (_label, rootOf) => {
  test('files, directories, atomic writes, rename, remove, glob, walk, stat', async () => {
    const root = rootOf();
    expect(await gfile.exists(root)).toBe(false);
    await gfile.makeDirs(gfile.join(root, 'a/b'));
    expect(await gfile.isDirectory(gfile.join(root, 'a/b'))).toBe(true);
    await gfile.writeFile(gfile.join(root, 'a/x.txt'), 'hello');
    await gfile.writeFile(gfile.join(root, 'a/b/y.bin'), new Uint8Array([1, 2, 3]));
    await gfile.writeFile(gfile.join(root, 'a/b/z.bin'), new Uint8Array([4]));
    expect(text(await gfile.readFile(gfile.join(root, 'a/x.txt')))).toBe('hello');
    expect(await gfile.readText(gfile.join(root, 'a/x.txt'))).toBe('hello');
    expect(await gfile.listDirectory(gfile.join(root, 'a'))).toEqual(['b', 'x.txt']);
    const st = await gfile.stat(gfile.join(root, 'a/b/y.bin'));
    expect([st.length, st.isDirectory]).toEqual([3, false]);
    expect((await gfile.stat(gfile.join(root, 'a'))).isDirectory).toBe(true);
    expect(await gfile.glob(gfile.join(root, 'a/b/*.bin'))).toEqual([gfile.join(root, 'a/b/y.bin'), gfile.join(root, 'a/b/z.bin')]);
    expect(await gfile.glob(gfile.join(root, 'a/*/[y]*'))).toEqual([gfile.join(root, 'a/b/y.bin')]);
    expect(await gfile.glob(gfile.join(root, 'a/?.txt'))).toEqual([gfile.join(root, 'a/x.txt')]);
    expect(await gfile.glob(gfile.join(root, 'nope/*'))).toEqual([]);
    const walked: string[] = [];
    for await (const [d, dirs, files] of gfile.walk(gfile.join(root, 'a'))) walked.push(`${d}|${dirs.join(',')}|${files.join(',')}`);
    expect(walked).toEqual([`${gfile.join(root, 'a')}|b|x.txt`, `${gfile.join(root, 'a/b')}||y.bin,z.bin`]);
    // overwrite is atomic and leaves no temporary files
    await gfile.writeFile(gfile.join(root, 'a/x.txt'), 'bye');
    expect(await gfile.listDirectory(gfile.join(root, 'a'))).toEqual(['b', 'x.txt']);
    expect(await gfile.readText(gfile.join(root, 'a/x.txt'))).toBe('bye');
    await gfile.rename(gfile.join(root, 'a/x.txt'), gfile.join(root, 'a/b/x2.txt'));
    expect(await gfile.exists(gfile.join(root, 'a/x.txt'))).toBe(false);
    await expect(gfile.rename(gfile.join(root, 'a/b/y.bin'), gfile.join(root, 'a/b/z.bin'), { overwrite: false })).rejects.toThrow(/destination exists/);
    await gfile.rename(gfile.join(root, 'a/b/y.bin'), gfile.join(root, 'a/b/z.bin'));
    expect(Array.from(await gfile.readFile(gfile.join(root, 'a/b/z.bin')))).toEqual([1, 2, 3]);
    await expect(gfile.remove(gfile.join(root, 'a'))).rejects.toMatchObject({ code: 'NOT_EMPTY' });
    await gfile.remove(gfile.join(root, 'a/b/z.bin'));
    await expect(gfile.readFile(gfile.join(root, 'a/b/z.bin'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await gfile.copy(gfile.join(root, 'a/b/x2.txt'), gfile.join(root, 'a/copy.txt'));
    expect(await gfile.readText(gfile.join(root, 'a/copy.txt'))).toBe('bye');
    await gfile.removeRecursively(gfile.join(root, 'a'));
    expect(await gfile.exists(gfile.join(root, 'a'))).toBe(false);
  });

  test('streams: write, append, read, seek, chunks', async () => {
    const root = rootOf();
    await gfile.makeDirs(root);
    const p = gfile.join(root, 'stream.txt');
    const w = await gfile.open(p, 'w');
    await w.write('abc');
    await w.write(new Uint8Array([100, 101]));
    expect(w.tell()).toBe(5);
    await w.sync();
    await w.close();
    const a = await gfile.open(p, 'a');
    await a.write('fgh');
    await a.close();
    const r = await gfile.open(p, 'r');
    expect(r.size).toBe(8);
    expect(text(await r.read(2))).toBe('ab');
    r.seek(5);
    expect(text(await r.read())).toBe('fgh');
    r.seek(0);
    const chunks: string[] = [];
    for await (const c of r.chunks(3)) chunks.push(text(c));
    expect(chunks).toEqual(['abc', 'def', 'gh']);
    await expect(r.write('x')).rejects.toThrow(/open for reading/);
    await r.close();
    await expect(r.read()).rejects.toThrow(/closed/);
  });

  test('checkpoints and a Saver work here', async () => {
    const root = gfile.join(rootOf(), 'ckpt');
    await gfile.makeDirs(root);
    const v = ef.variable(ef.tensor([1, 2, 3]), { name: 'fsvar' });
    const saver = new io.Saver({ varList: [v], maxToKeep: 1 });
    await saver.save(gfile.join(root, 'model'), { globalStep: 1 });
    v.assign(ef.tensor([4, 5, 6]));
    await saver.save(gfile.join(root, 'model'), { globalStep: 2 });
    expect(await gfile.listDirectory(root)).toEqual(['checkpoint', 'model-2.data-00000-of-00001', 'model-2.index']);
    v.assign(ef.tensor([0, 0, 0]));
    await saver.restore(root);
    expect(nums(v)).toEqual([4, 5, 6]);
    expect(await io.latestCheckpoint(root)).toBe(gfile.join(root, 'model-2'));
    v.dispose();
  });
});

describe('http(s) (read-only)', () => {
  test('reads files and checkpoints, range reads, clear errors for writes and listing', async () => {
    const url = `${base}/checkpoint/tfx_estimator/model.ckpt-1000`;
    expect(await gfile.exists(`${url}.index`)).toBe(true);
    expect(await gfile.exists(`${url}.nothing`)).toBe(false);
    expect((await gfile.stat(`${url}.index`)).length).toBe(2710);
    const r = await io.CheckpointReader.open(url);
    expect(nums(await r.getTensor('dnn/logits/bias'))).toEqual([Math.fround(-0.0688979402)]);
    expect((await r.getTensor('global_step')).dataSync()).toEqual(BigInt64Array.from([1000n]));
    expect(await io.latestCheckpoint(`${base}/checkpoint/tfx_estimator`)).toBe(url);
    const st = await io.loadSafetensors(`${base}/safetensors/mlverse/hello.safetensors`);
    expect(st.tensors.get('hello')!.shape).toEqual([10, 10]);
    const f = await gfile.open(`${base}/tfrecord/tensorflow_rust/expected.tfrecord`);
    f.seek(12);
    expect(text(await f.read(19))).toBe('The Quick Brown Fox');
    await expect(gfile.writeFile(`${base}/x`, 'a')).rejects.toMatchObject({ code: 'READ_ONLY' });
    await expect(gfile.listDirectory(`${base}/checkpoint`)).rejects.toThrow(/no directory listing/);
    await expect(gfile.readFile(`${base}/missing`)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('gfile misc', () => {
  test('path helpers and unknown schemes', async () => {
    expect(gfile.join('mem://a', 'b', 'c')).toBe('mem://a/b/c');
    expect(gfile.join('/x/', 'y')).toBe('/x/y');
    expect(gfile.dirname('mem://a/b/c')).toBe('mem://a/b');
    expect(gfile.dirname('mem://a')).toBe('mem://');
    expect(gfile.dirname('/a')).toBe('/');
    expect(gfile.basename('https://h/a/b.index')).toBe('b.index');
    expect(() => gfile.fileSystemFor('s3://bucket/x')).toThrow(/no file system registered for scheme 's3:\/\/'/);
  });

  test('local atomic writeFile leaves no temporary files', async () => {
    const d = join(tmp.dir, 'atomic');
    await gfile.makeDirs(d);
    for (let i = 0; i < 5; i++) await gfile.writeFile(join(d, 'f'), `v${i}`);
    expect(readdirSync(d)).toEqual(['f']);
  });
});
