/**
 * Where datasets start: tensor slices, whole tensors, generators, ranges, file lists, TFRecord files
 * and zipped datasets, as Recipes the Dataset class builds itself from.
 */
import * as ef from '@eagerflow/core';
import type { DType, Tensor } from '@eagerflow/core';
import type { Dataset } from './dataset.js';
import { elementChecker, sliceHost, toStructure } from './dataset_elements.js';
import { INFINITE, type Card, type Recipe, type SpecFn } from './dataset_recipe.js';
import { checkFunction, checkPatterns, describeValue, InvalidArgumentError } from './errors.js';
import { getFileSystem, type DataFileSystem } from './fs.js';
import { disposeElement, flatten, isLeaf, isSparse, isSpecLeaf, isTensor, mapStructure, specOf, TensorSpec, tensorToHost, toTensorLeaf, zipStructures, type HostTensor, type Spec } from './structure.js';
import { readTFRecords, type TFRecordReadOptions } from './tfrecord.js';

export interface TFRecordDatasetOptions extends Omit<TFRecordReadOptions, 'onCorrupt'> {
  /** Files read at once, interleaved record by record (default 1: one file after the other). */
  numParallelReads?: number;
  /** Called for each skipped corrupt record (skipCorrupt) with the file name. */
  onCorrupt?: (error: Error) => void;
}

/** fromTensorSlices' input as the host structure fromHostSlices takes (see Dataset.fromTensorSlices). */
export function hostCopyOfSlices(x: unknown): unknown {
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
  return mapStructure(structure, () => hosts[k++]);
}

export function hostSlices<T>(structure: unknown): Recipe<T> {
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
  return {
    make: async function* () {
      ready ??= await Promise.all(leaves.map((l) => (isTensor(l) ? tensorToHost(l) : l)));
      const hs = ready;
      for (let i = 0; i < n; i++) {
        let k = 0;
        yield mapStructure(structure, () => sliceHost(hs[k++]!, i), isH) as T;
      }
    },
    spec: () => spec,
    cardinality: n,
  };
}

export function wholeTensors<T>(x: unknown): Recipe<T> {
  const structure = toStructure(present(x, 'fromTensors', 'tensors'));
  const hosts = (flatten(structure) as Tensor[]).map((t) => ({ dtype: t.dtype, shape: [...t.shape], values: t.dataSync() }));
  const spec = specOf(structure);
  return {
    make: async function* () {
      let k = 0;
      yield mapStructure(structure, () => ef.makeTensor(hosts[k]!.values, hosts[k]!.shape, hosts[k++]!.dtype)) as T;
    },
    spec: () => spec,
    cardinality: 1,
  };
}

export function generated<T>(generator: () => Iterable<unknown> | AsyncIterable<unknown>, outputSignature: Spec | undefined): Recipe<T> {
  checkFunction(generator, 'fromGenerator', 'generator');
  return {
    make: async function* () {
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
    spec: () => outputSignature,
    cardinality: undefined,
  };
}

export function rangeOf(start: number, stop: number | undefined, step: number, options: { dtype?: 'int32' | 'int64' | 'float32' }): Recipe<Tensor> {
  if (stop === undefined) [start, stop] = [0, start];
  for (const [arg, v] of [['start', start], ['stop', stop], ['step', step]] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new InvalidArgumentError(`range: ${arg} must be an integer; found ${describeValue(v)}`);
  }
  if (step === 0) throw new InvalidArgumentError('range: step must not be 0');
  const dtype = options.dtype ?? 'int32';
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const s = start;
  return {
    make: async function* () {
      for (let i = 0; i < n; i++) {
        const v = s + i * step;
        yield ef.makeTensor(dtype === 'int64' ? [BigInt(v)] : [v], [], dtype);
      }
    },
    spec: () => new TensorSpec([], dtype),
    cardinality: n,
  };
}

/** The records of one TFRecord file as scalar string tensors. */
export async function* fileRecords(name: string, options: TFRecordDatasetOptions): AsyncGenerator<Tensor> {
  for await (const group of readTFRecords(name, options).batches()) {
    for (const rec of group) yield ef.makeTensor([rec], [], 'string');
  }
}

/** The records of the files named by `fileNames` (scalar string tensors), one file after the other. */
export async function* recordsOfFiles(fileNames: AsyncIterable<Tensor>, options: TFRecordDatasetOptions): AsyncGenerator<Tensor> {
  for await (const nameT of fileNames) {
    let name: string;
    try {
      name = scalarString(nameT, 'TFRecordDataset');
    } finally {
      nameT.dispose(); // also when it is no file name
    }
    yield* fileRecords(name, options);
  }
}

/** Files matching the globs, sorted, as scalar string tensors; matched once, on first iteration. */
export function matchedFiles(pattern: string | readonly string[], fsOption: DataFileSystem | undefined): Recipe<Tensor> {
  let matched: Promise<string[]> | undefined;
  const patterns = checkPatterns(pattern, 'listFiles');
  const match = (): Promise<string[]> => {
    matched ??= (async () => {
      const fs = fsOption ?? getFileSystem();
      const all = new Set<string>();
      for (const p of patterns) for (const f of await fs.glob(p)) all.add(f);
      if (all.size === 0) throw new InvalidArgumentError(`listFiles: no files match ${patterns.map((p) => JSON.stringify(p)).join(', ')}`);
      return [...all].sort();
    })();
    return matched;
  };
  return {
    make: async function* () {
      for (const f of await match()) yield ef.makeTensor([f], [], 'string');
    },
    spec: () => new TensorSpec([], 'string'),
    cardinality: undefined,
  };
}

/** Dataset.zip of checked datasets (with their spec functions), keyed by index (`isArr`) or name. */
export function zipped<T>(entries: readonly (readonly [string, Dataset<unknown>, SpecFn])[], isArr: boolean): Recipe<T> {
  const card = entries.reduce<Card>((m, [, d]) => (m === undefined || d.cardinality === undefined ? undefined : Math.min(m, d.cardinality)), INFINITE);
  return {
    make: async function* () {
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
    spec: () => {
      const specs = entries.map(([, , specFn]) => specFn());
      if (specs.some((s) => s === undefined)) return undefined;
      if (isArr) return specs as Spec[];
      const o: Record<string, Spec> = {};
      entries.forEach(([k], i) => (o[k] = specs[i]!));
      return o;
    },
    cardinality: card === INFINITE && entries.length === 0 ? 0 : card,
  };
}

export function strings(list: readonly string[]): Recipe<Tensor> {
  const copy = [...list];
  return {
    make: async function* () {
      for (const s of copy) yield ef.makeTensor([s], [], 'string');
    },
    spec: () => new TensorSpec([], 'string'),
    cardinality: copy.length,
  };
}

export function scalarString(t: Tensor | string, op: string): string {
  if (typeof t === 'string') return t;
  if (!isTensor(t) || t.dtype !== 'string' || t.size !== 1) throw new InvalidArgumentError(`${op}: expected scalar string tensors as file names`);
  return new TextDecoder().decode((t.dataSync() as Uint8Array[])[0]!);
}

/** x, unless it is undefined or null. */
function present(x: unknown, op: string, arg: string): unknown {
  if (x === undefined || x === null) throw new InvalidArgumentError(`${op}: argument '${arg}' is missing (${x}); expected a tensor, array or a structure of them`);
  return x;
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
