/**
 * `npm run bench -- [--backend cpu|webgpu] [--json FILE] [--suite ops|tfrecord|checkpoint|tiles|all]
 *                   [--impl eagerflow|tfjs|both] [--filter REGEX] [--budget MS] [--small] [--quick]`
 *
 * Runs, in one process, eagerflow and TensorFlow.js 4.22 on the same cases and prints one JSON
 * line per result ({"bench","impl","backend","ms","gflops"?, …}) to stdout and to FILE, then a
 * ratio table (stderr). Suites other than `ops` live in `<name>_bench.ts` next to this file and
 * export `run(ctx: BenchContext)` (or a default function of the same type); each is bundled to
 * dist/<name>_bench.mjs and imported on demand.
 */
import * as ef from '@eagerflow/core';
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { arch, availableParallelism, cpus, loadavg, platform } from 'node:os';
import { resolve } from 'node:path';
import { casesFor, runCases } from './cases.js';
import { framework, installWebGpuGlobals, type Backend, type Framework } from './frameworks.js';
import { BenchContext, ratioTable } from './harness.js';

interface Args {
  backend: Backend;
  json?: string;
  suites: string[];
  impls: ('eagerflow' | 'tfjs')[];
  filter?: RegExp;
  budgetMs: number;
  quick: boolean;
  small: boolean;
  /** eagerflow's gpuCpuHandoffSize (tiny elementwise ops on the host); undefined: its default. */
  gpuHandoff?: number;
}

const USAGE = `usage: npm run bench -- [--backend cpu|webgpu] [--json FILE] [--suite ops|tfrecord|checkpoint|tiles|all]
                        [--impl eagerflow|tfjs|both] [--filter REGEX] [--budget MS] [--small] [--quick]
                        [--gpu-handoff N]
  --gpu-handoff N: eagerflow's gpuCpuHandoffSize (0: every op on the GPU, as a GPU-only figure)
  --small: reduced sizes (emulated adapters such as SwiftShader; compare ratios only)
  --quick: tiny cases, one iteration each (smoke test of the harness)`;

function parseArgs(argv: string[]): Args {
  const a: Args = { backend: 'cpu', suites: ['ops'], impls: ['eagerflow', 'tfjs'], budgetMs: 3000, quick: false, small: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    switch (flag) {
      case '--backend': {
        const b = value();
        if (b !== 'cpu' && b !== 'webgpu') throw new Error(`--backend must be cpu or webgpu, found '${b}'`);
        a.backend = b;
        break;
      }
      case '--json': a.json = value(); break;
      case '--suite': {
        const s = value();
        a.suites = s === 'all' ? ['ops', ...SUITES] : s.split(',');
        break;
      }
      case '--impl': {
        const v = value();
        if (v !== 'eagerflow' && v !== 'tfjs' && v !== 'both') throw new Error(`--impl must be eagerflow, tfjs or both, found '${v}'`);
        a.impls = v === 'both' ? ['eagerflow', 'tfjs'] : [v];
        break;
      }
      case '--filter': a.filter = new RegExp(value()); break;
      case '--budget': a.budgetMs = Number(value()); break;
      case '--quick': a.quick = true; break;
      case '--gpu-handoff': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 0) throw new Error(`--gpu-handoff must be a non-negative integer, found '${argv[i]}'`);
        a.gpuHandoff = n;
        break;
      }
      case '--small': a.small = true; break;
      case '-h':
      case '--help':
        console.log(USAGE);
        process.exit(0);
      default:
        throw new Error(`unknown argument '${flag}'\n${USAGE}`);
    }
  }
  return a;
}

/** Suites contributed as `<name>_bench.ts` (bundled next to this file). */
const SUITES = ['tfrecord', 'checkpoint', 'tiles'];

type SuiteModule = { run?: (ctx: BenchContext) => Promise<void>; default?: (ctx: BenchContext) => Promise<void> };

async function runSuite(name: string, ctx: BenchContext): Promise<void> {
  const url = new URL(`./${name}_bench.mjs`, import.meta.url);
  if (!existsSync(url)) throw new Error(`suite '${name}': ${url.pathname} not found (is benchmarks/src/${name}_bench.ts there? the build bundles every src/*_bench.ts)`);
  const mod = (await import(url.href)) as SuiteModule;
  const fn = mod.run ?? mod.default;
  if (typeof fn !== 'function') throw new Error(`suite '${name}': ${name}_bench.ts must export run(ctx: BenchContext)`);
  await fn(ctx);
}

/** Names the WebGPU adapter the run used (both frameworks share navigator.gpu's Dawn instance). */
async function logAdapter(ctx: BenchContext): Promise<void> {
  try {
    const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
    const adapter = await gpu?.requestAdapter();
    const info = adapter?.info;
    if (info) ctx.log(`adapter: ${[info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' / ')}`);
  } catch {
    // informational only
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // npm runs workspace scripts in benchmarks/: resolve FILE against the caller's directory.
  const jsonPath = args.json ? resolve(process.env.INIT_CWD ?? process.cwd(), args.json) : undefined;
  if (jsonPath) writeFileSync(jsonPath, '');
  const ctx = new BenchContext({
    backend: args.backend,
    budgetMs: args.budgetMs,
    quick: args.quick,
    filter: args.filter,
    emit: (line) => {
      console.log(line);
      if (jsonPath) appendFileSync(jsonPath, line + '\n');
    },
  });
  const cpu = cpus();
  ctx.log(`machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown cpu'} (${availableParallelism()} usable), ${platform()}-${arch()}, node ${process.version}, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);

  const fws: Framework[] = [];
  if (args.suites.includes('ops')) {
    if (args.backend === 'webgpu') await installWebGpuGlobals();
    for (const impl of args.impls) {
      try {
        fws.push(await framework(impl, args.backend));
        if (impl === 'eagerflow' && args.gpuHandoff !== undefined) {
          ef.config({ gpuCpuHandoffSize: args.gpuHandoff });
          ctx.log(`eagerflow: gpuCpuHandoffSize = ${args.gpuHandoff}`);
        }
      } catch (e) {
        ctx.log(`${impl}/${args.backend} unavailable: ${(e as Error).message}`);
      }
    }
    if (args.backend === 'webgpu') await logAdapter(ctx);
    await runCases(ctx, fws, casesFor(args.backend, args.quick ? 'smoke' : args.small ? 'small' : 'full'));
  }
  for (const s of args.suites.filter((n) => n !== 'ops')) await runSuite(s, ctx);

  // The tiles suite prints its own table (one column per tile config would not fit here).
  const tabled = ctx.results.filter((r) => !r.bench.startsWith('tiles_'));
  if (tabled.length) console.error('\n' + ratioTable(tabled));
  for (const fw of fws) await fw.close();
  if (jsonPath) ctx.log(`results: ${jsonPath}`);
  ctx.log(`load at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}

main().then(
  () => process.exit(0), // Dawn keeps Node alive while its GPU object lives
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
