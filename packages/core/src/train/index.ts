/** ef.train: optimizers, schedules, moving averages, gradient clipping, the global step. */
export { Optimizer, type LearningRate, type GradAndVar, type GradsAndVars, type OptimizerOptions, type MinimizeOptions, type ApplyOptions } from './optimizer.js';
export { GradientDescentOptimizer } from './gradient_descent.js';
export { MomentumOptimizer, type MomentumOptions } from './momentum.js';
export { AdamOptimizer, type AdamOptions } from './adam.js';
export { RMSPropOptimizer, type RMSPropOptions } from './rmsprop.js';
export { AdagradOptimizer, type AdagradOptions } from './adagrad.js';
export { clipByGlobalNorm, clipByNorm, globalNorm } from './clip_ops.js';
export { exponentialDecay, piecewiseConstant, polynomialDecay, cosineDecay, inverseTimeDecay, type Schedule, type StepSource } from './learning_rate_decay.js';
export { ExponentialMovingAverage, type EMAOptions } from './moving_averages.js';
export { createGlobalStep, getGlobalStep, getOrCreateGlobalStep, globalStepValue } from './global_step.js';
