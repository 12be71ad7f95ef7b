/**
 * `Dataset.cache(filename)`: the elements of the first complete pass are written to a TFRecord file
 * (one record per element, after a header record with the element spec and before an end record with
 * the count); later passes read that file instead of running the upstream pipeline. The framing is the
 * package's TFRecordWriter / readTFRecords (CRC-checked), through the DataFileSystem interface.
 *
 * A pass writes to a unique temporary name and renames it to `filename` only after the last element,
 * so a pass that stops early (or fails) never leaves a usable cache, and concurrent writers (other
 * iterators, other processes) never write into the same file. The payload format is documented in
 * docs/data.md ("Dataset.cache(filename) file format").
 */
import * as ef from '@eagerflow/core';
import type { DType, DataValues, Tensor } from '@eagerflow/core';
import { DataLossError, InvalidArgumentError } from './errors.js';
import { getFileSystem, type DataFileSystem } from './fs.js';
import {
  disposeElement,
  elementToHost,
  isHostSparse,
  isHostTensor,
  isPlainObject,
  SparseTensor,
  SparseTensorSpec,
  TensorSpec,
  type HostSparse,
  type HostTensor,
  type Spec,
} from './structure.js';
import { readTFRecords, RECORD_OVERHEAD, TFRecordWriter } from './tfrecord.js';

// ---- the element spec as stored in the header ------------------------------------------------------

/** Structure of a cached element: tensors, sparse tensors, plain JS values, lists and dicts. */
export type CacheSpec =
  | { kind: 'tensor'; dtype: DType; shape: (number | null)[] }
  | { kind: 'sparse'; dtype: DType; shape: (number | null)[] }
  | { kind: 'js' }
  | { kind: 'list'; items: CacheSpec[] }
  | { kind: 'dict'; entries: [string, CacheSpec][] };

const DTYPE_CODES: readonly DType[] = ['float32', 'int32', 'bool', 'int64', 'string'];

/** CacheSpec of a static Dataset spec. */
export function cacheSpecOfSpec(s: Spec): CacheSpec {
  if (s instanceof TensorSpec) return { kind: 'tensor', dtype: s.dtype, shape: [...s.shape] };
  if (s instanceof SparseTensorSpec) return { kind: 'sparse', dtype: s.dtype, shape: [...s.shape] };
  if (Array.isArray(s)) return { kind: 'list', items: s.map((x) => cacheSpecOfSpec(x as Spec)) };
  return { kind: 'dict', entries: Object.entries(s as Record<string, Spec>).map(([k, v]) => [k, cacheSpecOfSpec(v)]) };
}

/** CacheSpec of a host element (elementToHost output); dimensions are left unknown (null). */
function cacheSpecOfHost(x: unknown): CacheSpec {
  if (isHostSparse(x)) return { kind: 'sparse', dtype: x.values.dtype, shape: new Array<null>(x.denseShape.values.length).fill(null) };
  if (isHostTensor(x)) return { kind: 'tensor', dtype: x.dtype, shape: x.shape.map(() => null) };
  if (Array.isArray(x)) return { kind: 'list', items: x.map(cacheSpecOfHost) };
  if (isPlainObject(x)) return { kind: 'dict', entries: Object.keys(x).map((k) => [k, cacheSpecOfHost(x[k])]) };
  return { kind: 'js' };
}

/** TF-style text of a CacheSpec (as `specToString`; JS values print as `JSValue`). */
export function cacheSpecToString(s: CacheSpec): string {
  switch (s.kind) {
    case 'tensor':
      return new TensorSpec(s.shape, s.dtype).toString();
    case 'sparse':
      return new SparseTensorSpec(s.shape, s.dtype).toString();
    case 'js':
      return 'JSValue';
    case 'list':
      return `(${s.items.map(cacheSpecToString).join(', ')}${s.items.length === 1 ? ',' : ''})`;
    case 'dict':
      return `{${s.entries.map(([k, v]) => `'${k}': ${cacheSpecToString(v)}`).join(', ')}}`;
  }
}

/** Whether the two specs describe the same structure, dtypes and ranks (unknown dimensions match any). */
export function cacheSpecsCompatible(a: CacheSpec, b: CacheSpec): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'tensor':
    case 'sparse': {
      const o = b as typeof a;
      return a.dtype === o.dtype && a.shape.length === o.shape.length && a.shape.every((d, i) => d === null || o.shape[i] === null || d === o.shape[i]);
    }
    case 'js':
      return true;
    case 'list': {
      const o = b as typeof a;
      return a.items.length === o.items.length && a.items.every((x, i) => cacheSpecsCompatible(x, o.items[i]!));
    }
    case 'dict': {
      const o = new Map((b as typeof a).entries);
      return a.entries.length === o.size && a.entries.every(([k, v]) => o.has(k) && cacheSpecsCompatible(v, o.get(k)!));
    }
  }
}

function validCacheSpec(x: unknown): x is CacheSpec {
  if (!x || typeof x !== 'object') return false;
  const s = x as Record<string, unknown>;
  switch (s.kind) {
    case 'tensor':
    case 'sparse':
      return DTYPE_CODES.includes(s.dtype as DType) && Array.isArray(s.shape) && s.shape.every((d) => d === null || (Number.isInteger(d) && (d as number) >= 0));
    case 'js':
      return true;
    case 'list':
      return Array.isArray(s.items) && s.items.every(validCacheSpec);
    case 'dict':
      return Array.isArray(s.entries) && s.entries.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && validCacheSpec(e[1]));
    default:
      return false;
  }
}

// ---- record payloads -----------------------------------------------------------------------------

/** First 8 bytes of the header payload: "EFCACHE" and the format version. */
export const CACHE_MAGIC = new Uint8Array([0x45, 0x46, 0x43, 0x41, 0x43, 0x48, 0x45, 0x01]);
export const CACHE_FORMAT_VERSION = 1;
const TAG_ELEMENT = 0x45; // 'E'
const TAG_END = 0x5a; // 'Z'

// Leaf kinds inside an element record.
const LEAF_TENSOR = 0;
const LEAF_SPARSE = 1;
const JS_NUMBER = 2;
const JS_BOOLEAN = 3;
const JS_STRING = 4;
const JS_BIGINT = 5;
const JS_NULL = 6;
const JS_UNDEFINED = 7;

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

interface CacheHeader {
  format: 'eagerflow.data.cache';
  version: number;
  /** null: unknown (an empty dataset without a static spec). */
  spec: CacheSpec | null;
}

export function encodeHeader(spec: CacheSpec | null): Uint8Array {
  const json = encoder.encode(JSON.stringify({ format: 'eagerflow.data.cache', version: CACHE_FORMAT_VERSION, spec } satisfies CacheHeader));
  const out = new Uint8Array(CACHE_MAGIC.length + json.length);
  out.set(CACHE_MAGIC);
  out.set(json, CACHE_MAGIC.length);
  return out;
}

export function encodeEnd(count: number): Uint8Array {
  const json = encoder.encode(JSON.stringify({ count }));
  const out = new Uint8Array(1 + json.length);
  out[0] = TAG_END;
  out.set(json, 1);
  return out;
}

/** Byte sink for one element record: sized first, then written into one buffer. */
class Out {
  parts: (Uint8Array | number)[] = [];
  size = 0;
  u8(v: number): void {
    this.parts.push(v);
    this.size += 1;
  }
  bytes(b: Uint8Array): void {
    this.parts.push(b);
    this.size += b.length;
  }
  u32(v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v, true);
    this.bytes(b);
  }
  u64(v: number): void {
    const b = new Uint8Array(8);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, v >>> 0, true);
    dv.setUint32(4, Math.floor(v / 0x100000000), true);
    this.bytes(b);
  }
  f64(v: number): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, true);
    this.bytes(b);
  }
  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let off = 0;
    for (const p of this.parts) {
      if (typeof p === 'number') out[off++] = p;
      else {
        out.set(p, off);
        off += p.length;
      }
    }
    return out;
  }
}

function numericBytes(h: HostTensor): Uint8Array {
  const v = h.values as Exclude<DataValues, Uint8Array[]>;
  if (h.dtype === 'bool') {
    const b = v as Uint8Array;
    // Normalise to 0/1 (a bool tensor may hold any non-zero byte).
    return b.every((x) => x <= 1) ? b : b.map((x) => (x ? 1 : 0));
  }
  if (LITTLE_ENDIAN_HOST) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  const out = new Uint8Array(v.byteLength);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < v.length; i++) {
    if (h.dtype === 'float32') dv.setFloat32(i * 4, (v as Float32Array)[i]!, true);
    else if (h.dtype === 'int32') dv.setInt32(i * 4, (v as Int32Array)[i]!, true);
    else dv.setBigInt64(i * 8, (v as BigInt64Array)[i]!, true);
  }
  return out;
}

function encodeTensorBody(h: HostTensor, out: Out): void {
  const code = DTYPE_CODES.indexOf(h.dtype);
  if (code < 0) throw new InvalidArgumentError(`cache: unsupported dtype ${h.dtype}`);
  out.u8(code);
  out.u32(h.shape.length);
  for (const d of h.shape) out.u64(d);
  if (h.dtype === 'string') {
    for (const s of h.values as (Uint8Array | string)[]) {
      const b = typeof s === 'string' ? encoder.encode(s) : s;
      out.u64(b.length);
      out.bytes(b);
    }
  } else out.bytes(numericBytes(h));
}

function describe(x: unknown): string {
  if (isHostSparse(x)) return new SparseTensorSpec(new Array<null>(x.denseShape.values.length).fill(null), x.values.dtype).toString();
  if (isHostTensor(x)) return new TensorSpec(x.shape, x.dtype).toString();
  if (Array.isArray(x)) return `a list of ${x.length}`;
  if (isPlainObject(x)) return `a dict with keys [${Object.keys(x).join(', ')}]`;
  return `a JS ${x === null ? 'null' : typeof x}`;
}

/** Element record payload of a host element that follows `spec` (throws InvalidArgumentError if not). */
export function encodeElement(spec: CacheSpec, host: unknown, what = 'cache'): Uint8Array {
  const out = new Out();
  out.u8(TAG_ELEMENT);
  const walk = (s: CacheSpec, x: unknown, path: string): void => {
    const mismatch = (): never => {
      throw new InvalidArgumentError(`${what}: component '${path || '<root>'}' is ${describe(x)}, the cache's element spec says ${cacheSpecToString(s)}`);
    };
    switch (s.kind) {
      case 'tensor': {
        if (!isHostTensor(x) || !cacheSpecsCompatible(s, { kind: 'tensor', dtype: x.dtype, shape: x.shape })) mismatch();
        out.u8(LEAF_TENSOR);
        encodeTensorBody(x as HostTensor, out);
        return;
      }
      case 'sparse': {
        if (!isHostSparse(x) || x.values.dtype !== s.dtype || x.denseShape.values.length !== s.shape.length) mismatch();
        const sp = x as HostSparse;
        out.u8(LEAF_SPARSE);
        encodeTensorBody(sp.indices, out);
        encodeTensorBody(sp.values, out);
        encodeTensorBody(sp.denseShape, out);
        return;
      }
      case 'js': {
        if (typeof x === 'number') {
          out.u8(JS_NUMBER);
          out.f64(x);
        } else if (typeof x === 'boolean') {
          out.u8(JS_BOOLEAN);
          out.u8(x ? 1 : 0);
        } else if (typeof x === 'string' || typeof x === 'bigint') {
          const b = encoder.encode(String(x));
          out.u8(typeof x === 'string' ? JS_STRING : JS_BIGINT);
          out.u64(b.length);
          out.bytes(b);
        } else if (x === null) out.u8(JS_NULL);
        else if (x === undefined) out.u8(JS_UNDEFINED);
        else {
          throw new InvalidArgumentError(
            `${what}: component '${path || '<root>'}' (${Object.prototype.toString.call(x)}) cannot be cached; elements may hold tensors, SparseTensors, numbers, booleans, strings, bigints and null`,
          );
        }
        return;
      }
      case 'list': {
        if (!Array.isArray(x) || x.length !== s.items.length) mismatch();
        s.items.forEach((c, i) => walk(c, (x as unknown[])[i], `${path}[${i}]`));
        return;
      }
      case 'dict': {
        if (!isPlainObject(x) || Object.keys(x).length !== s.entries.length) mismatch();
        for (const [k, c] of s.entries) {
          if (!(k in (x as object))) mismatch();
          walk(c, (x as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
        }
        return;
      }
    }
  };
  walk(spec, host, '');
  return out.finish();
}

/** Thrown by the payload decoders; turned into a DataLossError naming file and record offset. */
class FormatError extends Error {}

class In {
  private readonly dv: DataView;
  pos = 0;
  constructor(readonly buf: Uint8Array) {
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  need(n: number, what: string): void {
    if (this.pos + n > this.buf.length) throw new FormatError(`record ends inside ${what} (byte ${this.pos} of ${this.buf.length}, ${n} more needed)`);
  }
  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }
  u32(what: string): number {
    this.need(4, what);
    const v = this.dv.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  u64(what: string): number {
    this.need(8, what);
    const lo = this.dv.getUint32(this.pos, true);
    const hi = this.dv.getUint32(this.pos + 4, true);
    if (hi > 0x1fffff) throw new FormatError(`${what} ${BigInt(hi) * 2n ** 32n + BigInt(lo)} is too large`);
    this.pos += 8;
    return hi * 0x100000000 + lo;
  }
  f64(what: string): number {
    this.need(8, what);
    const v = this.dv.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }
  /** A copy (the record is a view into a read buffer). */
  take(n: number, what: string): Uint8Array {
    this.need(n, what);
    const b = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
}

function decodeTensorBody(r: In): HostTensor {
  const code = r.u8('a dtype code');
  const dtype = DTYPE_CODES[code];
  if (!dtype) throw new FormatError(`unknown dtype code ${code}`);
  const rank = r.u32('a rank');
  if (rank > 64) throw new FormatError(`rank ${rank} is implausible`);
  const shape: number[] = [];
  let size = 1;
  for (let i = 0; i < rank; i++) {
    const d = r.u64('a dimension');
    shape.push(d);
    size *= d;
  }
  let values: DataValues;
  if (dtype === 'string') {
    if (size > r.buf.length) throw new FormatError(`a string tensor of ${size} elements does not fit in the record`);
    const strs: Uint8Array[] = new Array(size);
    for (let i = 0; i < size; i++) strs[i] = r.take(r.u64('a string length'), 'string bytes');
    values = strs;
  } else {
    const width = dtype === 'bool' ? 1 : dtype === 'int64' ? 8 : 4;
    const bytes = r.take(size * width, `${dtype} data of shape [${shape}]`);
    if (dtype === 'bool') values = bytes;
    else if (LITTLE_ENDIAN_HOST) values = dtype === 'float32' ? new Float32Array(bytes.buffer) : dtype === 'int32' ? new Int32Array(bytes.buffer) : new BigInt64Array(bytes.buffer);
    else {
      const dv = new DataView(bytes.buffer);
      if (dtype === 'float32') values = Float32Array.from({ length: size }, (_, i) => dv.getFloat32(i * 4, true));
      else if (dtype === 'int32') values = Int32Array.from({ length: size }, (_, i) => dv.getInt32(i * 4, true));
      else values = BigInt64Array.from({ length: size }, (_, i) => dv.getBigInt64(i * 8, true));
    }
  }
  return { dtype, shape, values };
}

/** Element (tensors created) from an element record payload. */
export function decodeElement(spec: CacheSpec, payload: Uint8Array): unknown {
  const r = new In(payload);
  const tag = r.u8('the record tag');
  if (tag !== TAG_ELEMENT) throw new FormatError(`expected an element record (tag 0x45), found tag 0x${tag.toString(16)}`);
  const made: Tensor[] = [];
  const tensor = (h: HostTensor): Tensor => {
    const t = ef.makeTensor(h.values, h.shape, h.dtype);
    made.push(t);
    return t;
  };
  const walk = (s: CacheSpec, path: string): unknown => {
    switch (s.kind) {
      case 'tensor': {
        const k = r.u8('a leaf kind');
        if (k !== LEAF_TENSOR) throw new FormatError(`component '${path || '<root>'}': expected a tensor (leaf kind 0), found kind ${k}`);
        const h = decodeTensorBody(r);
        if (!cacheSpecsCompatible(s, { kind: 'tensor', dtype: h.dtype, shape: h.shape })) {
          throw new FormatError(`component '${path || '<root>'}' is ${new TensorSpec(h.shape, h.dtype)}, the header says ${cacheSpecToString(s)}`);
        }
        return tensor(h);
      }
      case 'sparse': {
        const k = r.u8('a leaf kind');
        if (k !== LEAF_SPARSE) throw new FormatError(`component '${path || '<root>'}': expected a SparseTensor (leaf kind 1), found kind ${k}`);
        const indices = decodeTensorBody(r);
        const values = decodeTensorBody(r);
        const denseShape = decodeTensorBody(r);
        if (values.dtype !== s.dtype || indices.dtype !== 'int64' || denseShape.dtype !== 'int64') {
          throw new FormatError(`component '${path || '<root>'}': a sparse tensor of ${values.dtype} values, the header says ${cacheSpecToString(s)}`);
        }
        return new SparseTensor(tensor(indices), tensor(values), tensor(denseShape));
      }
      case 'js': {
        const k = r.u8('a leaf kind');
        switch (k) {
          case JS_NUMBER:
            return r.f64('a number');
          case JS_BOOLEAN:
            return r.u8('a boolean') !== 0;
          case JS_STRING:
          case JS_BIGINT: {
            const b = r.take(r.u64('a string length'), 'string bytes');
            let text: string;
            try {
              text = decoder.decode(b);
            } catch {
              throw new FormatError(`component '${path || '<root>'}': invalid UTF-8`);
            }
            if (k === JS_STRING) return text;
            if (!/^-?\d+$/.test(text)) throw new FormatError(`component '${path || '<root>'}': invalid bigint ${JSON.stringify(text)}`);
            return BigInt(text);
          }
          case JS_NULL:
            return null;
          case JS_UNDEFINED:
            return undefined;
          default:
            throw new FormatError(`component '${path || '<root>'}': unknown leaf kind ${k}`);
        }
      }
      case 'list':
        return s.items.map((c, i) => walk(c, `${path}[${i}]`));
      case 'dict': {
        const o: Record<string, unknown> = {};
        for (const [k, c] of s.entries) o[k] = walk(c, path ? `${path}.${k}` : k);
        return o;
      }
    }
  };
  try {
    const x = walk(spec, '');
    if (r.pos !== payload.length) throw new FormatError(`${payload.length - r.pos} unexpected bytes after the element`);
    return x;
  } catch (e) {
    for (const t of made) t.dispose();
    throw e;
  }
}

function decodeHeader(payload: Uint8Array): CacheHeader {
  if (payload.length < CACHE_MAGIC.length || CACHE_MAGIC.some((b, i) => payload[i] !== b)) {
    if (payload.length >= 7 && CACHE_MAGIC.slice(0, 7).every((b, i) => payload[i] === b)) {
      throw new FormatError(`cache format version ${payload[7]} is not supported (this build reads version ${CACHE_FORMAT_VERSION})`);
    }
    throw new FormatError('not a dataset cache file (the first record lacks the EFCACHE header)');
  }
  let h: CacheHeader;
  try {
    h = JSON.parse(decoder.decode(payload.subarray(CACHE_MAGIC.length))) as CacheHeader;
  } catch (e) {
    throw new FormatError(`unreadable header JSON (${(e as Error).message})`);
  }
  if (h?.format !== 'eagerflow.data.cache' || (h.spec !== null && !validCacheSpec(h.spec))) throw new FormatError('malformed header');
  return h;
}

function decodeEnd(payload: Uint8Array): number {
  let v: { count?: unknown };
  try {
    v = JSON.parse(decoder.decode(payload.subarray(1))) as { count?: unknown };
  } catch (e) {
    throw new FormatError(`unreadable end record (${(e as Error).message})`);
  }
  if (!Number.isInteger(v?.count)) throw new FormatError('malformed end record');
  return v.count as number;
}

// ---- iteration -----------------------------------------------------------------------------------

export interface CacheFileOptions {
  /** File system (default: the installed one, Node's fs on Node). */
  fs?: DataFileSystem;
}

/** Files of this process being written now, per file system (a second iterator does not write them). */
const writing = new WeakMap<DataFileSystem, Set<string>>();

function randomSuffix(): string {
  const c = (globalThis as { crypto?: { randomUUID?(): string } }).crypto;
  return c?.randomUUID?.().slice(0, 13) ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * One pass of `cache(filename)`: reads the cache file if it exists (checking its spec against
 * `staticSpec`), otherwise runs `source` and writes the file (temporary name, renamed at the end).
 */
export async function* cacheFilePass<T>(source: AsyncIterable<T>, staticSpec: Spec | undefined, filename: string, options: CacheFileOptions = {}): AsyncGenerator<T> {
  const fs = options.fs ?? getFileSystem();
  if (await fs.exists(filename)) {
    yield* readCacheFile<T>(filename, fs, staticSpec);
    return;
  }
  let active = writing.get(fs);
  if (!active) writing.set(fs, (active = new Set()));
  if (active.has(filename)) {
    // Another iterator of this process is writing this cache: compute the elements without writing.
    yield* source;
    return;
  }
  active.add(filename);
  try {
    yield* writeCacheFile(source, staticSpec, filename, fs);
  } finally {
    active.delete(filename);
  }
}

async function* writeCacheFile<T>(source: AsyncIterable<T>, staticSpec: Spec | undefined, filename: string, fs: DataFileSystem): AsyncGenerator<T> {
  const temp = `${filename}.tmp-${randomSuffix()}`;
  const writer = new TFRecordWriter(temp, { fs });
  let spec: CacheSpec | null = staticSpec === undefined ? null : cacheSpecOfSpec(staticSpec);
  let headerWritten = false;
  let count = 0;
  let complete = false;
  try {
    for await (const x of source) {
      let payload: Uint8Array;
      try {
        const host = await elementToHost(x);
        spec ??= cacheSpecOfHost(host);
        payload = encodeElement(spec, host, `cache('${filename}') element ${count}`);
      } catch (e) {
        disposeElement(x);
        throw e;
      }
      if (!headerWritten) {
        await writer.write(encodeHeader(spec));
        headerWritten = true;
      }
      await writer.write(payload);
      count++;
      yield x;
    }
    if (!headerWritten) await writer.write(encodeHeader(spec));
    await writer.write(encodeEnd(count));
    await writer.close();
    await publish(fs, temp, filename);
    complete = true;
  } finally {
    if (!complete) {
      // Stopped early or failed: the partial file is never used (TF discards it too).
      await writer.close().catch(() => undefined);
      await fs.remove?.(temp).catch(() => undefined);
    }
  }
}

/** Moves the complete temporary file to its name (atomically where the file system can rename). */
async function publish(fs: DataFileSystem, temp: string, filename: string): Promise<void> {
  if (fs.rename) {
    try {
      await fs.rename(temp, filename);
      return;
    } catch (e) {
      // A concurrent writer published first (file systems that refuse to overwrite): keep theirs.
      if (await fs.exists(filename)) {
        await fs.remove?.(temp).catch(() => undefined);
        return;
      }
      throw e;
    }
  }
  // No rename: copy. Not atomic, but the end record still marks a complete file.
  const out = await fs.openWrite(filename);
  try {
    for await (const chunk of fs.readChunks(temp)) await out.write(chunk);
  } finally {
    await out.close();
  }
  await fs.remove?.(temp).catch(() => undefined);
}

async function* readCacheFile<T>(filename: string, fs: DataFileSystem, staticSpec: Spec | undefined): AsyncGenerator<T> {
  let offset = 0;
  let header: CacheHeader | undefined;
  let count = 0;
  let ended = false;
  const fail = (message: string, at: number): DataLossError =>
    new DataLossError(`${filename}: corrupted dataset cache: ${message} (at offset ${at} in ${filename}); delete the file to rebuild the cache`, filename, at);
  for await (const group of readTFRecords(filename, { fs }).batches()) {
    for (const rec of group) {
      const at = offset;
      offset += rec.length + RECORD_OVERHEAD;
      if (ended) throw fail('a record follows the end record', at);
      let element: unknown;
      try {
        if (!header) {
          header = decodeHeader(rec);
          if (staticSpec !== undefined && header.spec !== null) {
            const want = cacheSpecOfSpec(staticSpec);
            if (!cacheSpecsCompatible(header.spec, want)) {
              throw new InvalidArgumentError(
                `cache('${filename}'): the cache file holds elements of spec ${cacheSpecToString(header.spec)}, but the dataset's element spec is ${cacheSpecToString(want)}; delete the file or use another cache filename`,
              );
            }
          }
          continue;
        }
        if (rec[0] === TAG_END) {
          const n = decodeEnd(rec);
          if (n !== count) throw new FormatError(`the end record says ${n} elements, the file holds ${count}`);
          ended = true;
          continue;
        }
        if (header.spec === null) throw new FormatError('an element record in a cache whose header has no element spec');
        element = decodeElement(header.spec, rec);
      } catch (e) {
        if (e instanceof FormatError) throw fail(e.message, at);
        throw e;
      }
      count++;
      yield element as T;
    }
  }
  if (!header) throw fail('the file holds no header record (empty or not a dataset cache)', offset);
  if (!ended) throw fail(`the end record is missing after ${count} elements (the file is truncated or was written by an interrupted pass)`, offset);
}
