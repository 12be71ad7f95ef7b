import { apply1 } from '../dispatch.js';
import type { OpDef, OpSample } from '../op_def.js';
import { num } from '../reference_util.js';
import { conv2dDef } from './conv2d.js';
import { conv2dBackpropInputDef } from './conv2d_backprop_input.js';
import { CONV_CASES, checkRank4, checkShapeAttr, convGeometry, expectShape, f64, forEachConvTap, type Conv2DBackpropFilterAttrs } from './conv_util.js';

export type { Conv2DBackpropFilterAttrs } from './conv_util.js';

const OP = 'conv2dBackpropFilter';

/** Gradient of conv2d with respect to its filter: inputs (x, dy), output shaped like the filter. */
export const conv2dBackpropFilterDef: OpDef<Conv2DBackpropFilterAttrs> = {
  id: 'conv2d_backprop_filter',
  infer([x, dy], attrs) {
    const fShape = checkShapeAttr(OP, 'filterShape', attrs.filterShape);
    checkRank4(OP, 'input', x, '[batch, height, width, channels]');
    checkRank4(OP, 'outBackprop', dy, '[batch, outHeight, outWidth, outChannels]');
    const g = convGeometry(OP, x!.shape, fShape, attrs);
    expectShape(OP, 'outBackprop', dy!.shape, [g.n, g.oh, g.ow, g.co]);
    return [{ shape: [...fShape], dtype: 'float32' }];
  },
  reference([x, dy], attrs) {
    const g = convGeometry(OP, x!.shape, attrs.filterShape, attrs);
    const xv = num(x!);
    const dv = num(dy!);
    const df = new Float64Array(g.kh * g.kw * g.ci * g.co);
    forEachConvTap(g, (xi, fi, yi) => (df[fi] += xv[xi]! * dv[yi]!));
    return [f64(attrs.filterShape, df)];
  },
  // Linear in both inputs: the adjoint in x is the input gradient, in dy it is conv2d.
  vjp: ({ inputs: [x, dy], dys: [g], attrs: { filterShape: _s, ...conv } }) => [
    apply1(conv2dBackpropInputDef, [dy!, g!], { ...conv, inputShape: [...x!.shape] }),
    apply1(conv2dDef, [x!, g!], conv),
  ],
  samples: CONV_CASES.map((c): OpSample<Conv2DBackpropFilterAttrs> => {
    const g = convGeometry(OP, c.x, c.f, c.attrs);
    return { name: c.name, inputs: [{ shape: c.x }, { shape: [g.n, g.oh, g.ow, g.co] }], attrs: { ...c.attrs, filterShape: c.f } };
  }),
};
