import { isNumeric, type DType } from '../../dtype.js';
import { OpError } from '../../errors.js';
import { assertValidShape, sizeOf, type Shape } from '../../shape.js';
import type { OpDef } from '../op_def.js';

export interface FillAttrs {
  shape: Shape;
  value: number;
  dtype: DType;
}

/** A tensor of one repeated value (zeros, ones, fill); no inputs. */
export const fillDef: OpDef<FillAttrs> = {
  id: 'fill',
  infer(_inputs, { shape, dtype, value }) {
    assertValidShape('fill', shape);
    if (!isNumeric(dtype)) throw new OpError('fill', `dtype must be float32, int32 or bool, found ${dtype}`);
    if (typeof value !== 'number' || (dtype !== 'float32' && !Number.isInteger(value))) throw new OpError('fill', `value ${value} does not fit dtype ${dtype}`);
    return [{ shape, dtype }];
  },
  reference(_inputs, { shape, dtype, value }) {
    return [{ shape, dtype, values: new Float64Array(sizeOf(shape)).fill(dtype === 'bool' ? (value ? 1 : 0) : value) }];
  },
  samples: [
    { inputs: [], attrs: { shape: [2, 3], value: 1.5, dtype: 'float32' }, noGrad: true },
    { inputs: [], attrs: { shape: [4], value: -3, dtype: 'int32' }, noGrad: true },
    { inputs: [], attrs: { shape: [], value: 1, dtype: 'bool' }, noGrad: true },
  ],
};
