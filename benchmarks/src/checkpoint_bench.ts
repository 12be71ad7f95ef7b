/**
 * Checkpoint suite: save and restore a 100M-parameter float32 checkpoint (400 MB in 200
 * variables) with @eagerflow/io's Saver, beside plain `fs.writeFile` / `fs.readFile` of the
 * same 400 MB in the same run. Reports MB/s per direction and the ratio to the plain copy.
 *
 *   npm run bench -- --suite checkpoint            (through the harness)
 *   node dist/checkpoint_bench.mjs [--quick]       (standalone, after `npm run build` here)
 *
 * Both directions run against the OS page cache (no cache dropping); the save also fsyncs its
 * files (crash safety), so a plain writeFile+fsync of the same bytes is reported as well.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import * as io from '@eagerflow/io';
import { BenchContext } from './harness.js';

const now = (): number => performance.now();
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

export async function run(ctx: BenchContext): Promise<void> {
  if (!ctx.wants('checkpoint')) return;
  const params = ctx.quick ? 2_000_000 : 100_000_000;
  const nVars = 200;
  const reps = ctx.quick ? 1 : 3;
  const per = params / nVars;
  const mb = (params * 4) / 1e6;
  await ef.setBackend('cpu');
  const dir = mkdtempSync(join(process.env.CHECKPOINT_BENCH_DIR ?? tmpdir(), 'ef-ckpt-bench-'));
  try {
    const vars: ef.Variable[] = [];
    const plain = Buffer.allocUnsafe(params * 4);
    for (let i = 0; i < nVars; i++) {
      const a = new Float32Array(per);
      for (let j = 0; j < per; j++) a[j] = ((i * 7919 + j) % 1000) / 1000 - 0.5;
      plain.set(new Uint8Array(a.buffer), i * per * 4);
      vars.push(ef.variable(ef.tensor(a), { name: `layer_${String(i).padStart(3, '0')}/kernel` }));
    }
    const saver = new io.Saver({ varList: vars, maxToKeep: 0 }); // old checkpoints are removed outside the timed region
    const plainPath = join(dir, 'plain.bin');
    const t = { plainWrite: [] as number[], plainWriteSync: [] as number[], save: [] as number[], plainRead: [] as number[], restore: [] as number[] };
    let last = '';
    for (let r = 0; r < reps; r++) {
      if (last) await io.removeCheckpoint(last);
      await fsp.rm(plainPath, { force: true });
      let t0 = now();
      await fsp.writeFile(plainPath, plain);
      t.plainWrite.push(now() - t0);

      await fsp.rm(plainPath, { force: true });
      t0 = now();
      const fh = await fsp.open(plainPath, 'w');
      await fh.write(plain);
      await fh.sync();
      await fh.close();
      t.plainWriteSync.push(now() - t0);

      t0 = now();
      const prefix = await saver.save(join(dir, 'model.ckpt'), { globalStep: r });
      t.save.push(now() - t0);

      t0 = now();
      const back = await fsp.readFile(plainPath);
      t.plainRead.push(now() - t0);
      if (back.length !== plain.length) throw new Error('plain read: wrong length');

      t0 = now();
      await saver.restore(prefix);
      t.restore.push(now() - t0);
      last = prefix;
    }
    const probe = vars[123]!.dataSync() as Float32Array;
    if (probe[5] !== Math.fround(((123 * 7919 + 5) % 1000) / 1000 - 0.5)) throw new Error('restore check failed');
    const rate = (ms: number) => Math.round(mb / (ms / 1000));
    const row = (bench: string, impl: string, ms: number, extra: Record<string, number | string> = {}) =>
      ctx.report({ bench, impl, backend: 'cpu', ms: Number(ms.toPrecision(4)), MBps: rate(ms), MB: mb, samples: reps, ...extra });
    const save = median(t.save);
    const restore = median(t.restore);
    row('checkpoint_save_100M', 'eagerflow', save, { vs_plain_writeFile: Number((save / median(t.plainWrite)).toFixed(2)), vs_plain_writeFile_fsync: Number((save / median(t.plainWriteSync)).toFixed(2)) });
    row('checkpoint_save_100M', 'fs.writeFile', median(t.plainWrite));
    row('checkpoint_save_100M', 'fs.write+fsync', median(t.plainWriteSync));
    row('checkpoint_restore_100M', 'eagerflow', restore, { vs_plain_readFile: Number((restore / median(t.plainRead)).toFixed(2)) });
    row('checkpoint_restore_100M', 'fs.readFile', median(t.plainRead));
    ctx.log(
      `checkpoint ${mb} MB, ${nVars} variables, median of ${reps}: save ${rate(save)} MB/s (${(save / median(t.plainWrite)).toFixed(2)}× writeFile time, ` +
        `${(save / median(t.plainWriteSync)).toFixed(2)}× writeFile+fsync), restore ${rate(restore)} MB/s (${(restore / median(t.plainRead)).toFixed(2)}× readFile time)`,
    );
    for (const v of vars) v.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Standalone: `node checkpoint_bench.mjs [--quick]`.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const ctx = new BenchContext({ backend: 'cpu', budgetMs: 0, quick: process.argv.includes('--quick'), emit: (l) => console.log(l) });
  await run(ctx);
}
