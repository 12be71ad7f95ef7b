/** A program that uses the WebGPU backend and never disposes it still exits on its own. */
import { expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(process.cwd());

test('the process exits within seconds after using the GPU (device destroyed at exit)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ef-exit-'));
  const entry = join(dir, 'main.ts');
  writeFileSync(entry, `
import * as ef from '@eagerflow/core';
import '@eagerflow/webgpu-backend';
await ef.setBackend('webgpu');
const x = ef.ones([64, 64]);
const y = ef.add(x, 1);
console.log('result', (await y.data())[0]);
ef.mul(y, 3); // left queued, never read, never disposed
console.log('done', Date.now());
`);
  // Inside the repository, so that the bundle's `import 'webgpu'` resolves from node_modules.
  const outDir = join(root, 'node_modules', '.cache', 'eagerflow-exit-test');
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, `main-${process.pid}.mjs`);
  await build({
    entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: out, external: ['webgpu'], logLevel: 'error',
    alias: {
      '@eagerflow/core': join(root, 'packages/core/src/index.ts'),
      '@eagerflow/webgpu-backend': join(root, 'packages/webgpu-backend/src/index.ts'),
    },
  });
  const r = spawnSync(process.execPath, [out], { timeout: 60000, encoding: 'utf8', cwd: root });
  const exited = Date.now();
  const done = Number(/done (\d+)/.exec(r.stdout)?.[1] ?? NaN);
  rmSync(out, { force: true });
  expect(r.error).toBeUndefined();
  expect(`${r.stdout}\n${r.stderr}`).toContain('result 2');
  expect(r.status).toBe(0);
  // From the end of the program to the end of the process.
  expect((exited - done) / 1000).toBeLessThan(5);
});
