/**
 * Dataset elements are nested structures (arrays / plain objects) whose leaves are Tensors or
 * SparseTensors. This module walks them, describes them (TensorSpec) and moves them to and from the
 * host (HostTensor: dtype + shape + flat values), which is also how they cross worker boundaries.
 */
import * as ef from '@eagerflow/core';
import type { DType, DataValues, Tensor } from '@eagerflow/core';
import { describeValue, InvalidArgumentError } from './errors.js';

/** Flat host copy of a tensor. */
export interface HostTensor {
  dtype: DType;
  shape: number[];
  values: DataValues;
}
export interface HostSparse {
  sparse: true;
  indices: HostTensor;
  values: HostTensor;
  denseShape: HostTensor;
}

/** TensorFlow's SparseTensor: int64 `indices` [N, rank], `values` [N], int64 `denseShape` [rank]. */
export class SparseTensor {
  constructor(
    readonly indices: Tensor,
    readonly values: Tensor,
    readonly denseShape: Tensor,
  ) {}
  get dtype(): DType {
    return this.values.dtype;
  }
  /** Dense shape as numbers (reads the host copy). */
  shapeSync(): number[] {
    return Array.from(this.denseShape.dataSync() as BigInt64Array, Number);
  }
  async shape(): Promise<number[]> {
    return Array.from((await this.denseShape.data()) as BigInt64Array, Number);
  }
  dispose(): void {
    this.indices.dispose();
    this.values.dispose();
    this.denseShape.dispose();
  }
  toString(): string {
    return `SparseTensor(indices=[${this.indices.shape}], values=${this.values.dtype}[${this.values.shape}], denseShape=[${this.denseShape.shape}])`;
  }
}

export type Leaf = Tensor | SparseTensor;
export type Element = Leaf | readonly Element[] | { readonly [key: string]: Element };
/** What `fromTensorSlices` and friends accept before conversion. */
export type ElementLike = unknown;

export const isTensor = (x: unknown): x is Tensor => x instanceof ef.Tensor;
export const isSparse = (x: unknown): x is SparseTensor => x instanceof SparseTensor;
export const isLeaf = (x: unknown): x is Leaf => isTensor(x) || isSparse(x);
export const isHostTensor = (x: unknown): x is HostTensor =>
  typeof x === 'object' && x !== null && 'dtype' in x && 'shape' in x && 'values' in x && !('sparse' in x) && !isTensor(x);
export const isHostSparse = (x: unknown): x is HostSparse => typeof x === 'object' && x !== null && (x as HostSparse).sparse === true;
/** A leaf of a host structure (what elementToHost makes of a Tensor or SparseTensor). */
export const isHostLeaf = (x: unknown): x is HostTensor | HostSparse => isHostSparse(x) || isHostTensor(x);

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  // Plain objects of any realm (worker messages, vm contexts): the prototype chain ends right after.
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** Leaves in a fixed order (arrays by index, objects by key order). */
export function flatten(x: unknown, out: unknown[] = [], isL: (v: unknown) => boolean = isLeaf): unknown[] {
  if (isL(x)) out.push(x);
  else if (Array.isArray(x)) for (const e of x) flatten(e, out, isL);
  else if (isPlainObject(x)) for (const k of Object.keys(x)) flatten(x[k], out, isL);
  else out.push(x);
  return out;
}

/** Rebuilds `template`'s structure from leaves produced in `flatten` order. */
export function mapStructure(x: unknown, fn: (leaf: unknown, path: string) => unknown, isL: (v: unknown) => boolean = isLeaf, path = ''): unknown {
  if (isL(x)) return fn(x, path);
  if (Array.isArray(x)) return x.map((e, i) => mapStructure(e, fn, isL, `${path}[${i}]`));
  if (isPlainObject(x)) {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(x)) o[k] = mapStructure(x[k], fn, isL, path ? `${path}.${k}` : k);
    return o;
  }
  return fn(x, path);
}

/** Combines several structures of the same shape leaf by leaf. */
export function zipStructures(xs: readonly unknown[], fn: (leaves: unknown[], path: string) => unknown, isL: (v: unknown) => boolean = isLeaf, path = ''): unknown {
  const first = xs[0];
  if (isL(first)) return fn(xs as unknown[], path);
  if (Array.isArray(first)) {
    for (const x of xs) {
      if (!Array.isArray(x) || x.length !== first.length) throw new InvalidArgumentError(`elements have different structures at '${path || '<root>'}'`);
    }
    return first.map((_, i) => zipStructures(xs.map((x) => (x as unknown[])[i]), fn, isL, `${path}[${i}]`));
  }
  if (isPlainObject(first)) {
    const keys = Object.keys(first);
    const o: Record<string, unknown> = {};
    for (const k of keys) {
      o[k] = zipStructures(
        xs.map((x) => {
          if (!isPlainObject(x) || !(k in x)) throw new InvalidArgumentError(`elements have different structures: '${path ? `${path}.${k}` : k}' is missing`);
          return x[k];
        }),
        fn,
        isL,
        path ? `${path}.${k}` : k,
      );
    }
    return o;
  }
  return fn(xs as unknown[], path);
}

export function disposeElement(x: unknown): void {
  for (const l of flatten(x)) if (isLeaf(l)) l.dispose();
}

/** Disposes the leaves of `input` that do not appear in `output` (map/filter ownership rule). */
export function disposeUnused(input: unknown, output: unknown): void {
  const keep = new Set<unknown>();
  for (const l of flatten(output)) {
    if (isSparse(l)) {
      keep.add(l.indices);
      keep.add(l.values);
      keep.add(l.denseShape);
    }
    keep.add(l);
  }
  for (const l of flatten(input)) {
    if (keep.has(l)) continue;
    if (isSparse(l)) {
      for (const t of [l.indices, l.values, l.denseShape]) if (!keep.has(t)) t.dispose();
    } else if (isTensor(l) && !l.isDisposed) l.dispose();
  }
}

// ---- specs -------------------------------------------------------------------------------------

/** A spec's shape (non-negative integers, null = unknown) and dtype (one of ef.DTYPES), or an error naming `kind`. */
function checkSpecArgs(kind: string, shape: unknown, dtype: unknown): void {
  const what = 'an array of non-negative integers or null (unknown) dimensions';
  if (!Array.isArray(shape)) throw new InvalidArgumentError(`${kind}: shape must be ${what}; found ${describeValue(shape)}`);
  const i = shape.findIndex((d) => d !== null && !(Number.isInteger(d) && d >= 0));
  if (i >= 0) throw new InvalidArgumentError(`${kind}: shape must be ${what}; found ${describeValue(shape[i])} at shape[${i}]`);
  if (!ef.DTYPES.includes(dtype as DType)) throw new InvalidArgumentError(`${kind}: dtype must be one of ${ef.DTYPES.join(', ')}; found ${describeValue(dtype)}`);
}

/** Shape and dtype of one component; `null` dimensions are unknown (TF's None). */
export class TensorSpec {
  constructor(
    readonly shape: readonly (number | null)[],
    readonly dtype: DType,
  ) {
    checkSpecArgs('TensorSpec', shape, dtype);
  }
  isCompatibleWith(t: Leaf): boolean {
    if (isSparse(t)) return false;
    return t.dtype === this.dtype && t.shape.length === this.shape.length && this.shape.every((d, i) => d === null || d === t.shape[i]);
  }
  toString(): string {
    const dims = this.shape.map((d) => (d === null ? 'None' : String(d)));
    return `TensorSpec(shape=(${dims.join(', ')}${dims.length === 1 ? ',' : ''}), dtype=tf.${this.dtype}, name=None)`;
  }
}
export class SparseTensorSpec {
  constructor(
    readonly shape: readonly (number | null)[],
    readonly dtype: DType,
  ) {
    checkSpecArgs('SparseTensorSpec', shape, dtype);
  }
  toString(): string {
    const dims = this.shape.map((d) => (d === null ? 'None' : String(d)));
    return `SparseTensorSpec(TensorShape([${dims.join(', ')}]), tf.${this.dtype})`;
  }
}
export type Spec = TensorSpec | SparseTensorSpec | readonly Spec[] | { readonly [key: string]: Spec };
export const isSpecLeaf = (x: unknown): x is TensorSpec | SparseTensorSpec => x instanceof TensorSpec || x instanceof SparseTensorSpec;

/** Spec of a concrete element. */
export function specOf(x: unknown): Spec {
  return mapStructure(x, (l, path) => {
    if (isSparse(l)) return new SparseTensorSpec(l.indices.shape[1] !== undefined ? Array(l.indices.shape[1]).fill(null) : [], l.values.dtype);
    if (isTensor(l)) return new TensorSpec([...l.shape], l.dtype);
    throw new InvalidArgumentError(`dataset element component '${path || '<root>'}' is not a tensor (${typeof l})`);
  }) as Spec;
}

/** Most specific spec compatible with both (dimensions that differ become null). */
export function mergeSpecs(a: Spec, b: Spec): Spec {
  return zipStructures(
    [a, b],
    (ls, path) => {
      const [x, y] = ls as (TensorSpec | SparseTensorSpec)[];
      if (x!.dtype !== y!.dtype || x!.shape.length !== y!.shape.length || x!.constructor !== y!.constructor) {
        throw new InvalidArgumentError(`incompatible element specs at '${path || '<root>'}': ${x} vs ${y}`);
      }
      const shape = x!.shape.map((d, i) => (d === y!.shape[i] ? d : null));
      return x instanceof TensorSpec ? new TensorSpec(shape, x.dtype) : new SparseTensorSpec(shape, x!.dtype);
    },
    isSpecLeaf,
  ) as Spec;
}

export function mapSpec(spec: Spec, fn: (s: TensorSpec | SparseTensorSpec) => TensorSpec | SparseTensorSpec): Spec {
  return mapStructure(spec, (l) => fn(l as TensorSpec), isSpecLeaf) as Spec;
}

/** Pretty form of a spec structure, TF style: {'a': TensorSpec(...), ...}. */
export function specToString(spec: Spec): string {
  if (isSpecLeaf(spec)) return spec.toString();
  if (Array.isArray(spec)) return `(${spec.map((s) => specToString(s as Spec)).join(', ')}${spec.length === 1 ? ',' : ''})`;
  return `{${Object.entries(spec)
    .map(([k, v]) => `'${k}': ${specToString(v as Spec)}`)
    .join(', ')}}`;
}

// ---- host <-> tensors ---------------------------------------------------------------------------

export function hostToTensor(h: HostTensor): Tensor {
  return ef.makeTensor(h.values, h.shape, h.dtype);
}
export function hostToLeaf(h: HostTensor | HostSparse): Leaf {
  if (isHostSparse(h)) return new SparseTensor(hostToTensor(h.indices), hostToTensor(h.values), hostToTensor(h.denseShape));
  return hostToTensor(h);
}

/** Whether the tensor's backend reads synchronously (CPU): then no promise per read is needed. */
function readsSync(t: Tensor): boolean {
  return typeof (t as unknown as { backend?: { readSync?: unknown } }).backend?.readSync === 'function';
}
export async function tensorToHost(t: Tensor): Promise<HostTensor> {
  return { dtype: t.dtype, shape: [...t.shape], values: readsSync(t) ? t.dataSync() : await t.data() };
}
export async function leafToHost(l: Leaf): Promise<HostTensor | HostSparse> {
  if (isSparse(l)) return { sparse: true, indices: await tensorToHost(l.indices), values: await tensorToHost(l.values), denseShape: await tensorToHost(l.denseShape) };
  return tensorToHost(l);
}
function leafToHostSync(l: Leaf): HostTensor | HostSparse {
  const h = (t: Tensor): HostTensor => ({ dtype: t.dtype, shape: [...t.shape], values: t.dataSync() });
  if (isSparse(l)) return { sparse: true, indices: h(l.indices), values: h(l.values), denseShape: h(l.denseShape) };
  return h(l);
}

/** Converts a host-side structure (HostTensor/HostSparse leaves) into tensors. */
export function hostStructureToElement(x: unknown): unknown {
  return mapStructure(
    x,
    (l, path) => {
      if (isHostSparse(l) || isHostTensor(l)) return hostToLeaf(l);
      return toTensorLeaf(l, path);
    },
    (v) => isHostSparse(v) || isHostTensor(v) || isLeaf(v),
  );
}

export async function elementToHost(x: unknown): Promise<unknown> {
  if (isTensor(x) && readsSync(x)) return leafToHostSync(x);
  const leaves = flatten(x);
  if (leaves.every((l) => (isTensor(l) ? readsSync(l) : isSparse(l) ? readsSync(l.values) && readsSync(l.indices) : true))) {
    let j = 0;
    const hs = leaves.map((l) => (isLeaf(l) ? leafToHostSync(l) : l));
    return mapStructure(x, () => hs[j++]);
  }
  const hosts = await Promise.all(leaves.map((l) => (isLeaf(l) ? leafToHost(l) : l)));
  let i = 0;
  return mapStructure(x, () => hosts[i++]);
}

/**
 * A JS value as a tensor leaf, with `ef.tensor`'s defaults (numbers → float32, booleans → bool,
 * strings → string, bigint → int64); a Uint8Array becomes a string scalar when `dtype` is 'string'.
 */
export function toTensorLeaf(v: unknown, path = '', dtype?: DType): Leaf {
  if (isLeaf(v)) return v;
  if (typeof v === 'bigint') return ef.tensor([v], [], 'int64');
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string' || v instanceof Uint8Array || Array.isArray(v) || ArrayBuffer.isView(v)) {
    if (v instanceof Uint8Array && dtype === 'string') return ef.tensor([v], [], 'string');
    return ef.tensor(v as never, undefined, dtype);
  }
  throw new InvalidArgumentError(`cannot convert component '${path || '<root>'}' (${Object.prototype.toString.call(v)}) to a tensor`);
}

// ---- batching on the host ------------------------------------------------------------------------

/** Stacks same-shaped host tensors along a new first axis. */
export function stackHost(parts: readonly HostTensor[], what: string): HostTensor {
  const first = parts[0]!;
  for (const p of parts) {
    if (p.dtype !== first.dtype) throw new InvalidArgumentError(`${what}: cannot batch dtypes ${first.dtype} and ${p.dtype}`);
    if (p.shape.length !== first.shape.length || p.shape.some((d, i) => d !== first.shape[i])) {
      throw new InvalidArgumentError(`${what}: cannot batch components of shapes [${first.shape}] and [${p.shape}]; use paddedBatch for variable shapes`);
    }
  }
  return padStackHost(parts, first.shape, what);
}

/** Per dimension, the largest size among `parts` (of the first part's rank): the shape to pad a batch to. */
export function longestShape(parts: readonly HostTensor[]): number[] {
  const shape = parts[0]!.shape.map(() => 0);
  for (const p of parts) shape.forEach((m, d) => (shape[d] = Math.max(m, p.shape[d] ?? 0)));
  return shape;
}

/** Stacks host tensors into [n, ...shape], padding each one with `padValue` (after its data, per dimension). */
export function padStackHost(parts: readonly HostTensor[], shape: readonly number[], what: string, padValue?: number | bigint | boolean | string | Uint8Array): HostTensor {
  const dtype = parts[0]!.dtype;
  const inner = shape.reduce((a, b) => a * b, 1);
  const n = parts.length;
  let out: DataValues;
  if (dtype === 'string') {
    const pad = padValue === undefined ? new Uint8Array(0) : typeof padValue === 'string' ? new TextEncoder().encode(padValue) : (padValue as Uint8Array);
    out = Array.from({ length: n * inner }, () => pad);
  } else {
    out = allocFilled(dtype, n * inner, padValue);
  }
  for (let b = 0; b < n; b++) {
    const p = parts[b]!;
    if (p.shape.length !== shape.length) throw new InvalidArgumentError(`${what}: rank ${p.shape.length} component cannot be padded to shape [${shape}]`);
    if (p.shape.some((d, i) => d > shape[i]!)) throw new InvalidArgumentError(`${what}: component of shape [${p.shape}] does not fit the padded shape [${shape}]`);
    copyPadded(p, shape, out, b * inner);
  }
  return { dtype, shape: [n, ...shape], values: out };
}

function allocFilled(dtype: DType, n: number, pad: unknown): DataValues {
  switch (dtype) {
    case 'float32': {
      const a = new Float32Array(n);
      if (pad !== undefined && pad !== 0) a.fill(Number(pad));
      return a;
    }
    case 'int32': {
      const a = new Int32Array(n);
      if (pad !== undefined && pad !== 0) a.fill(Number(pad));
      return a;
    }
    case 'bool': {
      const a = new Uint8Array(n);
      if (pad) a.fill(1);
      return a;
    }
    case 'int64': {
      const a = new BigInt64Array(n);
      if (pad !== undefined) a.fill(BigInt(pad as number));
      return a;
    }
    default:
      throw new Error(`unsupported dtype ${dtype}`);
  }
}

function copyPadded(p: HostTensor, shape: readonly number[], out: DataValues, base: number): void {
  const rank = shape.length;
  const src = p.values;
  const same = p.shape.every((d, i) => d === shape[i]);
  if (same) {
    if (Array.isArray(out)) for (let i = 0; i < (src as Uint8Array[]).length; i++) out[base + i] = (src as Uint8Array[])[i]!;
    else (out as Float32Array).set(src as Float32Array, base);
    return;
  }
  // General case: iterate over source indices.
  const size = p.shape.reduce((a, b) => a * b, 1);
  const idx = new Array<number>(rank).fill(0);
  const strides = new Array<number>(rank);
  let s = 1;
  for (let d = rank - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d]!;
  }
  for (let i = 0; i < size; i++) {
    let off = base;
    for (let d = 0; d < rank; d++) off += idx[d]! * strides[d]!;
    (out as unknown[])[off] = (src as unknown as unknown[])[i];
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d]! < p.shape[d]!) break;
      idx[d] = 0;
    }
  }
}

/** Batches sparse components: indices gain a leading batch index, dense shape [n, max...]. */
export function batchSparseHost(parts: readonly HostSparse[], what: string): HostSparse {
  const rank = parts[0]!.denseShape.values.length;
  const maxShape = new Array<bigint>(rank).fill(0n);
  let total = 0;
  for (const p of parts) {
    if (p.denseShape.values.length !== rank) throw new InvalidArgumentError(`${what}: sparse components of different ranks cannot be batched`);
    const ds = p.denseShape.values as BigInt64Array;
    for (let d = 0; d < rank; d++) if (ds[d]! > maxShape[d]!) maxShape[d] = ds[d]!;
    total += p.indices.shape[0]!;
  }
  const idx = new BigInt64Array(total * (rank + 1));
  const vals: HostTensor[] = [];
  let row = 0;
  parts.forEach((p, b) => {
    const src = p.indices.values as BigInt64Array;
    const n = p.indices.shape[0]!;
    for (let i = 0; i < n; i++) {
      idx[row * (rank + 1)] = BigInt(b);
      for (let d = 0; d < rank; d++) idx[row * (rank + 1) + 1 + d] = src[i * rank + d]!;
      row++;
    }
    vals.push(p.values);
  });
  const values = concatHost(vals, parts[0]!.values.dtype);
  return {
    sparse: true,
    indices: { dtype: 'int64', shape: [total, rank + 1], values: idx },
    values,
    denseShape: { dtype: 'int64', shape: [rank + 1], values: BigInt64Array.from([BigInt(parts.length), ...maxShape]) },
  };
}

/** Concatenates 1-D host tensors. */
export function concatHost(parts: readonly HostTensor[], dtype: DType): HostTensor {
  const n = parts.reduce((s, p) => s + p.values.length, 0);
  if (dtype === 'string') return { dtype, shape: [n], values: parts.flatMap((p) => p.values as Uint8Array[]) };
  const out = allocFilled(dtype, n, undefined) as Float32Array;
  let off = 0;
  for (const p of parts) {
    out.set(p.values as Float32Array, off);
    off += p.values.length;
  }
  return { dtype, shape: [n], values: out };
}

/**
 * Splits a batched sparse host tensor along its first dimension (TF's unbatch): row i holds the
 * entries whose first index is i, without that index, and the dense shape loses its first size.
 */
export function sparseRowsHost(h: HostSparse, what: string): HostSparse[] {
  const ds = h.denseShape.values as BigInt64Array;
  const rank = ds.length;
  const n = Number(ds[0]);
  const idx = h.indices.values as BigInt64Array;
  const rows: number[][] = Array.from({ length: n }, () => []);
  for (let k = 0; k < h.indices.shape[0]!; k++) {
    const r = Number(idx[k * rank]);
    if (!(r >= 0 && r < n)) throw new InvalidArgumentError(`${what}: sparse entry ${k} has first index ${r}, outside the first dimension of size ${n}`);
    rows[r]!.push(k);
  }
  const vals = h.values.values as unknown as ArrayLike<unknown> & { constructor: new (n: number) => unknown[] };
  return rows.map((ks) => {
    const indices = new BigInt64Array(ks.length * (rank - 1));
    ks.forEach((k, j) => indices.set(idx.subarray(k * rank + 1, (k + 1) * rank), j * (rank - 1)));
    const values = Array.isArray(vals) ? [] : new vals.constructor(ks.length);
    ks.forEach((k, j) => (values[j] = vals[k]));
    return {
      sparse: true,
      indices: { dtype: 'int64', shape: [ks.length, rank - 1], values: indices },
      values: { dtype: h.values.dtype, shape: [ks.length], values: values as unknown as DataValues },
      denseShape: { dtype: 'int64', shape: [rank - 1], values: ds.slice(1) },
    };
  });
}
