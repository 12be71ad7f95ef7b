/**
 * TensorFlow 1's input queues, as async objects: FIFOQueue, PaddingFIFOQueue and RandomShuffleQueue.
 * Blocking operations are promises; a closed, drained queue rejects dequeues with OutOfRangeError.
 * Queues hold host copies of what was enqueued and hand out new tensors. What fills and drains them
 * is in input_producers.ts, queue_batching.ts, queue_runner.ts, coordinator.ts and readers.ts.
 */
import * as ef from '@eagerflow/core';
import type { DType, Tensor } from '@eagerflow/core';
import { CancelledError, checkPositive, describeValue, InvalidArgumentError, OutOfRangeError } from './errors.js';
import { randomSeed, Rng } from './random.js';
import { hostToTensor, isTensor, longestShape, padStackHost, stackHost, type HostTensor } from './structure.js';

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
export abstract class QueueBase<T = unknown> implements InputSource<T> {
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
    this.capacity = checkPositive(capacity, kind, 'capacity');
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
      // As TF's _as_shape_list: a list of sizes (the empty list included) is one shape.
      this.shapes = !Array.isArray(s[0]) ? [s as number[]] : (s as number[][]);
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
          return { dtype: c.dtype, shape: inner, values: v.slice(k * size, (k + 1) * size) };
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
