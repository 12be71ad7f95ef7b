import type { Backend } from './backend.js';
import type { DType, DataValues } from './dtype.js';
import { OpError } from './errors.js';
import { sizeOf, type Shape } from './shape.js';

/** What a tensor needs from the engine; set once by engine.ts (avoids an import cycle). */
export interface TensorHost {
  read(t: Tensor): Promise<DataValues>;
  readSync(t: Tensor): DataValues;
  dispose(t: Tensor): void;
}
let host: TensorHost | undefined;
export function setTensorHost(h: TensorHost): void {
  host = h;
}
function theHost(): TensorHost {
  if (!host) throw new Error('eagerflow: engine not initialised');
  return host;
}

export type NestedArray = number | boolean | string | bigint | Uint8Array | NestedArray[];

let nextTensorId = 0;

/** An immutable n-dimensional array living on one backend. */
export class Tensor {
  readonly id = nextTensorId++;
  readonly shape: readonly number[];
  readonly size: number;
  /** @internal backend storage handle; replaced when a variable is assigned or data moves */
  storage: unknown;
  /** @internal */
  backend: Backend;
  /** @internal excluded from tidy() disposal */
  kept = false;
  /** @internal number of gradient tapes holding this tensor for backward */
  tapeHolds = 0;
  /** @internal dispose() was called while a tape held the tensor */
  disposePending = false;
  /** @internal storage released */
  released = false;

  constructor(
    shape: Shape,
    readonly dtype: DType,
    storage: unknown,
    backend: Backend,
  ) {
    // A frozen shape (another tensor's, passed on by an op's shape inference) is shared as is.
    this.shape = Object.isFrozen(shape) ? shape : Object.freeze([...shape]);
    this.size = sizeOf(shape);
    this.storage = storage;
    this.backend = backend;
  }

  get rank(): number {
    return this.shape.length;
  }

  get isDisposed(): boolean {
    return this.released || this.disposePending;
  }

  /** Flat values (copied to the host). */
  data(): Promise<DataValues> {
    return theHost().read(this);
  }

  /** Flat values, synchronously; only on backends that can read synchronously (CPU). */
  dataSync(): DataValues {
    return theHost().readSync(this);
  }

  async array(): Promise<NestedArray> {
    return toNested(await this.data(), this.shape);
  }

  arraySync(): NestedArray {
    return toNested(this.dataSync(), this.shape);
  }

  /** First element as a JS number (for scalars such as a loss). */
  async item(): Promise<number> {
    const d = await this.data();
    if (this.size !== 1) throw new OpError('item', `tensor has ${this.size} elements, expected 1`);
    return Number(Array.isArray(d) ? NaN : d[0]);
  }

  toString(): string {
    const head = `Tensor(shape=[${this.shape.join(',')}], dtype=${this.dtype}, backend=${this.backend.name})`;
    if (this.released) return `${head} <disposed>`;
    if (!this.backend.readSync) return `${head} <values on '${this.backend.name}': use await t.array()>`;
    const values = toNested(this.backend.readSync(this.storage, this), this.shape);
    return `${head}\n${formatNested(values, this.dtype === 'bool')}`;
  }

  print(): void {
    console.log(this.toString());
  }

  dispose(): void {
    theHost().dispose(this);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

export function toNested(values: DataValues, shape: readonly number[]): NestedArray {
  const read = (i: number): NestedArray => {
    const v = values[i]!;
    return v instanceof Uint8Array ? new TextDecoder().decode(v) : (v as number | bigint);
  };
  if (shape.length === 0) return read(0);
  const build = (dim: number, offset: number): NestedArray[] => {
    const n = shape[dim]!;
    const inner = sizeOf(shape.slice(dim + 1));
    const out: NestedArray[] = [];
    for (let i = 0; i < n; i++) {
      out.push(dim === shape.length - 1 ? read(offset + i) : build(dim + 1, offset + i * inner));
    }
    return out;
  };
  return build(0, 0);
}

/** Formats one number with up to 6 significant digits ("0.333333", "1.5", "120000", "1.5e+21"). */
export function formatNumber(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e21) return String(v);
  if (!Number.isFinite(v)) return String(v);
  const p = v.toPrecision(6);
  const [mant, exp] = p.split('e');
  const trimmed = mant!.includes('.') ? mant!.replace(/\.?0+$/, '') : mant!;
  return exp === undefined ? trimmed : `${trimmed}e${exp}`;
}

function formatNested(x: NestedArray, bool = false): string {
  const fmt = (v: NestedArray): string => {
    if (Array.isArray(v)) return `[${v.map(fmt).join(', ')}]`;
    if (typeof v === 'number') return bool ? String(v !== 0) : formatNumber(v);
    return typeof v === 'string' ? JSON.stringify(v) : String(v);
  };
  const s = fmt(x);
  return s.length > 2000 ? `${s.slice(0, 2000)} …` : s;
}

/** Shape of a nested JS array; throws when ragged. */
export function inferShape(x: unknown): number[] {
  const shape: number[] = [];
  let cur: unknown = x;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  const at = (path: number[]) => (path.length ? ` at values${path.map((i) => `[${i}]`).join('')}` : '');
  const check = (v: unknown, dim: number, path: number[]): void => {
    if (dim === shape.length) {
      if (Array.isArray(v)) throw new OpError('tensor', `ragged nested array${at(path)}: expected a scalar (rank ${shape.length}), found an array of length ${v.length}`);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      throw new OpError('tensor', `ragged nested array${at(path)}: dimension ${dim} expected length ${shape[dim]}, found ${Array.isArray(v) ? `length ${v.length}` : 'a scalar'}`);
    }
    if (dim === shape.length - 1) {
      for (let i = 0; i < v.length; i++) if (Array.isArray(v[i])) check(v[i], dim + 1, [...path, i]);
      return;
    }
    for (let i = 0; i < v.length; i++) {
      path.push(i);
      check(v[i], dim + 1, path);
      path.pop();
    }
  };
  check(x, 0, []);
  return shape;
}

export function flattenNested(x: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(x)) for (const e of x) flattenNested(e, out);
  else out.push(x);
  return out;
}
