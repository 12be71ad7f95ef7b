/**
 * TensorFlow 1's input queues and threads, as async tasks: FIFOQueue, RandomShuffleQueue, Coordinator,
 * QueueRunner / startQueueRunners, batch / shuffleBatch, input producers and a TFRecordReader that
 * reads from a filename queue (and a WholeFileReader). Blocking operations are promises; a closed, drained queue rejects
 * dequeues with OutOfRangeError. Queues hold host copies of what was enqueued and hand out new tensors.
 */
import * as ef from '@eagerflow/core';
import type { DType, Tensor } from '@eagerflow/core';
import { CancelledError, checkFunction, checkPositive, describeValue, InvalidArgumentError, OutOfRangeError } from './errors.js';
import { mixSeed, randomSeed, Rng } from './random.js';
import { hostToTensor, isTensor, longestShape, padStackHost, stackHost, type HostTensor } from './structure.js';
import { readTFRecords, type TFRecordReadOptions } from './tfrecord.js';
import { gfile } from '@eagerflow/io';

/** Anything a queue, producer or batch hands out with `dequeue()`. */
export interface InputSource<T> {
  dequeue(): Promise<T>;
}

export interface QueueOptions {
  /** Component dtypes (one or a list); inferred from the first enqueue when omitted. */
  dtypes?: DType | readonly DType[];
  /** Component shapes (checked on enqueue); PaddingFIFOQueue: null or -1 for dimensions of variable size. */
  shapes?: readonly (readonly (number | null)[])[] | readonly (number | null)[];
  /** Component names: elements are then objects keyed by name. */
  names?: readonly string[];
  name?: string;
}

type QueueElement = HostTensor[];
let queueCounter = 0;

/** Common machinery of FIFOQueue and RandomShuffleQueue. */
abstract class QueueBase<T = unknown> implements InputSource<T> {
  readonly name: string;
  readonly capacity: number;
  protected items: QueueElement[] = [];
  private dtypes: DType[] | undefined;
  private readonly shapes: (readonly (number | null)[])[] | undefined;
  private names: readonly string[] | undefined;
  /** Single-component queue without names: elements are bare tensors (TF's _dequeue_return_value). */
  private single: boolean | undefined;
  private closed = false;
  private cancelled = false;
  private waiters: (() => void)[] = [];

  /** `unknownDims`: shapes may hold null / -1 for dimensions of variable size (PaddingFIFOQueue). */
  constructor(capacity: number, options: QueueOptions, kind: string, unknownDims = false) {
    if (!Number.isInteger(capacity) || capacity <= 0) throw new InvalidArgumentError(`${kind}: capacity must be a positive integer; found ${capacity}`);
    this.capacity = capacity;
    this.name = options.name ?? `${kind.toLowerCase()}_${queueCounter++}`;
    if (options.dtypes !== undefined) {
      this.dtypes = typeof options.dtypes === 'string' ? [options.dtypes] : [...options.dtypes];
      this.dtypes.forEach((d, i) => {
        if (!ef.DTYPES.includes(d)) throw new InvalidArgumentError(`${kind}: dtypes[${i}] must be one of ${ef.DTYPES.join(', ')}; found ${describeValue(d)}`);
      });
      this.single = this.dtypes.length === 1 && !options.names;
    }
    if (options.shapes !== undefined) {
      const s = options.shapes as unknown[];
      if (!Array.isArray(s)) throw new InvalidArgumentError(`${kind}: shapes must be a shape (list of sizes) or a list of shapes; found ${describeValue(s)}`);
      this.shapes = s.length > 0 && !Array.isArray(s[0]) ? [s as number[]] : (s as number[][]);
      this.shapes.forEach((shape, i) => {
        const k = Array.isArray(shape) ? shape.findIndex((d) => !((Number.isInteger(d) && (d as number) >= 0) || (unknownDims && (d === null || d === -1)))) : -1;
        if (!Array.isArray(shape) || k >= 0) {
          const allowed = unknownDims ? 'non-negative integers or null/-1 (variable size)' : 'non-negative integers (variable sizes need a PaddingFIFOQueue)';
          throw new InvalidArgumentError(`${kind}: shapes[${i}] must be a list of ${allowed}; found ${describeValue(Array.isArray(shape) ? shape[k] : shape)}${Array.isArray(shape) ? ` at shapes[${i}][${k}]` : ''}`);
        }
      });
      if (this.dtypes && this.shapes.length !== this.dtypes.length) throw new InvalidArgumentError(`${kind}: ${this.shapes.length} shapes for ${this.dtypes.length} dtypes`);
    }
    this.names = options.names ? [...options.names] : undefined;
    if (this.names && this.dtypes && this.names.length !== this.dtypes.length) {
      throw new InvalidArgumentError(`${kind} '${this.name}': ${this.names.length} names for ${this.dtypes.length} dtypes`);
    }
    this.kind = kind;
  }
  private readonly kind: string;

  /** Elements in the queue now. */
  size(): number {
    return this.items.length;
  }
  isClosed(): boolean {
    return this.closed;
  }

  protected notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
  /** Resolves at the next state change. Callers loop `while (!cond) await this.changed()` and act right
   * after the loop, with no await in between, so check-and-act is atomic. */
  protected changed(): Promise<void> {
    return new Promise<void>((r) => this.waiters.push(r));
  }

  /**
   * Closes the queue: later enqueues fail, dequeues drain what is left and then fail with
   * OutOfRangeError. With cancelPendingEnqueues, blocked enqueues fail with CancelledError.
   */
  close(options: { cancelPendingEnqueues?: boolean } | boolean = {}): void {
    const cancel = typeof options === 'boolean' ? options : (options.cancelPendingEnqueues ?? false);
    this.closed = true;
    if (cancel) this.cancelled = true;
    this.notify();
  }

  // ---- conversion ----

  private async components(vals: unknown, many: boolean): Promise<HostTensor[]> {
    let list: unknown[];
    if (this.dtypes === undefined && !this.names && typeof vals === 'object' && vals !== null && !Array.isArray(vals) && !isTensor(vals) && !(vals instanceof Uint8Array) && !ArrayBuffer.isView(vals)) {
      this.names = Object.keys(vals);
    }
    if (this.names) {
      if (typeof vals !== 'object' || vals === null || Array.isArray(vals) || isTensor(vals)) throw new InvalidArgumentError(`${this.kind} '${this.name}': expected an object with keys ${this.names.join(', ')}`);
      list = this.names.map((n) => {
        if (!(n in (vals as object))) throw new InvalidArgumentError(`${this.kind} '${this.name}': missing component '${n}'`);
        return (vals as Record<string, unknown>)[n];
      });
    } else if (Array.isArray(vals) && !(this.dtypes?.length === 1 && vals.length !== 1 && !vals.some(isTensor))) {
      list = vals;
    } else list = [vals];
    if (this.dtypes === undefined) {
      const dts = list.map((v) => (isTensor(v) ? v.dtype : typeof v === 'string' ? 'string' : typeof v === 'bigint' ? 'int64' : 'float32')) as DType[];
      this.dtypes = dts;
      this.single = !Array.isArray(vals) && !this.names;
    }
    if (list.length !== this.dtypes.length) throw new InvalidArgumentError(`${this.kind} '${this.name}': expected ${this.dtypes.length} components, found ${list.length}`);
    return Promise.all(
      list.map(async (v, i) => {
        const dtype = this.dtypes![i]!;
        let h: HostTensor;
        const where = `${this.kind} '${this.name}': component ${i}`;
        if (isTensor(v)) {
          if (v.isDisposed) throw new InvalidArgumentError(`${where} (shape [${v.shape}], ${v.dtype}) was disposed`);
          if (v.dtype !== dtype) throw new InvalidArgumentError(`${this.kind} '${this.name}': component ${i} has dtype ${v.dtype}, the queue holds ${dtype}`);
          h = { dtype, shape: [...v.shape], values: await v.data() };
        } else {
          const t = jsToTensor(v, dtype, where);
          h = { dtype, shape: [...t.shape], values: await t.data() };
          t.dispose();
        }
        const want = this.shapes?.[i];
        const shape = many ? h.shape.slice(1) : h.shape;
        if (many && h.shape.length === 0) throw new InvalidArgumentError(`${this.kind} '${this.name}': enqueueMany needs components of rank ≥ 1`);
        if (want && (want.length !== shape.length || want.some((d, k) => d !== null && d !== -1 && d !== shape[k]))) {
          throw new InvalidArgumentError(`${this.kind} '${this.name}': component ${i} has shape [${shape}], the queue expects [${want.map((d) => (d === null || d === -1 ? '?' : d))}]`);
        }
        return h;
      }),
    );
  }

  private output(parts: HostTensor[]): T {
    const ts = parts.map(hostToTensor);
    if (this.names) {
      const o: Record<string, Tensor> = {};
      this.names.forEach((n, i) => (o[n] = ts[i]!));
      return o as T;
    }
    return (this.single && ts.length === 1 ? ts[0] : ts) as T;
  }

  private closedError(requested: number): OutOfRangeError {
    return new OutOfRangeError(`${this.kind} '${this.name}' is closed and has insufficient elements (requested ${requested}, current size ${this.items.length})`);
  }

  // ---- enqueue ----

  private async put(elements: QueueElement[]): Promise<void> {
    for (const e of elements) {
      while (!(this.items.length < this.capacity || this.cancelled)) await this.changed();
      if (this.cancelled) throw new CancelledError(`Enqueue operation was cancelled: ${this.kind} '${this.name}' was closed`);
      this.items.push(e);
      this.notify();
    }
  }

  /** Adds one element; waits while the queue is full. Values may be tensors or JS values. */
  async enqueue(vals: unknown): Promise<void> {
    if (this.closed) throw new CancelledError(`${this.kind} '${this.name}' is closed`);
    const comps = await this.components(vals, false);
    await this.put([comps]);
  }

  /** Adds the slices along the first dimension of each component as separate elements. */
  async enqueueMany(vals: unknown): Promise<void> {
    if (this.closed) throw new CancelledError(`${this.kind} '${this.name}' is closed`);
    const comps = await this.components(vals, true);
    const n = comps[0]!.shape[0]!;
    comps.forEach((c, i) => {
      if (c.shape[0] !== n) throw new InvalidArgumentError(`${this.kind} '${this.name}': enqueueMany components have different first dimensions (${n} vs ${c.shape[0]} in component ${i})`);
    });
    const els: QueueElement[] = [];
    for (let k = 0; k < n; k++) {
      els.push(
        comps.map((c) => {
          const inner = c.shape.slice(1);
          const size = inner.reduce((a, b) => a * b, 1);
          const v = c.values;
          return { dtype: c.dtype, shape: inner, values: Array.isArray(v) ? v.slice(k * size, (k + 1) * size) : v.slice(k * size, (k + 1) * size) };
        }),
      );
    }
    await this.put(els);
  }

  // ---- dequeue ----

  /** Number of elements that must stay in the open queue after a dequeue (RandomShuffleQueue's min_after_dequeue). */
  protected reserve(): number {
    return 0;
  }
  /** Removes and returns `n` elements (FIFO: the oldest; RandomShuffle: random ones). */
  protected abstract take(n: number): QueueElement[];

  /** Removes one element; waits while empty. Closed and empty → OutOfRangeError. */
  async dequeue(): Promise<T> {
    while (!(this.items.length > this.reserve() || this.closed)) await this.changed();
    if (this.items.length === 0) throw this.closedError(1);
    const [e] = this.take(1);
    this.notify();
    return this.output(e!);
  }

  /** Removes `n` elements, stacked along a new first dimension. Closed with fewer → OutOfRangeError. */
  async dequeueMany(n: number): Promise<T> {
    checkPositive(n, `${this.kind} '${this.name}'.dequeueMany`, 'n');
    if (n + this.reserve() > this.capacity) return this.stacked(await this.takeAsTheyCome(n, false));
    while (!(this.items.length >= n + this.reserve() || this.closed)) await this.changed();
    if (this.items.length < n) throw this.closedError(n);
    return this.stacked(this.take(n));
  }

  /** Like dequeueMany, but once the queue is closed it returns the remaining (fewer than n) elements. */
  async dequeueUpTo(n: number): Promise<T> {
    checkPositive(n, `${this.kind} '${this.name}'.dequeueUpTo`, 'n');
    if (n + this.reserve() > this.capacity) return this.stacked(await this.takeAsTheyCome(n, true));
    while (!(this.items.length >= n + this.reserve() || this.closed)) await this.changed();
    if (this.items.length === 0) throw this.closedError(n);
    return this.stacked(this.take(Math.min(n, this.items.length)));
  }

  /**
   * More elements than the queue can hold at once (TF allows it): takes them as they arrive. If the
   * queue closes first, upTo returns what it has; otherwise they go back to the queue (OutOfRange).
   */
  private async takeAsTheyCome(n: number, upTo: boolean): Promise<QueueElement[]> {
    const got: QueueElement[] = [];
    for (;;) {
      while (!(this.items.length > this.reserve() || this.closed)) await this.changed();
      if (this.closed && this.items.length + got.length < n && !(upTo && this.items.length + got.length > 0)) {
        this.items.unshift(...got);
        this.notify();
        throw this.closedError(n);
      }
      got.push(...this.take(Math.min(n - got.length, this.items.length - this.reserve())));
      this.notify();
      if (got.length === n || (this.closed && this.items.length === 0)) return got;
    }
  }

  private stacked(els: QueueElement[]): T {
    this.notify();
    const k = els[0]!.length;
    const parts: HostTensor[] = [];
    for (let i = 0; i < k; i++) parts.push(this.stack(els.map((e) => e[i]!), `${this.kind} '${this.name}' component ${i}`));
    return this.output(parts);
  }

  /** One component of the elements of a dequeueMany / dequeueUpTo, along a new first dimension. */
  protected stack(parts: HostTensor[], what: string): HostTensor {
    return stackHost(parts, what);
  }
}

/** TF's tf.queue.FIFOQueue: first in, first out, `capacity` elements at most. */
export class FIFOQueue<T = unknown> extends QueueBase<T> {
  constructor(capacity: number, options: QueueOptions | DType | readonly DType[] = {}) {
    super(capacity, typeof options === 'string' || Array.isArray(options) ? { dtypes: options as DType[] } : (options as QueueOptions), 'FIFOQueue');
  }
  protected take(n: number): QueueElement[] {
    return this.items.splice(0, n);
  }
}

/**
 * TF's tf.queue.PaddingFIFOQueue: a FIFOQueue whose `shapes` (required, one per component, with
 * `dtypes`) may hold null / -1 for dimensions of variable size. Enqueue checks each component's rank
 * and known dimensions; `dequeueMany` / `dequeueUpTo` pad every component with zeros (empty strings for
 * 'string') to the largest size in the batch, as TF does; `dequeue` returns elements unpadded.
 */
export class PaddingFIFOQueue<T = unknown> extends QueueBase<T> {
  constructor(capacity: number, options: QueueOptions) {
    for (const key of ['dtypes', 'shapes'] as const) {
      if (options?.[key] === undefined) throw new InvalidArgumentError(`PaddingFIFOQueue: options.${key} is required (${key === 'dtypes' ? 'the dtype of each component' : 'one shape per component, null/-1 for dimensions of variable size'}); found ${describeValue(options?.[key])}`);
    }
    super(capacity, options, 'PaddingFIFOQueue', true);
  }
  protected take(n: number): QueueElement[] {
    return this.items.splice(0, n);
  }
  protected override stack(parts: HostTensor[], what: string): HostTensor {
    return padStackHost(parts, longestShape(parts), what);
  }
}

/**
 * TF's tf.queue.RandomShuffleQueue: dequeues uniformly random elements, and (until closed) only while
 * more than `minAfterDequeue` elements would remain, so the elements handed out are well mixed.
 */
export class RandomShuffleQueue<T = unknown> extends QueueBase<T> {
  private readonly rng: Rng;
  constructor(
    capacity: number,
    readonly minAfterDequeue: number,
    options: QueueOptions & { seed?: number } = {},
  ) {
    super(capacity, options, 'RandomShuffleQueue');
    if (!Number.isInteger(minAfterDequeue) || minAfterDequeue < 0 || minAfterDequeue >= capacity) {
      throw new InvalidArgumentError(`RandomShuffleQueue: minAfterDequeue (${minAfterDequeue}) must be in [0, capacity) = [0, ${capacity})`);
    }
    this.rng = new Rng(options.seed ?? randomSeed());
  }
  protected override reserve(): number {
    return this.isClosed() ? 0 : this.minAfterDequeue;
  }
  protected take(n: number): QueueElement[] {
    const out: QueueElement[] = [];
    for (let k = 0; k < n; k++) {
      const i = this.rng.nextInt(this.items.length);
      out.push(this.items[i]!);
      this.items[i] = this.items[this.items.length - 1]!;
      this.items.pop();
    }
    return out;
  }
}

// ---- Coordinator ---------------------------------------------------------------------------------

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

// ---- QueueRunner -----------------------------------------------------------------------------------

export type EnqueueOp = () => Promise<unknown>;

/**
 * TF's tf.train.QueueRunner: runs each enqueue op in its own loop (a "thread") until the coordinator
 * stops. An op that throws OutOfRangeError is finished; when all are, the queue is closed (so its
 * consumers see OutOfRange after draining it). On a stop request the queue is closed with
 * cancelPendingEnqueues so blocked enqueues end. Other errors stop the coordinator.
 */
export class QueueRunner {
  readonly exceptions: unknown[] = [];
  constructor(
    readonly queue: { close(o?: { cancelPendingEnqueues?: boolean }): void; name?: string },
    readonly enqueueOps: readonly EnqueueOp[],
  ) {
    if (!Array.isArray(enqueueOps) || !enqueueOps.length) throw new InvalidArgumentError(`QueueRunner: enqueueOps must be a non-empty list of functions; found ${Array.isArray(enqueueOps) ? 'an empty list' : describeValue(enqueueOps)}`);
    enqueueOps.forEach((op, i) => checkFunction(op, 'QueueRunner', `enqueueOps[${i}]`));
  }

  createThreads(coord?: Coordinator): CoordinatedThread[] {
    let running = this.enqueueOps.length;
    const qname = this.queue.name ?? 'queue';
    let allDone: () => void = () => undefined;
    const finished = new Promise<void>((r) => (allDone = r));
    const threads = this.enqueueOps.map(
      (op, i) =>
        new CoordinatedThread(`QueueRunner(${qname})#${i}`, async () => {
          try {
            while (!coord?.shouldStop()) await op();
          } catch (e) {
            if (e instanceof OutOfRangeError) {
              // This op's input is exhausted.
            } else if (e instanceof CancelledError && (coord?.shouldStop() ?? true)) {
              // Cancelled by the stop request.
            } else {
              this.exceptions.push(e);
              if (coord) coord.requestStop(e);
              else throw e;
            }
          } finally {
            if (--running === 0) {
              this.queue.close();
              allDone();
            }
          }
        }),
    );
    if (coord) {
      const watcher = new CoordinatedThread(`QueueRunner(${qname})#cancel`, async () => {
        const stopped = await Promise.race([coord.waitForStop().then(() => true), finished.then(() => false)]);
        if (stopped) this.queue.close({ cancelPendingEnqueues: true });
      });
      threads.push(watcher);
      for (const t of threads) coord.registerThread(t);
    }
    return threads;
  }
}

const collections = new Map<string, QueueRunner[]>();
export const QUEUE_RUNNERS = 'queue_runners';

/** Adds a runner to a collection (TF's tf.train.add_queue_runner). */
export function addQueueRunner(qr: QueueRunner, collection = QUEUE_RUNNERS): void {
  const list = collections.get(collection) ?? [];
  list.push(qr);
  collections.set(collection, list);
}
export function queueRunners(collection = QUEUE_RUNNERS): readonly QueueRunner[] {
  return collections.get(collection) ?? [];
}
/** Empties a collection (eager programs have no graph to reset; call between independent pipelines). */
export function clearQueueRunners(collection = QUEUE_RUNNERS): void {
  collections.delete(collection);
}

/**
 * Starts every runner of the collection (TF's tf.train.start_queue_runners) and returns its threads.
 * The collection is emptied, so a runner is never started twice.
 */
export function startQueueRunners(coord?: Coordinator, options: { collection?: string } = {}): CoordinatedThread[] {
  const name = options.collection ?? QUEUE_RUNNERS;
  const list = collections.get(name) ?? [];
  collections.delete(name);
  return list.flatMap((qr) => qr.createThreads(coord));
}

// ---- producers and batching ---------------------------------------------------------------------------

export interface ProducerOptions {
  /** Passes over the input; undefined = forever. After the last one, dequeues fail with OutOfRangeError. */
  numEpochs?: number;
  shuffle?: boolean;
  seed?: number;
  capacity?: number;
  name?: string;
  collection?: string;
}

/**
 * Queue of the given host values, refilled once per epoch by a registered QueueRunner (TF's
 * input_producer). Shuffles each epoch when `shuffle`.
 */
function epochProducer<T>(items: readonly unknown[], dtype: DType, options: ProducerOptions, kind: string): FIFOQueue<T> {
  const capacity = options.capacity ?? 32;
  if (options.numEpochs !== undefined) checkPositive(options.numEpochs, kind, 'numEpochs (or undefined: forever)');
  const q = new FIFOQueue<T>(capacity, { dtypes: dtype, name: options.name ?? kind });
  const seed = options.seed ?? randomSeed();
  let epoch = 0;
  const op: EnqueueOp = async () => {
    if (options.numEpochs !== undefined && epoch >= options.numEpochs) throw new OutOfRangeError(`${kind}: ${options.numEpochs} epoch(s) done`);
    const order = items.map((_, i) => i);
    if (options.shuffle) {
      const rng = new Rng(mixSeed(seed, epoch));
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.nextInt(i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
    }
    epoch++;
    for (const i of order) await q.enqueue(items[i]);
  };
  addQueueRunner(new QueueRunner(q, [op]), options.collection);
  return q;
}

/** Queue of file names (or any strings), one epoch after the other (TF's string_input_producer; shuffle defaults to true). */
export function stringInputProducer(strings: readonly string[], options: ProducerOptions = {}): FIFOQueue<Tensor> {
  if (!Array.isArray(strings) || strings.some((x) => typeof x !== 'string')) {
    throw new InvalidArgumentError(`stringInputProducer: strings must be a list of strings; found ${describeValue(Array.isArray(strings) ? strings.find((x) => typeof x !== 'string') : strings)}`);
  }
  if (!strings.length) throw new InvalidArgumentError('stringInputProducer: the string list is empty');
  return epochProducer<Tensor>(strings, 'string', { shuffle: true, ...options }, 'stringInputProducer');
}

/** Queue of the integers 0..limit-1 per epoch (TF's range_input_producer; shuffle defaults to true). */
export function rangeInputProducer(limit: number, options: ProducerOptions = {}): FIFOQueue<Tensor> {
  checkPositive(limit, 'rangeInputProducer', 'limit');
  return epochProducer<Tensor>(
    Array.from({ length: limit }, (_, i) => i),
    'int32',
    { shuffle: true, ...options },
    'rangeInputProducer',
  );
}

/**
 * One slice (along the first dimension) of every tensor of `tensorList` per dequeue (TF's
 * slice_input_producer; shuffle defaults to true). Returns an InputSource of tensor lists.
 */
export function sliceInputProducer(tensorList: readonly unknown[], options: ProducerOptions = {}): InputSource<Tensor[]> & { queue: FIFOQueue<Tensor> } {
  const hosts: HostTensor[] = tensorList.map((x) => {
    const t = isTensor(x) ? x : Array.isArray(x) && x.every((e) => typeof e === 'string') ? ef.makeTensor(x as string[], [x.length], 'string') : ef.tensor(x);
    const h = { dtype: t.dtype, shape: [...t.shape], values: t.dataSync() };
    if (t !== x) t.dispose();
    return h;
  });
  if (!hosts.length) throw new InvalidArgumentError('sliceInputProducer: tensorList is empty');
  const n = hosts[0]!.shape[0];
  hosts.forEach((h, i) => {
    if (h.shape.length === 0) throw new InvalidArgumentError(`sliceInputProducer: tensor ${i} is a scalar; every tensor needs rank ≥ 1 (the first dimension is sliced)`);
    if (h.shape[0] !== n) throw new InvalidArgumentError(`sliceInputProducer: all tensors need the same first dimension (tensor 0: ${n}, tensor ${i}: ${h.shape[0]})`);
  });
  const queue = rangeInputProducer(n!, options);
  return {
    queue,
    async dequeue(): Promise<Tensor[]> {
      const idxT = await queue.dequeue();
      const i = Number((idxT.dataSync() as Int32Array)[0]);
      idxT.dispose();
      return hosts.map((h) => {
        const inner = h.shape.slice(1);
        const size = inner.reduce((a, b) => a * b, 1);
        const v = h.values;
        return ef.makeTensor(Array.isArray(v) ? v.slice(i * size, (i + 1) * size) : v.subarray(i * size, (i + 1) * size), inner, h.dtype);
      });
    },
  };
}

export interface BatchOptions {
  capacity?: number;
  /** Enqueuing tasks pulling from the source (TF's num_threads). */
  numThreads?: number;
  /** Return a last, smaller batch when the input ends (else the rest is dropped with OutOfRange). */
  allowSmallerFinalBatch?: boolean;
  /** The source yields batches already (TF's enqueue_many). */
  enqueueMany?: boolean;
  shapes?: readonly (readonly number[])[];
  name?: string;
  collection?: string;
}

function sourceOp<T>(source: InputSource<T> | (() => Promise<T>), op: string): () => Promise<T> {
  if (typeof source !== 'function' && typeof (source as InputSource<T> | null)?.dequeue !== 'function') {
    throw new InvalidArgumentError(`${op}: source must be a queue/producer (with dequeue()) or an async function; found ${describeValue(source)}`);
  }
  return typeof source === 'function' ? source : () => source.dequeue();
}

function makeBatcher<T>(fnName: string, q: QueueBase<T>, source: InputSource<unknown> | (() => Promise<unknown>), batchSize: number, options: BatchOptions): InputSource<T> & { queue: QueueBase<T> } {
  const pull = sourceOp(source, fnName);
  checkPositive(batchSize, fnName, 'batchSize');
  if (options.numThreads !== undefined) checkPositive(options.numThreads, fnName, 'numThreads');
  const threads = options.numThreads ?? 1;
  const op: EnqueueOp = async () => {
    const x = await pull();
    try {
      if (options.enqueueMany) await q.enqueueMany(x);
      else await q.enqueue(x);
    } finally {
      ef.dispose(x as never);
    }
  };
  addQueueRunner(new QueueRunner(q, Array.from({ length: threads }, () => op)), options.collection);
  return {
    queue: q,
    dequeue: () => (options.allowSmallerFinalBatch ? q.dequeueUpTo(batchSize) : q.dequeueMany(batchSize)),
  };
}

/**
 * TF's tf.train.batch: a FIFOQueue filled by `numThreads` tasks from `source` (an InputSource such as a
 * producer, or an async function returning one example); `dequeue()` returns `batchSize` examples stacked.
 */
export function batch<T = unknown>(source: InputSource<unknown> | (() => Promise<unknown>), batchSize: number, options: BatchOptions = {}): InputSource<T> & { queue: QueueBase<T> } {
  const q = new FIFOQueue<T>(options.capacity ?? 32, { shapes: options.shapes, name: options.name ?? 'batch_queue' });
  return makeBatcher('batch', q, source, batchSize, options);
}

/**
 * TF's tf.train.shuffle_batch: like batch, through a RandomShuffleQueue that keeps at least
 * `minAfterDequeue` examples after each dequeue so batches mix examples from far apart.
 */
export function shuffleBatch<T = unknown>(
  source: InputSource<unknown> | (() => Promise<unknown>),
  batchSize: number,
  options: BatchOptions & { minAfterDequeue: number; seed?: number },
): InputSource<T> & { queue: QueueBase<T> } {
  if (typeof options?.minAfterDequeue !== 'number') throw new InvalidArgumentError(`shuffleBatch: options.minAfterDequeue is required (a non-negative integer below capacity); found ${describeValue(options?.minAfterDequeue)}`);
  const capacity = options.capacity ?? 32;
  if (options.minAfterDequeue >= capacity) throw new InvalidArgumentError(`shuffleBatch: minAfterDequeue (${options.minAfterDequeue}) must be smaller than capacity (${capacity})`);
  const q = new RandomShuffleQueue<T>(capacity, options.minAfterDequeue, { shapes: options.shapes, seed: options.seed, name: options.name ?? 'shuffle_batch_queue' });
  return makeBatcher('shuffleBatch', q, source, batchSize, options);
}

// ---- TFRecordReader over a filename queue -----------------------------------------------------------------

/**
 * TF1's tf.TFRecordReader: `read(filenameQueue)` returns the next record as {key, value}, taking the
 * next file name from the queue when the current file is done (key is "file:recordIndex").
 * When the queue is closed and drained it throws OutOfRangeError.
 */
export class TFRecordReader {
  private current: { name: string; it: AsyncIterator<Uint8Array>; index: number } | undefined;
  constructor(private readonly options: TFRecordReadOptions = {}) {}

  async read(filenameQueue: InputSource<unknown>): Promise<{ key: string; value: Uint8Array }> {
    for (;;) {
      if (!this.current) {
        const name = await nextFileName(filenameQueue);
        this.current = { name, it: readTFRecords(name, this.options)[Symbol.asyncIterator](), index: 0 };
      }
      const r = await this.current.it.next();
      if (!r.done) return { key: `${this.current.name}:${this.current.index++}`, value: r.value };
      this.current = undefined;
    }
  }

  /** Up to `n` records (fewer only at the end of all input). */
  readUpTo(filenameQueue: InputSource<unknown>, n: number): Promise<{ keys: string[]; values: Uint8Array[] }> {
    return readUpTo(() => this.read(filenameQueue), n);
  }

  /** Records produced so far from the current file. */
  get numRecordsProduced(): number {
    return this.current?.index ?? 0;
  }
}

/**
 * A reader's read_up_to: up to `n` records (fewer only at the end of all input); on another error
 * the records read so far are handed to `release` and the error is rethrown.
 */
async function readUpTo<V>(read: () => Promise<{ key: string; value: V }>, n: number, release: (values: V[]) => void = () => {}): Promise<{ keys: string[]; values: V[] }> {
  checkPositive(n, 'readUpTo', 'numRecords');
  const keys: string[] = [];
  const values: V[] = [];
  while (keys.length < n) {
    try {
      const { key, value } = await read();
      keys.push(key);
      values.push(value);
    } catch (e) {
      if (e instanceof OutOfRangeError && keys.length) break;
      release(values);
      throw e;
    }
  }
  return { keys, values };
}

/** The next file name from a filename queue (a scalar string tensor or a JS string). */
async function nextFileName(filenameQueue: InputSource<unknown>): Promise<string> {
  if (typeof filenameQueue?.dequeue !== 'function') throw new InvalidArgumentError(`reader.read: filenameQueue must be a queue (with dequeue()), e.g. stringInputProducer(files); found ${describeValue(filenameQueue)}`);
  const f = await filenameQueue.dequeue();
  if (!isTensor(f)) return f instanceof Uint8Array ? new TextDecoder().decode(f) : String(f);
  try {
    if (f.dtype !== 'string' || f.size !== 1) throw new InvalidArgumentError(`reader: the filename queue must hand out scalar string tensors, found a ${f.dtype} tensor of shape [${f.shape.join(',')}]`);
    return new TextDecoder().decode((f.dataSync() as Uint8Array[])[0]!);
  } finally {
    f.dispose();
  }
}

/**
 * TF1's tf.WholeFileReader: `read(filenameQueue)` takes the next file name from the queue and returns
 * {key: the file name, value: the whole file's bytes as a scalar 'string' tensor} (feed it to
 * decodeImage / decodeJpeg / decodePng). Files are read with gfile, so local paths, `mem://`,
 * `indexeddb://` and `http(s)://` work. When the queue is closed and drained it throws OutOfRangeError;
 * a missing file throws a GFileError naming the path.
 */
export class WholeFileReader {
  private produced = 0;

  async read(filenameQueue: InputSource<unknown>): Promise<{ key: string; value: Tensor }> {
    const name = await nextFileName(filenameQueue);
    const bytes = await gfile.readFile(name);
    this.produced++;
    return { key: name, value: ef.makeTensor([bytes], [], 'string') };
  }

  /** Up to `n` files (fewer only at the end of all input); `values` are scalar 'string' tensors. */
  readUpTo(filenameQueue: InputSource<unknown>, n: number): Promise<{ keys: string[]; values: Tensor[] }> {
    return readUpTo(() => this.read(filenameQueue), n, (values) => ef.dispose(values));
  }

  /** Files read so far (TF's num_records_produced; one record per file). */
  get numRecordsProduced(): number {
    return this.produced;
  }
  /** Files finished so far (TF's num_work_units_completed). */
  get numWorkUnitsCompleted(): number {
    return this.produced;
  }
  /** Restarts the counts (TF's reset). */
  reset(): void {
    this.produced = 0;
  }
}

/** A JS value as a queue component of `dtype`; numbers into an integer dtype must be integers (TF does not truncate). */
function jsToTensor(v: unknown, dtype: DType, where: string): Tensor {
  if (dtype === 'string' && (typeof v === 'string' || v instanceof Uint8Array)) return ef.makeTensor([v as string], [], 'string');
  if (dtype === 'int32' || dtype === 'int64') {
    const bad = (Array.isArray(v) ? (v.flat(Infinity) as unknown[]) : [v]).find((e) => typeof e === 'number' && !Number.isInteger(e));
    if (bad !== undefined) throw new InvalidArgumentError(`${where}: ${bad} is not an integer; the queue holds ${dtype}`);
  }
  try {
    return ef.tensor(v as never, undefined, dtype);
  } catch (e) {
    throw new InvalidArgumentError(`${where}: cannot convert ${describeValue(v)} to a ${dtype} tensor (${(e as Error).message})`);
  }
}
