import { apply1 } from '../dispatch.js';
import type { OpDef, OpSample } from '../op_def.js';
import { num } from '../reference_util.js';
import { conv2dDef } from './conv2d.js';
import { conv2dBackpropFilterDef } from './conv2d_backprop_filter.js';
import { CONV_CASES, checkRank4, checkShapeAttr, convGeometry, expectShape, f64, forEachConvTap, type Conv2DBackpropInputAttrs } from './conv_util.js';

export type { Conv2DBackpropInputAttrs } from './conv_util.js';

const OP = 'conv2dBackpropInput';

/** Gradient of conv2d with respect to its input: inputs (dy, filter), output shaped like x. */
export const conv2dBackpropInputDef: OpDef<Conv2DBackpropInputAttrs> = {
  id: 'conv2d_backprop_input',
  infer([dy, f], attrs) {
    const xShape = checkShapeAttr(OP, 'inputShape', attrs.inputShape);
    checkRank4(OP, 'outBackprop', dy, '[batch, outHeight, outWidth, outChannels]');
    checkRank4(OP, 'filter', f, '[height, width, inChannels, outChannels]');
    const g = convGeometry(OP, xShape, f!.shape, attrs);
    expectShape(OP, 'outBackprop', dy!.shape, [g.n, g.oh, g.ow, g.co]);
    return [{ shape: [...xShape], dtype: 'float32' }];
  },
  reference([dy, f], attrs) {
    const g = convGeometry(OP, attrs.inputShape, f!.shape, attrs);
    const dv = num(dy!);
    const fv = num(f!);
    const dx = new Float64Array(g.n * g.h * g.w * g.ci);
    forEachConvTap(g, (xi, fi, yi) => (dx[xi] += dv[yi]! * fv[fi]!));
    return [f64(attrs.inputShape, dx)];
  },
  // Linear in both inputs: the adjoint in dy is conv2d, in the filter it is the filter gradient.
  vjp: ({ inputs: [dy, f], dys: [g], attrs: { inputShape: _s, ...conv } }) => [
    apply1(conv2dDef, [g!, f!], conv),
    apply1(conv2dBackpropFilterDef, [g!, dy!], { ...conv, filterShape: [...f!.shape] }),
  ],
  samples: CONV_CASES.map((c): OpSample<Conv2DBackpropInputAttrs> => {
    const g = convGeometry(OP, c.x, c.f, c.attrs);
    return { name: c.name, inputs: [{ shape: [g.n, g.oh, g.ow, g.co] }, { shape: c.f }], attrs: { ...c.attrs, inputShape: c.x } };
  }),
};
