/** Running a pipeline ahead of its consumer: parallel calls in order, and prefetch buffers. */
import { disposeElement } from './structure.js';

/** TF's tf.data.AUTOTUNE: prefetch 2, parallel calls = hardware concurrency. */
export const AUTOTUNE = -1;

export function hardwareConcurrency(): number {
  const os = (globalThis as { process?: { getBuiltinModule?(id: string): unknown } }).process?.getBuiltinModule?.('node:os') as { availableParallelism?(): number; cpus(): unknown[] } | undefined;
  if (os) return os.availableParallelism?.() ?? os.cpus().length;
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 4;
}

/** Runs `call` on upstream elements with up to `par` calls in flight; yields results in order. */
export async function* orderedParallel<T, U>(src: AsyncIterable<T>, call: (x: T) => Promise<U>, par: number): AsyncGenerator<U> {
  const it = src[Symbol.asyncIterator]();
  if (par <= 1) {
    try {
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield await call(r.value);
      }
    } finally {
      await it.return?.();
    }
  }
  const inflight: Promise<U>[] = [];
  let done = false;
  try {
    for (;;) {
      while (!done && inflight.length < par) {
        const r = await it.next();
        if (r.done) done = true;
        else {
          const p = call(r.value);
          p.catch(() => undefined);
          inflight.push(p);
        }
      }
      if (!inflight.length) return;
      yield await inflight.shift()!;
    }
  } finally {
    for (const p of inflight) p.then(disposeElement, () => undefined);
    await it.return?.();
  }
}

export async function* prefetchIterator<T>(src: AsyncIterator<T>, n: number): AsyncGenerator<T> {
  const buf: T[] = [];
  let finished = false;
  let error: unknown;
  let stopped = false;
  let wakeConsumer: (() => void) | undefined;
  let wakeProducer: (() => void) | undefined;
  const pump = (async () => {
    try {
      while (!stopped) {
        if (buf.length >= n) {
          await new Promise<void>((r) => (wakeProducer = r));
          continue;
        }
        const r = await src.next();
        if (r.done) break;
        if (stopped) {
          disposeElement(r.value);
          break;
        }
        buf.push(r.value);
        wakeConsumer?.();
      }
    } catch (e) {
      error = e;
    } finally {
      finished = true;
      wakeConsumer?.();
    }
  })();
  try {
    for (;;) {
      if (buf.length) {
        const v = buf.shift()!;
        wakeProducer?.();
        yield v;
        continue;
      }
      if (error) throw error;
      if (finished) return;
      await new Promise<void>((r) => (wakeConsumer = r));
      wakeConsumer = undefined;
    }
  } finally {
    stopped = true;
    wakeProducer?.();
    await pump;
    for (const v of buf) disposeElement(v);
    buf.length = 0;
    await src.return?.();
  }
}
