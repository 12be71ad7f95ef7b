/** TF1-style iterators over datasets: one-shot, initializable (from parameters) and reinitializable. */
import type { Dataset } from './dataset.js';
import { InvalidArgumentError, OutOfRangeError } from './errors.js';
import { mergeSpecs, specToString, type Spec } from './structure.js';

/** An iterator with TF1's get_next semantics: OutOfRangeError at the end. */
export class DatasetIterator<T> implements AsyncIterableIterator<T> {
  private it: AsyncIterator<T> | undefined;
  constructor(private readonly start: () => AsyncIterator<T>) {}
  /** @internal */
  protected reset(start?: () => AsyncIterator<T>): Promise<void> {
    const old = this.it;
    this.it = (start ?? this.start)();
    return old?.return ? old.return().then(() => undefined) : Promise.resolve();
  }
  protected current(): AsyncIterator<T> {
    this.it ??= this.start();
    return this.it;
  }
  async getNext(): Promise<T> {
    const r = await this.current().next();
    if (r.done) throw new OutOfRangeError('End of sequence');
    return r.value;
  }
  next(): Promise<IteratorResult<T>> {
    return this.current().next();
  }
  async return(): Promise<IteratorResult<T>> {
    await this.it?.return?.();
    return { done: true, value: undefined };
  }
  [Symbol.asyncIterator](): this {
    return this;
  }
}

export class InitializableIterator<P, T> extends DatasetIterator<T> {
  private initialized = false;
  constructor(private readonly factory: (params: P) => Dataset<T>) {
    super(() => {
      throw new Error('uninitialised');
    });
  }
  /** (Re)starts the iterator on the dataset built from `params`. */
  async initialize(params: P): Promise<void> {
    const ds = this.factory(params);
    this.initialized = true;
    await this.reset(() => ds[Symbol.asyncIterator]());
  }
  protected override current(): AsyncIterator<T> {
    if (!this.initialized) throw new InvalidArgumentError('GetNext() failed because the iterator has not been initialized; call `await iterator.initialize(params)` first');
    return super.current();
  }
}

export class ReinitializableIterator<T> extends DatasetIterator<T> {
  private initialized = false;
  constructor(readonly elementSpec: Spec) {
    super(() => {
      throw new Error('uninitialised');
    });
  }
  /** Points the iterator at `dataset` (its spec must be compatible) from its start (TF's make_initializer). */
  async initialize(dataset: Dataset<T>): Promise<void> {
    const spec = await dataset.inferElementSpec();
    try {
      mergeSpecs(this.elementSpec, spec);
    } catch {
      throw new InvalidArgumentError(`the dataset's element spec ${specToString(spec)} does not match the iterator's ${specToString(this.elementSpec)}`);
    }
    this.initialized = true;
    await this.reset(() => dataset[Symbol.asyncIterator]());
  }
  protected override current(): AsyncIterator<T> {
    if (!this.initialized) throw new InvalidArgumentError('GetNext() failed because the iterator has not been initialized; call `await iterator.initialize(dataset)` first');
    return super.current();
  }
}
