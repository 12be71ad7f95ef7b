/** batch, paddedBatch and their inverse, unbatch: elements stacked along (or split from) a first dimension. */
import type { Dataset } from './dataset.js';
import { sliceHost } from './dataset_elements.js';
import { INFINITE, type Recipe, type SpecFn } from './dataset_recipe.js';
import { checkPositive, describeValue, InvalidArgumentError } from './errors.js';
import {
  batchSparseHost,
  disposeElement,
  elementToHost,
  flatten,
  hostStructureToElement,
  hostToLeaf,
  isHostLeaf,
  isHostSparse,
  isPlainObject,
  isSpecLeaf,
  longestShape,
  mapSpec,
  mapStructure,
  padStackHost,
  sparseRowsHost,
  SparseTensorSpec,
  stackHost,
  TensorSpec,
  zipStructures,
  type HostSparse,
  type HostTensor,
  type Spec,
} from './structure.js';

export interface PaddedBatchOptions {
  /** Per component: target shape, with -1/null for "longest in the batch" (default: all longest). */
  paddedShapes?: unknown;
  /** Per component (or one for all): the pad value (default 0, '' for strings). */
  paddingValues?: unknown;
  dropRemainder?: boolean;
}

export function batched<T>(src: Dataset<T>, spec: SpecFn, batchSize: number, options: { dropRemainder?: boolean }): Recipe<T> {
  checkPositive(batchSize, 'batch', 'batchSize');
  const drop = options.dropRemainder ?? false;
  const card = src.cardinality === undefined ? undefined : src.cardinality === INFINITE ? INFINITE : drop ? Math.floor(src.cardinality / batchSize) : Math.ceil(src.cardinality / batchSize);
  return {
    make: () => groups(src, batchSize, drop, async (b) => (await stackElements(b, 'batch')) as T),
    spec: () => batchSpec(spec(), drop ? batchSize : null),
    cardinality: card,
  };
}

export function paddedBatched<T>(src: Dataset<T>, spec: SpecFn, batchSize: number, options: PaddedBatchOptions): Recipe<T> {
  checkPositive(batchSize, 'paddedBatch', 'batchSize');
  checkPaddedShapes(options.paddedShapes);
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
  return {
    make: () => groups(src, batchSize, drop, run),
    spec: () => {
      const s = spec();
      if (s === undefined) return undefined;
      return mapSpec(s, (l) => {
        const shape = l.shape.map(() => null as number | null);
        return l instanceof TensorSpec ? new TensorSpec([drop ? batchSize : null, ...shape], l.dtype) : new SparseTensorSpec([drop ? batchSize : null, ...shape], l.dtype);
      });
    },
    cardinality: undefined,
  };
}

export function unbatched<T>(src: Dataset<T>, spec: SpecFn): Recipe<T> {
  const s0 = spec();
  const specLeaves = s0 === undefined ? [] : (flatten(s0, [], isSpecLeaf) as TensorSpec[]);
  const scalar = specLeaves.findIndex((l) => l.shape.length === 0);
  if (scalar >= 0) unbatchScalarError(scalar); // known when the dataset is built, as in TF
  const lead = specLeaves.find((l) => l.shape[0] !== null)?.shape[0];
  const card = src.cardinality === 0 ? 0 : src.cardinality === undefined || lead === undefined || lead === null || lead === 0 ? undefined : src.cardinality * lead;
  return {
    make: async function* () {
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
    spec: () => {
      const s = spec();
      return s && mapSpec(s, (l) => (l instanceof TensorSpec ? new TensorSpec(l.shape.slice(1), l.dtype) : new SparseTensorSpec(l.shape.slice(1), l.dtype)));
    },
    cardinality: card,
  };
}

function unbatchScalarError(i: number): never {
  throw new InvalidArgumentError(`unbatch: element component ${i} is a scalar; every component needs rank ≥ 1 (the first dimension is split)`);
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
