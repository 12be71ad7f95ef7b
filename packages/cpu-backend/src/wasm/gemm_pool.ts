/**
 * One helper thread for big GEMMs (Node only): a worker_threads Worker that instantiates the same
 * wasm module on the same shared memory and claims chunks of each job through the atomic ticket
 * (see wasm_gemm.ts). It sleeps in Atomics.wait between jobs, is unref'd (never keeps the process
 * alive), and the calling thread never waits for it to start: chunks it does not claim are done
 * by the caller. The worker's code is an eval'd string, so bundlers need no extra file.
 */
import { CONSTS, CTL, WasmGemm } from './wasm_gemm.js';

/** Below this many flops a job runs on the calling thread only (the wake-up costs ~10–50 µs). */
export const PARALLEL_MIN_FLOPS = 2 * 128 * 128 * 128;

const WORKER_SOURCE = `
const { workerData } = require('worker_threads');
const { module, memory, ctl: ctlBuf, consts, W } = workerData;
const ex = new WebAssembly.Instance(module, { env: { mem: memory } }).exports;
const ctl = new Int32Array(ctlBuf);
// runChunks of wasm_gemm.ts, as plain JS (keep the two in step).
function runChunks() {
  const gen = Atomics.load(ctl, W.ticket) >>> 16;
  const p = W.params;
  const aBase = ctl[p], bBase = ctl[p + 1], cBase = ctl[p + 2], mPad = ctl[p + 3], nPad = ctl[p + 4], k = ctl[p + 5];
  const chunksM = ctl[p + 6], chunksN = ctl[p + 7], chunkRows = ctl[p + 8];
  const total = chunksM * chunksN;
  const { MR: mr, NR: nr, KC: kcMax, MC: mc, JC: jc } = consts;
  const ldc = nPad * 4;
  for (;;) {
    const t = Atomics.load(ctl, W.ticket);
    if (t >>> 16 !== gen || (t & 0xffff) >= total) break;
    if (Atomics.compareExchange(ctl, W.ticket, t, t + 1) !== t) continue;
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
    Atomics.add(ctl, W.done, 1);
    if (Atomics.load(ctl, W.callerSleeping) === 1) Atomics.notify(ctl, W.done);
  }
}
let seen = Atomics.load(ctl, W.wake);
Atomics.store(ctl, W.ready, 1);
for (;;) {
  // Spin a little for the next job (back-to-back GEMMs), then sleep until woken.
  const t0 = performance.now();
  for (let i = 1; Atomics.load(ctl, W.wake) === seen; i++) {
    if ((i & 1023) === 0 && performance.now() - t0 > consts.SPIN_MS) {
      Atomics.store(ctl, W.helperSleeping, 1);
      Atomics.wait(ctl, W.wake, seen);
      Atomics.store(ctl, W.helperSleeping, 0);
    }
  }
  if (Atomics.load(ctl, W.quit) !== 0) break;
  seen = Atomics.load(ctl, W.wake);
  runChunks();
}
`;

type WorkerCtor = new (src: string, opts: { eval: true; workerData: unknown }) => {
  unref(): void;
  on(ev: 'error' | 'exit', fn: (e: unknown) => void): void;
  terminate(): Promise<number>;
};

function workerThreads(): { Worker: WorkerCtor } | null {
  const proc = (globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown } }).process;
  if (!proc?.versions?.node || typeof proc.getBuiltinModule !== 'function') return null;
  try {
    return (proc.getBuiltinModule('node:worker_threads') as { Worker: WorkerCtor } | undefined) ?? null;
  } catch {
    return null;
  }
}

function cpuCount(): number {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    const os = proc?.getBuiltinModule?.('node:os') as { availableParallelism?: () => number; cpus(): unknown[] } | undefined;
    return os ? (os.availableParallelism?.() ?? os.cpus().length) : 1;
  } catch {
    return 1;
  }
}

/** Whether `g`'s helper thread is up (its wasm instance exists). */
export function helperReady(g: WasmGemm): boolean {
  return g.shared && Atomics.load(g.ctl, CTL.ready) === 1;
}

/** Starts the helper for `g` (which must use shared memory); returns false where impossible. */
export function attachHelper(g: WasmGemm): boolean {
  if (!g.shared || cpuCount() < 2) return false;
  const wt = workerThreads();
  if (!wt) return false;
  let alive = true;
  try {
    const w = new wt.Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { module: g.module, memory: g.memory, ctl: g.ctl.buffer, consts: CONSTS, W: CTL },
    });
    w.unref();
    const stop = () => {
      alive = false;
      Atomics.store(g.ctl, CTL.ready, 0);
      g.onJob = null;
    };
    w.on('error', stop);
    w.on('exit', stop);
  } catch {
    return false;
  }
  g.onJob = (flops) => {
    if (!alive || flops < PARALLEL_MIN_FLOPS) return false;
    Atomics.add(g.ctl, CTL.wake, 1);
    if (Atomics.load(g.ctl, CTL.helperSleeping) === 1) Atomics.notify(g.ctl, CTL.wake);
    return true;
  };
  return true;
}
