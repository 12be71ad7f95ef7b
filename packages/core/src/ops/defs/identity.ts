import type { OpDef } from '../op_def.js';

/** A new tensor with the input's values (shares its storage; no kernel runs). */
export const identityDef: OpDef<Record<string, never>> = {
  id: 'identity',
  aliasesInput: true,
  infer([x]) {
    return [{ shape: x!.shape, dtype: x!.dtype }];
  },
  reference([x]) {
    return [{ shape: x!.shape, dtype: x!.dtype, values: x!.values }];
  },
  vjp: ({ dys: [dy] }) => [dy!],
  samples: [
    { inputs: [{ shape: [2, 3] }], attrs: {} },
    { inputs: [{ shape: [] }], attrs: {} },
    { inputs: [{ shape: [3], dtype: 'int32', range: [-5, 5] }], attrs: {}, noGrad: true },
  ],
};
