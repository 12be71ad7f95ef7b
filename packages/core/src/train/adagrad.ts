import { OpError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import type { Variable } from '../variable.js';
import { add, mul, rsqrt, square, sub } from '../ops/api/elementwise.js';
import { Optimizer, type LearningRate, type OptimizerOptions, type Update } from './optimizer.js';

export interface AdagradOptions extends OptimizerOptions {
  initialAccumulatorValue?: number;
}

/** tf.train.AdagradOptimizer (ApplyAdagrad): accum += g²; var -= lr·g·rsqrt(accum). Slot 'w/Adagrad' (starts at 0.1). */
export class AdagradOptimizer extends Optimizer {
  readonly initialAccumulatorValue: number;
  constructor(
    readonly learningRate: LearningRate,
    options: AdagradOptions = {},
  ) {
    super('Adagrad', options);
    this.initialAccumulatorValue = options.initialAccumulatorValue ?? 0.1;
    if (!(this.initialAccumulatorValue > 0)) throw new OpError('AdagradOptimizer', `initialAccumulatorValue must be positive, found ${this.initialAccumulatorValue}`);
  }
  protected learningRateTensor(): Tensor {
    return this.resolve(this.learningRate);
  }
  protected createSlots(vars: Variable[]): void {
    for (const v of vars) this.slotFor(v, 'accumulator', this.initialAccumulatorValue);
  }
  protected applyDense(g: Tensor, v: Variable, lr: Tensor): Update[] {
    const acc = this.getSlot(v, 'accumulator')!;
    const accT = add(acc, square(g));
    return [
      [acc, accT],
      [v, sub(v, mul(mul(lr, g), rsqrt(accT)))],
    ];
  }
}
