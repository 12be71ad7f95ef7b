/**
 * tf.data-style input pipelines. A Dataset is a recipe; every `for await` (or iterator) runs it from
 * the start. Elements are nested structures of Tensors / SparseTensors. Ownership: each element handed
 * to the consumer (or to a map/filter function) belongs to it; transformations dispose the elements they
 * drop (filter, skip, batch inputs, the leftovers of a stopped prefetch), and `map` disposes the input
 * tensors its function did not return.
 *
 * This file is the class's surface: each method builds its Dataset from a Recipe (dataset_recipe.ts),
 * or from the Maker of one, computed by the file of its kind (dataset_sources, _map, _batching, _order,
 * _nested, _cache). Those import the class as a type only, so there is no import cycle; what needs the
 * class itself at run time (new Dataset, instanceof, the private make / specFn) stays here.
 */
import type { Tensor } from '@eagerflow/core';
import type { CacheFileOptions } from './cache_file.js';
import { batched, paddedBatched, unbatched, type PaddedBatchOptions } from './dataset_batching.js';
import { cached } from './dataset_cache.js';
import { checkedElements } from './dataset_elements.js';
import { DatasetIterator, InitializableIterator, ReinitializableIterator } from './dataset_iterators.js';
import { filtered, mapped, type MapOptions } from './dataset_map.js';
import { flatMapped, hostLeaves, interleaved, windowed } from './dataset_nested.js';
import { concatenated, repeated, shuffled, skipped, taken, type ShuffleOptions } from './dataset_order.js';
import { AUTOTUNE, hardwareConcurrency, prefetchIterator } from './dataset_parallel.js';
import type { Card, Maker, Recipe, SpecFn } from './dataset_recipe.js';
import { fileRecords, generated, hostCopyOfSlices, hostSlices, matchedFiles, rangeOf, recordsOfFiles, scalarString, strings, wholeTensors, zipped, type TFRecordDatasetOptions } from './dataset_sources.js';
import { checkFunction, checkPositive, describeValue, InvalidArgumentError, OutOfRangeError } from './errors.js';
import type { DataFileSystem } from './fs.js';
import { disposeElement, isTensor, specOf, specToString, TensorSpec, type HostSparse, type HostTensor, type Spec } from './structure.js';
import type { WorkerFunction } from './worker.js';

export class Dataset<T = unknown> implements AsyncIterable<T> {
  /** @internal */
  constructor(
    private readonly make: Maker<T>,
    private readonly specFn: SpecFn,
    /** Number of elements if known (Infinity for endless datasets). */
    readonly cardinality: Card,
  ) {}

  // ---- sources ---------------------------------------------------------------------------------

  /**
   * Slices along the first dimension (TF's from_tensor_slices). `x` may be a Tensor, nested JS array,
   * typed array, or an object/array structure of those; all components need the same first dimension.
   * The dataset keeps its own copy of the data (the inputs may be disposed afterwards).
   */
  static fromTensorSlices<T = unknown>(x: unknown): Dataset<T> {
    return Dataset.fromHostSlices<T>(hostCopyOfSlices(x));
  }

  /**
   * fromTensorSlices over host arrays: leaves are HostTensor {dtype, shape, values} (flat typed arrays,
   * or Uint8Array[] for strings), used without copying; no tensor is created until iteration.
   */
  static fromHostSlices<T = unknown>(structure: unknown): Dataset<T> {
    return build(hostSlices<T>(structure));
  }

  /** One element: the whole structure (TF's from_tensors). */
  static fromTensors<T = unknown>(x: unknown): Dataset<T> {
    return build(wholeTensors<T>(x));
  }

  /**
   * Elements from a (sync or async) generator function, converted to tensors. With `outputSignature`
   * (a Spec structure) each component is converted to its dtype and checked against its shape.
   */
  static fromGenerator<T = unknown>(generator: () => Iterable<unknown> | AsyncIterable<unknown>, outputSignature?: Spec): Dataset<T> {
    return build(generated<T>(generator, outputSignature));
  }

  /** Like Python's range (TF's Dataset.range); dtype int32 by default (TF: int64, also available). */
  static range(start: number, stop?: number, step = 1, options: { dtype?: 'int32' | 'int64' | 'float32' } = {}): Dataset<Tensor> {
    return build(rangeOf(start, stop, step, options));
  }

  /**
   * Records of TFRecord files as scalar string tensors (TF's TFRecordDataset). `files` is a path, a
   * list of paths, a string tensor of paths, or a dataset of scalar string tensors (e.g. `listFiles`).
   */
  static TFRecordDataset(files: string | readonly string[] | Tensor | Dataset<Tensor>, options: TFRecordDatasetOptions = {}): Dataset<Tensor> {
    const list = Array.isArray(files) ? files : [files];
    if (!(files instanceof Dataset) && !(isTensor(files) && files.dtype === 'string') && !list.every((f) => typeof f === 'string')) {
      throw new InvalidArgumentError(`TFRecordDataset: filenames must be a string, a list of strings, a string tensor or a dataset of them; found ${describeValue(list.find((f) => typeof f !== 'string'))}`);
    }
    const fileDs =
      typeof files === 'string'
        ? Dataset.fromStrings([files])
        : Array.isArray(files)
          ? Dataset.fromStrings(files as string[])
          : isTensor(files)
            ? Dataset.fromStrings((files.dataSync() as Uint8Array[]).map((b) => new TextDecoder().decode(b)))
            : (files as Dataset<Tensor>);
    const readOne = (nameT: Tensor): Dataset<Tensor> => {
      const name = scalarString(nameT, 'TFRecordDataset');
      return new Dataset<Tensor>(() => fileRecords(name, options), () => new TensorSpec([], 'string'), undefined);
    };
    const par = options.numParallelReads ?? 1;
    if (par === 1) {
      // One file after the other: no interleave bookkeeping per record.
      return new Dataset<Tensor>(() => recordsOfFiles(fileDs, options), () => new TensorSpec([], 'string'), undefined);
    }
    const cycle = par === AUTOTUNE ? hardwareConcurrency() : Math.max(1, par);
    const ds = fileDs.interleave(readOne, { cycleLength: cycle, blockLength: 1, numParallelCalls: cycle });
    return new Dataset<Tensor>(ds.make, () => new TensorSpec([], 'string'), undefined);
  }

  /**
   * Files matching one or more globs as scalar string tensors (TF's Dataset.list_files). The globs are
   * matched once, on first iteration. Shuffled by default like TF (pass shuffle: false for sorted order).
   */
  static listFiles(pattern: string | readonly string[], options: { shuffle?: boolean; seed?: number; fs?: DataFileSystem } = {}): Dataset<Tensor> {
    const base = build(matchedFiles(pattern, options.fs));
    if (options.shuffle === false) return base;
    return base.shuffle(1 << 20, { seed: options.seed });
  }

  /** TF's Dataset.zip: a structure (array or object) of datasets → structure of their elements; stops at the shortest. */
  static zip<T = unknown>(datasets: readonly Dataset<unknown>[] | Record<string, Dataset<unknown>>): Dataset<T> {
    if (typeof datasets !== 'object' || datasets === null) throw new InvalidArgumentError(`zip: datasets must be an array or an object of Datasets; found ${describeValue(datasets)}`);
    const entries = Array.isArray(datasets) ? datasets.map((d, i) => [String(i), d] as const) : Object.entries(datasets);
    for (const [k, d] of entries) {
      if (!(d instanceof Dataset)) throw new InvalidArgumentError(`zip: datasets[${isNaN(Number(k)) ? JSON.stringify(k) : k}] must be a Dataset; found ${describeValue(d)}`);
    }
    return build(
      zipped<T>(
        entries.map(([k, d]) => [k, d, d.specFn] as const),
        Array.isArray(datasets),
      ),
    );
  }

  private static fromStrings(list: readonly string[]): Dataset<Tensor> {
    return build(strings(list));
  }

  // ---- iteration --------------------------------------------------------------------------------

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.make();
  }

  /** Shapes and dtypes of one element (first dimension of the sliced inputs dropped, as TF prints it). */
  get elementSpec(): Spec {
    const s = this.specFn();
    if (s === undefined) {
      throw new InvalidArgumentError('elementSpec is not known statically here (map/interleave/flatMap without outputSpec, a dataset of windows, or fromGenerator without outputSignature); use `await ds.inferElementSpec()`');
    }
    return s;
  }

  /** elementSpec if known statically, else computed from the first element. */
  async inferElementSpec(): Promise<Spec> {
    const s = this.specFn();
    if (s !== undefined) return s;
    const it = this.make();
    try {
      const r = await it.next();
      if (r.done) throw new OutOfRangeError('inferElementSpec: the dataset is empty');
      const spec = specOf(r.value);
      disposeElement(r.value);
      return spec;
    } finally {
      await it.return?.();
    }
  }

  /** TF-style text of elementSpec, e.g. "{'a': TensorSpec(shape=(), dtype=tf.float32, name=None)}". */
  specString(): string {
    return specToString(this.elementSpec);
  }

  /** TF1's make_one_shot_iterator: `getNext()` gives elements, then throws OutOfRangeError. */
  makeOneShotIterator(): DatasetIterator<T> {
    return new DatasetIterator<T>(() => this.make());
  }

  /**
   * TF1's make_initializable_iterator for datasets built from parameters (TF's placeholders): the
   * factory builds the dataset from the parameters given to `initialize(params)`; re-initializing
   * restarts it, possibly with other parameters.
   */
  static makeInitializableIterator<P, T>(factory: (params: P) => Dataset<T>): InitializableIterator<P, T> {
    return new InitializableIterator<P, T>(factory);
  }

  /** TF1's Iterator.from_structure: a re-initializable iterator for any dataset matching `spec`. */
  static iteratorFromStructure<T = unknown>(spec: Spec): ReinitializableIterator<T> {
    return new ReinitializableIterator<T>(spec);
  }

  /** All elements in an array (the caller owns them). */
  async toArray(): Promise<T[]> {
    const out: T[] = [];
    for await (const e of this) out.push(e);
    return out;
  }

  /** Runs `fn` on each element, then disposes the element's tensors. */
  async forEachAsync(fn: (x: T) => void | Promise<void>): Promise<void> {
    checkFunction(fn, 'forEachAsync', 'fn');
    for await (const e of this) {
      try {
        await fn(e);
      } finally {
        disposeElement(e);
      }
    }
  }

  // ---- transformations ----------------------------------------------------------------------------

  /**
   * Applies `fn` to each element. Synchronous functions run inside ef.tidy (intermediate tensors are
   * freed); input tensors that the output does not contain are disposed. `numParallelCalls` keeps that
   * many async calls in flight (order is preserved). A `WorkerFunction` (see `workerFunction`) runs in
   * worker threads on host copies of the element, `numParallelCalls` workers.
   */
  map<U = unknown>(fn: ((x: T) => U | Promise<U>) | WorkerFunction, options: MapOptions = {}): Dataset<U> {
    return build(mapped<T, U>(this, fn, options));
  }

  /** Keeps elements for which `predicate` is true (a boolean, or a scalar bool tensor); others are disposed. */
  filter(predicate: (x: T) => boolean | Tensor | Promise<boolean | Tensor>): Dataset<T> {
    return build(filtered(this, this.specFn, predicate));
  }

  /** Stacks `batchSize` consecutive elements (the last batch may be smaller unless dropRemainder). */
  batch(batchSize: number, options: { dropRemainder?: boolean } = {}): Dataset<T> {
    return build(batched(this, this.specFn, batchSize, options));
  }

  /** Batches elements of different shapes, padding each component (TF's padded_batch). */
  paddedBatch(batchSize: number, options: PaddedBatchOptions = {}): Dataset<T> {
    return build(paddedBatched(this, this.specFn, batchSize, options));
  }

  /**
   * TF's shuffle: a buffer holds `bufferSize` elements; each output is a uniformly chosen buffer slot,
   * refilled with the next input element. Seeded shuffles are reproducible; by default every
   * iteration draws a new order (reshuffleEachIteration).
   */
  shuffle(bufferSize: number, options: ShuffleOptions = {}): Dataset<T> {
    return build(shuffled(this, this.specFn, bufferSize, options));
  }

  /** Repeats the dataset `count` times (forever when omitted or -1). Each pass re-runs the pipeline. */
  repeat(count = -1): Dataset<T> {
    return build(repeated(this, this.specFn, count));
  }

  /** The first `count` elements (all when count is -1). */
  take(count: number): Dataset<T> {
    return build(taken(this, this.specFn, count));
  }

  /** Drops the first `count` elements (all when count is -1). */
  skip(count: number): Dataset<T> {
    return build(skipped(this, this.specFn, count));
  }

  /** This dataset's elements, then `other`'s (their specs must be compatible). */
  concatenate(other: Dataset<T>): Dataset<T> {
    if (!(other instanceof Dataset)) throw new InvalidArgumentError(`concatenate: dataset must be a Dataset; found ${describeValue(other)}`);
    return build(concatenated(this, this.specFn, other, other.specFn));
  }

  /**
   * Runs the pipeline up to `bufferSize` elements ahead of the consumer (TF's prefetch), so that
   * producing the next element overlaps with using the current one. AUTOTUNE = 2.
   */
  prefetch(bufferSize: number = AUTOTUNE): Dataset<T> {
    const n = bufferSize === AUTOTUNE ? 2 : bufferSize;
    if (n === 0) return this;
    checkPositive(n, 'prefetch', 'bufferSize');
    const src = this;
    return new Dataset<T>(() => prefetchIterator(src[Symbol.asyncIterator](), n), this.specFn, this.cardinality);
  }

  /**
   * Maps each element to a dataset and interleaves them (TF's interleave): `cycleLength` datasets are
   * open at once, `blockLength` consecutive elements are taken from each in turn. With
   * `numParallelCalls` > 1 the open datasets prefetch concurrently (deterministic order kept).
   */
  interleave<U = unknown>(fn: (x: T) => Dataset<U>, options: { cycleLength?: number; blockLength?: number; numParallelCalls?: number; outputSpec?: Spec } = {}): Dataset<U> {
    checkFunction(fn, 'interleave', 'fn');
    return new Dataset<U>(
      checkedElements('interleave', options.outputSpec, interleaved(this, (x, i) => subDataset(fn, x, 'interleave', i), options)),
      () => options.outputSpec,
      undefined,
    );
  }

  /**
   * Maps each element to a dataset and concatenates them in order (TF's flat_map; interleave with
   * cycleLength 1). The element handed to `fn` is disposed once its dataset is done (tensors that
   * dataset yielded excepted). elementSpec is unknown unless `outputSpec` is given; the elements are
   * checked against it, or else against the first element's structure (TF: one element spec).
   */
  flatMap<U = unknown>(fn: (x: T) => Dataset<U>, options: { outputSpec?: Spec } = {}): Dataset<U> {
    checkFunction(fn, 'flatMap', 'fn');
    return new Dataset<U>(
      checkedElements('flatMap', options.outputSpec, flatMapped(this, (x, i) => subDataset(fn, x, 'flatMap', i))),
      () => options.outputSpec,
      undefined,
    );
  }

  /**
   * Splits each element along its first dimension into that many elements (TF's unbatch): every
   * component (tensor or SparseTensor) of an element must have the same first dimension, and none may be
   * a scalar. The inverse of `batch`; elementSpec drops the first dimension.
   */
  unbatch(): Dataset<T> {
    return build(unbatched(this, this.specFn));
  }

  /**
   * TF's window: a dataset of windows, each window a structure like the element whose leaves are
   * Datasets (of tensors / SparseTensors). Window k starts at input element k·shift and takes `size`
   * elements `stride` apart; windows at the end hold fewer (TF: as many as remain) unless
   * `dropRemainder`. Use them with flatMap / interleave, e.g. sliding windows:
   * `ds.window(3, 1, 1, true).flatMap((w) => w.batch(3))`; a structure of windows with Dataset.zip.
   * The window datasets hold host copies and can be iterated any number of times.
   */
  window<W = Dataset<T>>(size: number, shift: number = size, stride = 1, dropRemainder = false): Dataset<W> {
    return build(windowed<T, W>(this, hostDataset, size, shift, stride, dropRemainder));
  }

  /**
   * TF's cache(). Without a filename (or with ''): keeps host copies of the elements of the first
   * complete pass in memory and replays them afterwards; a pass that stops early is not kept.
   *
   * With a filename: the first complete pass writes the elements to that file (a TFRecord file with a
   * header record holding the element spec, one record per element and an end record; see
   * docs/data.md), and every later iteration — also in another process — reads the file instead of
   * running the upstream pipeline. A pass writes to a unique temporary name and renames it at the end,
   * so a pass stopped early leaves no usable cache. A corrupt file is a DataLossError naming the file
   * and offset; a file whose element spec differs from this dataset's is an InvalidArgumentError.
   */
  cache(filename?: string, options: CacheFileOptions = {}): Dataset<T> {
    return build(cached(this, this.specFn, filename, options));
  }

  /** Applies a function to the whole dataset (TF's apply). */
  apply<U>(fn: (ds: Dataset<T>) => Dataset<U>): Dataset<U> {
    checkFunction(fn, 'apply', 'transformation');
    const out = fn(this);
    if (!(out instanceof Dataset)) throw new InvalidArgumentError(`apply: the transformation must return a Dataset; it returned ${describeValue(out)}`);
    return out;
  }
}

function build<T>(recipe: Recipe<T>): Dataset<T> {
  return new Dataset<T>(recipe.make, recipe.spec, recipe.cardinality);
}

/** fn(x) for interleave / flatMap, which must be a Dataset (x is disposed otherwise). */
function subDataset<T, U>(fn: (x: T) => Dataset<U>, x: T, op: string, i: number): Dataset<U> {
  let made: unknown;
  try {
    made = fn(x);
  } finally {
    if (!(made instanceof Dataset)) disposeElement(x);
  }
  if (!(made instanceof Dataset)) throw new InvalidArgumentError(`${op}: fn must return a Dataset; for element ${i} it returned ${describeValue(made)}`);
  return made as Dataset<U>;
}

/** A dataset of the given host leaves, as new tensors on every iteration (a window's component). */
function hostDataset(leaves: readonly (HostTensor | HostSparse)[]): Dataset<unknown> {
  return build(hostLeaves(leaves));
}
