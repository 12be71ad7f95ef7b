import type { Tensor } from '../tensor.js';
import type { Variable } from '../variable.js';
import { axpby, subMul } from '../ops/api/elementwise.js';
import { Optimizer, type LearningRate, type OptimizerOptions, type Update } from './optimizer.js';

export interface MomentumOptions extends OptimizerOptions {
  useNesterov?: boolean;
}

/**
 * tf.train.MomentumOptimizer (ApplyMomentum): accum = momentum·accum + g;
 * var -= lr·accum, or with Nesterov var -= lr·g + lr·momentum·accum. Slot: 'v/Momentum'.
 */
export class MomentumOptimizer extends Optimizer {
  readonly useNesterov: boolean;
  constructor(
    readonly learningRate: LearningRate,
    readonly momentum: number,
    options: MomentumOptions = {},
  ) {
    super('Momentum', options);
    this.useNesterov = options.useNesterov ?? false;
  }
  protected learningRateTensor(): Tensor {
    return this.resolve(this.learningRate);
  }
  protected createSlots(vars: Variable[]): void {
    for (const v of vars) this.slotFor(v, 'momentum', 0);
  }
  protected applyDense(g: Tensor, v: Variable, lr: Tensor): Update[] {
    const accum = this.getSlot(v, 'momentum')!;
    const a = axpby(accum, g, this.momentum, 1);
    // Nesterov: v -= lr·(g + momentum·a); otherwise v -= lr·a.
    const step = this.useNesterov ? axpby(g, a, 1, this.momentum) : a;
    return [
      [v, subMul(v, lr, step)],
      [accum, a],
    ];
  }
}
