/** Public elementwise ops (one per row of defs/elementwise.ts). */
import type { Tensor } from '../../tensor.js';
import { convert, convertPair, type TensorLike } from '../convert.js';
import { ELEMENTWISE as T } from '../defs/elementwise.js';
import { apply1 } from '../dispatch.js';
import type { OpDef } from '../op_def.js';

type Def = OpDef<Record<string, number>>;
/** Runs `def`; operands converted from JS values are freed after it (a tape that saved one frees it later). */
function run(def: Def, args: readonly TensorLike[], ts: readonly Tensor[], attrs: Record<string, number>): Tensor {
  try {
    return apply1(def, ts, attrs);
  } finally {
    ts.forEach((t, i) => t !== args[i] && t.dispose());
  }
}
const un = (def: Def, x: TensorLike, attrs: Record<string, number> = {}): Tensor => run(def, [x], [convert(x, 'x', def.id)], attrs);
const bin = (def: Def, a: TensorLike, b: TensorLike): Tensor => run(def, [a, b], convertPair(a, b, def.id), {});

export const neg = (x: TensorLike): Tensor => un(T.neg, x);
export const abs = (x: TensorLike): Tensor => un(T.abs, x);
export const exp = (x: TensorLike): Tensor => un(T.exp, x);
export const log = (x: TensorLike): Tensor => un(T.log, x);
export const log1p = (x: TensorLike): Tensor => un(T.log1p, x);
export const expm1 = (x: TensorLike): Tensor => un(T.expm1, x);
export const sqrt = (x: TensorLike): Tensor => un(T.sqrt, x);
export const rsqrt = (x: TensorLike): Tensor => un(T.rsqrt, x);
export const square = (x: TensorLike): Tensor => un(T.square, x);
export const reciprocal = (x: TensorLike): Tensor => un(T.reciprocal, x);
export const sigmoid = (x: TensorLike): Tensor => un(T.sigmoid, x);
export const tanh = (x: TensorLike): Tensor => un(T.tanh, x);
export const relu = (x: TensorLike): Tensor => un(T.relu, x);
/** dy where x > 0 (the gradient of relu, fused). */
export const reluGrad = (dy: TensorLike, x: TensorLike): Tensor => bin(T.reluGrad, dy, x);
export const relu6 = (x: TensorLike): Tensor => un(T.relu6, x);
export const elu = (x: TensorLike): Tensor => un(T.elu, x);
export const selu = (x: TensorLike): Tensor => un(T.selu, x);
export const leakyRelu = (x: TensorLike, alpha = 0.2): Tensor => un(T.leakyRelu, x, { alpha });
export const softplus = (x: TensorLike): Tensor => un(T.softplus, x);
export const sin = (x: TensorLike): Tensor => un(T.sin, x);
export const cos = (x: TensorLike): Tensor => un(T.cos, x);
export const floor = (x: TensorLike): Tensor => un(T.floor, x);
export const ceil = (x: TensorLike): Tensor => un(T.ceil, x);
export const round = (x: TensorLike): Tensor => un(T.round, x);
export const sign = (x: TensorLike): Tensor => un(T.sign, x);
export const logicalNot = (x: TensorLike): Tensor => un(T.logicalNot, x);
/** Clamps to [clipMin, clipMax] (TensorFlow's clip_by_value). */
export const clipByValue = (x: TensorLike, clipMin: number, clipMax: number): Tensor => un(T.clipByValue, x, { clipMin, clipMax });

export const add = (a: TensorLike, b: TensorLike): Tensor => bin(T.add, a, b);
export const sub = (a: TensorLike, b: TensorLike): Tensor => bin(T.sub, a, b);
export const mul = (a: TensorLike, b: TensorLike): Tensor => bin(T.mul, a, b);
/** Division; on int32 it floors (as tf.math.floordiv). */
export const div = (a: TensorLike, b: TensorLike): Tensor => bin(T.div, a, b);
export const floorDiv = (a: TensorLike, b: TensorLike): Tensor => bin(T.floorDiv, a, b);
/** Floor modulo: the result takes the divisor's sign (TensorFlow's floormod). */
export const mod = (a: TensorLike, b: TensorLike): Tensor => bin(T.mod, a, b);
export const pow = (a: TensorLike, b: TensorLike): Tensor => bin(T.pow, a, b);
export const minimum = (a: TensorLike, b: TensorLike): Tensor => bin(T.minimum, a, b);
export const maximum = (a: TensorLike, b: TensorLike): Tensor => bin(T.maximum, a, b);
export const squaredDifference = (a: TensorLike, b: TensorLike): Tensor => bin(T.squaredDifference, a, b);
export const greater = (a: TensorLike, b: TensorLike): Tensor => bin(T.greater, a, b);
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor => bin(T.greaterEqual, a, b);
export const less = (a: TensorLike, b: TensorLike): Tensor => bin(T.less, a, b);
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor => bin(T.lessEqual, a, b);
export const equal = (a: TensorLike, b: TensorLike): Tensor => bin(T.equal, a, b);
export const notEqual = (a: TensorLike, b: TensorLike): Tensor => bin(T.notEqual, a, b);
export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor => bin(T.logicalAnd, a, b);
export const logicalOr = (a: TensorLike, b: TensorLike): Tensor => bin(T.logicalOr, a, b);

/**
 * Fused update steps (one kernel each instead of two: on a GPU every eager op costs
 * microseconds of dispatch), what the optimizers are written with:
 * axpby = alpha·a + beta·b, subMul = a − b·c (broadcasting, with gradients like any elementwise op).
 */
export const axpby = (a: Tensor, b: Tensor, alpha: number, beta: number): Tensor => apply1(T.axpby, [a, b], { alpha, beta });
export const subMul = (a: Tensor, b: Tensor, c: Tensor): Tensor => apply1(T.subMul, [a, b, c], {});

/** where(cond, a, b): elementwise select with broadcasting (TensorFlow 2's where). */
export function where(cond: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = convertPair(a, b, 'where');
  let tc: Tensor;
  try {
    tc = convert(cond, 'condition', 'where');
  } catch (e) {
    if (ta !== a) ta.dispose();
    if (tb !== b) tb.dispose();
    throw e;
  }
  return run(T.where, [cond, a, b], [tc, ta, tb], {});
}
