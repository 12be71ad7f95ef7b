import type { DType } from '../dtype.js';
import { engine } from '../engine.js';
import { OpError, describeValue } from '../errors.js';
import { Tensor, flattenNested, inferShape } from '../tensor.js';
import { dtypeOfArrayView, isArrayView, makeTensor } from './create_values.js';

/** What ops accept where a tensor is expected. */
export type TensorLike = Tensor | number | boolean | number[] | boolean[] | number[][] | number[][][] | number[][][][] | Float32Array | Int32Array | Uint8Array;

/**
 * Converts an op argument to a tensor; a JS number takes `dtypeHint` (the other operand's dtype),
 * so `mul(intTensor, 2)` stays int32 (and `mul(intTensor, 0.5)` is an error, as in TensorFlow).
 */
export function convert(x: TensorLike, arg: string, op: string, dtypeHint?: DType): Tensor {
  if (x instanceof Tensor) {
    engine.assertLive(x, op, arg);
    return x;
  }
  const hint = dtypeHint && dtypeHint !== 'string' && dtypeHint !== 'int64' ? dtypeHint : undefined;
  if (typeof x === 'number') {
    if (hint === 'int32' && !Number.isInteger(x)) {
      throw new OpError(op, `argument '${arg}' is ${x}, which is not an integer, but the other operand is int32; cast it first (ef.cast(t, 'float32'))`);
    }
    return makeTensor([x], [], hint ?? 'float32');
  }
  if (typeof x === 'boolean') return makeTensor([x ? 1 : 0], [], 'bool');
  if (isArrayView(x)) return makeTensor(x as unknown as ArrayLike<number>, [x.length], dtypeOfArrayView(x));
  if (Array.isArray(x)) {
    let shape: number[];
    try {
      shape = inferShape(x);
    } catch (e) {
      throw new OpError(op, `argument '${arg}': ${(e as Error).message.replace(/^tensor: /, '')}`);
    }
    const flat = flattenNested(x);
    const bad = flat.findIndex((v) => typeof v !== 'number' && typeof v !== 'boolean');
    if (bad >= 0) throw new OpError(op, `argument '${arg}' element ${bad} (flat index) is ${describeValue(flat[bad])}; expected a number or boolean`);
    const dtype: DType = typeof flat[0] === 'boolean' ? 'bool' : hint ?? 'float32';
    if (dtype === 'int32') {
      const frac = flat.findIndex((v) => typeof v === 'number' && !Number.isInteger(v));
      if (frac >= 0) throw new OpError(op, `argument '${arg}' element ${frac} is ${String(flat[frac])}, which is not an integer, but the other operand is int32; cast it first`);
    }
    return makeTensor(flat as number[], shape, dtype);
  }
  if (x === undefined) throw new OpError(op, `argument '${arg}' is missing (undefined); expected a Tensor, number, boolean or array`);
  throw new OpError(op, `argument '${arg}' must be a Tensor, number, boolean or array; found ${describeValue(x)}`);
}

/** Converts two operands of a binary op; a JS scalar takes the tensor operand's dtype. */
export function convertPair(a: TensorLike, b: TensorLike, op: string): [Tensor, Tensor] {
  if (a instanceof Tensor) return [convert(a, 'a', op), convert(b, 'b', op, a.dtype)];
  const tb = convert(b, 'b', op);
  try {
    return [convert(a, 'a', op, tb.dtype), tb];
  } catch (e) {
    if (!(b instanceof Tensor)) tb.dispose();
    throw e;
  }
}
