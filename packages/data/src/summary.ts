/**
 * TensorBoard summaries (formats.md §3): event files are uncompressed TFRecord files of `Event`
 * protos. Framing comes from `tfrecord.ts`, the wire format from @eagerflow/io's ProtoReader/Writer.
 *
 * Protos (field numbers from tensorflow/core/util/event.proto, framework/summary.proto,
 * framework/tensor.proto, framework/tensor_shape.proto):
 *   Event          { double wall_time = 1; int64 step = 2; string file_version = 3; bytes graph_def = 4;
 *                    Summary summary = 5; }
 *   Summary        { repeated Value value = 1; }
 *   Summary.Value  { string tag = 1; float simple_value = 2; Image image = 4; HistogramProto histo = 5;
 *                    TensorProto tensor = 8; SummaryMetadata metadata = 9; }
 *   Summary.Image  { int32 height = 1; int32 width = 2; int32 colorspace = 3; bytes encoded_image_string = 4; }
 *   SummaryMetadata{ PluginData plugin_data = 1 {string plugin_name = 1; bytes content = 2;};
 *                    string display_name = 2; string summary_description = 3; DataClass data_class = 4; }
 *   HistogramProto { double min = 1, max = 2, num = 3, sum = 4, sum_squares = 5;
 *                    repeated double bucket_limit = 6 [packed]; repeated double bucket = 7 [packed]; }
 *   TensorProto    { DataType dtype = 1; TensorShapeProto tensor_shape = 2; bytes tensor_content = 4;
 *                    repeated float float_val = 5; repeated double double_val = 6; repeated int32 int_val = 7;
 *                    repeated bytes string_val = 8; repeated int64 int64_val = 10; }
 *   TensorShapeProto { repeated Dim dim = 2 {int64 size = 1; string name = 2;}; bool unknown_rank = 3; }
 */
import { ProtoReader, ProtoWriter, ProtoError, readMessage, WIRE_I32, WIRE_I64, WIRE_LEN, WIRE_VARINT } from '@eagerflow/io';
import { getFileSystem, type DataFileSystem } from './fs.js';
import * as ef from '@eagerflow/core';
import { DataLossError, describeValue, InvalidArgumentError } from './errors.js';
import { readTFRecords, RECORD_OVERHEAD, TFRecordWriter, type TFRecordReadOptions } from './tfrecord.js';
import { encodePng, encodePngPixels } from './image_codecs.js';
import { encodeGraphDef, traceGraph } from './graph_summary.js';

// ---- decoded types ---------------------------------------------------------------------------

export interface SummaryTensor {
  /** TF DataType enum value (1 = DT_FLOAT, 2 = DT_DOUBLE, 3 = DT_INT32, 7 = DT_STRING, 9 = DT_INT64). */
  dtype: number;
  shape: number[];
  /** Raw little-endian `tensor_content` when present. */
  tensorContent?: Uint8Array;
  floatVal?: number[];
  doubleVal?: number[];
  intVal?: number[];
  int64Val?: number[];
  stringVal?: Uint8Array[];
}

export interface SummaryHistogram {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  bucketLimit: number[];
  bucket: number[];
}

export interface SummaryImage {
  height: number;
  width: number;
  colorspace: number;
  encodedImageString: Uint8Array;
}

export interface SummaryMetadata {
  pluginName?: string;
  pluginContent?: Uint8Array;
  displayName?: string;
  summaryDescription?: string;
  dataClass?: number;
}

export interface SummaryValue {
  tag: string;
  simpleValue?: number;
  tensor?: SummaryTensor;
  histo?: SummaryHistogram;
  image?: SummaryImage;
  metadata?: SummaryMetadata;
}

export interface SummaryEvent {
  wallTime: number;
  /** 0 when the field is absent (proto3 default). */
  step: number;
  fileVersion?: string;
  /** A serialized GraphDef (`SummaryWriter.addGraph`; read it with `decodeGraphDef`). */
  graphDef?: Uint8Array;
  /** Values of the `summary` field; empty for events without one. */
  summary: SummaryValue[];
}

/** TF DataType enum values used by summaries. */
export const DT_FLOAT = 1;
export const DT_DOUBLE = 2;
export const DT_INT32 = 3;
export const DT_STRING = 7;
export const DT_INT64 = 9;

/** SummaryMetadata.DataClass. */
export const DATA_CLASS_SCALAR = 1;
export const DATA_CLASS_TENSOR = 2;
export const DATA_CLASS_BLOB_SEQUENCE = 3;

// ---- decoding ----------------------------------------------------------------------------------

const td = new TextDecoder();
const te = new TextEncoder();

function expect(wire: number, want: number, what: string): void {
  if (wire !== want) throw new ProtoError(`${what} has wire type ${wire}, expected ${want}`);
}

function f64(r: ProtoReader): number {
  const b = r.bytes(8);
  return new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true);
}
function f32(r: ProtoReader): number {
  const b = r.bytes(4);
  return new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true);
}

/** Repeated double: packed (LEN) or one I64 element. */
function doubles(wire: number, r: ProtoReader, out: number[]): void {
  if (wire === WIRE_I64) {
    out.push(f64(r));
    return;
  }
  expect(wire, WIRE_LEN, 'repeated double');
  const b = r.lenBytes();
  if (b.length % 8) r.fail('packed double length not a multiple of 8');
  const dv = new DataView(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < b.length; i += 8) out.push(dv.getFloat64(i, true));
}
function floats(wire: number, r: ProtoReader, out: number[]): void {
  if (wire === WIRE_I32) {
    out.push(f32(r));
    return;
  }
  expect(wire, WIRE_LEN, 'repeated float');
  const b = r.lenBytes();
  if (b.length % 4) r.fail('packed float length not a multiple of 4');
  const dv = new DataView(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < b.length; i += 4) out.push(dv.getFloat32(i, true));
}
function ints(wire: number, r: ProtoReader, out: number[]): void {
  if (wire === WIRE_VARINT) {
    out.push(r.int64());
    return;
  }
  expect(wire, WIRE_LEN, 'repeated int');
  const start = r.lenStart();
  const sub = new ProtoReader(r.buf, start, r.pos, 'packed int');
  while (!sub.done) out.push(sub.int64());
}

/** TensorShapeProto → dims (shared with graph_summary.ts). */
export function decodeShape(buf: Uint8Array): number[] {
  const dims: number[] = [];
  readMessage(buf, (f, w, r) => {
    if (f !== 2 || w !== WIRE_LEN) return false;
    let size = 0;
    readMessage(r.lenBytes(), (g, w2, r2) => {
      if (g !== 1 || w2 !== WIRE_VARINT) return false;
      size = r2.int64();
      return true;
    }, 'TensorShapeProto.Dim');
    dims.push(size);
    return true;
  }, 'TensorShapeProto');
  return dims;
}

export function decodeTensorProto(buf: Uint8Array): SummaryTensor {
  const t: SummaryTensor = { dtype: 0, shape: [] };
  readMessage(buf, (f, w, r) => {
    switch (f) {
      case 1:
        expect(w, WIRE_VARINT, 'TensorProto.dtype');
        t.dtype = r.int64();
        return true;
      case 2:
        expect(w, WIRE_LEN, 'TensorProto.tensor_shape');
        t.shape = decodeShape(r.lenBytes());
        return true;
      case 4:
        expect(w, WIRE_LEN, 'TensorProto.tensor_content');
        t.tensorContent = r.lenBytes().slice();
        return true;
      case 5:
        floats(w, r, (t.floatVal ??= []));
        return true;
      case 6:
        doubles(w, r, (t.doubleVal ??= []));
        return true;
      case 7:
        ints(w, r, (t.intVal ??= []));
        return true;
      case 8:
        expect(w, WIRE_LEN, 'TensorProto.string_val');
        (t.stringVal ??= []).push(r.lenBytes().slice());
        return true;
      case 10:
        ints(w, r, (t.int64Val ??= []));
        return true;
      default:
        return false;
    }
  }, 'TensorProto');
  return t;
}

function decodeHisto(buf: Uint8Array): SummaryHistogram {
  const h: SummaryHistogram = { min: 0, max: 0, num: 0, sum: 0, sumSquares: 0, bucketLimit: [], bucket: [] };
  const keys = ['min', 'max', 'num', 'sum', 'sumSquares'] as const;
  readMessage(buf, (f, w, r) => {
    if (f >= 1 && f <= 5) {
      expect(w, WIRE_I64, 'HistogramProto scalar');
      h[keys[f - 1]!] = f64(r);
      return true;
    }
    if (f === 6) return doubles(w, r, h.bucketLimit), true;
    if (f === 7) return doubles(w, r, h.bucket), true;
    return false;
  }, 'HistogramProto');
  return h;
}

function decodeImage(buf: Uint8Array): SummaryImage {
  const im: SummaryImage = { height: 0, width: 0, colorspace: 0, encodedImageString: new Uint8Array(0) };
  readMessage(buf, (f, w, r) => {
    if (f >= 1 && f <= 3 && w === WIRE_VARINT) {
      const v = r.int64();
      if (f === 1) im.height = v;
      else if (f === 2) im.width = v;
      else im.colorspace = v;
      return true;
    }
    if (f === 4 && w === WIRE_LEN) return (im.encodedImageString = r.lenBytes().slice()), true;
    return false;
  }, 'Summary.Image');
  return im;
}

function decodeMetadata(buf: Uint8Array): SummaryMetadata {
  const m: SummaryMetadata = {};
  readMessage(buf, (f, w, r) => {
    if (f === 1 && w === WIRE_LEN) {
      readMessage(r.lenBytes(), (g, w2, r2) => {
        if (g === 1 && w2 === WIRE_LEN) return (m.pluginName = td.decode(r2.lenBytes())), true;
        if (g === 2 && w2 === WIRE_LEN) return (m.pluginContent = r2.lenBytes().slice()), true;
        return false;
      }, 'SummaryMetadata.PluginData');
      m.pluginName ??= '';
      return true;
    }
    if (f === 2 && w === WIRE_LEN) return (m.displayName = td.decode(r.lenBytes())), true;
    if (f === 3 && w === WIRE_LEN) return (m.summaryDescription = td.decode(r.lenBytes())), true;
    if (f === 4 && w === WIRE_VARINT) return (m.dataClass = r.int64()), true;
    return false;
  }, 'SummaryMetadata');
  return m;
}

function decodeValue(buf: Uint8Array): SummaryValue {
  const v: SummaryValue = { tag: '' };
  readMessage(buf, (f, w, r) => {
    switch (f) {
      case 1:
        expect(w, WIRE_LEN, 'Summary.Value.tag');
        v.tag = td.decode(r.lenBytes());
        return true;
      case 2:
        expect(w, WIRE_I32, 'Summary.Value.simple_value');
        v.simpleValue = f32(r);
        return true;
      case 4:
        expect(w, WIRE_LEN, 'Summary.Value.image');
        v.image = decodeImage(r.lenBytes());
        return true;
      case 5:
        expect(w, WIRE_LEN, 'Summary.Value.histo');
        v.histo = decodeHisto(r.lenBytes());
        return true;
      case 8:
        expect(w, WIRE_LEN, 'Summary.Value.tensor');
        v.tensor = decodeTensorProto(r.lenBytes());
        return true;
      case 9:
        expect(w, WIRE_LEN, 'Summary.Value.metadata');
        v.metadata = decodeMetadata(r.lenBytes());
        return true;
      default:
        return false;
    }
  }, 'Summary.Value');
  return v;
}

/** Decodes one serialized `Event` proto. */
export function decodeEvent(buf: Uint8Array): SummaryEvent {
  const e: SummaryEvent = { wallTime: 0, step: 0, summary: [] };
  readMessage(buf, (f, w, r) => {
    switch (f) {
      case 1:
        expect(w, WIRE_I64, 'Event.wall_time');
        e.wallTime = f64(r);
        return true;
      case 2:
        expect(w, WIRE_VARINT, 'Event.step');
        e.step = r.int64();
        return true;
      case 3:
        expect(w, WIRE_LEN, 'Event.file_version');
        e.fileVersion = td.decode(r.lenBytes());
        return true;
      case 4:
        expect(w, WIRE_LEN, 'Event.graph_def');
        e.graphDef = r.lenBytes();
        return true;
      case 5:
        expect(w, WIRE_LEN, 'Event.summary');
        readMessage(r.lenBytes(), (g, w2, r2) => {
          if (g !== 1 || w2 !== WIRE_LEN) return false;
          e.summary.push(decodeValue(r2.lenBytes()));
          return true;
        }, 'Summary');
        return true;
      default:
        return false;
    }
  }, 'Event');
  return e;
}

/**
 * The events of a TensorBoard event file, in order (TF's `tf.compat.v1.train.summary_iterator`). A
 * record that is no valid Event is a DataLossError naming the file, the record and its offset.
 */
export async function* readEventFile(path: string, options: Omit<TFRecordReadOptions, 'compression'> = {}): AsyncGenerator<SummaryEvent> {
  const records = readTFRecords(path, options);
  let index = 0;
  let offset = 0;
  for await (const rec of records) {
    let event: SummaryEvent;
    try {
      event = decodeEvent(rec);
    } catch (e) {
      if (!(e instanceof ProtoError)) throw e;
      // Offsets are counted from the record sizes: unknown (-1) once skipCorrupt has dropped bytes.
      const at = records.stats.corrupt ? -1 : offset;
      throw new DataLossError(`${path}: record ${index}${at >= 0 ? ` at offset ${at}` : ''} is not a valid Event: ${e.message}`, path, at);
    }
    yield event;
    index++;
    offset += rec.length + RECORD_OVERHEAD;
  }
}

/** The value of a scalar summary, either form: `simple_value` or a 0-d float/double/int tensor. */
export function scalarValue(v: SummaryValue): number | undefined {
  if (v.simpleValue !== undefined) return v.simpleValue;
  const t = v.tensor;
  if (!t) return undefined;
  if (t.tensorContent && t.tensorContent.length > 0) {
    const c = t.tensorContent;
    const dv = new DataView(c.buffer, c.byteOffset, c.length);
    if (t.dtype === DT_FLOAT && c.length >= 4) return dv.getFloat32(0, true);
    if (t.dtype === DT_DOUBLE && c.length >= 8) return dv.getFloat64(0, true);
    if (t.dtype === DT_INT32 && c.length >= 4) return dv.getInt32(0, true);
    if (t.dtype === DT_INT64 && c.length >= 8) return Number(dv.getBigInt64(0, true));
    return undefined;
  }
  return t.floatVal?.[0] ?? t.doubleVal?.[0] ?? t.intVal?.[0] ?? t.int64Val?.[0];
}

// ---- encoding ----------------------------------------------------------------------------------

function putDouble(w: ProtoWriter, field: number, v: number): void {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, v, true);
  w.tag(field, WIRE_I64).raw(b);
}
function putPackedDoubles(w: ProtoWriter, field: number, vs: readonly number[]): void {
  const b = new Uint8Array(vs.length * 8);
  const dv = new DataView(b.buffer);
  vs.forEach((v, i) => dv.setFloat64(i * 8, v, true));
  w.lenField(field, b);
}
function putString(w: ProtoWriter, field: number, s: string): void {
  w.lenField(field, te.encode(s));
}

function encodeEventProto(wallTime: number, step: number, body: (w: ProtoWriter) => void): Uint8Array {
  const w = new ProtoWriter(128);
  putDouble(w, 1, wallTime);
  if (step !== 0) w.tag(2, WIRE_VARINT).varint(step); // proto3: step 0 is omitted (as in TF's files)
  body(w);
  return w.finish();
}

function encodeMetadata(w: ProtoWriter, pluginName: string, content?: Uint8Array, dataClass?: number): void {
  const at = w.beginLen(9);
  const pd = w.beginLen(1);
  putString(w, 1, pluginName);
  if (content && content.length) w.lenField(2, content);
  w.endLen(pd);
  if (dataClass) w.tag(4, WIRE_VARINT).varint(dataClass);
  w.endLen(at);
}

/** A Summary.Value; `inner` writes its payload fields after the tag. */
function encodeSummary(w: ProtoWriter, tag: string, inner: (w: ProtoWriter) => void): void {
  const s = w.beginLen(5);
  const v = w.beginLen(1);
  putString(w, 1, tag);
  inner(w);
  w.endLen(v);
  w.endLen(s);
}

// ---- histograms (tensorflow/core/lib/histogram/histogram.cc) -----------------------------------

let defaultLimits: number[] | undefined;
/** TF's default bucket limits: ±1e-12·1.1^k up to 1e20, 0, and ±DBL_MAX at the ends. */
export function defaultHistogramBucketLimits(): number[] {
  if (defaultLimits) return defaultLimits;
  const pos: number[] = [];
  for (let v = 1e-12; v < 1e20; v *= 1.1) pos.push(v);
  pos.push(Number.MAX_VALUE);
  const neg = pos.map((x) => -x).reverse();
  defaultLimits = [...neg, 0, ...pos];
  return defaultLimits;
}

/** TF's `histogram::Histogram` filled with `values`, encoded like `EncodeToProto(proto, false)`. */
export function computeHistogram(values: ArrayLike<number>): SummaryHistogram {
  const limits = defaultHistogramBucketLimits();
  const counts = new Float64Array(limits.length);
  let min = Number.MAX_VALUE;
  let max = -Number.MAX_VALUE;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    // upper_bound: first limit > v
    let lo = 0;
    let hi = limits.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (limits[mid]! > v) hi = mid;
      else lo = mid + 1;
    }
    counts[Math.min(lo, limits.length - 1)]! += 1;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    sumSquares += v * v;
  }
  const bucketLimit: number[] = [];
  const bucket: number[] = [];
  for (let i = 0; i < counts.length; ) {
    let end = limits[i]!;
    let count = counts[i]!;
    i++;
    if (count <= 0) {
      // collapse a run of empty buckets into one
      while (i < counts.length && counts[i]! <= 0) {
        end = limits[i]!;
        count = counts[i]!;
        i++;
      }
    }
    bucketLimit.push(end);
    bucket.push(count);
  }
  if (bucket.length === 0) {
    bucketLimit.push(Number.MAX_VALUE);
    bucket.push(0);
  }
  return { min, max, num: values.length, sum, sumSquares, bucketLimit, bucket };
}

type ProcessLike = { getBuiltinModule?: (id: string) => unknown; pid?: number };
function nodeModule<T>(id: string): T | undefined {
  return (globalThis as { process?: ProcessLike }).process?.getBuiltinModule?.(id) as T | undefined;
}

// ---- writer ----------------------------------------------------------------------------------

export interface SummaryWriterOptions {
  /** Write scalars as legacy `simple_value` (TF1 / PyTorch style) instead of TF2 0-d DT_FLOAT tensors. */
  legacyScalars?: boolean;
  /** Appended to the file name (TF's `filename_suffix`; default ".v2"). */
  filenameSuffix?: string;
  fs?: DataFileSystem;
  /** Clock in seconds (tests). */
  now?: () => number;
}

let fileCounter = 0;

/**
 * Writes a TensorBoard event file (TF2's `tf.summary.create_file_writer`). Every call appends one
 * `Event`; `flush()` pushes buffered records to the file, `close()` flushes and closes it.
 */
export class SummaryWriter {
  private readonly writer: TFRecordWriter;
  private readonly now: () => number;
  private readonly legacy: boolean;

  constructor(
    readonly path: string,
    options: SummaryWriterOptions = {},
  ) {
    this.writer = new TFRecordWriter(path, { fs: options.fs ?? getFileSystem(), bufferSize: 64 << 10 });
    this.now = options.now ?? (() => Date.now() / 1000);
    this.legacy = options.legacyScalars ?? false;
    void this.writer.write(
      encodeEventProto(this.now(), 0, (w) => putString(w, 3, 'brain.Event:2')),
    );
  }

  /** Writes one summary; the caller has checked `step` and `tag` (this.check). */
  private add(step: number, tag: string, inner: (w: ProtoWriter) => void): Promise<void> {
    return this.writer.write(encodeEventProto(this.now(), step, (w) => encodeSummary(w, tag, inner)));
  }

  /** The tag and step of a summary call, checked before its value is looked at. */
  private check(op: string, step: unknown, tag: unknown): void {
    if (typeof tag !== 'string' || tag === '') throw new InvalidArgumentError(`SummaryWriter.${op}: tag must be a non-empty string; found ${describeValue(tag)}`);
    if (typeof step !== 'number' || !Number.isSafeInteger(step)) throw new InvalidArgumentError(`SummaryWriter.${op}('${tag}'): step must be an integer; found ${describeValue(step)}`);
  }

  /** Numbers of a summary value: a JS array / typed array of numbers or a numeric tensor. */
  private numbers(op: string, tag: string, values: unknown): ArrayLike<number> {
    if (values instanceof ef.Tensor) {
      if (values.dtype === 'string' || values.isDisposed) throw new InvalidArgumentError(`SummaryWriter.${op}('${tag}'): the tensor must be numeric and alive; found ${values.isDisposed ? 'a disposed' : 'a string'} tensor`);
      return Array.from(values.dataSync() as ArrayLike<number | bigint | boolean>, Number);
    }
    if (typeof values !== 'object' || values === null || typeof (values as ArrayLike<unknown>).length !== 'number') throw new InvalidArgumentError(`SummaryWriter.${op}('${tag}'): values must be a tensor, an array or a typed array of numbers; found ${describeValue(values)}`);
    const bad = Array.prototype.findIndex.call(values, (v: unknown) => typeof v !== 'number');
    if (bad >= 0) throw new InvalidArgumentError(`SummaryWriter.${op}('${tag}'): values[${bad}] must be a number; found ${describeValue((values as ArrayLike<unknown>)[bad])}`);
    return values as ArrayLike<number>;
  }

  /** A scalar (TF2: 0-d DT_FLOAT tensor + plugin "scalars"; `legacyScalars`: `simple_value`). */
  scalar(tag: string, value: number | ef.Tensor, step: number): Promise<void> {
    this.check('scalar', step, tag);
    if (typeof value !== 'number' && !(value instanceof ef.Tensor)) throw new InvalidArgumentError(`SummaryWriter.scalar('${tag}'): value must be a number or a scalar tensor; found ${describeValue(value)}`);
    const vals = this.numbers('scalar', tag, typeof value === 'number' ? [value] : value);
    if (vals.length !== 1) throw new InvalidArgumentError(`SummaryWriter.scalar('${tag}'): value must be a scalar; found ${value instanceof ef.Tensor ? `shape [${value.shape.join(',')}]` : `${vals.length} values`}`);
    value = vals[0]!;
    if (this.legacy) {
      return this.add(step, tag, (w) => {
        w.tag(2, WIRE_I32);
        w.float32s([value as number]);
      });
    }
    return this.add(step, tag, (w) => {
      const t = w.beginLen(8);
      w.tag(1, WIRE_VARINT).uint32(DT_FLOAT);
      w.lenField(2, new Uint8Array(0));
      const c = new Uint8Array(4);
      new DataView(c.buffer).setFloat32(0, value as number, true);
      w.lenField(4, c);
      w.endLen(t);
      encodeMetadata(w, 'scalars');
    });
  }

  /** A histogram as TF's HistogramProto with the default exponential buckets (TF1 `tf.summary.histogram`). */
  histogram(tag: string, values: ArrayLike<number> | ef.Tensor, step: number): Promise<void> {
    this.check('histogram', step, tag);
    const vals = this.numbers('histogram', tag, values);
    for (let i = 0; i < vals.length; i++) {
      // TF1's HistogramSummary refuses them too ("Nan in summary histogram for: tag").
      if (!Number.isFinite(vals[i])) throw new InvalidArgumentError(`SummaryWriter.histogram('${tag}'): values must be finite; found ${vals[i]} at index ${i}`);
    }
    const h = computeHistogram(vals);
    return this.add(step, tag, (w) => {
      const at = w.beginLen(5);
      putDouble(w, 1, h.min);
      putDouble(w, 2, h.max);
      putDouble(w, 3, h.num);
      putDouble(w, 4, h.sum);
      putDouble(w, 5, h.sumSquares);
      putPackedDoubles(w, 6, h.bucketLimit);
      putPackedDoubles(w, 7, h.bucket);
      w.endLen(at);
    });
  }

  /** Text (TF2 `tf.summary.text`): 0-d DT_STRING tensor + plugin "text". */
  text(tag: string, value: string, step: number): Promise<void> {
    this.check('text', step, tag);
    if (typeof value !== 'string') throw new InvalidArgumentError(`SummaryWriter.text('${tag}'): value must be a string; found ${describeValue(value)}`);
    return this.add(step, tag, (w) => {
      const t = w.beginLen(8);
      w.tag(1, WIRE_VARINT).uint32(DT_STRING);
      w.lenField(2, new Uint8Array(0));
      putString(w, 8, value);
      w.endLen(t);
      encodeMetadata(w, 'text');
    });
  }

  /** An image from 8-bit HWC values (legacy Summary.Image holding a PNG). */
  image(tag: string, pixels: ArrayLike<number> | ef.Tensor, shape: readonly [number, number, number] | undefined, step: number): Promise<void> {
    this.check('image', step, tag);
    let png: Uint8Array;
    if (pixels instanceof ef.Tensor) {
      // A [h, w, c] tensor: int32 0..255 or float32 in [0, 1], as encodePng takes it.
      png = encodePng(pixels);
      shape = pixels.shape as [number, number, number];
    } else {
      if (!Array.isArray(shape) || shape.length !== 3) throw new InvalidArgumentError(`SummaryWriter.image('${tag}'): shape must be [height, width, channels]; found ${Array.isArray(shape) ? `[${shape.join(',')}]` : describeValue(shape)}`);
      png = encodePngPixels(pixels, shape[0], shape[1], shape[2]);
    }
    const [h, wd, c] = shape!;
    return this.add(step, tag, (w) => {
      const at = w.beginLen(4);
      w.tag(1, WIRE_VARINT).uint32(h);
      w.tag(2, WIRE_VARINT).uint32(wd);
      w.tag(3, WIRE_VARINT).uint32(c);
      w.lenField(4, png);
      w.endLen(at);
    });
  }

  /**
   * TF1's `FileWriter.add_graph`, eagerly: runs `fn` once and writes the ops it dispatched as
   * the run's graph (TensorBoard's Graphs tab, see traceGraph); returns what `fn` returned.
   */
  async addGraph<T>(fn: () => T): Promise<T> {
    const { result, nodes } = traceGraph(fn);
    await this.writer.write(encodeEventProto(this.now(), 0, (w) => w.lenField(4, encodeGraphDef(nodes))));
    return result;
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  close(): Promise<void> {
    return this.writer.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/**
 * A SummaryWriter on a new file `<logdir>/events.out.tfevents.<secs>.<host>.<pid>.<n><suffix>`
 * (the directory is created on the Node file system).
 */
export async function createFileWriter(logdir: string, options: SummaryWriterOptions = {}): Promise<SummaryWriter> {
  if (typeof logdir !== 'string' || logdir === '') throw new InvalidArgumentError(`createFileWriter: logdir must be a non-empty string (a directory); found ${describeValue(logdir)}`);
  const os = nodeModule<typeof import('node:os')>('node:os');
  const nfs = nodeModule<typeof import('node:fs')>('node:fs');
  if (!options.fs && nfs) await nfs.promises.mkdir(logdir, { recursive: true });
  const host = os?.hostname() ?? 'localhost';
  const pid = (globalThis as { process?: ProcessLike }).process?.pid ?? 0;
  const secs = Math.floor((options.now ?? (() => Date.now() / 1000))());
  const name = `events.out.tfevents.${secs}.${host}.${pid}.${fileCounter++}${options.filenameSuffix ?? '.v2'}`;
  const sep = logdir.endsWith('/') ? '' : '/';
  return new SummaryWriter(`${logdir}${sep}${name}`, options);
}
