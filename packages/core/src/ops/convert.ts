import type { DType } from '../dtype.js';
import { engine } from '../engine.js';
import { OpError } from '../errors.js';
import { Tensor, flattenNested, inferShape } from '../tensor.js';
import { makeTensor } from './create_values.js';

/** What ops accept where a tensor is expected. */
export type TensorLike = Tensor | number | boolean | number[] | boolean[] | number[][] | number[][][] | number[][][][] | Float32Array | Int32Array | Uint8Array;

/** Converts an op argument to a tensor; a JS scalar takes `dtypeHint` (the other operand's dtype). */
export function convert(x: TensorLike, arg: string, op: string, dtypeHint?: DType): Tensor {
  if (x instanceof Tensor) {
    engine.assertLive(x, op);
    return x;
  }
  if (typeof x === 'number') return makeTensor([x], [], dtypeHint && dtypeHint !== 'string' && dtypeHint !== 'int64' ? dtypeHint : 'float32');
  if (typeof x === 'boolean') return makeTensor([x ? 1 : 0], [], 'bool');
  if (ArrayBuffer.isView(x)) {
    const dtype: DType = x instanceof Int32Array ? 'int32' : x instanceof Uint8Array ? 'bool' : 'float32';
    return makeTensor(x, [x.length], dtype);
  }
  if (Array.isArray(x)) {
    const shape = inferShape(x);
    const flat = flattenNested(x);
    const dtype: DType = typeof flat[0] === 'boolean' ? 'bool' : dtypeHint && dtypeHint !== 'string' && dtypeHint !== 'int64' ? dtypeHint : 'float32';
    return makeTensor(flat as number[], shape, dtype);
  }
  throw new OpError(op, `argument '${arg}' must be a Tensor, number, boolean or array; found ${typeof x}`);
}

/** Converts two operands of a binary op; a JS scalar takes the tensor operand's dtype. */
export function convertPair(a: TensorLike, b: TensorLike, op: string): [Tensor, Tensor] {
  if (a instanceof Tensor) return [convert(a, 'a', op), convert(b, 'b', op, a.dtype)];
  const tb = convert(b, 'b', op);
  return [convert(a, 'a', op, tb.dtype), tb];
}
