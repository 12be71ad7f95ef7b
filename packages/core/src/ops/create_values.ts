import type { Backend } from '../backend.js';
import { DTYPES, allocArray, isTypedArray, toTypedArray, type DType, type DataValues } from '../dtype.js';
import { engine } from '../engine.js';
import { OpError, fmtShape } from '../errors.js';
import { assertValidShape, sizeOf, type Shape } from '../shape.js';
import { Tensor, flattenNested, inferShape } from '../tensor.js';

export type TensorValues = DataValues | ArrayLike<number | boolean | bigint> | string[];

/** Creates a tensor on the current (or the given) backend from flat host values (one value fills the shape). */
export function makeTensor(values: TensorValues, shape: Shape, dtype: DType, backend?: Backend): Tensor {
  assertValidShape('tensor', shape);
  const n = sizeOf(shape);
  let data: DataValues;
  if (dtype === 'string') {
    const arr = values as ArrayLike<unknown>;
    data = Array.from({ length: arr.length }, (_, i) => {
      const v = arr[i];
      return v instanceof Uint8Array ? v : new TextEncoder().encode(String(v));
    });
  } else if (isTypedArray(values) && matches(values, dtype)) {
    data = values.slice();
    if (dtype === 'bool') {
      const b = data as Uint8Array;
      for (let i = 0; i < b.length; i++) if (b[i]! > 1) b[i] = 1;
    }
  } else {
    data = toTypedArray(values as ArrayLike<number>, dtype);
  }
  if (data.length !== n) {
    if (data.length === 1 && n !== 1) {
      const filled = allocArray(dtype, n);
      for (let i = 0; i < n; i++) (filled as unknown[])[i] = data[0];
      data = filled;
    } else {
      throw new OpError('tensor', `values hold ${data.length} elements but shape ${fmtShape(shape)} needs ${n}`);
    }
  }
  return engine.fromValues(data, shape, dtype, backend);
}

function matches(values: DataValues, dtype: DType): boolean {
  return (
    (dtype === 'float32' && values instanceof Float32Array) ||
    (dtype === 'int32' && values instanceof Int32Array) ||
    (dtype === 'bool' && values instanceof Uint8Array) ||
    (dtype === 'int64' && values instanceof BigInt64Array)
  );
}

/** Any typed array view (not DataView). */
export function isArrayView(x: unknown): x is ArrayLike<number | bigint> & ArrayBufferView {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

/**
 * The dtype a typed array becomes without an explicit dtype: Float32/Float64Array → float32,
 * BigInt64/BigUint64Array → int64, other integer arrays (Uint8Array included: image bytes) → int32.
 */
export function dtypeOfArrayView(x: ArrayBufferView): DType {
  if (x instanceof Float32Array || x instanceof Float64Array) return 'float32';
  if (x instanceof BigInt64Array || x instanceof BigUint64Array) return 'int64';
  return 'int32';
}

function defaultDtype(flat: ArrayLike<unknown>, values: unknown): DType {
  if (isArrayView(values)) return dtypeOfArrayView(values);
  const first = flat[0];
  if (typeof first === 'boolean') return 'bool';
  if (typeof first === 'string' || first instanceof Uint8Array) return 'string';
  if (typeof first === 'bigint') return 'int64';
  return 'float32';
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'an object';
  return typeof v === 'string' ? `string ${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v)}` : `${typeof v} ${String(v)}`;
}

/** Every element must suit `dtype`; names the first one that does not. */
function checkElements(flat: readonly unknown[], dtype: DType): void {
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    const t = typeof v;
    const ok =
      dtype === 'string'
        ? t === 'string' || v instanceof Uint8Array
        : dtype === 'int64'
          ? t === 'bigint' || (t === 'number' && Number.isInteger(v)) || t === 'boolean'
          : t === 'number' || t === 'boolean' || t === 'bigint';
    if (!ok) {
      const expected = dtype === 'string' ? 'a string or Uint8Array' : dtype === 'int64' ? 'a bigint or an integer' : 'a number, boolean or bigint';
      throw new OpError('tensor', `element ${i} (flat index) is ${describe(v)}; ${/^[aeiou]/.test(dtype) ? 'an' : 'a'} ${dtype} tensor needs ${expected}`);
    }
  }
}

/**
 * `ef.tensor(values, shape?, dtype?)` (TensorFlow's constant): a scalar (number, boolean, string,
 * bigint), a nested array (ragged input is an error), or a typed array. With `shape`, the values
 * must hold that many elements (they are laid out row-major) or exactly one, which fills it.
 */
export function tensor(values: unknown, shape?: Shape, dtype?: DType): Tensor {
  if (values instanceof Tensor) {
    engine.assertLive(values, 'tensor', 'values');
    if ((dtype && dtype !== values.dtype) || (shape && fmtShape(shape) !== fmtShape(values.shape))) {
      throw new OpError('tensor', `values is already a ${values.dtype} tensor of shape ${fmtShape(values.shape)}; use ef.cast / ef.reshape to change it`);
    }
    return values;
  }
  if (dtype !== undefined && !DTYPES.includes(dtype)) throw new OpError('tensor', `dtype must be one of ${DTYPES.join(', ')}, found ${String(dtype)}`);
  if (shape !== undefined) {
    if (!Array.isArray(shape)) throw new OpError('tensor', `shape must be an array of dimensions, found ${describe(shape)}`);
    assertValidShape('tensor', shape);
  }
  let flat: ArrayLike<unknown>;
  let inferred: number[];
  if (isArrayView(values)) {
    flat = values;
    inferred = [values.length];
  } else if (Array.isArray(values)) {
    inferred = inferShape(values);
    flat = flattenNested(values);
  } else if (['number', 'boolean', 'string', 'bigint'].includes(typeof values) || values instanceof Uint8Array) {
    flat = [values];
    inferred = [];
  } else {
    throw new OpError('tensor', `values must be a number, boolean, string, bigint, a (nested) array or a typed array; found ${describe(values)}`);
  }
  const dt = dtype ?? defaultDtype(flat, values);
  if (!isArrayView(values)) checkElements(flat as unknown[], dt);
  else if (dt === 'string') throw new OpError('tensor', `a ${values.constructor.name} cannot become a string tensor`);
  if (shape && flat.length !== sizeOf(shape) && flat.length !== 1) {
    throw new OpError('tensor', `values have shape ${fmtShape(inferred)} (${flat.length} elements) but shape ${fmtShape(shape)} (${sizeOf(shape)} elements) was given`);
  }
  const src = isTypedArray(values) ? values : ((Array.isArray(flat) ? flat : Array.from(flat)) as TensorValues);
  return makeTensor(src, shape ?? inferred, dt);
}
