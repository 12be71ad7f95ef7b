import { afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import * as d from '@eagerflow/data';
import { gfile } from '@eagerflow/io';
import { tempDir, td } from './helpers.js';

type T = ef.Tensor;
beforeAll(async () => {
  await ef.setBackend('cpu');
});
afterEach(() => d.clearQueueRunners());

const bytesOf = (t: T): Uint8Array => (t.dataSync() as Uint8Array[])[0]!;

describe('WholeFileReader', () => {
  test('reads each file of a filename queue whole: key = path, value = scalar string tensor of the bytes; then OutOfRange', async () => {
    const tmp = tempDir();
    try {
      const files = ['a.txt', 'b.bin', 'empty'].map((n) => join(tmp.dir, n));
      writeFileSync(files[0]!, 'hello\nworld');
      writeFileSync(files[1]!, new Uint8Array([0, 255, 1, 254, 0]));
      writeFileSync(files[2]!, new Uint8Array(0));
      const q = d.stringInputProducer(files, { numEpochs: 1, shuffle: false });
      const coord = new d.Coordinator();
      const threads = d.startQueueRunners(coord);
      const reader = new d.WholeFileReader();
      const got: [string, Uint8Array][] = [];
      try {
        for (;;) {
          const { key, value } = await reader.read(q);
          expect(value.dtype).toBe('string');
          expect(value.shape).toEqual([]);
          got.push([key, bytesOf(value)]);
          value.dispose();
        }
      } catch (e) {
        if (!(e instanceof d.OutOfRangeError)) throw e;
      } finally {
        coord.requestStop();
        await coord.join(threads);
      }
      expect(got.map((g) => g[0])).toEqual(files);
      expect(td.decode(got[0]![1])).toBe('hello\nworld');
      expect([...got[1]![1]]).toEqual([0, 255, 1, 254, 0]);
      expect(got[2]![1].length).toBe(0);
      expect(reader.numRecordsProduced).toBe(3);
      expect(reader.numWorkUnitsCompleted).toBe(3);
      reader.reset();
      expect(reader.numRecordsProduced).toBe(0);
    } finally {
      tmp.cleanup();
    }
  });

  test('notes flow: PNG written with encodePng → WholeFileReader.read → decodeImage', async () => {
    const tmp = tempDir();
    try {
      const pixels = Array.from({ length: 4 * 5 * 3 }, (_, i) => (i * 37) % 256);
      const img = ef.makeTensor(pixels, [4, 5, 3], 'int32');
      const path = join(tmp.dir, 'img.png');
      await gfile.writeFile(path, d.encodePng(img));
      img.dispose();
      const q = d.stringInputProducer([path], { numEpochs: 1 });
      const coord = new d.Coordinator();
      const threads = d.startQueueRunners(coord);
      const reader = new d.WholeFileReader();
      const { key, value } = await reader.read(q);
      expect(key).toBe(path);
      const decoded = d.decodeImage(value);
      expect(decoded.shape).toEqual([4, 5, 3]);
      expect(Array.from(decoded.dataSync() as Int32Array)).toEqual(pixels);
      decoded.dispose();
      value.dispose();
      await expect(reader.read(q)).rejects.toBeInstanceOf(d.OutOfRangeError);
      coord.requestStop();
      await coord.join(threads);
    } finally {
      tmp.cleanup();
    }
  });

  test('readUpTo returns up to n files, fewer at the end; reads through gfile (mem://) and plain-string queues', async () => {
    gfile.resetMemoryFileSystem();
    for (const n of ['x', 'y', 'z']) await gfile.writeFile(`mem://wfr/${n}`, `file ${n}`);
    const q = new d.FIFOQueue<string>(10, 'string');
    for (const n of ['x', 'y', 'z']) await q.enqueue(`mem://wfr/${n}`);
    q.close();
    const reader = new d.WholeFileReader();
    const first = await reader.readUpTo(q, 2);
    expect(first.keys).toEqual(['mem://wfr/x', 'mem://wfr/y']);
    expect(first.values.map((v) => td.decode(bytesOf(v)))).toEqual(['file x', 'file y']);
    const rest = await reader.readUpTo(q, 2);
    expect(rest.keys).toEqual(['mem://wfr/z']);
    ef.dispose([...first.values, ...rest.values]);
    await expect(reader.readUpTo(q, 2)).rejects.toBeInstanceOf(d.OutOfRangeError);
  });

  test('a missing file fails with an error naming the path; a non-string queue is rejected', async () => {
    const tmp = tempDir();
    try {
      const missing = join(tmp.dir, 'nope.jpg');
      const q = new d.FIFOQueue(4, 'string');
      await q.enqueue(missing);
      const reader = new d.WholeFileReader();
      await expect(reader.read(q)).rejects.toThrow(missing);
      const iq = new d.FIFOQueue(4, 'int32');
      await iq.enqueue(3);
      await expect(reader.read(iq)).rejects.toThrow(/scalar string tensors/);
      expect(reader.numRecordsProduced).toBe(0);
    } finally {
      tmp.cleanup();
    }
  });
});
