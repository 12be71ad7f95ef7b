import { OpError } from '../../errors.js';
import { apply1 } from '../dispatch.js';
import type { OpDef, OpSample } from '../op_def.js';
import { num } from '../reference_util.js';
import { avgPoolDef } from './avg_pool.js';
import { POOL_CASES, checkShapeAttr, expectShape, f64, forEachPoolWindow, poolGeometry, type PoolGradAttrs } from './conv_util.js';

const OP = 'avgPoolGrad';

/** Gradient of average pooling: input dy, output shaped like x (each dy spread over its window). */
export const avgPoolGradDef: OpDef<PoolGradAttrs> = {
  id: 'avg_pool_grad',
  infer([dy], attrs) {
    const xShape = checkShapeAttr(OP, 'inputShape', attrs.inputShape);
    if (!dy || dy.dtype !== 'float32') throw new OpError(OP, `grad must be float32, found ${dy?.dtype}`);
    const g = poolGeometry(OP, xShape, attrs);
    expectShape(OP, 'grad', dy.shape, [g.n, g.oh, g.ow, g.c]);
    return [{ shape: [...xShape], dtype: 'float32' }];
  },
  reference([dy], attrs) {
    const g = poolGeometry(OP, attrs.inputShape, attrs);
    const d = num(dy!);
    const dx = new Float64Array(attrs.inputShape.reduce((a, b) => a * b, 1));
    forEachPoolWindow(g, (yi, xis) => {
      for (const i of xis) dx[i] += d[yi]! / xis.length;
    });
    return [f64(attrs.inputShape, dx)];
  },
  vjp: ({ dys: [g], attrs: { inputShape: _s, ...pool } }) => [apply1(avgPoolDef, [g!], pool)],
  samples: POOL_CASES.map((c): OpSample<PoolGradAttrs> => {
    const g = poolGeometry(OP, c.x, c.attrs);
    return { name: c.name, inputs: [{ shape: [g.n, g.oh, g.ow, g.c] }], attrs: { ...c.attrs, inputShape: c.x } };
  }),
};
