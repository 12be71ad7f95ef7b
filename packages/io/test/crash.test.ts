import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, stop } from 'esbuild';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import * as io from '@eagerflow/io';
import { tempDir } from './helpers';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
let tmp: ReturnType<typeof tempDir>;
let child = '';

beforeAll(async () => {
  await ef.setBackend('cpu');
  tmp = tempDir();
  child = join(tmp.dir, 'child.mjs');
  await build({
    entryPoints: [join(here, 'crash_child.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: child,
    logLevel: 'error',
    alias: {
      '@eagerflow/core': join(repo, 'packages/core/src/index.ts'),
      '@eagerflow/cpu-backend': join(repo, 'packages/cpu-backend/src/index.ts'),
      '@eagerflow/io': join(repo, 'packages/io/src/index.ts'),
    },
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
});
afterAll(async () => {
  tmp.cleanup();
  await stop(); // esbuild's async API keeps a service process alive
});

/**
 * Runs the child and SIGKILLs it at a random point: `fraction` × 2 × `saveMs` after it is
 * ready (so anywhere in its first two saves), or, while `saveMs` is not known yet, that long
 * after its first save finished. Returns the last step it acknowledged and how long a save took.
 */
function runAndKill(dir: string, fraction: number, saveMs?: number): Promise<{ acked: number; ready: number; saveMs?: number; interrupted: boolean }> {
  return new Promise((resolveRun, reject) => {
    const p = spawn(process.execPath, [child, dir, '16384'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let ready = -1;
    let savingAt = 0;
    let measured: number | undefined;
    let armed = false;
    const arm = (ms: number) => {
      armed = true;
      setTimeout(() => p.kill('SIGKILL'), ms);
    };
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready (\d+)/.exec(out);
      if (m && ready < 0) {
        ready = Number(m[1]);
        if (saveMs !== undefined) arm(fraction * 2 * saveMs);
      }
      if (!savingAt && /saving/.test(out)) savingAt = performance.now();
      if (measured === undefined && /saved/.test(out)) {
        measured = performance.now() - savingAt;
        if (!armed) arm(fraction * 1.5 * measured);
      }
    });
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`child exited with ${code}: ${err}`));
      const acks = [...out.matchAll(/saved (\d+)/g)].map((m) => Number(m[1]));
      const started = [...out.matchAll(/saving (\d+)/g)].map((m) => Number(m[1]));
      const interrupted = started.length > acks.length; // killed inside Saver.save
      resolveRun({ acked: acks.length ? acks[acks.length - 1]! : ready, ready, saveMs: measured, interrupted });
    });
  });
}

async function verify(dir: string, minStep: number): Promise<number> {
  const st = await io.getCheckpointState(dir);
  if (!st) {
    expect(minStep).toBe(0);
    return 0;
  }
  const latest = Number(/-(\d+)$/.exec(st.modelCheckpointPath)![1]);
  expect(latest).toBeGreaterThanOrEqual(minStep); // every acknowledged save is visible
  expect(st.allModelCheckpointPaths[st.allModelCheckpointPaths.length - 1]).toBe(st.modelCheckpointPath);
  for (const path of st.allModelCheckpointPaths) {
    // every checkpoint the state file names is complete: all tensors read back with valid CRCs
    const s = Number(/-(\d+)$/.exec(path)![1]);
    const r = await io.CheckpointReader.open(path);
    expect((await r.listVariables()).map((v) => v.name)).toEqual(['global_step', 'layer0/w', 'layer1/w', 'layer2/w']);
    expect(((await r.getRawTensor('global_step')).values as BigInt64Array)[0]).toBe(BigInt(s));
    for (let i = 0; i < 3; i++) {
      const v = (await r.getRawTensor(`layer${i}/w`)).values as Float32Array;
      expect([v.length, v[0], v[v.length - 1]]).toEqual([16384, 10 * s + i, 10 * s + i]);
    }
    await r.close();
  }
  return latest;
}

test('killing a saving process at random points (20 kills) never breaks the previous checkpoint or the state file', async () => {
  const dir = join(tmp.dir, 'run');
  await io.gfile.makeDirs(dir);
  let acked = 0;
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  let saveMs: number | undefined;
  let interrupted = 0;
  for (let k = 0; k < 20; k++) {
    const run = await runAndKill(dir, rand(), saveMs);
    saveMs ??= run.saveMs;
    if (run.interrupted) interrupted++;
    expect(run.ready).toBeGreaterThanOrEqual(acked); // the child resumed from the latest checkpoint
    acked = Math.max(acked, run.acked);
    await verify(dir, acked);
  }
  expect(interrupted).toBeGreaterThanOrEqual(5); // most kills land inside a save, not between saves
  // the final state still restores through a Saver
  const vars = [0, 1, 2].map((j) => ef.variable(ef.tensor(new Float32Array(16384)), { name: `layer${j}/w` }));
  const step = ef.variable(ef.tensor([0n], [], 'int64'), { name: 'global_step' });
  await new io.Saver({ varList: [...vars, step] }).restore(dir);
  const s = Number((step.dataSync() as BigInt64Array)[0]);
  expect(s).toBeGreaterThanOrEqual(acked);
  expect((vars[2]!.dataSync() as Float32Array)[7]).toBe(10 * s + 2);
  // leftovers of interrupted saves are only temporary files, never final names of unfinished checkpoints
  for (const n of readdirSync(dir)) expect(n).toMatch(/^(checkpoint|model\.ckpt-\d+\.(index|data-00000-of-00001)(\.tempstate\d+)?|checkpoint\.tmp\w+)$/);
  for (const v of [...vars, step]) v.dispose();
}, 90000);
