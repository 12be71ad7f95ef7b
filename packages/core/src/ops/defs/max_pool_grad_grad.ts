import { apply1 } from '../dispatch.js';
import type { OpDef, OpSample } from '../op_def.js';
import { num } from '../reference_util.js';
import { POOL_CASES, checkRank4, distinctValues, expectShape, f64, firstMax, forEachPoolWindow, poolGeometry, type PoolAttrs } from './conv_util.js';
import { maxPoolGradDef } from './max_pool_grad.js';

const OP = 'maxPoolGradGrad';

/**
 * Second-order max pooling (TensorFlow's MaxPoolGradGrad): inputs (x, g) with g shaped like x;
 * output shaped like max_pool(x): for each window, g at the first maximum of x.
 */
export const maxPoolGradGradDef: OpDef<PoolAttrs> = {
  id: 'max_pool_grad_grad',
  infer([x, g], attrs) {
    checkRank4(OP, 'input', x, '[batch, height, width, channels]');
    checkRank4(OP, 'grad', g, '[batch, height, width, channels]');
    expectShape(OP, 'grad', g!.shape, x!.shape);
    const p = poolGeometry(OP, x!.shape, attrs);
    return [{ shape: [p.n, p.oh, p.ow, p.c], dtype: 'float32' }];
  },
  reference([x, g], attrs) {
    const p = poolGeometry(OP, x!.shape, attrs);
    const v = num(x!);
    const gv = num(g!);
    const y = new Float64Array(p.n * p.oh * p.ow * p.c);
    forEachPoolWindow(p, (yi, xis) => (y[yi] = gv[firstMax(v, xis)]!));
    return [f64([p.n, p.oh, p.ow, p.c], y)];
  },
  vjp: ({ inputs: [x], dys: [dy], attrs }) => [null, apply1(maxPoolGradDef, [x!, dy!], { ...attrs, inputShape: [...x!.shape] })],
  samples: POOL_CASES.map((c, i): OpSample<PoolAttrs> => ({ name: c.name, inputs: [distinctValues(c.x, 37 + i), { shape: c.x }], attrs: c.attrs })),
};
