/**
 * TF1's tf.train.Coordinator and the "threads" it coordinates (async tasks): loops check
 * `shouldStop()`, any of them can `requestStop(error?)`, and `join` waits for all of them.
 */
import { describeValue, InvalidArgumentError, OutOfRangeError } from './errors.js';

/** A task started by a QueueRunner (TF's thread): its promise plus liveness. */
export class CoordinatedThread {
  done = false;
  readonly promise: Promise<void>;
  constructor(
    readonly name: string,
    body: () => Promise<void>,
  ) {
    this.promise = body().finally(() => {
      this.done = true;
    });
  }
}

/**
 * TF's tf.train.Coordinator: `shouldStop()` for loops, `requestStop(error?)` to end all of them, and
 * `join(threads)` to wait for them; the first error given to requestStop is re-thrown by join.
 * OutOfRangeError counts as a clean stop (TF's clean_stop_exception_types).
 */
export class Coordinator {
  private stopRequested = false;
  private error: unknown;
  private stopWaiters: (() => void)[] = [];
  private readonly registered: (CoordinatedThread | Promise<unknown>)[] = [];

  shouldStop(): boolean {
    return this.stopRequested;
  }

  requestStop(error?: unknown): void {
    if (error !== undefined && !(error instanceof OutOfRangeError) && this.error === undefined) this.error = error;
    if (this.stopRequested) return;
    this.stopRequested = true;
    const w = this.stopWaiters;
    this.stopWaiters = [];
    for (const f of w) f();
  }

  /** Resets the stop flag and the recorded error (TF's clear_stop). */
  clearStop(): void {
    this.stopRequested = false;
    this.error = undefined;
  }

  /** Resolves true when stop is requested, or false after `timeoutMs`. */
  waitForStop(timeoutMs?: number): Promise<boolean> {
    if (this.stopRequested) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      this.stopWaiters.push(() => {
        if (timer) clearTimeout(timer);
        resolve(true);
      });
      if (timeoutMs !== undefined) timer = setTimeout(() => resolve(false), timeoutMs);
    });
  }

  /** Runs `fn`; an exception requests a stop with it (TF's stop_on_exception). */
  async stopOnException<R>(fn: () => R | Promise<R>): Promise<R | undefined> {
    try {
      return await fn();
    } catch (e) {
      this.requestStop(e);
      return undefined;
    }
  }

  registerThread(t: CoordinatedThread | Promise<unknown>): void {
    this.registered.push(t);
  }

  /**
   * Waits for the threads (default: the registered ones) to finish. Once a stop is requested they get
   * `stopGracePeriodMs` to end, else an error names the ones still running. Then re-throws the error
   * passed to requestStop, if any.
   */
  async join(threads?: readonly (CoordinatedThread | Promise<unknown>)[], options: { stopGracePeriodMs?: number; ignoreLiveThreads?: boolean } = {}): Promise<void> {
    if (threads !== undefined && !Array.isArray(threads)) throw new InvalidArgumentError(`Coordinator.join: threads must be a list of threads or promises; found ${describeValue(threads)}`);
    threads?.forEach((t, i) => {
      if (!(t instanceof CoordinatedThread) && typeof (t as Promise<unknown> | null)?.then !== 'function') throw new InvalidArgumentError(`Coordinator.join: threads[${i}] must be a CoordinatedThread or a Promise; found ${describeValue(t)}`);
    });
    const list = [...(threads ?? []), ...this.registered.filter((t) => !threads?.includes(t))];
    const grace = options.stopGracePeriodMs ?? 120_000;
    const promises = list.map((t) => (t instanceof CoordinatedThread ? t.promise : t).then(
      () => undefined,
      (e: unknown) => this.requestStop(e),
    ));
    const all = Promise.all(promises).then(() => 'done' as const);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const outcome = await Promise.race([
      all,
      this.waitForStop().then(() => Promise.race([all, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), grace)))])),
    ]);
    if (timer) clearTimeout(timer);
    if (outcome === 'timeout' && !options.ignoreLiveThreads) {
      const alive = list.filter((t) => t instanceof CoordinatedThread && !t.done).map((t) => (t as CoordinatedThread).name);
      if (this.error) throw this.error;
      throw new Error(`Coordinator.join: threads still running ${grace} ms after the stop request: ${alive.join(', ') || `${list.length} task(s)`}`);
    }
    if (this.error) throw this.error;
  }
}
