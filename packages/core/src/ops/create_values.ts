import { allocArray, isTypedArray, toTypedArray, type DType, type DataValues } from '../dtype.js';
import { engine } from '../engine.js';
import { OpError, fmtShape } from '../errors.js';
import { assertValidShape, sizeOf, type Shape } from '../shape.js';
import { Tensor, flattenNested, inferShape } from '../tensor.js';

export type TensorValues = DataValues | ArrayLike<number | boolean | bigint> | string[];

/** Creates a tensor on the current backend from flat host values. */
export function makeTensor(values: TensorValues, shape: Shape, dtype: DType): Tensor {
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
  return engine.fromValues(data, shape, dtype);
}

function matches(values: DataValues, dtype: DType): boolean {
  return (
    (dtype === 'float32' && values instanceof Float32Array) ||
    (dtype === 'int32' && values instanceof Int32Array) ||
    (dtype === 'bool' && values instanceof Uint8Array) ||
    (dtype === 'int64' && values instanceof BigInt64Array)
  );
}

function defaultDtype(flat: readonly unknown[], values: unknown): DType {
  if (values instanceof Int32Array) return 'int32';
  if (values instanceof Uint8Array) return 'bool';
  if (values instanceof BigInt64Array) return 'int64';
  const first = flat[0];
  if (typeof first === 'boolean') return 'bool';
  if (typeof first === 'string' || first instanceof Uint8Array) return 'string';
  if (typeof first === 'bigint') return 'int64';
  return 'float32';
}

/** `ef.tensor(values, shape?, dtype?)`: nested arrays, typed arrays or scalars (TensorFlow's constant). */
export function tensor(values: unknown, shape?: Shape, dtype?: DType): Tensor {
  if (values instanceof Tensor) return values;
  const isFlat = isTypedArray(values) || (Array.isArray(values) && values.every((v) => !Array.isArray(v)));
  const inferred = isTypedArray(values) ? [values.length] : Array.isArray(values) ? inferShape(values) : [];
  const flat = isTypedArray(values) ? Array.from(values as ArrayLike<unknown>) : Array.isArray(values) ? flattenNested(values) : [values];
  const dt = dtype ?? defaultDtype(flat, values);
  if (shape && !isFlat && sizeOf(shape) !== flat.length) {
    throw new OpError('tensor', `values have shape ${fmtShape(inferred)} (${flat.length} elements) but shape ${fmtShape(shape)} was given`);
  }
  const src = isTypedArray(values) ? values : (flat as TensorValues);
  return makeTensor(src, shape ?? inferred, dt);
}
