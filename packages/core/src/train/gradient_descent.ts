import type { Tensor } from '../tensor.js';
import type { Variable } from '../variable.js';
import { subMul } from '../ops/api/elementwise.js';
import { Optimizer, type LearningRate, type OptimizerOptions, type Update } from './optimizer.js';

/** var -= lr · g (tf.train.GradientDescentOptimizer). */
export class GradientDescentOptimizer extends Optimizer {
  constructor(readonly learningRate: LearningRate, options: OptimizerOptions = {}) {
    super('GradientDescent', options);
  }
  protected learningRateTensor(): Tensor {
    return this.resolve(this.learningRate);
  }
  protected createSlots(): void {}
  protected applyDense(g: Tensor, v: Variable, lr: Tensor): Update[] {
    return [[v, subMul(v, lr, g)]];
  }
}
