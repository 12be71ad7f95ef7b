/**
 * WebAssembly SIMD GEMM: copies A and B into one wasm memory and packs op(A) and op(B) there
 * (wasm `pack4`/`pack8`) into MR-row / NR-column panels per K block of KC, zero-padded to whole
 * panels so the kernel has no edge cases: panel i of block pc starts at pc·mPad + i·MR·kc floats.
 * Then runs the generated register-blocked kernel over KC×MC blocks and copies the padded C out.
 * An `Indexed` operand (an implicit im2col) is packed straight from its source through offset
 * tables (`gather4`/`gather8`); an `Indexed` C is added into its destination (`scatterAdd`, col2im).
 * An epilogue (bias, relu) is applied in wasm as C is compacted for the copy out (`store`).
 *
 * Work is cut into chunks (MC rows × JC columns of C, every K block inside); chunks are claimed
 * through an atomic ticket so a helper worker thread (gemm_pool.ts) can take some of them when
 * it is there and awake, and the calling thread simply does all of them when it is not.
 */
import { buildGemmModule } from './gemm_module.js';
import { align } from './private_wasm.js';

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
  gather4(outer: number, inner: number, dst: number, kc: number, np: number, base: number): void;
  gather8(outer: number, inner: number, dst: number, kc: number, np: number, base: number): void;
  scatterAdd(c: number, ldc: number, outer: number, inner: number, m: number, n: number, base: number): void;
  store(c: number, ldc: number, dst: number, m: number, n: number, bias: number, mode: number): void;
}

/** C = act(C + bias), bias along n: the fused ops' epilogue, for the activations `store` has. */
export interface Epilogue {
  bias: Float32Array;
  activation: 'linear' | 'relu';
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
 * Values addressed through offset tables (an implicit im2col / col2im): element (i, j) is
 * region[outer[i] + inner[j]] of a region of `floats` values that `load` writes into `dst` from
 * `offset` on (and `store` takes back, where the region is written: a scattered C).
 * As an operand, i runs along m (A) or n (B) and j along k; the transpose flag does not apply.
 */
export interface Indexed {
  readonly floats: number;
  readonly outer: Int32Array;
  readonly inner: Int32Array;
  load(dst: Float32Array, offset: number): void;
  store?(src: Float32Array, offset: number): void;
}

/** A GEMM operand: the row-major values (m·k for A, k·n for B, laid out as the transpose flag says), or indexed. */
export type Operand = Float32Array | Indexed;

/** Floats an operand takes in wasm memory: its values, and the two tables of an indexed one. */
function rawFloats(x: Operand, dense: number, outer: number, inner: number): number {
  return x instanceof Float32Array ? align(dense) : align(x.floats) + align(outer) + align(inner);
}

export class WasmGemm {
  readonly memory: WebAssembly.Memory;
  readonly module: WebAssembly.Module;
  readonly ex: GemmExports;
  readonly ctl: Int32Array;
  private gen = 0;
  private f32 = new Float32Array(0);
  private i32 = new Int32Array(0);
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
    if (this.f32.buffer !== this.memory.buffer || this.f32.length * 4 !== this.memory.buffer.byteLength) {
      this.f32 = new Float32Array(this.memory.buffer);
      this.i32 = new Int32Array(this.memory.buffer);
    }
    return this.f32;
  }

  /**
   * Loads indexed values at float offset `at`, their tables (float offsets, outer padded to
   * `outerLen` rows with its first entry) after them; returns the tables' and the values' byte addresses.
   */
  private place(x: Indexed, at: number, rows: number, outerLen: number): [number, number, number] {
    x.load(this.f32, at);
    const i32 = this.i32;
    const o = at + align(x.floats);
    const q = o + align(outerLen);
    const real = Math.min(rows, outerLen);
    i32.set(x.outer.subarray(0, real), o);
    if (outerLen > real) i32.fill(x.outer[0]!, o + real, o + outerLen);
    i32.set(x.inner, q);
    return [o * 4, q * 4, at * 4];
  }

  /**
   * C = op(A)·op(B) (C += … with `accumulate`; an indexed C is always added into; C = act(… + bias)
   * with an epilogue, not with those); returns false (C untouched) when the memory cannot hold the operands.
   */
  gemm(m: number, n: number, k: number, a: Operand, transA: boolean, b: Operand, transB: boolean, c: Float32Array | Indexed, accumulate = false, epilogue?: Epilogue): boolean {
    const mPad = Math.ceil(m / MR) * MR;
    const nPad = Math.ceil(n / NR) * NR;
    const aRaw = 16; // floats; keep address 0 unused
    const bRaw = aRaw + rawFloats(a, m * k, mPad, k);
    const aOff = bRaw + rawFloats(b, k * n, nPad, k);
    const bOff = aOff + align(mPad * k);
    const cOff = bOff + align(nPad * k);
    const sOff = cOff + align(mPad * nPad);
    // After C: an indexed C's region and tables, or the epilogue's bias and the compacted C.
    const compact = c instanceof Float32Array && !accumulate && (epilogue !== undefined || nPad !== n);
    const end = sOff + (compact ? align(nPad) + align(m * n + 4) : rawFloats(c, 0, m, n));
    const mem = this.view(end * 4);
    if (!mem) return false;
    // Copy the operands in, then gather the panels in wasm (strided reads in JS cost more).
    // An indexed operand is packed straight from its source: no column matrix at all.
    const ga = a instanceof Float32Array ? null : this.place(a, aRaw, m, mPad);
    if (a instanceof Float32Array) mem.set(a.length === m * k ? a : a.subarray(0, m * k), aRaw);
    const gb = b instanceof Float32Array ? null : this.place(b, bRaw, n, nPad);
    if (b instanceof Float32Array) mem.set(b.length === k * n ? b : b.subarray(0, k * n), bRaw);
    const [rsA, csA] = transA ? [1, m] : [k, 1];
    const [rsB, csB] = transB ? [k, 1] : [1, n];
    const mp = mPad / MR, np = nPad / NR;
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      if (ga) this.ex.gather4(ga[0], ga[1] + pc * 4, (aOff + pc * mPad) * 4, kc, mp, ga[2]);
      else this.ex.pack4((aRaw + pc * csA) * 4, (aOff + pc * mPad) * 4, rsA * 4, csA * 4, kc, mp, m - (mp - 1) * MR);
      if (gb) this.ex.gather8(gb[0], gb[1] + pc * 4, (bOff + pc * nPad) * 4, kc, np, gb[2]);
      else this.ex.pack8((bRaw + pc * csB) * 4, (bOff + pc * nPad) * 4, rsB * 4, csB * 4, kc, np, n - (np - 1) * NR);
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
    // Copy (or add, or scatter-add) the m×n corner of the padded C out.
    if (!(c instanceof Float32Array)) {
      const [outer, inner, base] = this.place(c, sOff, m, m);
      this.ex.scatterAdd(cOff * 4, nPad * 4, outer, inner, m, n, base);
      c.store!(mem, sOff);
    } else if (accumulate) {
      for (let i = 0; i < m; i++) {
        const src = cOff + i * nPad;
        const dst = i * n;
        for (let j = 0; j < n; j++) c[dst + j]! += mem[src + j]!;
      }
    } else if (compact) {
      const dOff = sOff + align(nPad);
      if (epilogue) mem.set(epilogue.bias.subarray(0, n), sOff);
      this.ex.store(cOff * 4, nPad * 4, dOff * 4, m, n, sOff * 4, epilogue ? (epilogue.activation === 'relu' ? 2 : 1) : 0);
      c.set(mem.subarray(dOff, dOff + m * n));
    } else c.set(mem.subarray(cOff, cOff + m * n));
    return true;
  }
}

export const CONSTS = { MR, NR, KC, MC, JC: JC_PANELS, SPIN_MS };
