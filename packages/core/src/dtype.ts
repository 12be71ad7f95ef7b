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
