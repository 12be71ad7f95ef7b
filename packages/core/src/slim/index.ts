/** ef.slim: arg scopes, slim layers, repeat/stack, the model analyzer. */
export { argScope, addArgScope, currentArgScope, hasArgScope } from './arg_scope.js';
export { conv2d, fullyConnected, maxPool2d, avgPool2d, batchNorm, flatten, dropout, type SlimLayerOptions, type SlimPoolOptions, type SlimBatchNormOptions } from './layers.js';
export { repeat, stack } from './repeat_stack.js';
export * as modelAnalyzer from './model_analyzer.js';
export { l1 as l1Regularizer, l2 as l2Regularizer } from '../regularizers/regularizers.js';
export { getVariables } from '../framework/variable_scope.js';
