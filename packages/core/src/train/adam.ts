import type { Tensor } from '../tensor.js';
import type { Variable } from '../variable.js';
import { div, mul, sqrt, sub } from '../ops/api/elementwise.js';
import { applyAdamDef } from '../ops/defs/apply_adam.js';
import { apply } from '../ops/dispatch.js';
import { Optimizer, type LearningRate, type OptimizerOptions, type Update } from './optimizer.js';

export interface AdamOptions extends OptimizerOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/**
 * tf.train.AdamOptimizer (ApplyAdam):
 *   lr_t = lr · sqrt(1 − beta2_power) / (1 − beta1_power)
 *   m = beta1·m + (1 − beta1)·g;  v = beta2·v + (1 − beta2)·g²
 *   var -= lr_t · m / (sqrt(v) + epsilon)
 * then beta1_power *= beta1, beta2_power *= beta2. Slots 'w/Adam' (m) and 'w/Adam_1' (v);
 * non-slot variables 'beta1_power', 'beta2_power' (float32, as TensorFlow keeps them).
 */
export class AdamOptimizer extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  constructor(
    readonly learningRate: LearningRate = 0.001,
    options: AdamOptions = {},
  ) {
    super('Adam', options);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
  }
  protected learningRateTensor(): Tensor {
    return this.resolve(this.learningRate);
  }
  protected createSlots(vars: Variable[]): void {
    this.nonSlotVariable('beta1_power', this.beta1);
    this.nonSlotVariable('beta2_power', this.beta2);
    for (const v of vars) {
      this.slotFor(v, 'm', 0);
      this.slotFor(v, 'v', 0);
    }
  }
  /** The beta power variables ('beta1_power', 'beta2_power'). */
  getBetaAccumulators(): [Variable, Variable] {
    return [this.nonSlotVariable('beta1_power', this.beta1), this.nonSlotVariable('beta2_power', this.beta2)];
  }
  private lrT?: Tensor;
  protected applyDense(g: Tensor, v: Variable, lr: Tensor): Update[] {
    const [b1p, b2p] = this.getBetaAccumulators();
    // lr_t is the same for every variable of one step.
    if (!this.lrT || this.lrT.released) this.lrT = div(mul(lr, sqrt(sub(1, b2p))), sub(1, b1p));
    const m = this.getSlot(v, 'm')!;
    const s = this.getSlot(v, 'v')!;
    // One kernel for the three updates (TensorFlow's ApplyAdam).
    const [newV, mT, vT] = apply(applyAdamDef, [v, m, s, g, this.lrT], { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon }) as [Tensor, Tensor, Tensor];
    return [
      [v, newV],
      [m, mT],
      [s, vT],
    ];
  }
  protected override finish(): Update[] {
    this.lrT = undefined;
    const [b1p, b2p] = this.getBetaAccumulators();
    return [
      [b1p, mul(b1p, this.beta1)],
      [b2p, mul(b2p, this.beta2)],
    ];
  }
}
