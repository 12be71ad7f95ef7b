/** Weight regularizers with TensorFlow's (contrib.layers) scale semantics. */
import { OpError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { abs, add, mul, square } from '../ops/api/elementwise.js';
import { reduceSum } from '../ops/api/reduce.js';

export type Regularizer = (w: Tensor) => Tensor;

function checkScale(name: string, scale: number): void {
  if (!(scale >= 0) || !Number.isFinite(scale)) throw new OpError(name, `scale must be a finite number ≥ 0, found ${scale}`);
}

/** scale · Σ|w| */
export function l1(scale: number): Regularizer {
  checkScale('l1Regularizer', scale);
  return (w) => mul(reduceSum(abs(w)), scale);
}

/** scale · Σw² / 2 (scale · tf.nn.l2_loss(w)). */
export function l2(scale: number): Regularizer {
  checkScale('l2Regularizer', scale);
  return (w) => mul(reduceSum(square(w)), scale / 2);
}

/** l1(scaleL1) + l2(scaleL2). */
export function l1l2(scaleL1 = 0.01, scaleL2 = 0.01): Regularizer {
  const a = l1(scaleL1);
  const b = l2(scaleL2);
  return (w) => add(a(w), b(w));
}

/** Sum of several regularizers (contrib.layers.sum_regularizer). */
export function sum(regs: readonly Regularizer[]): Regularizer {
  return (w) => regs.map((r) => r(w)).reduce((acc, t) => add(acc, t));
}

export { l1 as l1Regularizer, l2 as l2Regularizer, l1l2 as l1l2Regularizer };
