/**
 * Tiles suite (WebGPU only, eagerflow only): the tiled matmul kernel under each tile
 * configuration, to choose the configuration per shape.
 *
 *   npm run bench -- --backend webgpu --suite tiles [--budget MS] [--filter REGEX] [--json FILE]
 *   npm run bench -- --backend webgpu --suite tiles --quick      (tiny shapes: a smoke test)
 *
 * Shapes: matmul 1024³, 2048³, 4096³, and the backward shapes at 4096³ (Aᵀ·B, A·Bᵀ); conv2d NHWC
 * 'SAME' stride 1 (implicit GEMM through the same tiled kernel): b32 56×56×64 k3 → 64,
 * b64 28×28×1 k5 → 32, b128 28×28×1 k5 → 6 (LeNet-5's first layer).
 * Configurations (set through `matmulTuning.forceTile`): 'auto' (the planner's pick), every
 * entry of TILES, a few custom ones, each also with `prefetch: true` ('+pf'), and grouped launch
 * orders on the large-output tiles ('wide+sw8': TileConfig.swizzle). A configuration
 * whose workgroup storage or thread count exceeds the device's limits is skipped (and listed).
 *
 * Timing: warm-up (compiles), a pilot to size the sample, then 3 samples of `iters` back-to-back
 * launches (outputs disposed) closed by one `ef.sync()`; `ms` = median sample / iters. A sample
 * lasts about budget/40 (75 ms with the default --budget 3000), less (and one sample instead of
 * three) when the suite's own deadline (env TILES_BUDGET_S, default 100 s) gets close; past
 * TILES_HARD_S (default 170 s: compiling is not budgeted) the remaining runs are skipped.
 * `enqueue_ms` is the JS time to issue one launch: when it nears `ms` the figure is CPU-bound.
 *
 * Correctness: the 'auto' output is checked against a float64 host reference at 48 sampled
 * positions; every configuration's output is then compared with 'auto' in full on the GPU. Each
 * check runs on inputs scaled by a factor unique to the configuration, so a kernel that writes
 * nothing cannot pass on a recycled buffer that holds an earlier result. A mismatch is printed
 * loudly, marked `check: "MISMATCH"` in the JSON line and never ranked best.
 *
 * JSON lines: {bench: 'tiles_matmul_4096' …, impl: config name, ms, gflops, iters, samples, min_ms,
 * enqueue_ms, warm_ms, tile: 'BMxBN', tk, threads, prefetch, swizzle, splits, check, rel_err,
 * new_pipelines}. Env: TILES_CONFIGS=REGEX (only matching configs, plus 'auto'), TILES_QUICK_ALL=1
 * (--quick sweeps every config on six tiny shapes), TILES_SHAPES=tiny (the quick shapes with full
 * timing), TILES_BUDGET_S, TILES_HARD_S. The summary table (stderr, at the
 * end) lists per shape the configurations sorted by TFLOP/s, best marked with '*'.
 */
import * as ef from '@eagerflow/core';
import type { TileConfig } from '@eagerflow/webgpu-backend';
import { randomValues } from './cases.js';
import { BenchContext, type BenchResult } from './harness.js';

type Tile = TileConfig;

interface GpuModule {
  TILES: Record<string, Tile>;
  matmulTuning: { forceTile: unknown };
  planMatmul(m: number, n: number, k: number, batches: number, maxInvocations: number): { kind: string; tile?: Tile; splits: number };
  /** Workgroup memory of a config (matmul.ts; when exported). */
  tileStorageBytes?: (t: Tile) => number;
}

interface GpuBackendLike {
  describe(): { adapter?: unknown; limits: Record<string, number> };
  rt?: { stats?: { pipelines?: number } };
}

/** Custom configurations swept besides TILES (each also with prefetch). */
const CUSTOM: { wx: number; wy: number; tm: number; tn: number; tk: number }[] = [
  { wx: 16, wy: 16, tm: 8, tn: 8, tk: 8 },
  { wx: 16, wy: 16, tm: 4, tn: 8, tk: 32 },
  { wx: 32, wy: 8, tm: 4, tn: 4, tk: 16 },
  { wx: 8, wy: 32, tm: 4, tn: 4, tk: 16 },
  // For N = 64 outputs (the 3×3 conv's GEMM, where 64×64 with 4×4 per thread leads): 128×64
  // with 8×4 per thread, and 64×64 with 128 threads of 8×4 or 4×8 (fewer loads per FMA).
  { wx: 16, wy: 16, tm: 8, tn: 4, tk: 16 },
  { wx: 16, wy: 8, tm: 8, tn: 4, tk: 16 },
  { wx: 8, wy: 16, tm: 4, tn: 8, tk: 16 },
];

interface Shape {
  bench: string;
  /** Human description for the table. */
  desc: string;
  flops: number;
  /** GEMM dimensions the planner sees. */
  gemm: { m: number; n: number; k: number };
  /** Host inputs (kept for the sampled reference). */
  make(): { inputs: Float32Array[]; shapes: number[][] };
  /** The op under test on (scaled) inputs. */
  op(x: ef.Tensor[]): ef.Tensor;
  /** float64 value of output element `i` from the host inputs (scale 1). */
  ref(inputs: Float32Array[], i: number): { value: number; mag: number };
}

function matmulShape(m: number, n: number, k: number, ta: boolean, tb: boolean, label?: string): Shape {
  const suffix = ta ? '_tA' : tb ? '_tB' : '';
  const size = label ?? (m === n && n === k ? `${m}` : `${m}x${n}x${k}`);
  return {
    bench: `tiles_matmul_${size}${suffix}`,
    desc: `${ta ? 'Aᵀ·B' : tb ? 'A·Bᵀ' : 'A·B'} M=${m} N=${n} K=${k}`,
    flops: 2 * m * n * k,
    gemm: { m, n, k },
    make: () => ({ inputs: [randomValues(m * k, 1), randomValues(k * n, 2)], shapes: [ta ? [k, m] : [m, k], tb ? [n, k] : [k, n]] }),
    op: ([a, b]) => ef.matmul(a!, b!, { transposeA: ta, transposeB: tb }),
    ref([a, b], idx) {
      const i = Math.floor(idx / n);
      const j = idx - i * n;
      let value = 0;
      let mag = 0;
      for (let p = 0; p < k; p++) {
        const t = (ta ? a![p * m + i]! : a![i * k + p]!) * (tb ? b![j * k + p]! : b![p * n + j]!);
        value += t;
        mag += Math.abs(t);
      }
      return { value, mag };
    },
  };
}

/** conv2d NHWC, stride 1, 'SAME', filter [kh, kw, ci, co]. */
function convShape(b: number, h: number, w: number, ci: number, kk: number, co: number): Shape {
  const pt = Math.floor((kk - 1) / 2);
  return {
    bench: `tiles_conv_b${b}_${h}x${w}x${ci}_k${kk}_${co}`,
    desc: `conv2d b${b} ${h}×${w}×${ci} k${kk}→${co} SAME (GEMM M=${b * h * w} N=${co} K=${kk * kk * ci})`,
    flops: 2 * b * h * w * co * kk * kk * ci,
    gemm: { m: b * h * w, n: co, k: kk * kk * ci },
    make: () => ({ inputs: [randomValues(b * h * w * ci, 3), randomValues(kk * kk * ci * co, 4)], shapes: [[b, h, w, ci], [kk, kk, ci, co]] }),
    op: ([x, f]) => ef.nn.conv2d(x!, f!, 1, 'SAME'),
    ref([x, f], idx) {
      const c = idx % co;
      let r = (idx - c) / co;
      const ox = r % w;
      r = (r - ox) / w;
      const oy = r % h;
      const bi = (r - oy) / h;
      let value = 0;
      let mag = 0;
      for (let dy = 0; dy < kk; dy++) {
        const y = oy + dy - pt;
        if (y < 0 || y >= h) continue;
        for (let dx = 0; dx < kk; dx++) {
          const xx = ox + dx - pt;
          if (xx < 0 || xx >= w) continue;
          for (let q = 0; q < ci; q++) {
            const t = x![((bi * h + y) * w + xx) * ci + q]! * f![((dy * kk + dx) * ci + q) * co + c]!;
            value += t;
            mag += Math.abs(t);
          }
        }
      }
      return { value, mag };
    },
  };
}

function shapesFor(quick: boolean, all: boolean): Shape[] {
  if (quick && all) {
    return [
      matmulShape(64, 64, 64, false, false),
      matmulShape(100, 72, 36, false, false),
      matmulShape(64, 64, 64, true, false),
      matmulShape(64, 64, 64, false, true),
      convShape(2, 8, 8, 8, 3, 8),
      convShape(4, 12, 12, 1, 5, 6),
    ];
  }
  if (quick) return [matmulShape(100, 72, 36, false, false), convShape(4, 12, 12, 1, 5, 6)];
  return [
    matmulShape(4096, 4096, 4096, false, false),
    matmulShape(4096, 4096, 4096, true, false),
    matmulShape(4096, 4096, 4096, false, true),
    matmulShape(2048, 2048, 2048, false, false),
    matmulShape(1024, 1024, 1024, false, false),
    convShape(32, 56, 56, 64, 3, 64),
    convShape(64, 28, 28, 1, 5, 32),
    convShape(128, 28, 28, 1, 5, 6),
  ];
}

interface Config {
  name: string;
  /** null: the planner's pick. */
  tile: Tile | null;
  /** The same configuration without prefetch (for the "prefetch ignored?" hint). */
  base?: string;
}

/** Everything but the name: two configs with the same key are one kernel. */
function tileKey(t: Tile): string {
  return `${t.wx}x${t.wy}/${t.tm}x${t.tn}/k${t.tk}${t.prefetch ? '+pf' : ''}${t.swizzle ? `+sw${t.swizzle}` : ''}`;
}

/** Grouped launch orders swept on the large-output tiles (TileConfig.swizzle). */
const SWIZZLES: { base: string; groups: number[] }[] = [
  { base: 'wide', groups: [4, 8, 16] },
  { base: 'large', groups: [8] },
];

function configs(TILES: Record<string, Tile>): Config[] {
  const out: Config[] = [{ name: 'auto', tile: null }];
  const seen = new Set<string>();
  const add = (t: Tile, base?: string): void => {
    const key = tileKey(t);
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ name: t.name, tile: t, base });
  };
  const bases: Tile[] = [
    ...Object.values(TILES),
    ...CUSTOM.map((c) => ({ ...c, name: `${c.wx}x${c.wy}/${c.tm}x${c.tn}/k${c.tk}` })),
  ];
  for (const t of bases) {
    // prefetch set explicitly either way: an unset field follows matmulTuning.prefetch.
    add({ ...t, prefetch: !!t.prefetch });
    if (!t.prefetch) add({ ...t, prefetch: true, name: `${t.name}+pf` }, t.name);
  }
  for (const { base, groups } of SWIZZLES) {
    const t = TILES[base];
    for (const g of t ? groups : []) add({ ...t!, prefetch: !!t!.prefetch, swizzle: g, name: `${base}+sw${g}` });
  }
  // TILES_CONFIGS=REGEX: only matching configs (and 'auto'), for a focused run on a lent GPU.
  const only = process.env.TILES_CONFIGS ? new RegExp(process.env.TILES_CONFIGS) : null;
  return only ? out.filter((c) => c.name === 'auto' || only.test(c.name)) : out;
}

/** Why the device cannot run `t` (null when it can). */
function unfit(t: Tile, limits: Record<string, number>, storageBytes?: (t: Tile) => number): string | null {
  const threads = t.wx * t.wy;
  const BM = t.wy * t.tm;
  const BN = t.wx * t.tn;
  // Two staged operands: tk × BM and tk × BN floats (twice that when double-buffered).
  const storage = storageBytes ? storageBytes(t) : t.tk * (BM + BN) * 4 * (t.prefetch ? 2 : 1);
  const maxThreads = limits['maxComputeInvocationsPerWorkgroup'] ?? 256;
  const maxStorage = limits['maxComputeWorkgroupStorageSize'] ?? 16384;
  if (t.tm % 4 || t.tn % 4 || t.tk % 4) return `tm, tn, tk must be multiples of 4`;
  if (threads > maxThreads) return `${threads} threads > maxComputeInvocationsPerWorkgroup ${maxThreads}`;
  if (t.wx > (limits['maxComputeWorkgroupSizeX'] ?? 256) || t.wy > (limits['maxComputeWorkgroupSizeY'] ?? 256)) return `workgroup ${t.wx}×${t.wy} over the size limits`;
  if (storage > maxStorage) return `${storage} B workgroup storage > maxComputeWorkgroupStorageSize ${maxStorage}`;
  return null;
}

const now = (): number => performance.now();
const p4 = (x: number): number => Number(x.toPrecision(4));

export async function run(ctx: BenchContext): Promise<void> {
  if (ctx.backend !== 'webgpu') {
    if (ctx.options.filter === undefined || ctx.wants('tiles_')) ctx.log('tiles: WebGPU only (run with --backend webgpu); skipped');
    return;
  }
  // --quick: SwiftShader compiles a tiled kernel in seconds, so by default only 'auto', 'small' and
  // 'small+pf' on two tiny shapes; TILES_QUICK_ALL=1 sweeps every config on six (minutes there).
  const quickAll = ctx.quick && process.env.TILES_QUICK_ALL === '1';
  // TILES_SHAPES=tiny: the quick shapes with full timing (to try the timing path on SwiftShader).
  const tiny = process.env.TILES_SHAPES === 'tiny';
  const shapes = shapesFor(ctx.quick || tiny, quickAll).filter((s) => ctx.wants(s.bench));
  if (!shapes.length) return;
  const gpuMod = (await import('@eagerflow/webgpu-backend' as string)) as GpuModule;
  await ef.setBackend('webgpu');
  if (ef.getBackend() !== 'webgpu') throw new Error(`tiles: the webgpu backend did not start (got ${ef.getBackend()})`);
  const probe = ef.scalar(0);
  const backend = probe.backend as unknown as GpuBackendLike;
  probe.dispose();
  const desc = backend.describe();
  const limits = desc.limits;
  const pipelines = (): number | undefined => backend.rt?.stats?.pipelines;
  const maxInv = limits['maxComputeInvocationsPerWorkgroup'] ?? 256;
  const { TILES, matmulTuning, planMatmul } = gpuMod;
  const all = configs(TILES).filter((c) => !ctx.quick || quickAll || ['auto', 'small', 'small+pf'].includes(c.name));
  const skipped = new Map<string, string>();
  const runnable = all.filter((c) => {
    const why = c.tile && unfit(c.tile, limits, gpuMod.tileStorageBytes);
    if (why) skipped.set(c.name, why);
    return !why;
  });
  const ad = desc.adapter as { vendor?: string; architecture?: string; device?: string; description?: string } | undefined;
  if (ad) ctx.log(`tiles: adapter ${[ad.vendor, ad.architecture, ad.device, ad.description].filter(Boolean).join(' / ')}`);
  ctx.log(
    `tiles: ${shapes.length} shapes × ${runnable.length} configs (${[...skipped].map(([n, w]) => `${n} skipped: ${w}`).join('; ') || 'none skipped'}); ` +
      `limits: invocations ${maxInv}, workgroup storage ${limits['maxComputeWorkgroupStorageSize']} B`,
  );
  ctx.log(`tiles: TILES = ${Object.values(TILES).map((t) => `${t.name} ${t.wx}x${t.wy}/${t.tm}x${t.tn}/k${t.tk}${t.prefetch ? '+pf' : ''}`).join(', ')}`);

  // Time bounds: a sample lasts `sampleMs`; the whole suite `deadline` (shrinks samples when late).
  const sampleMs = Math.min(100, Math.max(10, ctx.options.budgetMs / 40));
  const suiteBudgetMs = Number(process.env.TILES_BUDGET_S ?? 100) * 1000;
  const t0Suite = now();
  const deadline = t0Suite + suiteBudgetMs;
  // Compiling is not budgeted above: past this hard limit the remaining runs are skipped.
  const hardStop = t0Suite + Number(process.env.TILES_HARD_S ?? 170) * 1000;
  let stopped = 0;
  const totalRuns = shapes.length * runnable.length;
  let done = 0;
  const MAX_ITERS = 4000;
  const THRESH = 1e-3; // relative to max |reference|: kernels differ only by summation order

  const saved = matmulTuning.forceTile;
  const results: (BenchResult & { check: string })[] = [];
  try {
    for (const shape of shapes) {
      const { inputs, shapes: dims } = shape.make();
      const xs = inputs.map((v, i) => ef.tensor(v, dims[i]!));
      const autoPlan = planMatmul(shape.gemm.m, shape.gemm.n, shape.gemm.k, 1, maxInv);
      const autoPick = autoPlan.tile ? `${autoPlan.tile.name}${autoPlan.tile.prefetch ? '+pf' : ''}${autoPlan.splits > 1 ? ` split-K ${autoPlan.splits}` : ''}` : autoPlan.kind;
      ctx.log(`tiles: ${shape.bench}: ${shape.desc}; auto picks ${autoPick}`);
      ef.mul(xs[0]!, 2).dispose(); // compiles the scaling op before new_pipelines is counted
      let ref: ef.Tensor | undefined;
      let refMax = 0;
      try {
        for (let ci = 0; ci < runnable.length; ci++) {
          const cfg = runnable[ci]!;
          if (!ctx.quick && now() > hardStop && ci > 0) {
            stopped++;
            done++;
            continue;
          }
          matmulTuning.forceTile = cfg.tile;
          const plan = planMatmul(shape.gemm.m, shape.gemm.n, shape.gemm.k, 1, maxInv);
          const tile = plan.tile;
          const info: Record<string, unknown> = tile
            ? { tile: `${tile.wy * tile.tm}x${tile.wx * tile.tn}`, tk: tile.tk, threads: tile.wx * tile.wy, prefetch: !!tile.prefetch, swizzle: tile.swizzle ?? 0, splits: plan.splits }
            : { kernel: plan.kind };
          if (cfg.name === 'auto' && tile) info.picks = tile.name + (tile.prefetch ? '+pf' : '');
          try {
            // ---- warm-up + check (inputs scaled by a factor unique to this config: 2^ci, exact) ----
            const scale = 2 ** ci;
            const p0 = pipelines();
            const tWarm = now();
            const scaled = ci === 0 ? xs : [ef.mul(xs[0]!, scale), ...xs.slice(1)];
            const out = shape.op(scaled);
            if (ci !== 0) scaled[0]!.dispose();
            await ef.sync();
            const warmMs = now() - tWarm;
            const newPipelines = p0 === undefined ? undefined : pipelines()! - p0;
            let check: string;
            let relErr: number;
            if (ci === 0) {
              // 'auto' against the float64 host reference at sampled positions.
              ref = out;
              const got = (await out.data()) as Float32Array;
              refMax = got.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
              let worst = 0;
              const total = got.length;
              for (let s = 0; s < 48; s++) {
                const idx = s === 0 ? 0 : s === 1 ? total - 1 : Math.floor(((s * 2654435761) % 4294967296) / 4294967296 * total);
                const r = shape.ref(inputs, idx);
                const e = Math.abs(got[idx]! - r.value) / (r.mag + 1e-30);
                worst = Math.max(worst, Number.isFinite(got[idx]!) ? e : Infinity);
              }
              relErr = worst;
              check = worst < 1e-4 && got.every(Number.isFinite) ? 'ok' : 'MISMATCH';
            } else {
              const [dMax, dSum] = await Promise.all(
                ef.tidy(() => {
                  const d = ef.abs(ef.sub(ef.mul(out, 1 / scale), ref!));
                  return [ef.reduceMax(d), ef.reduceSum(d)];
                }).map(async (t) => {
                  const v = ((await t.data()) as Float32Array)[0]!;
                  t.dispose();
                  return v;
                }),
              );
              out.dispose();
              relErr = Number.isFinite(dSum) ? dMax! / (refMax || 1) : Infinity;
              check = relErr < THRESH ? 'ok' : 'MISMATCH';
            }
            if (check !== 'ok') ctx.log(`tiles: !!!!! ${shape.bench} ${cfg.name}: RESULT MISMATCH (relative error ${relErr.toExponential(2)}) — this config is WRONG !!!!!`);
            if (cfg.base && newPipelines === 0) info.note = `no new kernel: same as ${cfg.base} (prefetch ignored?)`;

            // ---- timing ----
            const launch = (): void => shape.op(xs).dispose();
            /** Wall time of n launches + one sync; `enqueue` records the launches' share (CPU). */
            const enqueue: number[] = [];
            const timed = async (n: number): Promise<number> => {
              await ef.sync();
              const t = now();
              for (let i = 0; i < n; i++) launch();
              enqueue.push(now() - t);
              await ef.sync();
              return now() - t;
            };
            let iters = 1;
            const samples: number[] = [];
            if (ctx.quick) {
              samples.push(await timed(1));
            } else {
              const left = totalRuns - done;
              const allowance = (deadline - now()) / Math.max(1, left);
              const target = Math.max(2, Math.min(sampleMs, (allowance - 30) / 3.3));
              const first = await timed(1);
              const pilotN = Math.max(1, Math.min(MAX_ITERS, Math.ceil(Math.min(10, target / 3) / first)));
              const pilot = pilotN > 1 || first < target ? (await timed(pilotN)) / pilotN : first;
              iters = Math.max(1, Math.min(MAX_ITERS, Math.round(target / pilot)));
              const count = allowance < 3 * pilot * iters ? 1 : 3;
              for (let s = 0; s < count; s++) samples.push(await timed(iters));
            }
            const enq = enqueue.slice(-samples.length).sort((a, b) => a - b)[samples.length >> 1]! / iters;
            samples.sort((a, b) => a - b);
            const ms = samples[samples.length >> 1]! / iters;
            const r = {
              bench: shape.bench,
              impl: cfg.name,
              backend: 'webgpu',
              ms: p4(ms),
              gflops: p4(shape.flops / ms / 1e6),
              iters,
              samples: samples.length,
              min_ms: p4(samples[0]! / iters),
              // JS time to issue one launch: near `ms`, the figure is CPU-bound, not the kernel's.
              enqueue_ms: p4(enq),
              warm_ms: p4(warmMs), // first launch: compiles the pipeline(s)
              ...info,
              check,
              rel_err: Number(relErr.toPrecision(2)),
              ...(newPipelines !== undefined ? { new_pipelines: newPipelines } : {}),
            };
            results.push(r);
            ctx.report(r);
          } catch (e) {
            const msg = (e as Error).message?.split('\n')[0] ?? String(e);
            ctx.log(`tiles: !!!!! ${shape.bench} ${cfg.name}: ERROR ${msg}`);
            results.push({ bench: shape.bench, impl: cfg.name, backend: 'webgpu', ms: NaN, check: 'ERROR', error: msg });
            if (ci === 0) throw new Error(`tiles: ${shape.bench}: the 'auto' configuration failed (${msg})`);
          } finally {
            done++;
          }
        }
      } finally {
        matmulTuning.forceTile = saved;
        ref?.dispose();
        for (const x of xs) x.dispose();
      }
      if (!ctx.quick && now() > deadline && shape !== shapes[shapes.length - 1]) ctx.log(`tiles: past the suite budget (TILES_BUDGET_S=${suiteBudgetMs / 1000}); remaining shapes use 1 short sample`);
    }
  } finally {
    matmulTuning.forceTile = saved;
  }
  if (stopped) ctx.log(`tiles: !!!!! ${stopped} runs skipped: past TILES_HARD_S=${(hardStop - t0Suite) / 1000} s (compiling took longer than planned)`);
  ctx.log(summary(results, shapes, skipped, (now() - t0Suite) / 1000));
}

/** Per shape: configurations sorted by TFLOP/s ('*' best among the checked ones, '!' wrong). */
function summary(results: (BenchResult & { check: string })[], shapes: Shape[], skipped: Map<string, string>, seconds: number): string {
  const L: string[] = ['', `tiles: TFLOP/s per configuration (sorted; * best verified, !WRONG = result mismatch, ERR = failed), ${seconds.toFixed(0)} s`];
  const best: string[] = [];
  for (const s of shapes) {
    const rs = results.filter((r) => r.bench === s.bench);
    if (!rs.length) continue;
    const ok = rs.filter((r) => r.check === 'ok').sort((a, b) => (b.gflops ?? 0) - (a.gflops ?? 0));
    const bad = rs.filter((r) => r.check !== 'ok');
    const top = ok[0];
    const auto = rs.find((r) => r.impl === 'auto');
    const tf = (r: BenchResult | undefined): string => (r?.gflops !== undefined ? String(Number((r.gflops / 1000).toPrecision(3))) : '?');
    /** '~' after a figure: issuing the launches took ≥ 80 % of the time (CPU-bound). */
    const cpu = (r: BenchResult): string => ((r.enqueue_ms as number) >= 0.8 * r.ms ? '~' : '');
    L.push(`${s.bench}  (${s.desc}; auto = ${auto?.picks ?? auto?.kernel ?? '?'}${(auto?.splits as number) > 1 ? ` ×${auto!.splits} split-K` : ''} ${tf(auto)})`);
    const cells = [
      ...ok.map((r) => `${r === top ? '*' : ' '}${r.impl} ${tf(r)}${cpu(r)}${r.note ? '=' : ''}`),
      ...bad.map((r) => ` ${r.impl} ${r.check === 'ERROR' ? 'ERR' : `${tf(r)} !WRONG`}`),
    ];
    const w = Math.max(...cells.map((c) => c.length)) + 2;
    const perLine = Math.max(1, Math.floor(100 / w));
    for (let i = 0; i < cells.length; i += perLine) L.push('   ' + cells.slice(i, i + perLine).map((c) => c.padEnd(w)).join(''));
    if (top) best.push(`${s.bench.padEnd(34)} best ${top.impl} ${tf(top)} TFLOP/s (${top.ms} ms, tile ${top.tile ?? top.picks ?? ''}${top.tk ? ` k${top.tk}` : ''}${(top.splits as number) > 1 ? ` ×${top.splits} split-K` : ''}) vs auto ${tf(auto)}: ${auto?.gflops && top.gflops ? (top.gflops / auto.gflops).toFixed(2) : '?'}×`);
  }
  if (results.some((r) => (r.enqueue_ms as number) >= 0.8 * r.ms)) L.push("   ('~' after a figure: issuing the launches took >= 80 % of the time: CPU-bound, not the kernel's speed)");
  if (results.some((r) => r.note)) L.push("   ('=' after a '+pf' figure: no new kernel was compiled for it, prefetch looks ignored)");
  if (skipped.size) L.push(`   skipped: ${[...skipped.keys()].join(', ')}`);
  const wrong = results.filter((r) => r.check !== 'ok').map((r) => `${r.bench}/${r.impl}(${r.check})`);
  if (wrong.length) L.push(`   !!!!! ${wrong.length} WRONG/FAILED: ${wrong.join(' ')}`);
  L.push('tiles: best per shape', ...best.map((b) => '  ' + b));
  return L.join('\n');
}
