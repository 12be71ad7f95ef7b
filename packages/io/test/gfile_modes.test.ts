// TF's binary open modes ('rb', 'wb', 'ab') and TF1's FastGFile alias.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as io from '@eagerflow/io';
import { tempDir } from './helpers';

const { gfile } = io;
const text = (b: Uint8Array) => new TextDecoder().decode(b);
let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp.cleanup());

describe('gfile binary modes and FastGFile', () => {
  for (const root of ['local', 'mem://modes']) {
    test(`'wb' writes bytes, 'ab' appends, 'rb' reads them back (${root})`, async () => {
      const dir = root === 'local' ? tmp.dir : root;
      await gfile.makeDirs(dir);
      const p = gfile.join(dir, 'bin.dat');
      const bytes = new Uint8Array([0, 255, 128, 10, 13, 0]);
      const w = await gfile.open(p, 'wb');
      expect(w.mode).toBe('wb');
      await w.write(bytes);
      await w.close();
      const a = await gfile.open(p, 'ab');
      await a.write(new Uint8Array([7]));
      await a.write('é');
      await a.close();
      const r = await gfile.open(p, 'rb');
      expect(r.mode).toBe('rb');
      const got = await r.read();
      expect([...got]).toEqual([0, 255, 128, 10, 13, 0, 7, 0xc3, 0xa9]);
      await expect(r.write('x')).rejects.toThrow(/open for reading/);
      await r.close();
      // 'w' then 'wb' truncate the same way
      const w2 = await gfile.open(p, 'wb');
      await w2.write('xy');
      await w2.close();
      expect(text(await gfile.readFile(p))).toBe('xy');
      if (root === 'local') expect([...readFileSync(p)]).toEqual([120, 121]);
    });
  }

  test("FastGFile is GFile: TF's tf.gfile.FastGFile(path, 'rb').read()", async () => {
    expect(io.FastGFile).toBe(io.GFile);
    expect(gfile.FastGFile).toBe(gfile.GFile);
    const p = join(tmp.dir, 'graph.pb');
    const payload = new Uint8Array(Array.from({ length: 300 }, (_, i) => (i * 7) % 256));
    writeFileSync(p, payload);
    const f = await gfile.FastGFile.open(p, 'rb');
    expect(f).toBeInstanceOf(io.GFile);
    const data = await f.read();
    await f.close();
    expect(data).toEqual(payload);
    const w = await io.FastGFile.open(join(tmp.dir, 'out.bin'), 'wb');
    await w.write(payload.subarray(0, 5));
    await w.close();
    expect([...readFileSync(join(tmp.dir, 'out.bin'))]).toEqual([...payload.subarray(0, 5)]);
  });

  test('unknown modes and missing files are clear errors', async () => {
    const p = join(tmp.dir, 'nothing-here.bin');
    await expect(gfile.open(p, 'r+' as never)).rejects.toThrow(/unsupported mode 'r\+'/);
    await expect(gfile.open(p, 'x' as never)).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    expect(await gfile.exists(p)).toBe(false); // a bad mode creates nothing
    await expect(gfile.open(p, 'rb')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(gfile.open(p, 'rb')).rejects.toThrow(p);
  });
});
