import { apply1 } from '../dispatch.js';
import type { OpDef, OpSample } from '../op_def.js';
import { num } from '../reference_util.js';
import { avgPoolGradDef } from './avg_pool_grad.js';
import { POOL_CASES, checkRank4, poolAttrs, f64, forEachPoolWindow, poolGeometry, type PoolAttrs } from './conv_util.js';

/** Average pooling, NHWC (TensorFlow's AvgPool): padded positions are not counted. */
export const avgPoolDef: OpDef<PoolAttrs> = {
  id: 'avg_pool',
  infer([x], attrs) {
    checkRank4('avgPool', 'input', x, '[batch, height, width, channels]');
    const g = poolGeometry('avgPool', x!.shape, attrs);
    return [{ shape: [g.n, g.oh, g.ow, g.c], dtype: 'float32' }];
  },
  reference([x], attrs) {
    const g = poolGeometry('avgPool', x!.shape, attrs);
    const v = num(x!);
    const y = new Float64Array(g.n * g.oh * g.ow * g.c);
    forEachPoolWindow(g, (yi, xis) => (y[yi] = xis.reduce((s, i) => s + v[i]!, 0) / xis.length));
    return [f64([g.n, g.oh, g.ow, g.c], y)];
  },
  vjp: ({ inputs: [x], dys: [dy], attrs }) => [apply1(avgPoolGradDef, [dy!], { ...attrs, inputShape: [...x!.shape] })],
  samples: [
    ...POOL_CASES.map((c): OpSample<PoolAttrs> => ({ name: c.name, inputs: [{ shape: c.x }], attrs: c.attrs })),
    {
      name: 'hand-computed SAME corner counts only real pixels',
      inputs: [{ shape: [1, 3, 3, 1], dtype: 'float32', values: [1, 2, 3, 4, 5, 6, 7, 8, 9] }],
      attrs: poolAttrs([2, 2], [2, 2], [0, 1, 0, 1]),
      expected: [{ shape: [1, 2, 2, 1], dtype: 'float32', values: [3, 4.5, 7.5, 9] }],
    },
  ],
};
