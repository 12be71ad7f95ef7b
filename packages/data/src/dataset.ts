/**
 * tf.data-style input pipelines. A Dataset is a recipe; every `for await` (or iterator) runs it from
 * the start. Elements are nested structures of Tensors / SparseTensors. Ownership: each element handed
 * to the consumer (or to a map/filter function) belongs to it; transformations dispose the elements they
 * drop (filter, skip, batch inputs, the leftovers of a stopped prefetch), and `map` disposes the input
 * tensors its function did not return.
 */
import * as ef from '@eagerflow/core';
import type { DType, Tensor } from '@eagerflow/core';
import { cacheFilePass, type CacheFileOptions } from './cache_file.js';
import { checkCount, checkFunction, checkPatterns, checkPositive, describeValue, InvalidArgumentError, OutOfRangeError } from './errors.js';
import { getFileSystem, type CompressionType, type DataFileSystem } from './fs.js';
import { mixSeed, randomSeed, Rng } from './random.js';
import {
  batchSparseHost,
  disposeElement,
  disposeUnused,
  elementToHost,
  flatten,
  hostStructureToElement,
  hostToLeaf,
  isHostLeaf,
  isHostSparse,
  isLeaf,
  isPlainObject,
  isSparse,
  isSpecLeaf,
  isTensor,
  longestShape,
  mapSpec,
  mapStructure,
  mergeSpecs,
  padStackHost,
  sparseRowsHost,
  SparseTensorSpec,
  specOf,
  specToString,
  stackHost,
  TensorSpec,
  toTensorLeaf,
  zipStructures,
  type HostSparse,
  type HostTensor,
  type Spec,
} from './structure.js';
import { readTFRecords, type TFRecordReadOptions } from './tfrecord.js';
import { WorkerFunction, WorkerPool } from './worker.js';

/** TF's tf.data.AUTOTUNE: prefetch 2, parallel calls = hardware concurrency. */
export const AUTOTUNE = -1;

function hardwareConcurrency(): number {
  const os = (globalThis as { process?: { getBuiltinModule?(id: string): unknown } }).process?.getBuiltinModule?.('node:os') as { availableParallelism?(): number; cpus(): unknown[] } | undefined;
  if (os) return os.availableParallelism?.() ?? os.cpus().length;
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 4;
}

type Maker<T> = () => AsyncIterator<T>;
/** `undefined` = unknown statically (map without outputSpec, fromGenerator without signature...). */
type SpecFn = () => Spec | undefined;

const INFINITE = Infinity;
/** Cardinality: number of elements, Infinity, or undefined when unknown (TF's UNKNOWN_CARDINALITY). */
type Card = number | undefined;

export interface MapOptions {
  /** Calls in flight at once (async functions, or worker functions: the worker count). AUTOTUNE = cores. */
  numParallelCalls?: number;
  /** Spec of the function's output, so `elementSpec` stays known without running it. */
  outputSpec?: Spec;
  /** Treat `fn` as asynchronous even if it is not declared `async` (it is then not wrapped in tidy). */
  async?: boolean;
  /** Worker functions only: false runs them on the main thread (the documented fallback). */
  useWorkers?: boolean;
}

export interface ShuffleOptions {
  seed?: number;
  /** Default true: every iteration (epoch) draws a new order. */
  reshuffleEachIteration?: boolean;
}

export interface PaddedBatchOptions {
  /** Per component: target shape, with -1/null for "longest in the batch" (default: all longest). */
  paddedShapes?: unknown;
  /** Per component (or one for all): the pad value (default 0, '' for strings). */
  paddingValues?: unknown;
  dropRemainder?: boolean;
}

export interface TFRecordDatasetOptions extends Omit<TFRecordReadOptions, 'onCorrupt'> {
  /** Files read at once, interleaved record by record (default 1: one file after the other). */
  numParallelReads?: number;
  /** Called for each skipped corrupt record (skipCorrupt) with the file name. */
  onCorrupt?: (error: Error) => void;
}

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
    const structure = toStructure(present(x, 'fromTensorSlices', 'tensors'));
    const leaves = flatten(structure) as Tensor[];
    if (leaves.length === 0) throw new InvalidArgumentError('fromTensorSlices: no components');
    leaves.forEach((t, i) => {
      if (isSparse(t)) throw new InvalidArgumentError('fromTensorSlices: SparseTensor components are not supported');
      if (t.isDisposed) throw new InvalidArgumentError(`fromTensorSlices: component ${i} (shape [${t.shape}], ${t.dtype}) was disposed`);
    });
    const userTensors = new Set(flatten(x).filter(isLeaf));
    // Snapshot on the host so the dataset does not depend on the inputs' lifetime (backends that cannot
    // read synchronously are read on first iteration; keep their inputs alive until then).
    const hosts: (HostTensor | Tensor)[] = leaves.map((t) => {
      try {
        const h = { dtype: t.dtype, shape: [...t.shape], values: t.dataSync() };
        if (!userTensors.has(t)) t.dispose();
        return h;
      } catch {
        return t;
      }
    });
    let k = 0;
    return Dataset.fromHostSlices<T>(mapStructure(structure, () => hosts[k++]) as never);
  }

  /**
   * fromTensorSlices over host arrays: leaves are HostTensor {dtype, shape, values} (flat typed arrays,
   * or Uint8Array[] for strings), used without copying; no tensor is created until iteration.
   */
  static fromHostSlices<T = unknown>(structure: unknown): Dataset<T> {
    const isH = (v: unknown): boolean => isLeaf(v) || (typeof v === 'object' && v !== null && 'dtype' in v && 'shape' in v && 'values' in v);
    const leaves = flatten(structure, [], isH) as (HostTensor | Tensor)[];
    if (leaves.length === 0) throw new InvalidArgumentError('fromTensorSlices: no components');
    leaves.forEach((t, i) => {
      if (!isH(t)) throw new InvalidArgumentError(`fromTensorSlices: component ${i} is not a tensor`);
      if (t.shape.length === 0) throw new InvalidArgumentError('fromTensorSlices: components must have rank ≥ 1 (the first dimension is the element count)');
    });
    const n = leaves[0]!.shape[0]!;
    leaves.forEach((t, i) => {
      if (t.shape[0] !== n) throw new InvalidArgumentError(`fromTensorSlices: all components need the same first dimension; component 0 has ${n}, component ${i} has ${t.shape[0]} (shape [${t.shape}])`);
    });
    const spec = mapStructure(structure, (l) => new TensorSpec((l as HostTensor).shape.slice(1), (l as HostTensor).dtype), isH) as Spec;
    let ready: HostTensor[] | undefined;
    return new Dataset<T>(
      async function* () {
        ready ??= await Promise.all(leaves.map(async (l) => (isTensor(l) ? { dtype: l.dtype, shape: [...l.shape], values: await l.data() } : l)));
        const hs = ready;
        for (let i = 0; i < n; i++) {
          let k = 0;
          yield mapStructure(structure, () => sliceHost(hs[k++]!, i), isH) as T;
        }
      },
      () => spec,
      n,
    );
  }

  /** One element: the whole structure (TF's from_tensors). */
  static fromTensors<T = unknown>(x: unknown): Dataset<T> {
    const structure = toStructure(present(x, 'fromTensors', 'tensors'));
    const hosts = (flatten(structure) as Tensor[]).map((t) => ({ dtype: t.dtype, shape: [...t.shape], values: t.dataSync() }));
    const spec = specOf(structure);
    return new Dataset<T>(
      async function* () {
        let k = 0;
        yield mapStructure(structure, () => ef.makeTensor(hosts[k]!.values, hosts[k]!.shape, hosts[k++]!.dtype)) as T;
      },
      () => spec,
      1,
    );
  }

  /**
   * Elements from a (sync or async) generator function, converted to tensors. With `outputSignature`
   * (a Spec structure) each component is converted to its dtype and checked against its shape.
   */
  static fromGenerator<T = unknown>(generator: () => Iterable<unknown> | AsyncIterable<unknown>, outputSignature?: Spec): Dataset<T> {
    checkFunction(generator, 'fromGenerator', 'generator');
    return new Dataset<T>(
      async function* () {
        let i = 0;
        const g = generator() as AsyncIterable<unknown> & Iterable<unknown>;
        if (typeof g?.[Symbol.asyncIterator] !== 'function' && typeof g?.[Symbol.iterator] !== 'function') {
          throw new InvalidArgumentError(`fromGenerator: generator must return an iterable or async iterable (e.g. be a function*); it returned ${describeValue(g)}`);
        }
        const check = elementChecker('fromGenerator', undefined);
        for await (const v of g) {
          const x = convertGenerated(v, outputSignature, i);
          if (!outputSignature) check(x, i);
          i++;
          yield x as T;
        }
      },
      () => outputSignature,
      undefined,
    );
  }

  /** Like Python's range (TF's Dataset.range); dtype int32 by default (TF: int64, also available). */
  static range(start: number, stop?: number, step = 1, options: { dtype?: 'int32' | 'int64' | 'float32' } = {}): Dataset<Tensor> {
    if (stop === undefined) [start, stop] = [0, start];
    for (const [arg, v] of [['start', start], ['stop', stop], ['step', step]] as const) {
      if (typeof v !== 'number' || !Number.isInteger(v)) throw new InvalidArgumentError(`range: ${arg} must be an integer; found ${describeValue(v)}`);
    }
    if (step === 0) throw new InvalidArgumentError('range: step must not be 0');
    const dtype = options.dtype ?? 'int32';
    const n = Math.max(0, Math.ceil((stop - start) / step));
    const s = start;
    return new Dataset<Tensor>(
      async function* () {
        for (let i = 0; i < n; i++) {
          const v = s + i * step;
          yield ef.makeTensor(dtype === 'int64' ? [BigInt(v)] : [v], [], dtype);
        }
      },
      () => new TensorSpec([], dtype),
      n,
    );
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
      return new Dataset<Tensor>(
        async function* () {
          const it = readTFRecords(name, options);
          for await (const group of it.batches()) {
            for (const rec of group) yield ef.makeTensor([rec], [], 'string');
          }
        },
        () => new TensorSpec([], 'string'),
        undefined,
      );
    };
    const par = options.numParallelReads ?? 1;
    if (par === 1) {
      // One file after the other: no interleave bookkeeping per record.
      return new Dataset<Tensor>(
        async function* () {
          for await (const nameT of fileDs) {
            const name = scalarString(nameT, 'TFRecordDataset');
            nameT.dispose();
            for await (const group of readTFRecords(name, options).batches()) {
              for (const rec of group) yield ef.makeTensor([rec], [], 'string');
            }
          }
        },
        () => new TensorSpec([], 'string'),
        undefined,
      );
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
    let matched: Promise<string[]> | undefined;
    const patterns = checkPatterns(pattern, 'listFiles');
    const match = (): Promise<string[]> => {
      matched ??= (async () => {
        const fs = options.fs ?? getFileSystem();
        const all = new Set<string>();
        for (const p of patterns) for (const f of await fs.glob(p)) all.add(f);
        if (all.size === 0) throw new InvalidArgumentError(`listFiles: no files match ${patterns.map((p) => JSON.stringify(p)).join(', ')}`);
        return [...all].sort();
      })();
      return matched;
    };
    const base = new Dataset<Tensor>(
      async function* () {
        for (const f of await match()) yield ef.makeTensor([f], [], 'string');
      },
      () => new TensorSpec([], 'string'),
      undefined,
    );
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
    const isArr = Array.isArray(datasets);
    const card = entries.reduce<Card>((m, [, d]) => (m === undefined || d.cardinality === undefined ? undefined : Math.min(m, d.cardinality)), INFINITE);
    return new Dataset<T>(
      async function* () {
        const its = entries.map(([, d]) => d[Symbol.asyncIterator]());
        try {
          for (;;) {
            const rs = await Promise.all(its.map((it) => it.next()));
            if (rs.some((r) => r.done)) {
              for (const r of rs) if (!r.done) disposeElement(r.value);
              return;
            }
            if (isArr) yield rs.map((r) => r.value) as T;
            else {
              const o: Record<string, unknown> = {};
              entries.forEach(([k], i) => (o[k] = rs[i]!.value));
              yield o as T;
            }
          }
        } finally {
          await Promise.all(its.map((it) => it.return?.()));
        }
      },
      () => {
        const specs = entries.map(([, d]) => d.specFn());
        if (specs.some((s) => s === undefined)) return undefined;
        if (isArr) return specs as Spec[];
        const o: Record<string, Spec> = {};
        entries.forEach(([k], i) => (o[k] = specs[i]!));
        return o;
      },
      card === INFINITE && entries.length === 0 ? 0 : card,
    );
  }

  private static fromStrings(list: readonly string[]): Dataset<Tensor> {
    const copy = [...list];
    return new Dataset<Tensor>(
      async function* () {
        for (const s of copy) yield ef.makeTensor([s], [], 'string');
      },
      () => new TensorSpec([], 'string'),
      copy.length,
    );
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
    const src = this;
    if (!(fn instanceof WorkerFunction)) checkFunction(fn, 'map', 'fn');
    const par0 = options.numParallelCalls ?? 1;
    if (par0 !== AUTOTUNE) checkPositive(par0, 'map', 'numParallelCalls (or AUTOTUNE = -1)');
    const par = par0 === AUTOTUNE ? hardwareConcurrency() : par0;
    const specFn: SpecFn = () => options.outputSpec;
    if (fn instanceof WorkerFunction) {
      const wfn = fn;
      return new Dataset<U>(
        async function* () {
          const pool = new WorkerPool(wfn, par, options.useWorkers ?? true);
          const call = async (x: T): Promise<U> => {
            const host = await elementToHost(x);
            disposeElement(x);
            return hostStructureToElement(await pool.run(host)) as U;
          };
          try {
            yield* orderedParallel(src, call, Math.max(par, 1) * 2);
          } finally {
            await pool.close();
          }
        },
        specFn,
        this.cardinality,
      );
    }
    const isAsync = options.async || fn.constructor?.name === 'AsyncFunction';
    const call = async (x: T): Promise<U> => {
      let out: U;
      if (isAsync) out = await fn(x);
      else {
        try {
          out = ef.tidy(() => fn(x) as never) as U;
        } catch (e) {
          if (e instanceof Error && /tidy: the function returned a Promise/.test(e.message)) {
            throw new InvalidArgumentError('map: the function returned a Promise; declare it `async` or pass {async: true}');
          }
          throw e;
        }
      }
      out = toElementStructure(out) as U;
      disposeUnused(x, out);
      return out;
    };
    return new Dataset<U>(
      () => {
        const check = elementChecker('map', options.outputSpec);
        let i = 0;
        return orderedParallel(
          src,
          async (x) => {
            const k = i++;
            const out = await call(x);
            try {
              check(out, k);
            } catch (e) {
              disposeElement(out);
              throw e;
            }
            return out;
          },
          par,
        );
      },
      specFn,
      this.cardinality,
    );
  }

  /** Keeps elements for which `predicate` is true (a boolean, or a scalar bool tensor); others are disposed. */
  filter(predicate: (x: T) => boolean | Tensor | Promise<boolean | Tensor>): Dataset<T> {
    const src = this;
    checkFunction(predicate, 'filter', 'predicate');
    const isAsync = predicate.constructor?.name === 'AsyncFunction';
    return new Dataset<T>(
      async function* () {
        for await (const x of src) {
          let keep: boolean;
          try {
            // Synchronous predicates run in tidy so their intermediate tensors are freed.
            const r = isAsync ? await predicate(x) : ef.tidy(() => predicate(x) as boolean | Tensor);
            keep = truthy(r, 'filter');
          } catch (e) {
            disposeElement(x);
            throw e;
          }
          if (keep) yield x;
          else disposeElement(x);
        }
      },
      this.specFn,
      undefined,
    );
  }

  /** Stacks `batchSize` consecutive elements (the last batch may be smaller unless dropRemainder). */
  batch(batchSize: number, options: { dropRemainder?: boolean } = {}): Dataset<T> {
    checkPositive(batchSize, 'batch', 'batchSize');
    const src = this;
    const drop = options.dropRemainder ?? false;
    const card = this.cardinality === undefined ? undefined : this.cardinality === INFINITE ? INFINITE : drop ? Math.floor(this.cardinality / batchSize) : Math.ceil(this.cardinality / batchSize);
    return new Dataset<T>(
      () => groups(src, batchSize, drop, async (b) => (await stackElements(b, 'batch')) as T),
      () => batchSpec(this.specFn(), drop ? batchSize : null),
      card,
    );
  }

  /** Batches elements of different shapes, padding each component (TF's padded_batch). */
  paddedBatch(batchSize: number, options: PaddedBatchOptions = {}): Dataset<T> {
    checkPositive(batchSize, 'paddedBatch', 'batchSize');
    checkPaddedShapes(options.paddedShapes);
    const src = this;
    const drop = options.dropRemainder ?? false;
    const run = async (b: T[]): Promise<T> => {
      const hosts = await Promise.all(b.map((x) => elementToHost(x)));
      for (const x of b) disposeElement(x);
      const shapesOf = (path: string): (number | null)[] | undefined => pickPath(options.paddedShapes, path) as (number | null)[] | undefined;
      const padOf = (path: string): unknown => {
        const v = options.paddingValues;
        if (v === undefined || typeof v !== 'object' || v instanceof Uint8Array) return v;
        return pickPath(v, path);
      };
      return hostStructureToElement(
        zipStructures(
          hosts,
          (parts, path) => {
            const hs = parts as HostTensor[];
            if ((hs[0] as unknown as HostSparse).sparse) return batchSparseHost(parts as unknown as HostSparse[], `paddedBatch '${path}'`);
            const rank = hs[0]!.shape.length;
            const want = shapesOf(path);
            if (want && want.length !== rank) throw new InvalidArgumentError(`paddedBatch: paddedShapes for '${path || '<root>'}' has rank ${want.length}, the component has rank ${rank}`);
            const longest = longestShape(hs);
            const shape = Array.from({ length: rank }, (_, d) => {
              const max = longest[d]!;
              const w = want?.[d];
              if (w === undefined || w === null || w === -1) return max;
              if (max > w) throw new InvalidArgumentError(`paddedBatch: component '${path || '<root>'}' has dimension ${d} of size ${max}, larger than the padded size ${w}`);
              return w;
            });
            return padStackHost(hs, shape, `paddedBatch '${path}'`, padOf(path) as never);
          },
          isHostLeaf,
        ),
      ) as T;
    };
    return new Dataset<T>(
      () => groups(src, batchSize, drop, run),
      () => {
        const s = this.specFn();
        if (s === undefined) return undefined;
        return mapSpec(s, (l) => {
          const shape = l.shape.map(() => null as number | null);
          return l instanceof TensorSpec ? new TensorSpec([drop ? batchSize : null, ...shape], l.dtype) : new SparseTensorSpec([drop ? batchSize : null, ...shape], l.dtype);
        });
      },
      undefined,
    );
  }

  /**
   * TF's shuffle: a buffer holds `bufferSize` elements; each output is a uniformly chosen buffer slot,
   * refilled with the next input element. Seeded shuffles are reproducible; by default every
   * iteration draws a new order (reshuffleEachIteration).
   */
  shuffle(bufferSize: number, options: ShuffleOptions = {}): Dataset<T> {
    checkPositive(bufferSize, 'shuffle', 'bufferSize');
    const src = this;
    const base = options.seed ?? randomSeed();
    const reshuffle = options.reshuffleEachIteration ?? true;
    let epoch = 0;
    return new Dataset<T>(
      async function* () {
        const rng = new Rng(mixSeed(base, reshuffle ? epoch++ : 0));
        const it = src[Symbol.asyncIterator]();
        const buf: T[] = [];
        let exhausted = false;
        try {
          while (buf.length < bufferSize) {
            const r = await it.next();
            if (r.done) {
              exhausted = true;
              break;
            }
            buf.push(r.value);
          }
          while (buf.length) {
            const i = rng.nextInt(buf.length);
            const out = buf[i]!;
            let refilled = false;
            if (!exhausted) {
              const r = await it.next();
              if (r.done) exhausted = true;
              else {
                buf[i] = r.value;
                refilled = true;
              }
            }
            if (!refilled) {
              buf[i] = buf[buf.length - 1]!;
              buf.pop();
            }
            yield out;
          }
        } finally {
          for (const x of buf) disposeElement(x);
          buf.length = 0;
          await it.return?.();
        }
      },
      this.specFn,
      this.cardinality,
    );
  }

  /** Repeats the dataset `count` times (forever when omitted or -1). Each pass re-runs the pipeline. */
  repeat(count = -1): Dataset<T> {
    const src = this;
    const times = checkCount(count, 'repeat', 'count', '-1 repeats forever') < 0 ? INFINITE : count;
    const card = this.cardinality === undefined ? (times === 0 ? 0 : undefined) : this.cardinality === 0 ? 0 : this.cardinality * times;
    return new Dataset<T>(
      async function* () {
        for (let k = 0; k < times; k++) {
          let any = false;
          for await (const x of src) {
            any = true;
            yield x;
          }
          if (!any && times === INFINITE) return; // an empty dataset repeated forever is empty
        }
      },
      this.specFn,
      card,
    );
  }

  /** The first `count` elements (all when count is -1). */
  take(count: number): Dataset<T> {
    const src = this;
    const n = checkCount(count, 'take', 'count', '-1 takes all') < 0 ? INFINITE : count;
    return new Dataset<T>(
      async function* () {
        if (n === 0) return;
        let i = 0;
        for await (const x of src) {
          yield x;
          if (++i >= n) return;
        }
      },
      this.specFn,
      this.cardinality === undefined ? undefined : Math.min(this.cardinality, n),
    );
  }

  /** Drops the first `count` elements (all when count is -1). */
  skip(count: number): Dataset<T> {
    const src = this;
    const n = checkCount(count, 'skip', 'count', '-1 skips all') < 0 ? INFINITE : count;
    return new Dataset<T>(
      async function* () {
        let i = 0;
        for await (const x of src) {
          if (i++ < n) disposeElement(x);
          else yield x;
        }
      },
      this.specFn,
      this.cardinality === undefined ? undefined : this.cardinality === INFINITE ? INFINITE : Math.max(0, this.cardinality - n),
    );
  }

  /** This dataset's elements, then `other`'s (their specs must be compatible). */
  concatenate(other: Dataset<T>): Dataset<T> {
    const a = this;
    if (!(other instanceof Dataset)) throw new InvalidArgumentError(`concatenate: dataset must be a Dataset; found ${describeValue(other)}`);
    const sa = this.specFn();
    const sb = other.specFn();
    if (sa !== undefined && sb !== undefined) concatSpec(sa, sb);
    return new Dataset<T>(
      async function* () {
        yield* a;
        yield* other;
      },
      () => {
        const sa = this.specFn();
        const sb = other.specFn();
        return sa === undefined || sb === undefined ? undefined : concatSpec(sa, sb);
      },
      this.cardinality === undefined || other.cardinality === undefined ? undefined : this.cardinality + other.cardinality,
    );
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
    const src = this;
    checkFunction(fn, 'interleave', 'fn');
    const cycleLength = options.cycleLength === undefined || options.cycleLength === AUTOTUNE ? hardwareConcurrency() : options.cycleLength;
    const blockLength = options.blockLength ?? 1;
    const parallel = options.numParallelCalls === AUTOTUNE ? cycleLength : (options.numParallelCalls ?? 1);
    checkPositive(cycleLength, 'interleave', 'cycleLength');
    checkPositive(blockLength, 'interleave', 'blockLength');
    return new Dataset<U>(
      async function* () {
        const input = src[Symbol.asyncIterator]();
        const cycle: ({ it: AsyncIterator<U>; arg: T } | null)[] = new Array(cycleLength).fill(null);
        let endOfInput = false;
        let inputIndex = 0;
        let open = 0;
        let idx = 0;
        let block = 0;
        const advance = (): void => {
          block = 0;
          idx = (idx + 1) % cycleLength;
        };
        try {
          while (!endOfInput || open > 0) {
            const cur = cycle[idx];
            if (cur) {
              const r = await cur.it.next();
              if (!r.done) {
                if (++block === blockLength) advance();
                yield r.value;
              } else {
                disposeElement(cur.arg);
                cycle[idx] = null;
                open--;
                advance();
              }
            } else if (!endOfInput) {
              const r = await input.next();
              if (r.done) endOfInput = true;
              else {
                const sub = subDataset(fn, r.value, 'interleave', inputIndex++)[Symbol.asyncIterator]();
                // With numParallelCalls > 1 every open dataset runs ahead (its next elements are fetched
                // concurrently with the others'), which overlaps file reads; the output order is unchanged.
                cycle[idx] = { it: parallel > 1 ? prefetchIterator(sub, 2) : sub, arg: r.value };
                open++;
              }
            } else advance();
          }
        } finally {
          for (const c of cycle) {
            if (!c) continue;
            await c.it.return?.();
            disposeElement(c.arg);
          }
          await input.return?.();
        }
      },
      () => options.outputSpec,
      undefined,
    );
  }

  /**
   * Maps each element to a dataset and concatenates them in order (TF's flat_map; interleave with
   * cycleLength 1). The element handed to `fn` is disposed once its dataset is done (tensors that
   * dataset yielded excepted). elementSpec is unknown unless `outputSpec` is given.
   */
  flatMap<U = unknown>(fn: (x: T) => Dataset<U>, options: { outputSpec?: Spec } = {}): Dataset<U> {
    const src = this;
    checkFunction(fn, 'flatMap', 'fn');
    return new Dataset<U>(
      async function* () {
        let i = 0;
        for await (const x of src) {
          const sub = subDataset(fn, x, 'flatMap', i++);
          const handedOut: U[] = [];
          try {
            for await (const y of sub) {
              handedOut.push(y);
              yield y;
            }
          } finally {
            disposeUnused(x, handedOut);
          }
        }
      },
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
    const src = this;
    const spec = this.specFn();
    const specLeaves = spec === undefined ? [] : (flatten(spec, [], isSpecLeaf) as TensorSpec[]);
    const scalar = specLeaves.findIndex((l) => l.shape.length === 0);
    if (scalar >= 0) unbatchScalarError(scalar); // known when the dataset is built, as in TF
    const lead = specLeaves.find((l) => l.shape[0] !== null)?.shape[0];
    const card = this.cardinality === 0 ? 0 : this.cardinality === undefined || lead === undefined || lead === null || lead === 0 ? undefined : this.cardinality * lead;
    return new Dataset<T>(
      async function* () {
        let k = 0;
        for await (const x of src) {
          const host = await elementToHost(x);
          disposeElement(x);
          const leaves = flatten(host, [], isHostLeaf) as (HostTensor | HostSparse)[];
          const sizes = leaves.map((l, i) => {
            const shape = isHostSparse(l) ? Array.from(l.denseShape.values as BigInt64Array, Number) : l.shape;
            if (shape.length === 0) unbatchScalarError(i);
            return shape[0]!;
          });
          const bad = sizes.findIndex((n) => n !== sizes[0]);
          if (bad >= 0) throw new InvalidArgumentError(`unbatch: the components of element ${k} must have the same first dimension; component 0 has ${sizes[0]}, component ${bad} has ${sizes[bad]}`);
          const rows = leaves.map((l) => (isHostSparse(l) ? sparseRowsHost(l, `unbatch: element ${k}`) : undefined));
          for (let i = 0; i < (sizes[0] ?? 0); i++) {
            let j = 0;
            yield mapStructure(
              host,
              (l) => {
                const r = rows[j++];
                return r ? hostToLeaf(r[i]!) : sliceHost(l as HostTensor, i);
              },
              isHostLeaf,
            ) as T;
          }
          k++;
        }
      },
      () => {
        const s = this.specFn();
        return s && mapSpec(s, (l) => (l instanceof TensorSpec ? new TensorSpec(l.shape.slice(1), l.dtype) : new SparseTensorSpec(l.shape.slice(1), l.dtype)));
      },
      card,
    );
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
    checkPositive(size, 'window', 'size');
    checkPositive(shift, 'window', 'shift');
    checkPositive(stride, 'window', 'stride');
    if (typeof dropRemainder !== 'boolean') throw new InvalidArgumentError(`window: dropRemainder must be a boolean; found ${describeValue(dropRemainder)}`);
    const src = this;
    const span = (size - 1) * stride + 1; // input elements one full window covers
    const n = this.cardinality;
    const card = n === undefined || n === INFINITE ? n : dropRemainder ? (n < span ? 0 : Math.floor((n - span) / shift) + 1) : Math.ceil(n / shift);
    return new Dataset<W>(
      async function* () {
        const it = src[Symbol.asyncIterator]();
        let buf: unknown[] = [];
        let ended = false;
        const next = async (): Promise<unknown> => {
          const r = await it.next();
          if (r.done) ended = true;
          return r.value;
        };
        try {
          for (;;) {
            while (!ended && buf.length < span) {
              const x = await next();
              if (!ended) {
                buf.push(await elementToHost(x));
                disposeElement(x);
              }
            }
            if (buf.length === 0 || (dropRemainder && buf.length < span)) return;
            yield zipStructures(
              buf.filter((_, i) => i % stride === 0),
              (leaves) => hostDataset(leaves as (HostTensor | HostSparse)[]),
              isHostLeaf,
            ) as W;
            // Move to the next window's start, reading past (and dropping) the elements a shift > size skips.
            for (let i = buf.length; !ended && i < shift; i++) disposeElement(await next());
            buf = buf.slice(shift);
          }
        } finally {
          await it.return?.();
        }
      },
      () => undefined,
      card,
    );
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
    const src = this;
    if (filename !== undefined && typeof filename !== 'string') throw new InvalidArgumentError(`cache: filename must be a string ('' or omitted: in memory); found ${describeValue(filename)}`);
    if (filename) {
      const name = filename;
      return new Dataset<T>(() => cacheFilePass<T>(src, src.specFn(), name, options), this.specFn, this.cardinality);
    }
    let cached: unknown[] | undefined;
    return new Dataset<T>(
      async function* () {
        if (cached) {
          for (const h of cached) yield hostStructureToElement(h) as T;
          return;
        }
        const pass: unknown[] = [];
        for await (const x of src) {
          pass.push(await elementToHost(x));
          yield x;
        }
        cached = pass;
      },
      this.specFn,
      this.cardinality,
    );
  }

  /** Applies a function to the whole dataset (TF's apply). */
  apply<U>(fn: (ds: Dataset<T>) => Dataset<U>): Dataset<U> {
    checkFunction(fn, 'apply', 'transformation');
    const out = fn(this);
    if (!(out instanceof Dataset)) throw new InvalidArgumentError(`apply: the transformation must return a Dataset; it returned ${describeValue(out)}`);
    return out;
  }
}

// ---- iterators -----------------------------------------------------------------------------------

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

// ---- helpers -----------------------------------------------------------------------------------------

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

function unbatchScalarError(i: number): never {
  throw new InvalidArgumentError(`unbatch: element component ${i} is a scalar; every component needs rank ≥ 1 (the first dimension is split)`);
}

/** A dataset of the given host leaves, as new tensors on every iteration (a window's component). */
function hostDataset(leaves: readonly (HostTensor | HostSparse)[]): Dataset<unknown> {
  const specOfHost = (h: HostTensor | HostSparse): Spec =>
    isHostSparse(h) ? new SparseTensorSpec(Array.from(h.denseShape.values as BigInt64Array, () => null), h.values.dtype) : new TensorSpec(h.shape, h.dtype);
  return new Dataset<unknown>(
    async function* () {
      for (const h of leaves) yield hostToLeaf(h);
    },
    () => leaves.map(specOfHost).reduce((a, b) => mergeSpecs(a, b)),
    leaves.length,
  );
}

/** x, unless it is undefined or null. */
function present(x: unknown, op: string, arg: string): unknown {
  if (x === undefined || x === null) throw new InvalidArgumentError(`${op}: argument '${arg}' is missing (${x}); expected a tensor, array or a structure of them`);
  return x;
}

/** Merged spec of two concatenated datasets, or an error naming both. */
function concatSpec(a: Spec, b: Spec): Spec {
  try {
    return mergeSpecs(a, b);
  } catch {
    throw new InvalidArgumentError(`concatenate: the datasets' element specs differ (structure, dtype or rank): ${specToString(a)} vs ${specToString(b)}`);
  }
}

/** paddedShapes leaves: lists of non-negative integers, with -1 / null for "longest in the batch". */
function checkPaddedShapes(shapes: unknown, path = ''): void {
  if (shapes === undefined) return;
  const isShape = Array.isArray(shapes) && shapes.every((d) => d === null || typeof d === 'number');
  if (isShape) {
    const bad = (shapes as (number | null)[]).find((d) => d !== null && d !== -1 && !(Number.isInteger(d) && d >= 0));
    if (bad !== undefined) throw new InvalidArgumentError(`paddedBatch: paddedShapes '${path || '<root>'}' must hold non-negative integers or -1/null; found ${bad} in [${shapes.map(String)}]`);
  } else if (Array.isArray(shapes)) shapes.forEach((s, i) => checkPaddedShapes(s, `${path}[${i}]`));
  else if (isPlainObject(shapes)) for (const k of Object.keys(shapes)) checkPaddedShapes(shapes[k], path ? `${path}.${k}` : k);
  else throw new InvalidArgumentError(`paddedBatch: paddedShapes '${path || '<root>'}' must be a shape (list of sizes) or a structure of shapes; found ${describeValue(shapes)}`);
}

/**
 * Checks a dataset's elements: against `spec` when given, else that each has the structure and
 * dtypes of the first one (TF fixes both when the dataset is built).
 */
function elementChecker(op: string, spec: Spec | undefined): (x: unknown, i: number) => void {
  let first: { sig: string; text: string } | undefined;
  const erase = (s: Spec): string => specToString(mapSpec(s, (l) => (l instanceof TensorSpec ? new TensorSpec([], l.dtype) : new SparseTensorSpec([], l.dtype))));
  return (x, i) => {
    const s = specOf(x);
    if (spec) {
      const ok = (() => {
        try {
          zipStructures([spec, x], (pair) => {
            const [want, l] = pair as [TensorSpec | SparseTensorSpec, unknown];
            if (!(want instanceof TensorSpec ? isTensor(l) && want.isCompatibleWith(l) : isSparse(l) && l.values.dtype === want.dtype)) throw new InvalidArgumentError('');
          }, isSpecLeaf);
          return erase(spec) === erase(s);
        } catch {
          return false;
        }
      })();
      if (!ok) throw new InvalidArgumentError(`${op}: element ${i} is ${specToString(s)}, which does not match outputSpec ${specToString(spec)}`);
      return;
    }
    const sig = erase(s);
    if (!first) first = { sig, text: specToString(s) };
    else if (sig !== first.sig) {
      throw new InvalidArgumentError(`${op}: element ${i} is ${specToString(s)}, but an earlier element was ${first.text}; the structure and dtypes of the elements must not change`);
    }
  };
}

function truthy(r: boolean | Tensor, op: string): boolean {
  if (typeof r === 'boolean') return r;
  if (isTensor(r)) {
    if (r.size !== 1) throw new InvalidArgumentError(`${op}: the predicate must return a scalar; found shape [${r.shape}]`);
    const v = (r.dataSync() as ArrayLike<number | bigint>)[0];
    r.dispose();
    return !!v;
  }
  throw new InvalidArgumentError(`${op}: the predicate must return a boolean or a scalar bool tensor; found ${describeValue(r)}`);
}

/** Whether an array is JS data (numbers/strings...) rather than a tuple of components. */
function isDataArray(x: unknown[]): boolean {
  return x.every((e) => (Array.isArray(e) ? isDataArray(e) : typeof e === 'number' || typeof e === 'boolean' || typeof e === 'string' || typeof e === 'bigint'));
}

/** Converts JS data leaves of a structure into tensors (arrays of numbers are data, not tuples). */
function toStructure(x: unknown, path = ''): unknown {
  if (isLeaf(x)) return x;
  if (Array.isArray(x) && !isDataArray(x)) return x.map((e, i) => toStructure(e, `${path}[${i}]`));
  if (isPlainObject(x)) {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(x)) o[k] = toStructure(x[k], path ? `${path}.${k}` : k);
    return o;
  }
  if (Array.isArray(x) && x.length && typeof flatten(x)[0] === 'bigint') return ef.tensor(x as never, undefined, 'int64');
  return toTensorLeaf(x, path);
}

function toElementStructure(x: unknown): unknown {
  if (x === undefined || x === null) throw new InvalidArgumentError('map: the function returned nothing; return a tensor or a structure of tensors');
  return toStructure(x);
}

function sliceHost(h: HostTensor, i: number): Tensor {
  const inner = h.shape.slice(1);
  const size = inner.reduce((a, b) => a * b, 1);
  const v = h.values;
  const part = Array.isArray(v) ? v.slice(i * size, (i + 1) * size) : v.subarray(i * size, (i + 1) * size);
  return ef.makeTensor(part, inner, h.dtype);
}

function scalarString(t: Tensor | string, op: string): string {
  if (typeof t === 'string') return t;
  if (!isTensor(t) || t.dtype !== 'string' || t.size !== 1) throw new InvalidArgumentError(`${op}: expected scalar string tensors as file names`);
  return new TextDecoder().decode((t.dataSync() as Uint8Array[])[0]!);
}

function convertGenerated(v: unknown, sig: Spec | undefined, i: number): unknown {
  if (!sig) return toStructure(v);
  return zipStructures(
    [sig, v],
    (pair, path) => {
      const [s, x] = pair as [TensorSpec, unknown];
      let t: Tensor;
      if (isTensor(x)) t = x;
      else if (s.dtype === 'string' && (typeof x === 'string' || x instanceof Uint8Array)) t = ef.makeTensor([x as string], [], 'string');
      else if (s.dtype === 'int64' && (typeof x === 'bigint' || typeof x === 'number')) t = ef.makeTensor([BigInt(x)], [], 'int64');
      else t = toTensorLeaf(x, path, s.dtype as DType) as Tensor;
      if (!s.isCompatibleWith(t)) {
        const got = `${t.dtype}[${t.shape}]`;
        t.dispose();
        throw new InvalidArgumentError(`fromGenerator: element ${i} component '${path || '<root>'}' is ${got}, the output signature says ${s}`);
      }
      return t;
    },
    isSpecLeaf,
  );
}

/** Stacks a list of same-structure elements on the host; disposes the inputs. */
async function stackElements(items: unknown[], op: string): Promise<unknown> {
  const hosts: unknown[] = [];
  for (const x of items) hosts.push(await elementToHost(x));
  for (const x of items) disposeElement(x);
  return hostStructureToElement(
    zipStructures(
      hosts,
      (parts, path) => {
        if ((parts[0] as HostSparse).sparse) return batchSparseHost(parts as HostSparse[], `${op} '${path}'`);
        return stackHost(parts as HostTensor[], `${op} component '${path || '<root>'}'`);
      },
      isHostLeaf,
    ),
  );
}

function batchSpec(s: Spec | undefined, lead: number | null): Spec | undefined {
  if (s === undefined) return undefined;
  return mapSpec(s, (l) => (l instanceof TensorSpec ? new TensorSpec([lead, ...l.shape], l.dtype) : new SparseTensorSpec([lead, ...l.shape], l.dtype)));
}

function pickPath(x: unknown, path: string): unknown {
  if (x === undefined || path === '') return x;
  let cur: unknown = x;
  for (const m of path.matchAll(/\[(\d+)\]|\.?([^.[\]]+)/g)) {
    if (cur === undefined || cur === null) return undefined;
    cur = m[1] !== undefined ? (cur as unknown[])[Number(m[1])] : (cur as Record<string, unknown>)[m[2]!];
  }
  return cur;
}

/** Runs `call` on upstream elements with up to `par` calls in flight; yields results in order. */
/**
 * Consecutive groups of `size` elements of `src`, each passed to `combine` (which owns them); the
 * last, smaller group too unless `drop`. Elements not handed to `combine` are disposed on exit.
 */
async function* groups<T, U>(src: AsyncIterable<T>, size: number, drop: boolean, combine: (b: T[]) => Promise<U>): AsyncGenerator<U> {
  let buf: T[] = [];
  try {
    for await (const x of src) {
      buf.push(x);
      if (buf.length === size) {
        const b = buf;
        buf = [];
        yield await combine(b);
      }
    }
    if (buf.length && !drop) {
      const b = buf;
      buf = [];
      yield await combine(b);
    }
  } finally {
    for (const x of buf) disposeElement(x);
  }
}

async function* orderedParallel<T, U>(src: AsyncIterable<T>, call: (x: T) => Promise<U>, par: number): AsyncGenerator<U> {
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

async function* prefetchIterator<T>(src: AsyncIterator<T>, n: number): AsyncGenerator<T> {
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

export type { CompressionType };
