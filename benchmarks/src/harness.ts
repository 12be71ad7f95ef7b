/**
 * Timing harness shared by every suite: warm-up, adaptive iteration count, median of samples,
 * one JSON line per (bench, impl) result, and a ratio table at the end.
 *
 * A suite (this package's cases, or tfrecord_bench.ts / checkpoint_bench.ts) calls
 * `ctx.measure(...)` for what it times, or `ctx.report(...)` for a figure it measured itself.
 */

export interface BenchResult {
  bench: string;
  impl: string;
  backend: string;
  ms: number;
  gflops?: number;
  /** Extra figures (us_per_op, MB/s, …). */
  [extra: string]: unknown;
}

export interface MeasureOptions {
  /** Floating-point operations per call, for the GFLOP/s column. */
  flops?: number;
  /** Time budget for this measurement in ms (default: the context's). */
  budgetMs?: number;
  /** Extra fields for the JSON line, computed from the median ms. */
  extra?: (ms: number) => Record<string, number | string>;
}

/**
 * One timed step: `run()` issues the work and returns a handle (e.g. the output tensor);
 * `release(h)` frees an intermediate handle; `settle(h)` waits until the work behind the last
 * handle is done (reads it back) and frees it. A sample runs `iters` steps and settles once.
 */
export interface Step<H> {
  run(): H;
  release(h: H): void;
  settle(h: H): Promise<void>;
}

export interface ContextOptions {
  backend: string;
  /** Default budget per measurement (ms). */
  budgetMs: number;
  /** Smoke mode: one warm-up, one sample of one iteration. */
  quick: boolean;
  /** Called with each JSON line. */
  emit?: (line: string) => void;
  log?: (msg: string) => void;
  /** Only benches whose name matches run. */
  filter?: RegExp;
}

const now = (): number => performance.now();

export class BenchContext {
  readonly results: BenchResult[] = [];
  constructor(readonly options: ContextOptions) {}

  get backend(): string {
    return this.options.backend;
  }

  get quick(): boolean {
    return this.options.quick;
  }

  /** Whether a bench of this name is selected by --filter. */
  wants(bench: string): boolean {
    return !this.options.filter || this.options.filter.test(bench);
  }

  log(msg: string): void {
    (this.options.log ?? ((m: string) => console.error(m)))(msg);
  }

  /**
   * Times `step`. The first call compiles and allocates (GPU pipelines: up to seconds on a real
   * driver with a cold shader cache) and is reported as `first_ms`, not charged to the budget:
   * charged, it once left both frameworks' LeNet-5 steps a single sample (on an H100: 18 ms
   * there, 2.3 ms when the step ran alone). Then warm-up: at least two calls, and for a
   * tenth of the budget when steps are cheap; a calibration that grows `iters` until a sample of
   * `iters` back-to-back steps takes about budget/7; then the median of 3–7 samples (1 when one
   * sample exceeds half the budget).
   */
  async measure<H>(bench: string, impl: string, step: Step<H>, o: MeasureOptions = {}): Promise<BenchResult> {
    const budget = o.budgetMs ?? this.options.budgetMs;
    const once = async (iters: number): Promise<number> => {
      const t0 = now();
      let h = step.run();
      for (let i = 1; i < iters; i++) {
        const next = step.run();
        step.release(h);
        h = next;
      }
      await step.settle(h);
      return (now() - t0) / iters;
    };
    const samples: number[] = [];
    const first = await once(1);
    let per = first;
    if (this.options.quick) {
      samples.push(per);
    } else {
      // A JIT reaches its steady state only after many calls (a 1,000-op chain's first run is
      // ~50× slower than later ones): cheap steps warm up for a tenth of the budget.
      let spent = 0;
      let warmups = 0;
      do {
        per = await once(1);
        spent += per;
        warmups++;
      } while (warmups < 2 || (spent < budget / 10 && per < budget / 20));
      // Calibrate: a sample ends with one readback (GPU: a copy, a submit, a map), which a
      // single-step sample counts in full; grow `iters` until a sample really lasts budget/7, so
      // the readback is amortized the same way for every framework.
      const target = budget / 7;
      let iters = 1;
      while (per * iters < target * 0.8 && spent < budget / 2) {
        iters = Math.min(iters * 10, Math.max(iters + 1, Math.ceil(target / Math.max(per, 1e-4))));
        per = await once(iters);
        spent += per * iters;
      }
      const minSamples = per * iters <= budget / 2 ? 3 : 1;
      const count = Math.max(minSamples, Math.min(7, Math.floor((budget - spent) / (iters * per))));
      for (let s = 0; s < count; s++) samples.push(await once(iters));
    }
    samples.sort((a, b) => a - b);
    const ms = samples[samples.length >> 1]!;
    const r: BenchResult = { bench, impl, backend: this.backend, ms: round(ms) };
    if (o.flops) r.gflops = round(o.flops / ms / 1e6);
    if (o.extra) Object.assign(r, o.extra(ms));
    r.samples = samples.length;
    r.first_ms = round(first);
    this.report(r);
    return r;
  }

  /** Records a result measured elsewhere (prints its JSON line). */
  report(r: BenchResult): void {
    this.results.push(r);
    this.options.emit?.(JSON.stringify(r));
  }
}

function round(x: number): number {
  return Number(x.toPrecision(4));
}

/** A table: one row per bench, one column per impl, and impl-vs-baseline ratios. */
export function ratioTable(results: readonly BenchResult[], baseline = 'tfjs', ours = 'eagerflow'): string {
  const benches = [...new Set(results.map((r) => r.bench))];
  const impls = [...new Set(results.map((r) => r.impl))];
  const rows: string[][] = [['bench', ...impls.map((i) => `${i} ms`), ...impls.filter((i) => results.some((r) => r.impl === i && r.gflops !== undefined)).map((i) => `${i} GFLOP/s`)]];
  const gfImpls = impls.filter((i) => results.some((r) => r.impl === i && r.gflops !== undefined));
  const hasRatio = impls.includes(baseline) && impls.includes(ours);
  if (hasRatio) rows[0]!.push(`speed-up ${ours} vs ${baseline}`);
  for (const b of benches) {
    const get = (i: string) => results.find((r) => r.bench === b && r.impl === i);
    const row = [b, ...impls.map((i) => fmt(get(i)?.ms)), ...gfImpls.map((i) => fmt(get(i)?.gflops))];
    if (hasRatio) {
      const base = get(baseline)?.ms;
      const mine = get(ours)?.ms;
      row.push(base !== undefined && mine !== undefined ? `${(base / mine).toFixed(1)}×` : '');
    }
    rows.push(row);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => '| ' + r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ') + ' |';
  return [line(rows[0]!), '|' + widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|', ...rows.slice(1).map(line)].join('\n');
}

function fmt(x: number | undefined): string {
  if (x === undefined) return '';
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  if (x >= 1) return x.toFixed(2);
  return x.toPrecision(2);
}
