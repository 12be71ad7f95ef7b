import { apply1 } from '../dispatch.js';
import type { OpDef, OpSample } from '../op_def.js';
import { num } from '../reference_util.js';
import { POOL_CASES, checkRank4, poolAttrs, poolOutShape, checkShapeAttr, distinctValues, expectShape, f64, firstMax, forEachPoolWindow, poolGeometry, type PoolGradAttrs } from './conv_util.js';
import { maxPoolGradGradDef } from './max_pool_grad_grad.js';

export type { PoolGradAttrs } from './conv_util.js';

const OP = 'maxPoolGrad';

/**
 * Gradient of max pooling: inputs (x, dy); each window's dy goes to the first maximum of x in
 * the window (row-major), as TensorFlow's MaxPoolGrad.
 */
export const maxPoolGradDef: OpDef<PoolGradAttrs> = {
  id: 'max_pool_grad',
  infer([x, dy], attrs) {
    checkShapeAttr(OP, 'inputShape', attrs.inputShape);
    checkRank4(OP, 'input', x, '[batch, height, width, channels]');
    checkRank4(OP, 'grad', dy, '[batch, outHeight, outWidth, channels]');
    expectShape(OP, 'input', x!.shape, attrs.inputShape);
    const g = poolGeometry(OP, x!.shape, attrs);
    expectShape(OP, 'grad', dy!.shape, [g.n, g.oh, g.ow, g.c]);
    return [{ shape: [...x!.shape], dtype: 'float32' }];
  },
  reference([x, dy], attrs) {
    const g = poolGeometry(OP, x!.shape, attrs);
    const v = num(x!);
    const d = num(dy!);
    const dx = new Float64Array(v.length);
    forEachPoolWindow(g, (yi, xis) => (dx[firstMax(v, xis)] += d[yi]!));
    return [f64(x!.shape, dx)];
  },
  // Piecewise constant in x (zero almost everywhere); linear in dy with adjoint max_pool_grad_grad.
  vjp: ({ inputs: [x], dys: [g], attrs: { inputShape: _s, ...pool } }) => [null, apply1(maxPoolGradGradDef, [x!, g!], pool)],
  samples: [
    ...POOL_CASES.map((c, i): OpSample<PoolGradAttrs> => {
      const x = distinctValues(c.x, 23 + i);
      return { name: c.name, inputs: [x, { shape: poolOutShape(c.x, c.attrs) }], attrs: { ...c.attrs, inputShape: c.x } };
    }),
    {
      name: 'hand-computed ties go to the first max',
      inputs: [
        { shape: [1, 2, 2, 1], dtype: 'float32', values: [3, 3, 1, 3] },
        { shape: [1, 1, 1, 1], dtype: 'float32', values: [5] },
      ],
      attrs: { ...poolAttrs([2, 2], [2, 2], [0, 0, 0, 0]), inputShape: [1, 2, 2, 1] },
      expected: [{ shape: [1, 2, 2, 1], dtype: 'float32', values: [5, 0, 0, 0] }],
      noGrad: true,
    },
  ],
};
