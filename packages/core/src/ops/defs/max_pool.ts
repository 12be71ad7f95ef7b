import { apply1 } from '../dispatch.js';
import type { OpDef, OpSample } from '../op_def.js';
import { num } from '../reference_util.js';
import { POOL_CASES, checkRank4, distinctValues, f64, firstMax, forEachPoolWindow, poolAttrs, poolGeometry, type PoolAttrs } from './conv_util.js';
import { maxPoolGradDef } from './max_pool_grad.js';

export type { PoolAttrs } from './conv_util.js';

/** Max pooling, NHWC (TensorFlow's MaxPool); padding never wins the max. */
export const maxPoolDef: OpDef<PoolAttrs> = {
  id: 'max_pool',
  infer([x], attrs) {
    checkRank4('maxPool', 'input', x, '[batch, height, width, channels]');
    const g = poolGeometry('maxPool', x!.shape, attrs);
    return [{ shape: [g.n, g.oh, g.ow, g.c], dtype: 'float32' }];
  },
  reference([x], attrs) {
    const g = poolGeometry('maxPool', x!.shape, attrs);
    const v = num(x!);
    const y = new Float64Array(g.n * g.oh * g.ow * g.c);
    forEachPoolWindow(g, (yi, xis) => (y[yi] = v[firstMax(v, xis)]!));
    return [f64([g.n, g.oh, g.ow, g.c], y)];
  },
  vjp: ({ inputs: [x], dys: [dy], attrs }) => [apply1(maxPoolGradDef, [x!, dy!], { ...attrs, inputShape: [...x!.shape] })],
  samples: [
    ...POOL_CASES.map((c, i): OpSample<PoolAttrs> => ({ name: c.name, inputs: [distinctValues(c.x, 11 + i)], attrs: c.attrs })),
    {
      name: 'hand-computed 4x4 k2 s2',
      inputs: [{ shape: [1, 4, 4, 1], dtype: 'float32', values: [1, 2, 5, 6, 3, 4, 7, 8, 9, 10, 13, 14, 11, 12, 15, 16] }],
      attrs: poolAttrs([2, 2], [2, 2], [0, 0, 0, 0]),
      expected: [{ shape: [1, 2, 2, 1], dtype: 'float32', values: [4, 8, 12, 16] }],
    },
  ],
};
