/** Element types. int64 and string are storage types (checkpoints, TFRecord); math runs on the rest. */
export type DType = 'float32' | 'int32' | 'bool' | 'int64' | 'string';
export type NumericDType = 'float32' | 'int32' | 'bool';

export type TypedArray = Float32Array | Int32Array | Uint8Array | BigInt64Array;
/** What a backend stores for one tensor: a typed array, or one byte string per element for 'string'. */
export type DataValues = TypedArray | Uint8Array[];

export const DTYPES: readonly DType[] = ['float32', 'int32', 'bool', 'int64', 'string'];

export function isFloat(dtype: DType): boolean {
  return dtype === 'float32';
}

export function isNumeric(dtype: DType): dtype is NumericDType {
  return dtype === 'float32' || dtype === 'int32' || dtype === 'bool';
}

export function bytesPerElement(dtype: DType): number {
  switch (dtype) {
    case 'float32':
    case 'int32':
      return 4;
    case 'bool':
      return 1;
    case 'int64':
      return 8;
    case 'string':
      return 0;
  }
}

export function allocArray(dtype: DType, size: number): DataValues {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'bool':
      return new Uint8Array(size);
    case 'int64':
      return new BigInt64Array(size);
    case 'string':
      return Array.from({ length: size }, () => new Uint8Array(0));
  }
}

export function isTypedArray(x: unknown): x is TypedArray {
  return (
    x instanceof Float32Array ||
    x instanceof Int32Array ||
    x instanceof Uint8Array ||
    x instanceof BigInt64Array
  );
}

/** Copies any array-like of numbers into the typed array of `dtype` (bool: nonzero → 1). */
export function toTypedArray(values: ArrayLike<number | boolean | bigint>, dtype: DType): DataValues {
  const n = values.length;
  const out = allocArray(dtype, n);
  if (dtype === 'string') throw new Error('toTypedArray: string tensors take Uint8Array[] or string[] values');
  if (out instanceof BigInt64Array) {
    for (let i = 0; i < n; i++) out[i] = BigInt(values[i] as number | bigint);
  } else if (dtype === 'bool') {
    for (let i = 0; i < n; i++) (out as Uint8Array)[i] = values[i] ? 1 : 0;
  } else {
    const o = out as Float32Array | Int32Array;
    for (let i = 0; i < n; i++) o[i] = Number(values[i]);
  }
  return out;
}

export function dataByteLength(values: DataValues): number {
  if (Array.isArray(values)) return values.reduce((s, v) => s + v.byteLength, 0);
  return values.byteLength;
}

// ---- int64 ⇄ compute dtypes (TensorFlow's cast) ----------------------------------------------
// int64 tensors hold BigInt64Array storage (two's complement, little-endian: a (low, high) pair of
// 32-bit words per element, the layout the WebGPU backend also uses on the GPU). Math runs on
// float32/int32/bool, so int64 data enters math through a cast, with TensorFlow's (C's) rules:
// int64 → int32 keeps the low 32 bits (wraps modulo 2^32), int64 → float32 rounds to nearest
// (ties to even), int64 → bool is x != 0; int32/bool → int64 is exact; float32 → int64 truncates
// toward zero, and where C leaves the result undefined (NaN, |x| ≥ 2^63) eagerflow gives 0 for NaN
// and saturates to the int64 range otherwise.

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;
const TWO32 = 4294967296;
const TWO53 = 2n ** 53n;

/** Index of the first value outside int32's range, or -1 when all fit (int64 → int32 conversions that must not wrap). */
export function firstOutsideInt32(values: BigInt64Array): number {
  for (let i = 0; i < values.length; i++) if (values[i]! < -2147483648n || values[i]! > 2147483647n) return i;
  return -1;
}

/** The float32 nearest to `v` (ties to even), as C's `(float)int64_value`. */
export function int64ToFloat32(v: bigint): number {
  const neg = v < 0n;
  const a = neg ? -v : v;
  if (a <= TWO53) return Math.fround(Number(v)); // exact in float64: one rounding
  // Number(v) would round to 53 bits and fround again to 24 (double rounding). Round to odd at 53
  // bits first (truncate, keep a sticky 1 for any dropped bit): then the rounding to 24 is exact.
  const drop = a.toString(2).length - 53;
  let t = a >> BigInt(drop);
  if (t << BigInt(drop) !== a) t |= 1n;
  const f = Number(t) * 2 ** drop;
  return Math.fround(neg ? -f : f);
}

/** `x` (a float32 value) as int64: truncated toward zero; NaN → 0; saturated outside [-2^63, 2^63). */
export function float32ToInt64(x: number): bigint {
  if (Number.isNaN(x)) return 0n;
  const t = Math.trunc(x);
  if (t >= 9223372036854775808) return INT64_MAX;
  if (t < -9223372036854775808) return INT64_MIN;
  return BigInt(t);
}

/** Whether `from` → `to` is a cast with int64 on either side (see castInt64Values). */
export function isInt64Cast(from: DType, to: DType): boolean {
  return (from === 'int64' && to !== 'string') || (to === 'int64' && from !== 'string');
}

/**
 * Casts host values where either side is int64 (see the rules above) into `out` (a new array of
 * `to` by default); other pairs are not handled here. Works on the 32-bit halves, so common values
 * need no BigInt.
 */
export function castInt64Values(src: TypedArray, from: DType, to: DType, out = allocArray(to, src.length) as TypedArray): TypedArray {
  const n = src.length;
  if (from === to) {
    (out as BigInt64Array).set(src as BigInt64Array);
    return out;
  }
  if (from === 'int64') {
    const w = new Int32Array(src.buffer, src.byteOffset, 2 * n);
    if (to === 'int32') for (let i = 0; i < n; i++) (out as Int32Array)[i] = w[2 * i]!;
    else if (to === 'bool') for (let i = 0; i < n; i++) (out as Uint8Array)[i] = (w[2 * i]! | w[2 * i + 1]!) !== 0 ? 1 : 0;
    else if (to === 'float32') {
      const o = out as Float32Array;
      for (let i = 0; i < n; i++) {
        const hi = w[2 * i + 1]!;
        // |v| < 2^53: hi·2^32 + lo is exact in float64, so one rounding to float32.
        o[i] = hi >= -0x200000 && hi < 0x200000 ? hi * TWO32 + (w[2 * i]! >>> 0) : int64ToFloat32((src as BigInt64Array)[i]!);
      }
    } else throw new Error(`castInt64Values: cannot cast int64 → ${to}`);
    return out;
  }
  if (to !== 'int64') throw new Error(`castInt64Values: ${from} → ${to} has no int64 side`);
  const w = new Int32Array(out.buffer, out.byteOffset, 2 * n);
  if (from === 'int32') {
    const s = src as Int32Array;
    for (let i = 0; i < n; i++) {
      w[2 * i] = s[i]!;
      w[2 * i + 1] = s[i]! >> 31;
    }
  } else if (from === 'bool') {
    for (let i = 0; i < n; i++) {
      w[2 * i] = src[i] ? 1 : 0;
      w[2 * i + 1] = 0;
    }
  } else if (from === 'float32') {
    const s = src as Float32Array;
    for (let i = 0; i < n; i++) {
      const t = Math.trunc(s[i]!);
      if (t >= -2147483648 && t < 2147483648) {
        w[2 * i] = t;
        w[2 * i + 1] = t < 0 ? -1 : 0;
      } else (out as BigInt64Array)[i] = float32ToInt64(s[i]!); // beyond int32, or NaN (fails both tests)
    }
  } else throw new Error(`castInt64Values: cannot cast ${from} → int64`);
  return out;
}
