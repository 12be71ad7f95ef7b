import type { DType } from '../../dtype.js';
import { OpError } from '../../errors.js';
import { shapeList, type Shape } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { makeTensor } from '../create_values.js';
import { fillDef } from '../defs/fill.js';
import { apply1 } from '../dispatch.js';

export function fill(shape: Shape, value: number, dtype: DType = 'float32'): Tensor {
  return apply1(fillDef, [], { shape: shapeList('fill', shape), value, dtype });
}
export const zeros = (shape: Shape, dtype: DType = 'float32') => fill(shape, 0, dtype);
export const ones = (shape: Shape, dtype: DType = 'float32') => fill(shape, 1, dtype);
export const zerosLike = (t: Tensor) => fill(t.shape, 0, t.dtype);
export const onesLike = (t: Tensor) => fill(t.shape, 1, t.dtype);

/** [start, limit) by delta (TensorFlow's range); one argument means [0, n). */
export function range(start: number, limit?: number, delta = 1, dtype: DType = 'float32'): Tensor {
  if (limit === undefined) [start, limit] = [0, start];
  for (const [arg, v] of [['start', start], ['limit', limit], ['delta', delta]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new OpError('range', `${arg} must be a finite number, found ${String(v)}`);
  }
  if (delta === 0) throw new OpError('range', 'delta must not be 0');
  // TensorFlow's Range kernel: an empty range in the direction of delta is fine, the wrong direction is not.
  if (delta > 0 ? start > limit : start < limit) {
    throw new OpError('range', `start ${start} must be ${delta > 0 ? '<=' : '>='} limit ${limit} when delta is ${delta > 0 ? 'positive' : 'negative'} (${delta})`);
  }
  const n = Math.max(0, Math.ceil((limit - start) / delta));
  return makeTensor(Array.from({ length: n }, (_, i) => start + i * delta), [n], dtype);
}

export function linspace(start: number, stop: number, num: number): Tensor {
  if (!Number.isInteger(num) || num < 1) throw new OpError('linspace', `num must be a positive integer, found ${num}`);
  const step = num === 1 ? 0 : (stop - start) / (num - 1);
  return makeTensor(Array.from({ length: num }, (_, i) => (i === num - 1 && num > 1 ? stop : start + i * step)), [num], 'float32');
}

export function eye(numRows: number, numColumns = numRows, dtype: DType = 'float32'): Tensor {
  for (const [arg, v] of [['numRows', numRows], ['numColumns', numColumns]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new OpError('eye', `${arg} must be a non-negative integer, found ${String(v)}`);
  }
  const v = new Float32Array(numRows * numColumns);
  for (let i = 0; i < Math.min(numRows, numColumns); i++) v[i * numColumns + i] = 1;
  return makeTensor(v, [numRows, numColumns], dtype);
}

export function scalar(value: number | boolean, dtype?: DType): Tensor {
  return makeTensor([Number(value)], [], dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32'));
}
