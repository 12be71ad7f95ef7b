/**
 * Parsing serialized Examples into tensors (TF's tf.io.parse_single_example / parse_example /
 * parse_single_sequence_example, FixedLenFeature / VarLenFeature / FixedLenSequenceFeature, decode_raw).
 *
 * The work is done on the host by `*Host` functions (flat typed arrays, usable in workers); the public
 * functions wrap the result in tensors. int64 values are decoded exactly into BigInt64Array storage.
 */
import * as ef from '@eagerflow/core';
import type { DType, Tensor } from '@eagerflow/core';
import { describeValue, InvalidArgumentError } from './errors.js';
import { forEachMapEntryRange, lenFieldRanges, toLong, type Int64Like } from './example.js';
import { ProtoError, ProtoReader, WIRE_I32, WIRE_LEN, WIRE_VARINT } from '@eagerflow/io';
import { batchSparseHost, hostToLeaf, isTensor, stackHost, SparseTensor, type HostSparse, type HostTensor, type Leaf } from './structure.js';

/** dtypes a feature can be parsed to: TF's three, plus int32 (int64 values range-checked). */
export type FeatureDType = 'float32' | 'int64' | 'string' | 'int32';
type DefaultValue = number | bigint | string | Uint8Array | boolean | readonly unknown[];

export interface FixedLenFeatureSpec {
  readonly type: 'FixedLenFeature';
  readonly shape: readonly number[];
  readonly dtype: FeatureDType;
  readonly defaultValue?: DefaultValue;
}
export interface VarLenFeatureSpec {
  readonly type: 'VarLenFeature';
  readonly dtype: FeatureDType;
}
export interface FixedLenSequenceFeatureSpec {
  readonly type: 'FixedLenSequenceFeature';
  readonly shape: readonly number[];
  readonly dtype: FeatureDType;
  readonly allowMissing: boolean;
  readonly defaultValue?: DefaultValue;
}
export type FeatureSpec = FixedLenFeatureSpec | VarLenFeatureSpec;
export type SequenceFeatureSpec = FixedLenSequenceFeatureSpec | VarLenFeatureSpec;

const DTYPES: readonly string[] = ['float32', 'int64', 'string', 'int32'];
function checkDtype(dtype: string, what: string): FeatureDType {
  if (!DTYPES.includes(dtype)) throw new InvalidArgumentError(`${what}: dtype must be one of ${DTYPES.join(', ')}; found ${JSON.stringify(dtype)}`);
  return dtype as FeatureDType;
}
function checkShape(shape: readonly number[], what: string): number[] {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new InvalidArgumentError(`${what}: shape must be an array of non-negative integers; found ${JSON.stringify(shape)}`);
  }
  return [...shape];
}

/** A feature with a known shape: parses to a dense tensor of `shape` (TF's tf.io.FixedLenFeature). */
export function FixedLenFeature(shape: readonly number[], dtype: FeatureDType, defaultValue?: DefaultValue): FixedLenFeatureSpec {
  return { type: 'FixedLenFeature', shape: checkShape(shape, 'FixedLenFeature'), dtype: checkDtype(dtype, 'FixedLenFeature'), defaultValue };
}
/** A feature of any length: parses to a SparseTensor (TF's tf.io.VarLenFeature). */
export function VarLenFeature(dtype: FeatureDType): VarLenFeatureSpec {
  return { type: 'VarLenFeature', dtype: checkDtype(dtype, 'VarLenFeature') };
}
/** Per-time-step feature of a SequenceExample: parses to [steps, ...shape]. */
export function FixedLenSequenceFeature(
  shape: readonly number[],
  dtype: FeatureDType,
  options: { allowMissing?: boolean; defaultValue?: DefaultValue } = {},
): FixedLenSequenceFeatureSpec {
  return {
    type: 'FixedLenSequenceFeature',
    shape: checkShape(shape, 'FixedLenSequenceFeature'),
    dtype: checkDtype(dtype, 'FixedLenSequenceFeature'),
    allowMissing: options.allowMissing ?? false,
    defaultValue: options.defaultValue,
  };
}

const KIND_NONE = 0;
const KIND_BYTES = 1;
const KIND_FLOAT = 2;
const KIND_INT64 = 3;
const KIND_NAMES = ['no kind', 'bytes_list', 'float_list', 'int64_list'];
const kindFor = (dtype: FeatureDType): number => (dtype === 'string' ? KIND_BYTES : dtype === 'float32' ? KIND_FLOAT : KIND_INT64);
const storageDtype = (dtype: FeatureDType): DType => dtype;

// ---- compiled specs ------------------------------------------------------------------------------

interface Compiled<S> {
  names: string[];
  specs: S[];
  keyBytes: Uint8Array[];
  /** Default values as host tensors (FixedLen with a default). */
  defaults: (HostTensor | undefined)[];
  byName: Map<string, number>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const compiledCache = new WeakMap<object, Compiled<unknown>>();

function compile<S extends FeatureSpec | SequenceFeatureSpec>(features: Record<string, S>, what: string): Compiled<S> {
  if (typeof features !== 'object' || features === null || Array.isArray(features)) throw new InvalidArgumentError(`${what}: features must be an object of name → FixedLenFeature/VarLenFeature; found ${describeValue(features)}`);
  const cached = compiledCache.get(features);
  if (cached) return cached as Compiled<S>;
  const names = Object.keys(features);
  const specs = names.map((n) => {
    const s = features[n];
    if (!s || typeof s !== 'object' || !('type' in s)) throw new InvalidArgumentError(`${what}: feature '${n}' needs a FixedLenFeature/VarLenFeature spec; found ${describeValue(s)}`);
    return s;
  });
  const defaults = specs.map((s, i) => {
    if (s.type === 'VarLenFeature' || s.defaultValue === undefined) return undefined;
    return defaultHost(s.defaultValue, s.shape, s.dtype, names[i]!);
  });
  const c: Compiled<S> = { names, specs, keyBytes: names.map((n) => encoder.encode(n)), defaults, byName: new Map(names.map((n, i) => [n, i])) };
  compiledCache.set(features, c);
  return c;
}

function defaultHost(value: DefaultValue, shape: readonly number[], dtype: FeatureDType, name: string): HostTensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const flat = Array.isArray(value) ? (value as unknown[]).flat(Infinity) : [value];
  if (flat.length !== 1 && flat.length !== n) {
    throw new InvalidArgumentError(`feature '${name}': default value has ${flat.length} elements but shape [${shape}] needs ${n}`);
  }
  const get = (i: number): unknown => flat[flat.length === 1 ? 0 : i];
  let values: HostTensor['values'];
  if (dtype === 'string') values = Array.from({ length: n }, (_, i) => toBytesValue(get(i), name));
  else if (dtype === 'float32') values = Float32Array.from({ length: n }, (_, i) => defaultNumber(get(i), dtype, name) as number);
  else if (dtype === 'int32') values = Int32Array.from({ length: n }, (_, i) => defaultNumber(get(i), dtype, name) as number);
  else values = BigInt64Array.from({ length: n }, (_, i) => defaultNumber(get(i), dtype, name) as bigint);
  return { dtype: storageDtype(dtype), shape: [...shape], values };
}
/** One default element as the feature's dtype; like TF, a value the dtype cannot hold (1.5 or 2^40 for int32) is refused. */
function defaultNumber(v: unknown, dtype: FeatureDType, name: string): number | bigint {
  const x = typeof v === 'boolean' ? Number(v) : v;
  const where = `feature '${name}': default value (${dtype})`;
  if (dtype === 'float32') {
    if (typeof x !== 'number' && typeof x !== 'bigint') throw new InvalidArgumentError(`${where} must be a number, found ${typeof x} ${JSON.stringify(String(x))}`);
    return Number(x);
  }
  const l = toLong(x as Int64Like, where);
  if (dtype === 'int64') return BigInt(l.toString());
  if (l.high !== l.low >> 31) throw new InvalidArgumentError(`${where}: ${l.toString()} does not fit in int32`);
  return l.low;
}
function toBytesValue(v: unknown, name: string): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') return encoder.encode(v);
  throw new InvalidArgumentError(`feature '${name}': default value for a string feature must be a string or Uint8Array; found ${describeValue(v)}`);
}

// ---- locating features in the wire bytes -----------------------------------------------------------

/** Per spec feature: kind and the value ranges (flat [start, end, start, end...]) of its list messages. */
interface Found {
  kind: number;
  ranges: number[];
}

function keyIndex<S>(c: Compiled<S>, buf: Uint8Array, ks: number, ke: number): number {
  const len = ke - ks;
  if (c.keyBytes.length <= 16) {
    outer: for (let i = 0; i < c.keyBytes.length; i++) {
      const k = c.keyBytes[i]!;
      if (k.length !== len) continue;
      for (let j = 0; j < len; j++) if (k[j] !== buf[ks + j]) continue outer;
      return i;
    }
    return -1;
  }
  return c.byName.get(decoder.decode(buf.subarray(ks, ke))) ?? -1;
}

/** Reads a Feature message in [s, e): its kind and list ranges (the same kind repeated merges). */
function readFeature(buf: Uint8Array, s: number, e: number): Found {
  const r = new ProtoReader(buf, s, e, 'Feature');
  let kind = KIND_NONE;
  let ranges: number[] = [];
  while (!r.done) {
    const tag = r.tag();
    const field = tag >>> 3;
    if ((tag & 7) === WIRE_LEN && field >= 1 && field <= 3) {
      const start = r.lenStart();
      if (field !== kind) ranges = [];
      kind = field;
      ranges.push(start, r.pos);
    } else r.skip(tag & 7);
  }
  return { kind, ranges };
}

/** Scans `Features` messages (ranges) and records the spec features found (last duplicate wins). */
function scanFeatures<S>(buf: Uint8Array, featuresRanges: number[], c: Compiled<S>, found: (Found | undefined)[]): void {
  for (let f = 0; f < featuresRanges.length; f += 2) {
    forEachMapEntryRange(buf, featuresRanges[f]!, featuresRanges[f + 1]!, 'Features', (ks, ke, vs, ve) => {
      const idx = ks < 0 ? -1 : keyIndex(c, buf, ks, ke);
      if (idx >= 0) found[idx] = readFeature(buf, vs, ve);
    });
  }
}

const topLevelRanges = (buf: Uint8Array, field: number, what: string): number[] => lenFieldRanges(buf, 0, buf.length, field, what);

// ---- value decoding ---------------------------------------------------------------------------------

function countValues(buf: Uint8Array, kind: number, ranges: number[]): number {
  let n = 0;
  for (let k = 0; k < ranges.length; k += 2) {
    const r = new ProtoReader(buf, ranges[k]!, ranges[k + 1]!, KIND_NAMES[kind]!);
    while (!r.done) {
      const tag = r.tag();
      if (tag === ((1 << 3) | WIRE_LEN)) {
        const s = r.lenStart();
        if (kind === KIND_BYTES) n++;
        else if (kind === KIND_FLOAT) {
          if ((r.pos - s) % 4) r.fail(`packed float length ${r.pos - s} is not a multiple of 4`);
          n += (r.pos - s) >>> 2;
        } else {
          for (let p = s; p < r.pos; p++) if (buf[p]! < 0x80) n++;
          if (r.pos > s && buf[r.pos - 1]! >= 0x80) r.fail('truncated packed varint');
        }
      } else if (kind === KIND_FLOAT && tag === ((1 << 3) | WIRE_I32)) {
        r.fixed32();
        n++;
      } else if (kind === KIND_INT64 && tag === ((1 << 3) | WIRE_VARINT)) {
        r.varint64();
        n++;
      } else r.skip(tag & 7);
    }
  }
  return n;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const TWO32 = 4294967296;

/** Writes the values into `out` starting at `at` (the caller sized it with countValues). */
function fillValues(buf: Uint8Array, kind: number, ranges: number[], dtype: FeatureDType, out: HostTensor['values'], at: number, name: string): void {
  if (kind === KIND_BYTES) fillBytes(buf, ranges, out as Uint8Array[], at);
  else if (kind === KIND_FLOAT) fillFloats(buf, ranges, out as Float32Array, at);
  else fillInt64s(buf, ranges, dtype, out as BigInt64Array | Int32Array, at, name);
}

function fillBytes(buf: Uint8Array, ranges: number[], out: Uint8Array[], at: number): void {
  let i = at;
  for (let k = 0; k < ranges.length; k += 2) {
    const r = new ProtoReader(buf, ranges[k]!, ranges[k + 1]!, 'BytesList');
    while (!r.done) {
      const tag = r.tag();
      if (tag === ((1 << 3) | WIRE_LEN)) {
        const s = r.lenStart();
        out[i++] = buf.subarray(s, r.pos); // a view into the serialized example (no copy)
      } else r.skip(tag & 7);
    }
  }
}

function fillFloats(buf: Uint8Array, ranges: number[], out: Float32Array, at: number): void {
  // Bits are stored, not values: a float → number → float round trip quiets signaling NaNs (TF copies bits).
  const bits = new Uint32Array(out.buffer, out.byteOffset, out.length);
  let i = at;
  for (let k = 0; k < ranges.length; k += 2) {
    const r = new ProtoReader(buf, ranges[k]!, ranges[k + 1]!, 'FloatList');
    while (!r.done) {
      const tag = r.tag();
      if (tag === ((1 << 3) | WIRE_LEN)) {
        const s = r.lenStart();
        const e = r.pos;
        if (LITTLE_ENDIAN && e - s >= 64) {
          // Bulk copy: the wire bytes are the Float32Array's memory layout.
          new Uint8Array(out.buffer, out.byteOffset + i * 4, e - s).set(buf.subarray(s, e));
          i += (e - s) >>> 2;
        } else {
          for (let p = s; p < e; p += 4) bits[i++] = buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16) | (buf[p + 3]! << 24);
        }
      } else if (tag === ((1 << 3) | WIRE_I32)) {
        bits[i++] = r.fixed32();
      } else r.skip(tag & 7);
    }
  }
}

function fillInt64s(buf: Uint8Array, ranges: number[], dtype: FeatureDType, out: BigInt64Array | Int32Array, at: number, name: string): void {
  let i = at;
  for (let k = 0; k < ranges.length; k += 2) {
    const r = new ProtoReader(buf, ranges[k]!, ranges[k + 1]!, 'Int64List');
    while (!r.done) {
      const tag = r.tag();
      if (tag === ((1 << 3) | WIRE_LEN)) {
        const s = r.lenStart();
        const ir = new ProtoReader(buf, s, r.pos, 'Int64List');
        while (!ir.done) {
          ir.varint64();
          putInt64(ir.lo, ir.hi, dtype, out, i++, name);
        }
      } else if (tag === ((1 << 3) | WIRE_VARINT)) {
        r.varint64();
        putInt64(r.lo, r.hi, dtype, out, i++, name);
      } else r.skip(tag & 7);
    }
  }
}

function putInt64(lo: number, hi: number, dtype: FeatureDType, out: BigInt64Array | Int32Array, i: number, name: string): void {
  if (dtype === 'int64') {
    const shi = hi | 0;
    // |value| < 2^53: exact through a double; otherwise assemble the 64 bits as a BigInt.
    if (shi >= -0x200000 && shi < 0x200000) (out as BigInt64Array)[i] = BigInt(shi * TWO32 + (lo >>> 0));
    else (out as BigInt64Array)[i] = BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
    return;
  }
  // int32: the 64-bit value must be a sign extension of its low half.
  if (!((hi === 0 && lo < 0x80000000) || (hi === 0xffffffff && lo >= 0x80000000))) {
    const v = BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
    throw new InvalidArgumentError(`feature '${name}': int64 value ${v} does not fit in int32; parse it as 'int64'`);
  }
  (out as Int32Array)[i] = lo | 0;
}

/** Storage for n values (string slots are left empty: every parser fills them). */
function alloc(dtype: FeatureDType, n: number): HostTensor['values'] {
  return dtype === 'string' ? new Array<Uint8Array>(n) : ef.allocArray(dtype, n);
}

function checkKind(found: Found, dtype: FeatureDType, name: string, where: string): void {
  const want = kindFor(dtype);
  if (found.kind !== want) {
    throw new InvalidArgumentError(`${where}feature '${name}': data is a ${KIND_NAMES[found.kind]} but the spec asks for ${dtype} (${KIND_NAMES[want]})`);
  }
}

function parseFixed(buf: Uint8Array, found: Found | undefined, spec: FixedLenFeatureSpec, dflt: HostTensor | undefined, name: string, where: string): HostTensor {
  if (!found || found.kind === KIND_NONE) {
    if (dflt) return { dtype: dflt.dtype, shape: dflt.shape, values: Array.isArray(dflt.values) ? dflt.values.slice() : dflt.values.slice() };
    throw new InvalidArgumentError(`${where}feature '${name}' is required but missing (FixedLenFeature without a default value)`);
  }
  checkKind(found, spec.dtype, name, where);
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const count = countValues(buf, found.kind, found.ranges);
  if (count !== n) {
    throw new InvalidArgumentError(`${where}feature '${name}': FixedLenFeature of shape [${spec.shape}] needs ${n} values, found ${count}`);
  }
  const values = alloc(spec.dtype, n);
  fillValues(buf, found.kind, found.ranges, spec.dtype, values, 0, name);
  return { dtype: storageDtype(spec.dtype), shape: [...spec.shape], values };
}

function parseVarLen(buf: Uint8Array, found: Found | undefined, spec: VarLenFeatureSpec, name: string, where: string): HostSparse {
  let n = 0;
  let values = alloc(spec.dtype, 0);
  if (found && found.kind !== KIND_NONE) {
    checkKind(found, spec.dtype, name, where);
    n = countValues(buf, found.kind, found.ranges);
    values = alloc(spec.dtype, n);
    fillValues(buf, found.kind, found.ranges, spec.dtype, values, 0, name);
  }
  const indices = new BigInt64Array(n);
  for (let i = 0; i < n; i++) indices[i] = BigInt(i);
  return {
    sparse: true,
    indices: { dtype: 'int64', shape: [n, 1], values: indices },
    values: { dtype: storageDtype(spec.dtype), shape: [n], values },
    denseShape: { dtype: 'int64', shape: [1], values: BigInt64Array.of(BigInt(n)) },
  };
}

function wrapProto<T>(fn: () => T, where: string): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ProtoError) throw new InvalidArgumentError(`${where}could not parse serialized example: ${e.message}`);
    throw e;
  }
}

// ---- public host-side API -------------------------------------------------------------------------

export type ParsedHost = Record<string, HostTensor | HostSparse>;

/** parseSingleExample on the host: flat typed arrays, no tensors (usable in worker threads). */
export function parseSingleExampleHost(serialized: Uint8Array, features: Record<string, FeatureSpec>, where = ''): ParsedHost {
  const c = compile(features, 'parseSingleExample');
  return wrapProto(() => {
    const found: (Found | undefined)[] = new Array(c.names.length);
    scanFeatures(serialized, topLevelRanges(serialized, 1, 'Example'), c, found);
    const out: ParsedHost = {};
    for (let i = 0; i < c.names.length; i++) {
      const spec = c.specs[i]!;
      const name = c.names[i]!;
      out[name] = spec.type === 'FixedLenFeature' ? parseFixed(serialized, found[i], spec, c.defaults[i], name, where) : parseVarLen(serialized, found[i], spec, name, where);
    }
    return out;
  }, where);
}

/** parseExample on the host: dense features stacked to [batch, ...shape], VarLen as batched sparse. */
export function parseExampleHost(serialized: readonly Uint8Array[], features: Record<string, FeatureSpec>): ParsedHost {
  const parsed = serialized.map((s, b) => parseSingleExampleHost(s, features, `example ${b}: `));
  const c = compile(features, 'parseExample');
  const out: ParsedHost = {};
  c.names.forEach((name, i) => {
    const spec = c.specs[i]!;
    const parts = parsed.map((p) => p[name]!);
    if (spec.type === 'VarLenFeature') {
      out[name] = parts.length
        ? batchSparseHost(parts as HostSparse[], `parseExample '${name}'`)
        : {
            sparse: true,
            indices: { dtype: 'int64', shape: [0, 2], values: new BigInt64Array(0) },
            values: { dtype: storageDtype(spec.dtype), shape: [0], values: alloc(spec.dtype, 0) },
            denseShape: { dtype: 'int64', shape: [2], values: BigInt64Array.of(0n, 0n) },
          };
    } else {
      out[name] = parts.length ? stackHost(parts as HostTensor[], `parseExample '${name}'`) : { dtype: storageDtype(spec.dtype), shape: [0, ...spec.shape], values: alloc(spec.dtype, 0) };
    }
  });
  return out;
}

export interface ParsedSequenceHost {
  context: ParsedHost;
  sequence: ParsedHost;
}

/** parseSingleSequenceExample on the host. */
export function parseSingleSequenceExampleHost(
  serialized: Uint8Array,
  contextFeatures: Record<string, FeatureSpec> = {},
  sequenceFeatures: Record<string, SequenceFeatureSpec> = {},
): ParsedSequenceHost {
  const cc = compile(contextFeatures, 'parseSingleSequenceExample context');
  const sc = compile(sequenceFeatures, 'parseSingleSequenceExample sequence');
  return wrapProto(() => {
    const found: (Found | undefined)[] = new Array(cc.names.length);
    scanFeatures(serialized, topLevelRanges(serialized, 1, 'SequenceExample'), cc, found);
    const context: ParsedHost = {};
    cc.names.forEach((name, i) => {
      const spec = cc.specs[i]!;
      context[name] = spec.type === 'FixedLenFeature' ? parseFixed(serialized, found[i], spec, cc.defaults[i], name, 'context ') : parseVarLen(serialized, found[i], spec, name, 'context ');
    });
    // feature_lists: map<string, FeatureList{repeated Feature = 1}>
    const lists: (Found[] | undefined)[] = new Array(sc.names.length);
    const flRanges = topLevelRanges(serialized, 2, 'SequenceExample');
    for (let f = 0; f < flRanges.length; f += 2) {
      forEachMapEntryRange(serialized, flRanges[f]!, flRanges[f + 1]!, 'FeatureLists', (ks, ke, vs, ve) => {
        const idx = ks < 0 ? -1 : keyIndex(sc, serialized, ks, ke);
        if (idx < 0) return;
        const ranges = lenFieldRanges(serialized, vs, ve, 1, 'FeatureList');
        const steps: Found[] = [];
        for (let t = 0; t < ranges.length; t += 2) steps.push(readFeature(serialized, ranges[t]!, ranges[t + 1]!));
        lists[idx] = steps;
      });
    }
    const sequence: ParsedHost = {};
    sc.names.forEach((name, i) => {
      const spec = sc.specs[i]!;
      const steps = lists[i];
      if (spec.type === 'VarLenFeature') {
        const parts = (steps ?? []).map((st, t) => parseVarLen(serialized, st, spec, name, `sequence step ${t}: `));
        sequence[name] = parts.length
          ? batchSparseHost(parts, `sequence feature '${name}'`)
          : {
              sparse: true,
              indices: { dtype: 'int64', shape: [0, 2], values: new BigInt64Array(0) },
              values: { dtype: storageDtype(spec.dtype), shape: [0], values: alloc(spec.dtype, 0) },
              denseShape: { dtype: 'int64', shape: [2], values: BigInt64Array.of(0n, 0n) },
            };
        return;
      }
      if (!steps) {
        if (!spec.allowMissing) throw new InvalidArgumentError(`sequence feature '${name}' is required but missing (FixedLenSequenceFeature without allowMissing)`);
        sequence[name] = { dtype: storageDtype(spec.dtype), shape: [0, ...spec.shape], values: alloc(spec.dtype, 0) };
        return;
      }
      const fixed: FixedLenFeatureSpec = { type: 'FixedLenFeature', shape: spec.shape, dtype: spec.dtype };
      const parts = steps.map((st, t) => parseFixed(serialized, st, fixed, sc.defaults[i], name, `sequence step ${t}: `));
      sequence[name] = parts.length ? stackHost(parts, `sequence feature '${name}'`) : { dtype: storageDtype(spec.dtype), shape: [0, ...spec.shape], values: alloc(spec.dtype, 0) };
    });
    return { context, sequence };
  }, '');
}

// ---- tensor API -----------------------------------------------------------------------------------

export type Parsed = Record<string, Tensor | SparseTensor>;

function toParsed(h: ParsedHost): Parsed {
  const out: Parsed = {};
  for (const k of Object.keys(h)) out[k] = hostToLeaf(h[k]!) as Tensor | SparseTensor;
  return out;
}

/** Bytes of a serialized example given as bytes or a scalar string tensor. */
function serializedBytes(x: Uint8Array | Tensor | string, what: string): Uint8Array {
  if (x instanceof Uint8Array) return x;
  if (typeof x === 'string') return encoder.encode(x);
  if (isTensor(x)) {
    if (x.dtype !== 'string' || x.size !== 1) throw new InvalidArgumentError(`${what}: expected a scalar string tensor, found ${x.dtype}[${x.shape}]`);
    return (x.dataSync() as Uint8Array[])[0]!;
  }
  throw new InvalidArgumentError(`${what}: expected serialized bytes (Uint8Array) or a string tensor; found ${describeValue(x)}`);
}

/** TF's tf.io.parse_single_example: FixedLen → dense tensors, VarLen → SparseTensor. */
export function parseSingleExample(serialized: Uint8Array | Tensor, features: Record<string, FeatureSpec>): Parsed {
  return toParsed(parseSingleExampleHost(serializedBytes(serialized, 'parseSingleExample'), features));
}

/** TF's tf.io.parse_example over a batch (array of bytes or 1-D string tensor). */
export function parseExample(serialized: readonly Uint8Array[] | Tensor, features: Record<string, FeatureSpec>): Parsed {
  let list: readonly Uint8Array[];
  if (isTensor(serialized)) {
    if (serialized.dtype !== 'string' || serialized.rank !== 1) throw new InvalidArgumentError(`parseExample: expected a 1-D string tensor, found ${serialized.dtype}[${serialized.shape}]`);
    list = serialized.dataSync() as Uint8Array[];
  } else if (Array.isArray(serialized) && serialized.every((b) => b instanceof Uint8Array)) list = serialized;
  else throw new InvalidArgumentError(`parseExample: serialized must be a list of Uint8Arrays or a 1-D string tensor; found ${describeValue(Array.isArray(serialized) ? serialized.find((b) => !(b instanceof Uint8Array)) : serialized)}`);
  return toParsed(parseExampleHost(list, features));
}

/** TF's tf.io.parse_single_sequence_example: returns {context, sequence}. */
export function parseSingleSequenceExample(
  serialized: Uint8Array | Tensor,
  contextFeatures: Record<string, FeatureSpec> = {},
  sequenceFeatures: Record<string, SequenceFeatureSpec> = {},
): { context: Parsed; sequence: Parsed } {
  const h = parseSingleSequenceExampleHost(serializedBytes(serialized, 'parseSingleSequenceExample'), contextFeatures, sequenceFeatures);
  return { context: toParsed(h.context), sequence: toParsed(h.sequence) };
}

// ---- decodeRaw ---------------------------------------------------------------------------------------

export type RawType = 'uint8' | 'int8' | 'uint16' | 'int16' | 'int32' | 'float32' | 'float64' | 'int64' | 'bool';
const RAW_SIZE: Record<RawType, number> = { uint8: 1, int8: 1, uint16: 2, int16: 2, int32: 4, float32: 4, float64: 8, int64: 8, bool: 1 };
/** eagerflow dtype each raw type decodes to (the small integer types widen to int32, float64 narrows). */
export const RAW_DTYPE: Record<RawType, DType> = { uint8: 'int32', int8: 'int32', uint16: 'int32', int16: 'int32', int32: 'int32', float32: 'float32', float64: 'float32', int64: 'int64', bool: 'bool' };

/** decodeRaw on the host: bytes → flat values of RAW_DTYPE[outType]. */
export function decodeRawHost(bytes: Uint8Array, outType: RawType, littleEndian = true, what = 'decodeRaw'): HostTensor {
  // hasOwn: 'toString' and other Object.prototype names are not raw types.
  if (!Object.hasOwn(RAW_SIZE, outType)) throw new InvalidArgumentError(`${what}: unsupported out type ${JSON.stringify(outType)}; expected one of ${Object.keys(RAW_SIZE).join(', ')}`);
  const size = RAW_SIZE[outType];
  if (bytes.length % size !== 0) throw new InvalidArgumentError(`${what}: input of ${bytes.length} bytes is not a multiple of ${size} (the size of ${outType})`);
  const n = bytes.length / size;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = littleEndian;
  let values: HostTensor['values'];
  switch (outType) {
    case 'uint8':
      values = new Int32Array(bytes);
      break;
    case 'bool': {
      const v = new Uint8Array(n);
      for (let i = 0; i < n; i++) v[i] = bytes[i] ? 1 : 0;
      values = v;
      break;
    }
    case 'int8':
      values = new Int32Array(new Int8Array(bytes.buffer, bytes.byteOffset, n));
      break;
    case 'uint16': {
      const v = new Int32Array(n);
      for (let i = 0; i < n; i++) v[i] = dv.getUint16(2 * i, le);
      values = v;
      break;
    }
    case 'int16': {
      const v = new Int32Array(n);
      for (let i = 0; i < n; i++) v[i] = dv.getInt16(2 * i, le);
      values = v;
      break;
    }
    case 'int32': {
      const v = new Int32Array(n);
      for (let i = 0; i < n; i++) v[i] = dv.getInt32(4 * i, le);
      values = v;
      break;
    }
    case 'float32': {
      const v = new Float32Array(n);
      for (let i = 0; i < n; i++) v[i] = dv.getFloat32(4 * i, le);
      values = v;
      break;
    }
    case 'float64': {
      const v = new Float32Array(n);
      for (let i = 0; i < n; i++) v[i] = dv.getFloat64(8 * i, le);
      values = v;
      break;
    }
    case 'int64': {
      const v = new BigInt64Array(n);
      for (let i = 0; i < n; i++) v[i] = dv.getBigInt64(8 * i, le);
      values = v;
      break;
    }
  }
  return { dtype: RAW_DTYPE[outType], shape: [n], values };
}

/**
 * TF's tf.io.decode_raw: reinterprets bytes as numbers. A scalar input gives [n]; a string tensor of
 * shape S gives S + [n] (every element must have the same length).
 */
export function decodeRaw(bytes: Uint8Array | Tensor, outType: RawType, options: { littleEndian?: boolean } = {}): Tensor {
  const le = options.littleEndian ?? true;
  if (bytes instanceof Uint8Array) {
    const h = decodeRawHost(bytes, outType, le);
    return ef.makeTensor(h.values, h.shape, h.dtype);
  }
  if (!isTensor(bytes) || bytes.dtype !== 'string') throw new InvalidArgumentError(`decodeRaw: expected a Uint8Array or a string tensor; found ${isTensor(bytes) ? `a ${bytes.dtype} tensor` : describeValue(bytes)}`);
  const elems = bytes.dataSync() as Uint8Array[];
  const parts = elems.map((e, i) => decodeRawHost(e, outType, le, `decodeRaw element ${i}`));
  if (parts.length === 0) return ef.makeTensor(alloc(outType === 'int64' ? 'int64' : RAW_DTYPE[outType] === 'float32' ? 'float32' : 'int32', 0) as never, [...bytes.shape, 0], RAW_DTYPE[outType]);
  const n = parts[0]!.shape[0]!;
  parts.forEach((p, i) => {
    if (p.shape[0] !== n) throw new InvalidArgumentError(`decodeRaw: element ${i} has ${p.shape[0]} values but element 0 has ${n}; all elements must have the same length`);
  });
  const st = stackHost(parts, 'decodeRaw');
  return ef.makeTensor(st.values, [...bytes.shape, n], st.dtype);
}

export { SparseTensor, type Leaf };
