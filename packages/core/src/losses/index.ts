export * from './losses.js';
export { Reduction, computeWeightedLoss, type LossOptions, type ReductionKind } from './reduction.js';
