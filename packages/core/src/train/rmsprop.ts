import type { Tensor } from '../tensor.js';
import type { Variable } from '../variable.js';
import { add, div, mul, sqrt, square, sub } from '../ops/api/elementwise.js';
import { Optimizer, type LearningRate, type OptimizerOptions, type Update } from './optimizer.js';

export interface RMSPropOptions extends OptimizerOptions {
  decay?: number;
  momentum?: number;
  epsilon?: number;
  centered?: boolean;
}

/**
 * tf.train.RMSPropOptimizer (ApplyRMSProp / ApplyCenteredRMSProp):
 *   ms = ms + (g² − ms)·(1 − decay)            (ms starts at ones, as TF1)
 *   [centered: mg = mg + (g − mg)·(1 − decay);  denom = ms − mg²]
 *   mom = momentum·mom + lr·g / sqrt(denom + epsilon);  var -= mom
 * Slots: 'w/RMSProp' (ms), ['w/RMSProp_1' (mg) when centered], then the momentum slot.
 */
export class RMSPropOptimizer extends Optimizer {
  readonly decay: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;
  constructor(
    readonly learningRate: LearningRate,
    options: RMSPropOptions = {},
  ) {
    super('RMSProp', options);
    this.decay = options.decay ?? 0.9;
    this.momentum = options.momentum ?? 0;
    this.epsilon = options.epsilon ?? 1e-10;
    this.centered = options.centered ?? false;
  }
  protected learningRateTensor(): Tensor {
    return this.resolve(this.learningRate);
  }
  protected createSlots(vars: Variable[]): void {
    for (const v of vars) {
      this.slotFor(v, 'rms', 1);
      if (this.centered) this.slotFor(v, 'mg', 0);
      this.slotFor(v, 'momentum', 0);
    }
  }
  protected applyDense(g: Tensor, v: Variable, lr: Tensor): Update[] {
    const ms = this.getSlot(v, 'rms')!;
    const mom = this.getSlot(v, 'momentum')!;
    const msT = add(ms, mul(sub(square(g), ms), 1 - this.decay));
    const out: Update[] = [[ms, msT]];
    let denom = msT;
    if (this.centered) {
      const mg = this.getSlot(v, 'mg')!;
      const mgT = add(mg, mul(sub(g, mg), 1 - this.decay));
      out.push([mg, mgT]);
      denom = sub(msT, square(mgT));
    }
    const momT = add(mul(mom, this.momentum), div(mul(lr, g), sqrt(add(denom, this.epsilon))));
    out.push([mom, momT], [v, sub(v, momT)]);
    return out;
  }
}
