/**
 * Storage dtypes of checkpoint/safetensors files, their TensorFlow DataType numbers, and the
 * conversions between raw file values and eagerflow tensors.
 */
import * as ef from '@eagerflow/core';
import Long from 'long';

/** Every element type the file formats carry. Core tensors use the subset ef.DType. */
export type StorageDType =
  | 'float32'
  | 'float64'
  | 'float16'
  | 'bfloat16'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'bool'
  | 'string';

/**
 * Raw values per dtype: float32 Float32Array, float64 Float64Array, float16/bfloat16/uint16
 * Uint16Array (bit patterns for the floats), int8 Int8Array, int16 Int16Array, int32 Int32Array,
 * int64 BigInt64Array, uint8/bool Uint8Array, uint32 Uint32Array, uint64 BigUint64Array,
 * string Uint8Array[] (one byte string per element).
 */
export type RawValues =
  | Float32Array
  | Float64Array
  | Uint16Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint32Array
  | BigUint64Array
  | Uint8Array[];

/** A tensor's exact file contents, without conversion to a core dtype. */
export interface RawTensor {
  dtype: StorageDType;
  shape: number[];
  values: RawValues;
}

/** What writers accept: a core tensor, or raw values (int64 also as Long[] from the `long` package). */
export type TensorInput = ef.Tensor | RawTensor | { dtype: 'int64' | 'uint64'; shape: number[]; values: Long[] };

export const TF_DTYPE: Record<StorageDType, number> = {
  float32: 1,
  float64: 2,
  int32: 3,
  uint8: 4,
  int16: 5,
  int8: 6,
  string: 7,
  int64: 9,
  bool: 10,
  bfloat16: 14,
  uint16: 17,
  float16: 19,
  uint32: 22,
  uint64: 23,
};
const FROM_TF = new Map<number, StorageDType>(Object.entries(TF_DTYPE).map(([k, v]) => [v, k as StorageDType]));
const TF_NAMES: Record<number, string> = {
  8: 'complex64',
  11: 'qint8',
  12: 'quint8',
  13: 'qint32',
  15: 'qint16',
  16: 'quint16',
  18: 'complex128',
  20: 'resource',
  21: 'variant',
};

export function dtypeFromTF(code: number): StorageDType | undefined {
  return FROM_TF.get(code);
}
export function tfDtypeName(code: number): string {
  return FROM_TF.get(code) ?? TF_NAMES[code] ?? `DataType ${code}`;
}

/** The typed array each numeric storage dtype is held in (half and bfloat16 as their raw bits). */
const ARRAY_TYPE: Record<Exclude<StorageDType, 'string'>, { new (buf: ArrayBufferLike, offset: number, length: number): Exclude<RawValues, Uint8Array[]>; readonly BYTES_PER_ELEMENT: number }> = {
  float32: Float32Array,
  float64: Float64Array,
  float16: Uint16Array,
  bfloat16: Uint16Array,
  uint16: Uint16Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  int64: BigInt64Array,
  uint8: Uint8Array,
  bool: Uint8Array,
  uint32: Uint32Array,
  uint64: BigUint64Array,
};

export function bytesPerElement(dtype: StorageDType): number {
  return dtype === 'string' ? 0 : ARRAY_TYPE[dtype].BYTES_PER_ELEMENT;
}

export function numElements(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Typed-array view of little-endian bytes. Copies when `bytes` is not aligned for the element size. */
export function rawFromBytes(dtype: Exclude<StorageDType, 'string'>, bytes: Uint8Array): Exclude<RawValues, Uint8Array[]> {
  const bpe = bytesPerElement(dtype);
  const b = bytes.byteOffset % bpe === 0 ? bytes : bytes.slice();
  const n = b.length / bpe;
  const buf = b.buffer;
  return new ARRAY_TYPE[dtype](buf, b.byteOffset, n);
}

/** Reverses the bytes of each element in place (big-endian files). */
export function swapBytes(bytes: Uint8Array, bpe: number): void {
  if (bpe <= 1) return;
  for (let i = 0; i + bpe <= bytes.length; i += bpe) {
    for (let a = i, z = i + bpe - 1; a < z; a++, z--) {
      const t = bytes[a]!;
      bytes[a] = bytes[z]!;
      bytes[z] = t;
    }
  }
}

/** IEEE binary16 bits → number. */
export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/** number → IEEE binary16 bits (round to nearest even). */
export function floatToHalf(x: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer)[0]!;
  const sign = (u >>> 16) & 0x8000;
  const exp = (u >>> 23) & 0xff;
  let mant = u & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let h = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && h & 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++;
  e = h >>> 10;
  return sign | h;
}

/** The core dtype a storage dtype is read into (see docs/io.md: float64/half/bfloat16 → float32, ...). */
export function coreDtypeFor(dtype: StorageDType): ef.DType {
  switch (dtype) {
    case 'float32':
    case 'float64':
    case 'float16':
    case 'bfloat16':
      return 'float32';
    case 'int8':
    case 'int16':
    case 'int32':
    case 'uint8':
    case 'uint16':
      return 'int32';
    case 'int64':
    case 'uint32':
    case 'uint64':
      return 'int64';
    case 'bool':
      return 'bool';
    case 'string':
      return 'string';
  }
}

/** Converts raw values to the typed array of `coreDtypeFor(dtype)`; exact except float64 → float32 rounding. */
export function toCoreValues(raw: RawTensor, what: string): ef.DataValues {
  const v = raw.values;
  switch (raw.dtype) {
    case 'float32':
    case 'int32':
    case 'int64':
    case 'bool':
    case 'string':
      return v as ef.DataValues;
    case 'float64':
      return Float32Array.from(v as Float64Array);
    case 'float16': {
      const h = v as Uint16Array;
      const out = new Float32Array(h.length);
      for (let i = 0; i < h.length; i++) out[i] = halfToFloat(h[i]!);
      return out;
    }
    case 'bfloat16': {
      const h = v as Uint16Array;
      const out = new Uint32Array(h.length);
      for (let i = 0; i < h.length; i++) out[i] = h[i]! << 16;
      return new Float32Array(out.buffer);
    }
    case 'int8':
    case 'int16':
    case 'uint8':
    case 'uint16':
      return Int32Array.from(v as ArrayLike<number>);
    case 'uint32': {
      const out = new BigInt64Array(v.length);
      for (let i = 0; i < v.length; i++) out[i] = BigInt((v as Uint32Array)[i]!);
      return out;
    }
    case 'uint64': {
      const u = v as BigUint64Array;
      for (let i = 0; i < u.length; i++) {
        if (u[i]! > 0x7fffffffffffffffn) throw new Error(`${what}: uint64 value ${u[i]} does not fit an int64 tensor; read it with getRawTensor`);
      }
      return new BigInt64Array(u.buffer, u.byteOffset, u.length);
    }
  }
}

/**
 * Whether a `dtype` file tensor can be read into a core `to` tensor: its own core dtype, or with
 * a conversion (Saver#restore's allowDtypeConversion): int64 (uint32, uint64) → int32 when every
 * value fits, int32 (and the small ints) → int64, int64 → float32 (rounded to nearest, as tf.cast).
 */
export function convertibleTo(dtype: StorageDType, to: ef.DType): boolean {
  const core = coreDtypeFor(dtype);
  return core === to || (core === 'int64' && (to === 'int32' || to === 'float32')) || (core === 'int32' && to === 'int64');
}

const INT32_RANGE = '[-2147483648, 2147483647]';

/**
 * Raw values → a core tensor on the current backend (or `backend` when given), of the dtype
 * `coreDtypeFor(raw.dtype)`, or of `dtype` when given and `convertibleTo` it (a value that does not
 * fit int32 throws, naming `what`, the value and the range).
 */
export function rawToTensor(raw: RawTensor, what = 'tensor', backend?: string, dtype?: ef.DType): ef.Tensor {
  const from = coreDtypeFor(raw.dtype);
  const to = dtype ?? from;
  let values = toCoreValues(raw, what);
  if (to !== from) {
    if (!convertibleTo(raw.dtype, to)) throw new Error(`${what}: cannot convert a ${raw.dtype} tensor to ${to}`);
    const i = from === 'int64' && to === 'int32' ? ef.firstOutsideInt32(values as BigInt64Array) : -1;
    if (i >= 0) throw new Error(`${what}: ${raw.dtype} value ${(values as BigInt64Array)[i]} (flat index ${i}) does not fit int32 ${INT32_RANGE}`);
    values = ef.castInt64Values(values as ef.TypedArray, from, to);
  }
  const make = (): ef.Tensor => ef.makeTensor(values, raw.shape, to);
  return backend && backend !== ef.getBackend() ? ef.withDevice(backend, make) : make();
}

function isTensor(x: unknown): x is ef.Tensor {
  return x instanceof ef.Tensor;
}

const EXPECTED_ARRAY: Record<Exclude<StorageDType, 'string'>, { name: string; ok: (v: unknown) => boolean }> = {
  float32: { name: 'Float32Array', ok: (v) => v instanceof Float32Array },
  float64: { name: 'Float64Array', ok: (v) => v instanceof Float64Array },
  float16: { name: 'Uint16Array (binary16 bits)', ok: (v) => v instanceof Uint16Array },
  bfloat16: { name: 'Uint16Array (bfloat16 bits)', ok: (v) => v instanceof Uint16Array },
  uint16: { name: 'Uint16Array', ok: (v) => v instanceof Uint16Array },
  int8: { name: 'Int8Array', ok: (v) => v instanceof Int8Array },
  int16: { name: 'Int16Array', ok: (v) => v instanceof Int16Array },
  int32: { name: 'Int32Array', ok: (v) => v instanceof Int32Array },
  int64: { name: 'BigInt64Array or Long[]', ok: (v) => v instanceof BigInt64Array },
  uint8: { name: 'Uint8Array', ok: (v) => v instanceof Uint8Array },
  bool: { name: 'Uint8Array (0/1)', ok: (v) => v instanceof Uint8Array },
  uint32: { name: 'Uint32Array', ok: (v) => v instanceof Uint32Array },
  uint64: { name: 'BigUint64Array or Long[]', ok: (v) => v instanceof BigUint64Array },
};

/** Normalises writer input to a RawTensor (reads a core tensor's values from its backend). */
export async function toRaw(name: string, x: TensorInput): Promise<RawTensor> {
  if (isTensor(x)) {
    if (x.isDisposed) throw new Error(`tensor '${name}' was disposed`);
    // CPU storage is the host array itself and is never mutated in place (assign repoints), so
    // it can be written without the defensive copy that data() makes. Other backends: data().
    const st = x.backend?.name === 'cpu' ? (x as unknown as { storage: unknown }).storage : undefined;
    const direct = (ArrayBuffer.isView(st) && !(st instanceof DataView)) || (Array.isArray(st) && x.dtype === 'string') ? st : undefined;
    const values = (direct as RawValues | undefined) ?? ((await x.data()) as RawValues);
    if (values.length !== x.size) throw new Error(`tensor '${name}': backend returned ${values.length} values for ${x.size} elements`);
    return { dtype: x.dtype, shape: [...x.shape], values };
  }
  if (!x || typeof x !== 'object' || !('dtype' in x) || !('values' in x) || !Array.isArray(x.shape)) {
    throw new Error(`tensor '${name}': expected an ef.Tensor or {dtype, shape, values}`);
  }
  const dtype = x.dtype as StorageDType;
  if (!(dtype in TF_DTYPE)) throw new Error(`tensor '${name}': unknown dtype '${String(dtype)}'`);
  let values = x.values as unknown;
  if (Array.isArray(values) && (dtype === 'int64' || dtype === 'uint64') && values.every((v) => Long.isLong(v))) {
    values = dtype === 'int64' ? BigInt64Array.from(values as Long[], (l) => BigInt(l.toString())) : BigUint64Array.from(values as Long[], (l) => BigInt(l.toUnsigned().toString()));
  }
  const shape = x.shape.map((d) => {
    if (!Number.isInteger(d) || d < 0) throw new Error(`tensor '${name}': invalid shape [${x.shape.join(', ')}]`);
    return d;
  });
  const n = numElements(shape);
  if (dtype === 'string') {
    if (!Array.isArray(values) || !values.every((e) => e instanceof Uint8Array)) throw new Error(`tensor '${name}': string values must be Uint8Array[]`);
  } else if (!EXPECTED_ARRAY[dtype].ok(values)) {
    throw new Error(`tensor '${name}': ${dtype} values must be a ${EXPECTED_ARRAY[dtype].name}`);
  }
  if ((values as RawValues).length !== n) throw new Error(`tensor '${name}': shape [${shape.join(', ')}] needs ${n} values, got ${(values as RawValues).length}`);
  return { dtype, shape, values: values as RawValues };
}

/** Little-endian bytes of numeric raw values (a view, no copy). */
export function rawBytes(values: Exclude<RawValues, Uint8Array[]>): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** int64 values as `long` Longs (exact). */
export function toLongs(values: BigInt64Array | BigUint64Array): Long[] {
  const unsigned = values instanceof BigUint64Array;
  return Array.from(values, (v) => Long.fromString(v.toString(), unsigned));
}
