/**
 * One helper thread for big GEMMs (Node only): a worker_threads Worker that instantiates the same
 * wasm module on the same shared memory and claims chunks of each job through the atomic ticket
 * (see wasm_gemm.ts). It sleeps in Atomics.wait between jobs, is unref'd (never keeps the process
 * alive), and the calling thread never waits for it to start: chunks it does not claim are done
 * by the caller. The worker's code is an eval'd string, so bundlers need no extra file.
 */
import { CONSTS, CTL, runChunks, WasmGemm } from './wasm_gemm.js';

/** Below this many flops a job runs on the calling thread only (the wake-up costs ~10–50 µs). */
export const PARALLEL_MIN_FLOPS = 2 * 128 * 128 * 128;

const WORKER_SOURCE = `
const { workerData } = require('worker_threads');
const { module, memory, ctl: ctlBuf, consts, W } = workerData;
const ex = new WebAssembly.Instance(module, { env: { mem: memory } }).exports;
const ctl = new Int32Array(ctlBuf);
const runChunks = ${runChunks.toString()};
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
  runChunks(ex, ctl, consts, W);
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
