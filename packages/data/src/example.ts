/**
 * tf.train.Example / SequenceExample messages (formats.md §2): encode and decode. int64 values are
 * `Long`s (exact over the whole 64-bit range); on encode, number / bigint / decimal string / Long work.
 */
import Long from 'long';
import { ProtoReader, ProtoWriter, WIRE_I32, WIRE_LEN, WIRE_VARINT } from '@eagerflow/io';
import { describeValue, InvalidArgumentError } from './errors.js';

export type Int64Like = Long | number | bigint | string;

/** One `tf.train.Feature`: a bytes, float or int64 list, or no kind set (treated as missing when parsing). */
export type Feature =
  | { kind: 'bytesList'; value: Uint8Array[] }
  | { kind: 'floatList'; value: Float32Array }
  | { kind: 'int64List'; value: Long[] }
  | { kind: 'none' };

/** What encode accepts: lists may be plain arrays and strings (UTF-8). */
export type FeatureInit =
  | { kind: 'bytesList'; value: readonly (Uint8Array | string)[] }
  | { kind: 'floatList'; value: ArrayLike<number> }
  | { kind: 'int64List'; value: readonly Int64Like[] | BigInt64Array | Int32Array }
  | { kind: 'none' };

export interface Example {
  features: Record<string, Feature>;
}
export interface ExampleInit {
  features: Record<string, FeatureInit>;
}
export interface SequenceExample {
  context: Record<string, Feature>;
  featureLists: Record<string, Feature[]>;
}
export interface SequenceExampleInit {
  context?: Record<string, FeatureInit>;
  featureLists?: Record<string, FeatureInit[]>;
}

export const bytesFeature = (value: readonly (Uint8Array | string)[] | Uint8Array | string): FeatureInit => ({
  kind: 'bytesList',
  value: typeof value === 'string' || value instanceof Uint8Array ? [value] : value,
});
export const floatFeature = (value: ArrayLike<number> | number): FeatureInit => ({ kind: 'floatList', value: typeof value === 'number' ? [value] : value });
export const int64Feature = (value: readonly Int64Like[] | BigInt64Array | Int32Array | Int64Like): FeatureInit => ({
  kind: 'int64List',
  value: Array.isArray(value) || value instanceof BigInt64Array || value instanceof Int32Array ? (value as readonly Int64Like[]) : [value as Int64Like],
});

// ---- encode ---------------------------------------------------------------------------------

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function toLong(v: Int64Like, where = 'int64 value'): Long {
  if (Long.isLong(v)) return v as Long;
  if (typeof v === 'string') {
    if (!/^-?\d+$/.test(v.trim())) throw new InvalidArgumentError(`${where}: ${JSON.stringify(v)} is not a decimal integer`);
    v = BigInt(v.trim()); // range-checked below (Long.fromString wraps silently)
  }
  if (typeof v === 'bigint') {
    if (v < -(2n ** 63n) || v >= 2n ** 63n) throw new InvalidArgumentError(`${where}: ${v} is outside the int64 range`);
    return Long.fromString(v.toString(), false);
  }
  if (!Number.isInteger(v)) throw new InvalidArgumentError(`${where}: ${v} is not an integer`);
  if (!Number.isSafeInteger(v)) throw new InvalidArgumentError(`${where}: ${v} is beyond 2^53; pass a bigint, Long or string to keep it exact`);
  return Long.fromNumber(v, false);
}

/** The list of a feature, checked: what TF's BytesList / FloatList / Int64List constructors accept. */
function checkFeature(f: FeatureInit, where: string): void {
  const kinds = "{kind: 'bytesList' | 'floatList' | 'int64List', value: [...]} (bytesFeature, floatFeature, int64Feature)";
  if (typeof f !== 'object' || f === null) throw new InvalidArgumentError(`${where}: expected a Feature ${kinds}; found ${describeValue(f)}`);
  if (f.kind === 'none') return;
  if (f.kind !== 'bytesList' && f.kind !== 'floatList' && f.kind !== 'int64List') throw new InvalidArgumentError(`${where}: expected a Feature ${kinds}; found kind ${describeValue((f as { kind: unknown }).kind)}`);
  const v: unknown = f.value;
  const isList = Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView) && (f.kind === 'floatList' || v instanceof BigInt64Array || v instanceof Int32Array));
  if (!isList) throw new InvalidArgumentError(`${where}: a ${f.kind} value must be a list${f.kind === 'floatList' ? ' of numbers' : ''}; found ${describeValue(v)}`);
  if (!Array.isArray(v)) return;
  const ok = f.kind === 'bytesList' ? (e: unknown) => typeof e === 'string' || e instanceof Uint8Array : f.kind === 'floatList' ? (e: unknown) => typeof e === 'number' : () => true;
  const i = v.findIndex((e) => !ok(e));
  if (i >= 0) throw new InvalidArgumentError(`${where}[${i}]: a ${f.kind} holds ${f.kind === 'bytesList' ? 'strings or Uint8Arrays' : 'numbers'}; found ${describeValue(v[i])}`);
}

function writeFeature(w: ProtoWriter, f: FeatureInit, where: string): void {
  checkFeature(f, where);
  switch (f.kind) {
    case 'none':
      return;
    case 'bytesList': {
      const at = w.beginLen(1);
      for (const v of f.value) {
        w.tag(1, WIRE_LEN);
        w.bytes(typeof v === 'string' ? encoder.encode(v) : v);
      }
      w.endLen(at);
      return;
    }
    case 'floatList': {
      const at = w.beginLen(2);
      if (f.value.length) {
        w.tag(1, WIRE_LEN);
        w.uint32(f.value.length * 4);
        w.float32s(f.value);
      }
      w.endLen(at);
      return;
    }
    case 'int64List': {
      const at = w.beginLen(3);
      const vals = f.value;
      if (vals.length) {
        const inner = w.beginLen(1);
        if (vals instanceof Int32Array) {
          for (let i = 0; i < vals.length; i++) w.varint64(vals[i]!, vals[i]! < 0 ? -1 : 0);
        } else {
          for (let i = 0; i < vals.length; i++) {
            const v = vals[i]!;
            if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= 0xffffffff) w.varint64(v, 0);
            else {
              const l = toLong(v, `${where}[${i}]`);
              w.varint64(l.low, l.high);
            }
          }
        }
        w.endLen(inner);
      }
      w.endLen(at);
      return;
    }
    default:
      throw new Error(`${where}: unknown feature kind ${(f as { kind: unknown }).kind}`);
  }
}

function writeFeatures(w: ProtoWriter, features: Record<string, FeatureInit>, field: number, op: string): void {
  if (typeof features !== 'object' || features === null || Array.isArray(features)) throw new InvalidArgumentError(`${op}: features must be an object of name → Feature; found ${describeValue(features)}`);
  const at = w.beginLen(field);
  for (const key of Object.keys(features)) {
    const entry = w.beginLen(1);
    w.tag(1, WIRE_LEN);
    w.bytes(encoder.encode(key));
    const val = w.beginLen(2);
    writeFeature(w, features[key]!, `${op}: feature '${key}'`);
    w.endLen(val);
    w.endLen(entry);
  }
  w.endLen(at);
}

/** Serializes a tf.train.Example (SerializeToString). */
export function encodeExample(example: ExampleInit | Record<string, FeatureInit>): Uint8Array {
  if (typeof example !== 'object' || example === null) throw new InvalidArgumentError(`encodeExample: example must be {features: {...}} or an object of name → Feature; found ${describeValue(example)}`);
  const features = (isExampleInit(example) ? example.features : example) as Record<string, FeatureInit>;
  const w = new ProtoWriter(64 + Object.keys(features).length * 32);
  writeFeatures(w, features, 1, 'encodeExample');
  return w.finish();
}

function isExampleInit(x: unknown): x is ExampleInit {
  const f = (x as ExampleInit).features;
  return typeof f === 'object' && f !== null && !('kind' in f);
}

/** Serializes a tf.train.SequenceExample. */
export function encodeSequenceExample(seq: SequenceExampleInit): Uint8Array {
  const op = 'encodeSequenceExample';
  if (typeof seq !== 'object' || seq === null) throw new InvalidArgumentError(`${op}: expected {context?, featureLists?}; found ${describeValue(seq)}`);
  const w = new ProtoWriter(256);
  if (seq.context) writeFeatures(w, seq.context, 1, op);
  if (seq.featureLists) {
    const at = w.beginLen(2);
    for (const key of Object.keys(seq.featureLists)) {
      const entry = w.beginLen(1);
      w.tag(1, WIRE_LEN);
      w.bytes(encoder.encode(key));
      const list = w.beginLen(2);
      const features = seq.featureLists[key];
      if (!Array.isArray(features)) throw new InvalidArgumentError(`${op}: feature list '${key}' must be a list of Features (one per step); found ${describeValue(features)}`);
      for (const [i, f] of features.entries()) {
        const fe = w.beginLen(1);
        writeFeature(w, f, `${op}: feature list '${key}' step ${i}`);
        w.endLen(fe);
      }
      w.endLen(list);
      w.endLen(entry);
    }
    w.endLen(at);
  }
  return w.finish();
}

// ---- decode ---------------------------------------------------------------------------------

/** Decodes one Feature message in `r.buf[start, end)`. */
export function decodeFeature(buf: Uint8Array, start: number, end: number): Feature {
  const r = new ProtoReader(buf, start, end, 'Feature');
  let result: Feature = { kind: 'none' };
  while (!r.done) {
    const tag = r.tag();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (wire !== WIRE_LEN || field < 1 || field > 3) {
      r.skip(wire);
      continue;
    }
    const s = r.lenStart();
    const e = r.pos;
    // oneof: a later kind replaces an earlier one; the same kind merges (repeated fields concatenate).
    if (field === 1) {
      const vals = decodeBytesList(buf, s, e);
      result = result.kind === 'bytesList' ? { kind: 'bytesList', value: [...result.value, ...vals] } : { kind: 'bytesList', value: vals };
    } else if (field === 2) {
      const vals = decodeFloatList(buf, s, e);
      result = result.kind === 'floatList' ? { kind: 'floatList', value: concatF32(result.value, vals) } : { kind: 'floatList', value: vals };
    } else {
      const vals = decodeInt64List(buf, s, e);
      result = result.kind === 'int64List' ? { kind: 'int64List', value: [...result.value, ...vals] } : { kind: 'int64List', value: vals };
    }
  }
  return result;
}

function concatF32(a: Float32Array, b: Float32Array): Float32Array {
  const o = new Float32Array(a.length + b.length);
  o.set(a);
  o.set(b, a.length);
  return o;
}

function decodeBytesList(buf: Uint8Array, start: number, end: number): Uint8Array[] {
  const r = new ProtoReader(buf, start, end, 'BytesList');
  const out: Uint8Array[] = [];
  while (!r.done) {
    const tag = r.tag();
    if (tag === ((1 << 3) | WIRE_LEN)) {
      const s = r.lenStart();
      out.push(buf.slice(s, r.pos));
    } else r.skip(tag & 7);
  }
  return out;
}

/** Visits the float values of a FloatList (packed chunks and unpacked elements, in order). */
export function forEachFloat(buf: Uint8Array, start: number, end: number, fn: (bitsLE: number) => void): void {
  const r = new ProtoReader(buf, start, end, 'FloatList');
  while (!r.done) {
    const tag = r.tag();
    if (tag === ((1 << 3) | WIRE_LEN)) {
      const s = r.lenStart();
      const n = r.pos - s;
      if (n % 4 !== 0) r.fail(`packed float length ${n} is not a multiple of 4`);
      for (let p = s; p < r.pos; p += 4) fn((buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16) | (buf[p + 3]! << 24)) >>> 0);
    } else if (tag === ((1 << 3) | WIRE_I32)) {
      fn(r.fixed32());
    } else r.skip(tag & 7);
  }
}

function decodeFloatList(buf: Uint8Array, start: number, end: number): Float32Array {
  const bits: number[] = [];
  forEachFloat(buf, start, end, (b) => bits.push(b));
  const out = new Float32Array(bits.length);
  const u = new Uint32Array(out.buffer);
  for (let i = 0; i < bits.length; i++) u[i] = bits[i]!;
  return out;
}

/** Visits the int64 values of an Int64List as (lo, hi) halves (packed and unpacked). */
export function forEachInt64(buf: Uint8Array, start: number, end: number, fn: (lo: number, hi: number) => void): void {
  const r = new ProtoReader(buf, start, end, 'Int64List');
  while (!r.done) {
    const tag = r.tag();
    if (tag === ((1 << 3) | WIRE_LEN)) {
      const s = r.lenStart();
      const e = r.pos;
      const inner = new ProtoReader(buf, s, e, 'Int64List');
      while (!inner.done) {
        inner.varint64();
        fn(inner.lo, inner.hi);
      }
    } else if (tag === ((1 << 3) | WIRE_VARINT)) {
      r.varint64();
      fn(r.lo, r.hi);
    } else r.skip(tag & 7);
  }
}

function decodeInt64List(buf: Uint8Array, start: number, end: number): Long[] {
  const out: Long[] = [];
  forEachInt64(buf, start, end, (lo, hi) => out.push(Long.fromBits(lo | 0, hi | 0, false)));
  return out;
}

/**
 * Visits the map entries of a `Features`/`FeatureLists` message in buf[start, end):
 * fn(keyStart, keyEnd, vStart, vEnd), the key range -1, -1 where an entry has no key and the
 * empty range at the entry's end where it has no value (the default, empty message). Duplicate
 * keys are all visited in order, so the last one wins where callers overwrite.
 */
export function forEachMapEntryRange(
  buf: Uint8Array,
  start: number,
  end: number,
  what: string,
  fn: (kStart: number, kEnd: number, vStart: number, vEnd: number) => void,
): void {
  const r = new ProtoReader(buf, start, end, what);
  const entryWhat = `${what} entry`;
  while (!r.done) {
    const tag = r.tag();
    if (tag !== ((1 << 3) | WIRE_LEN)) {
      r.skip(tag & 7);
      continue;
    }
    const es = r.lenStart();
    const ee = r.pos;
    const er = new ProtoReader(buf, es, ee, entryWhat);
    let ks = -1;
    let ke = -1;
    let vs = ee;
    let ve = ee;
    while (!er.done) {
      const t = er.tag();
      if (t === ((1 << 3) | WIRE_LEN)) {
        ks = er.lenStart();
        ke = er.pos;
      } else if (t === ((2 << 3) | WIRE_LEN)) {
        vs = er.lenStart();
        ve = er.pos;
      } else er.skip(t & 7);
    }
    fn(ks, ke, vs, ve);
  }
}

/** Visits map entries (key, value range) of a `Features`/`FeatureLists` message; the last duplicate wins later. */
export function forEachMapEntry(buf: Uint8Array, start: number, end: number, what: string, fn: (key: string, vStart: number, vEnd: number) => void): void {
  forEachMapEntryRange(buf, start, end, what, (ks, ke, vs, ve) => fn(ks < 0 ? '' : decoder.decode(buf.subarray(ks, ke)), vs, ve));
}

/** Start and end offsets (flat pairs) of every occurrence of the LEN field `field` in buf[start, end), in order. */
export function lenFieldRanges(buf: Uint8Array, start: number, end: number, field: number, what: string): number[] {
  const r = new ProtoReader(buf, start, end, what);
  const out: number[] = [];
  while (!r.done) {
    const tag = r.tag();
    if (tag === ((field << 3) | WIRE_LEN)) {
      const s = r.lenStart();
      out.push(s, r.pos);
    } else r.skip(tag & 7);
  }
  return out;
}

function decodeFeatureMap(buf: Uint8Array, ranges: number[], what: string): Record<string, Feature> {
  const out: Record<string, Feature> = Object.create(null);
  for (let f = 0; f < ranges.length; f += 2) forEachMapEntry(buf, ranges[f]!, ranges[f + 1]!, what, (key, vs, ve) => (out[key] = decodeFeature(buf, vs, ve)));
  return out;
}

/** Decodes a serialized tf.train.Example. */
export function decodeExample(bytes: Uint8Array): Example {
  checkBytes(bytes, 'decodeExample', 'serialized');
  return { features: decodeFeatureMap(bytes, lenFieldRanges(bytes, 0, bytes.length, 1, 'Example'), 'Features') };
}

/** Decodes a serialized tf.train.SequenceExample. */
export function decodeSequenceExample(bytes: Uint8Array): SequenceExample {
  checkBytes(bytes, 'decodeSequenceExample', 'serialized');
  const context = decodeFeatureMap(bytes, lenFieldRanges(bytes, 0, bytes.length, 1, 'SequenceExample'), 'Features');
  const featureLists: Record<string, Feature[]> = Object.create(null);
  const lists = lenFieldRanges(bytes, 0, bytes.length, 2, 'SequenceExample');
  for (let f = 0; f < lists.length; f += 2) {
    forEachMapEntry(bytes, lists[f]!, lists[f + 1]!, 'FeatureLists', (key, vs, ve) => {
      const steps = lenFieldRanges(bytes, vs, ve, 1, 'FeatureList');
      const out: Feature[] = [];
      for (let t = 0; t < steps.length; t += 2) out.push(decodeFeature(bytes, steps[t]!, steps[t + 1]!));
      featureLists[key] = out;
    });
  }
  return { context, featureLists };
}

/** The values of a decoded feature (`null` when no kind is set). */
export function featureValues(f: Feature): Uint8Array[] | Float32Array | Long[] | null {
  return f.kind === 'none' ? null : f.value;
}

export const bytesToString = (b: Uint8Array): string => decoder.decode(b);

/** `${op}: ${arg} must be a Uint8Array` unless it is one. */
export function checkBytes(x: unknown, op: string, arg: string): void {
  if (!(x instanceof Uint8Array)) throw new InvalidArgumentError(`${op}: ${arg} must be the serialized bytes (a Uint8Array); found ${describeValue(x)}`);
}
