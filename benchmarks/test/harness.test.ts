// The benchmark harness end to end on tiny cases (no timing assertions: this is not a timed test).
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchContext, ratioTable, type BenchResult } from '../src/harness.js';

const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..');

function checkLine(r: BenchResult): void {
  expect(typeof r.bench).toBe('string');
  expect(['eagerflow', 'tfjs']).toContain(r.impl);
  expect(r.backend).toBe('cpu');
  expect(Number.isFinite(r.ms) && r.ms > 0).toBe(true);
  if (r.gflops !== undefined) expect(Number.isFinite(r.gflops) && r.gflops > 0).toBe(true);
  expect(r.first_ms).toBeGreaterThan(0);
}

describe('benchmarks harness', () => {
  test('measure() emits one JSON line per result and the ratio table lists it', async () => {
    const lines: string[] = [];
    const ctx = new BenchContext({ backend: 'cpu', budgetMs: 20, quick: false, emit: (l) => lines.push(l), log: () => {} });
    let live = 0;
    const step = { run: () => ++live, release: () => void live--, settle: async () => void live-- };
    await ctx.measure('noop', 'eagerflow', step, { flops: 1e6 });
    await ctx.measure('noop', 'tfjs', step, { extra: (ms) => ({ us_per_op: ms * 1000 }) });
    expect(live).toBe(0); // every handle released or settled
    const parsed = lines.map((l) => JSON.parse(l) as BenchResult);
    expect(parsed.map((r) => r.impl)).toEqual(['eagerflow', 'tfjs']);
    parsed.forEach(checkLine);
    expect(parsed[1]!.us_per_op).toBeGreaterThan(0);
    expect(ratioTable(ctx.results)).toMatch(/\| noop +\|.*×/);
  });

  test('a slow first call (pipeline compilation) is reported apart and does not eat the samples', async () => {
    // A 200 ms budget: with 20 ms, one descheduling of ~10 ms on a loaded machine made a calibration
    // sample look like half the budget, and the harness rightly took a single sample.
    const ctx = new BenchContext({ backend: 'cpu', budgetMs: 200, quick: false, log: () => {} });
    let calls = 0;
    const step = {
      run: () => {
        if (calls++ === 0) {
          const end = performance.now() + 600; // a first call three budgets long
          while (performance.now() < end);
        }
        return calls;
      },
      release: () => {},
      settle: async () => {},
    };
    const r = await ctx.measure('compile-heavy', 'eagerflow', step);
    expect(r.first_ms).toBeGreaterThanOrEqual(600);
    expect(r.samples).toBeGreaterThanOrEqual(3);
    expect(r.ms).toBeLessThan(600);
  });

  test('`bench --quick` bundles, runs both implementations in one process and writes valid JSON lines', () => {
    const build = spawnSync(process.execPath, [join(benchDir, 'build.mjs')], { encoding: 'utf8' });
    expect(build.stderr).not.toMatch(/error/i);
    expect(build.status).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'ef-bench-'));
    try {
      const file = join(dir, 'out.jsonl');
      const run = spawnSync(process.execPath, [join(benchDir, 'dist', 'bench.mjs'), '--backend', 'cpu', '--quick', '--filter', 'matmul', '--json', file], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status).toBe(0);
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      const results = lines.map((l) => JSON.parse(l) as BenchResult);
      expect(results.map((r) => `${r.bench}/${r.impl}`)).toEqual(['matmul_16x16x16/eagerflow', 'matmul_16x16x16/tfjs']);
      results.forEach(checkLine);
      expect(run.stdout.trim().split('\n')).toEqual(lines); // the same lines on stdout
      expect(run.stderr).toMatch(/speed-up eagerflow vs tfjs/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('bad arguments fail with the usage line', () => {
    const run = spawnSync(process.execPath, [join(benchDir, 'dist', 'bench.mjs'), '--backend', 'tpu'], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/--backend must be cpu or webgpu/);
  });
});
