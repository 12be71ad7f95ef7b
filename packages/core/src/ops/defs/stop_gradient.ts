import type { OpDef } from '../op_def.js';

export type StopGradientAttrs = Record<string, never>;

/**
 * TensorFlow's stop_gradient: the same values (output 0 shares input 0's storage, no kernel),
 * and no vjp, so tapes do not record it and gradients do not flow through it.
 */
export const stopGradientDef: OpDef<StopGradientAttrs> = {
  id: 'stop_gradient',
  aliasesInput: true,
  infer([x]) {
    return [{ shape: x!.shape, dtype: x!.dtype }];
  },
  reference([x]) {
    return [{ shape: x!.shape, dtype: x!.dtype, values: x!.values }];
  },
  samples: [
    { inputs: [{ shape: [2, 3] }], attrs: {}, noGrad: true },
    { inputs: [{ shape: [4], dtype: 'int32', range: [-5, 5] }], attrs: {}, noGrad: true },
  ],
};
