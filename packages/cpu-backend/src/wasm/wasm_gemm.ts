/**
 * WebAssembly SIMD GEMM: copies A and B into one wasm memory and packs op(A) and op(B) there
 * (wasm `pack4`/`pack8`) into MR-row / NR-column panels per K block of KC, zero-padded to whole
 * panels so the kernel has no edge cases: panel i of block pc starts at pc·mPad + i·MR·kc floats.
 * Then runs the generated register-blocked kernel over KC×MC blocks and copies the padded C out.
 *
 * Work is cut into chunks (MC rows × JC columns of C, every K block inside); chunks are claimed
 * through an atomic ticket so a helper worker thread (gemm_pool.ts) can take some of them when
 * it is there and awake, and the calling thread simply does all of them when it is not.
 */
import { buildGemmModule } from './gemm_module.js';

export const MR = 4; // pack4 / pack8 in gemm_module.ts follow MR and NR
export const NR = 8;
const UNROLL = 4;
export const KC = 256;
export const MC = 64;
const JC_PANELS = 8; // NR-panels per chunk: 64 columns
const PAGE = 65536;
/** How long a thread spins for its partner before sleeping in Atomics.wait (ms). */
export const SPIN_MS = 1;
const HELPER_PAUSE_MS = 1000;
const MAX_SHARED_PAGES = 32768; // 2 GiB: pointers stay within i32

/** Control block layout (Int32 words) shared with the helper thread. */
export const CTL = {
  ticket: 0, // (generation << 16) | next chunk index
  done: 1, // chunks finished in the current job
  wake: 2, // bumped to wake the helper
  quit: 3,
  ready: 13, // set by the helper once its instance exists
  helperSleeping: 14, // the helper is (about to be) in Atomics.wait: wake needs a notify
  callerSleeping: 15, // the caller is (about to be) in Atomics.wait for `done`
  params: 4, // aBase, bBase, cBase (bytes), mPad, nPad, k, chunksM, chunksN, chunkRows (9 words)
  words: 16,
} as const;

export interface GemmExports {
  kernel(a: number, b: number, c: number, kc: number, ldc: number, first: number): void;
  macro(a: number, b: number, c: number, mp: number, np: number, kc: number, ldc: number, first: number): void;
  pack4(src: number, dst: number, rs: number, cs: number, kc: number, np: number, last: number): void;
  pack8(src: number, dst: number, rs: number, cs: number, kc: number, np: number, last: number): void;
}

function relaxedSimdValid(): boolean {
  try {
    return WebAssembly.validate(buildGemmModule({ mr: 1, nr: 4, unroll: 1, fma: true, shared: false }));
  } catch {
    return false;
  }
}

/**
 * Runs chunks [claimed through the ticket] of the current job; shared by both threads: the helper
 * (gemm_pool.ts) runs this function's source text, so it must use nothing but its arguments and
 * globals (`w` is the `CTL` layout).
 */
export function runChunks(ex: GemmExports, ctl: Int32Array, consts: { MR: number; NR: number; KC: number; MC: number; JC: number }, w: typeof CTL): number {
  const gen = Atomics.load(ctl, w.ticket) >>> 16;
  const p = w.params;
  const aBase = ctl[p]!, bBase = ctl[p + 1]!, cBase = ctl[p + 2]!, mPad = ctl[p + 3]!, nPad = ctl[p + 4]!, k = ctl[p + 5]!;
  const chunksM = ctl[p + 6]!, chunksN = ctl[p + 7]!, chunkRows = ctl[p + 8]!;
  const total = chunksM * chunksN;
  const { MR: mr, NR: nr, KC: kcMax, MC: mc, JC: jc } = consts;
  const ldc = nPad * 4;
  let did = 0;
  for (;;) {
    const t = Atomics.load(ctl, w.ticket);
    if (t >>> 16 !== gen || (t & 0xffff) >= total) break;
    if (Atomics.compareExchange(ctl, w.ticket, t, t + 1) !== t) continue;
    const chunk = t & 0xffff;
    const i0 = (chunk % chunksM) * chunkRows;
    const i1 = Math.min(i0 + chunkRows, mPad);
    const jc0 = Math.floor(chunk / chunksM) * jc * nr;
    const np = Math.min(jc * nr, nPad - jc0) / nr;
    for (let pc = 0; pc < k; pc += kcMax) {
      const kc = Math.min(kcMax, k - pc);
      const bBlock = bBase + (pc * nPad + jc0 * kc) * 4;
      for (let ic = i0; ic < i1; ic += mc) {
        const aBlock = aBase + (pc * mPad + ic * kc) * 4;
        ex.macro(aBlock, bBlock, cBase + ic * ldc + jc0 * 4, Math.min(mc, i1 - ic) / mr, np, kc, ldc, pc === 0 ? 1 : 0);
      }
    }
    Atomics.add(ctl, w.done, 1);
    if (Atomics.load(ctl, w.callerSleeping) === 1) Atomics.notify(ctl, w.done);
    did++;
  }
  return did;
}

/**
 * A GEMM operand: the row-major values, or a producer that writes all of them (m·k for A, k·n
 * for B, in the layout the transpose flag names) into `dst` from `offset` on.
 */
export type Operand = Float32Array | ((dst: Float32Array, offset: number) => void);

export class WasmGemm {
  readonly memory: WebAssembly.Memory;
  readonly module: WebAssembly.Module;
  readonly ex: GemmExports;
  readonly ctl: Int32Array;
  private gen = 0;
  private f32 = new Float32Array(0);
  /** Called after a job's parameters are set, to wake the helper (if any); true if it did. */
  onJob: ((flops: number) => boolean) | null = null;
  /** Counters: jobs run, chunks done by the helper thread, times the helper was paused. */
  readonly stats = { jobs: 0, helperChunks: 0, helperPauses: 0 };
  /**
   * On an oversubscribed machine waking the helper can cost the caller its time slice, and the
   * helper can be descheduled holding a chunk: after 3 jobs in a row where waking plus waiting
   * for the helper cost more than half of the caller's own work, run single-threaded for a
   * second, then try again.
   */
  private helperPausedUntil = 0;
  private strikes = 0;

  private judgeHelper(ownMs: number, overheadMs: number): void {
    if (overheadMs <= Math.max(0.2, 0.5 * ownMs)) {
      this.strikes = 0;
    } else if (++this.strikes >= 3) {
      this.strikes = 0;
      this.helperPausedUntil = performance.now() + HELPER_PAUSE_MS;
      this.stats.helperPauses++;
    }
  }

  constructor(readonly shared: boolean) {
    const fma = relaxedSimdValid();
    const bytes = buildGemmModule({ mr: MR, nr: NR, unroll: UNROLL, fma, shared, maximumPages: shared ? MAX_SHARED_PAGES : undefined });
    this.module = new WebAssembly.Module(bytes);
    this.memory = shared ? new WebAssembly.Memory({ initial: 1, maximum: MAX_SHARED_PAGES, shared: true }) : new WebAssembly.Memory({ initial: 1 });
    this.ex = new WebAssembly.Instance(this.module, { env: { mem: this.memory } }).exports as unknown as GemmExports;
    const ctlBuf = shared ? new SharedArrayBuffer(CTL.words * 4) : new ArrayBuffer(CTL.words * 4);
    this.ctl = new Int32Array(ctlBuf);
  }

  private view(bytes: number): Float32Array | null {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) {
      const pages = Math.ceil((bytes - have) / PAGE);
      if (this.shared && have / PAGE + pages > MAX_SHARED_PAGES) return null;
      try {
        this.memory.grow(pages);
      } catch {
        return null;
      }
    }
    if (this.f32.buffer !== this.memory.buffer || this.f32.length * 4 !== this.memory.buffer.byteLength) this.f32 = new Float32Array(this.memory.buffer);
    return this.f32;
  }

  /**
   * C = op(A)·op(B) (C += … with `accumulate`); returns false (C untouched) when the memory
   * cannot hold the operands.
   */
  gemm(m: number, n: number, k: number, a: Operand, transA: boolean, b: Operand, transB: boolean, c: Float32Array, accumulate = false): boolean {
    const mPad = Math.ceil(m / MR) * MR;
    const nPad = Math.ceil(n / NR) * NR;
    const align = (x: number) => Math.ceil(x / 16) * 16;
    const aRaw = 16; // floats; keep address 0 unused
    const bRaw = aRaw + align(m * k);
    const aOff = bRaw + align(k * n);
    const bOff = aOff + align(mPad * k);
    const cOff = bOff + align(nPad * k);
    const end = cOff + mPad * nPad;
    const mem = this.view(end * 4);
    if (!mem) return false;
    // Copy the operands in, then gather the panels in wasm (strided reads in JS cost more).
    // A producer (im2col) writes its operand straight into wasm memory: one copy less.
    if (typeof a === 'function') a(mem, aRaw);
    else mem.set(a.length === m * k ? a : a.subarray(0, m * k), aRaw);
    if (typeof b === 'function') b(mem, bRaw);
    else mem.set(b.length === k * n ? b : b.subarray(0, k * n), bRaw);
    const [rsA, csA] = transA ? [1, m] : [k, 1];
    const [rsB, csB] = transB ? [k, 1] : [1, n];
    const mp = mPad / MR, np = nPad / NR;
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      this.ex.pack4((aRaw + pc * csA) * 4, (aOff + pc * mPad) * 4, rsA * 4, csA * 4, kc, mp, m - (mp - 1) * MR);
      this.ex.pack8((bRaw + pc * csB) * 4, (bOff + pc * nPad) * 4, rsB * 4, csB * 4, kc, np, n - (np - 1) * NR);
    }

    const ctl = this.ctl;
    const chunksN = Math.ceil(nPad / (JC_PANELS * NR));
    // The ticket holds 16 bits of chunk index: make chunks taller when there would be more.
    const chunkRows = MC * Math.max(1, Math.ceil((Math.ceil(mPad / MC) * chunksN) / 0xffff));
    const chunksM = Math.ceil(mPad / chunkRows);
    const p = CTL.params;
    ctl[p] = aOff * 4; ctl[p + 1] = bOff * 4; ctl[p + 2] = cOff * 4;
    ctl[p + 3] = mPad; ctl[p + 4] = nPad; ctl[p + 5] = k; ctl[p + 6] = chunksM; ctl[p + 7] = chunksN; ctl[p + 8] = chunkRows;
    const total = chunksM * chunksN;
    this.gen = (this.gen + 1) & 0x7fff;
    Atomics.store(ctl, CTL.done, 0);
    Atomics.store(ctl, CTL.ticket, this.gen << 16);
    const t0 = performance.now();
    const woke = total > 1 && t0 >= this.helperPausedUntil && this.onJob !== null && this.onJob(2 * m * n * k);
    const tWoke = performance.now(); // waking a sleeping helper is a syscall that can cost ~1 ms under load
    const mine = runChunks(this.ex, ctl, CONSTS, CTL);
    this.stats.jobs++;
    this.stats.helperChunks += total - mine;
    // Wait for chunks the helper claimed (it only claims while some remain): at most about one
    // chunk of work, so spin briefly first (waking a sleeping thread costs ~0.1 ms on a VM).
    const t1 = performance.now();
    if (Atomics.load(ctl, CTL.done) < total) {
      for (let i = 1; Atomics.load(ctl, CTL.done) < total; i++) {
        if ((i & 1023) === 0 && performance.now() - t1 > SPIN_MS) break;
      }
      Atomics.store(ctl, CTL.callerSleeping, 1);
      try {
        for (;;) {
          const d = Atomics.load(ctl, CTL.done);
          if (d >= total) break;
          if (Atomics.wait(ctl, CTL.done, d, 2000) === 'timed-out' && Atomics.load(ctl, CTL.ready) === 0 && Atomics.load(ctl, CTL.done) === d) {
            throw new Error('cpu gemm: the helper thread died during a job (set EAGERFLOW_GEMM_THREADS=1 to run without it)');
          }
        }
      } finally {
        Atomics.store(ctl, CTL.callerSleeping, 0);
      }
    }
    if (woke) this.judgeHelper(t1 - tWoke, tWoke - t0 + performance.now() - t1);
    // Copy (or add) the m×n corner of the padded C out.
    if (accumulate) {
      for (let i = 0; i < m; i++) {
        const src = cOff + i * nPad;
        const dst = i * n;
        for (let j = 0; j < n; j++) c[dst + j]! += mem[src + j]!;
      }
    } else if (nPad === n) c.set(mem.subarray(cOff, cOff + m * n));
    else for (let i = 0; i < m; i++) c.set(mem.subarray(cOff + i * nPad, cOff + i * nPad + n), i * n);
    return true;
  }
}

export const CONSTS = { MR, NR, KC, MC, JC: JC_PANELS, SPIN_MS };
