import { apply1 } from '../dispatch.js';
import type { OpDef, OpSample } from '../op_def.js';
import { num } from '../reference_util.js';
import { conv2dBackpropFilterDef } from './conv2d_backprop_filter.js';
import { conv2dBackpropInputDef } from './conv2d_backprop_input.js';
import { CONV_CASES, checkRank4, convAttrs as A, convGeometry, f64, forEachConvTap, type Conv2DAttrs } from './conv_util.js';

export type { Conv2DAttrs } from './conv_util.js';

/** 2-D convolution, NHWC input and [KH, KW, Cin, Cout] filter (TensorFlow's Conv2D; no flip). */
export const conv2dDef: OpDef<Conv2DAttrs> = {
  id: 'conv2d',
  infer([x, f], attrs) {
    checkRank4('conv2d', 'input', x, '[batch, height, width, channels]');
    checkRank4('conv2d', 'filter', f, '[height, width, inChannels, outChannels]');
    const g = convGeometry('conv2d', x!.shape, f!.shape, attrs);
    return [{ shape: [g.n, g.oh, g.ow, g.co], dtype: 'float32' }];
  },
  reference([x, f], attrs) {
    const g = convGeometry('conv2d', x!.shape, f!.shape, attrs);
    const xv = num(x!);
    const fv = num(f!);
    const y = new Float64Array(g.n * g.oh * g.ow * g.co);
    forEachConvTap(g, (xi, fi, yi) => (y[yi] += xv[xi]! * fv[fi]!));
    return [f64([g.n, g.oh, g.ow, g.co], y)];
  },
  vjp: ({ inputs: [x, f], dys: [dy], attrs, needsGrad }) => [
    // The first layer's input needs no gradient: skip a whole backprop-input pass.
    needsGrad?.[0] === false ? null : apply1(conv2dBackpropInputDef, [dy!, f!], { ...attrs, inputShape: [...x!.shape] }),
    needsGrad?.[1] === false ? null : apply1(conv2dBackpropFilterDef, [x!, dy!], { ...attrs, filterShape: [...f!.shape] }),
  ],
  samples: [
    ...CONV_CASES.map((c): OpSample<Conv2DAttrs> => ({ name: c.name, inputs: [{ shape: c.x }, { shape: c.f }], attrs: c.attrs })),
    {
      name: 'hand-computed 3x3 * 2x2 VALID',
      inputs: [
        { shape: [1, 3, 3, 1], dtype: 'float32', values: [1, 2, 3, 4, 5, 6, 7, 8, 9] },
        { shape: [2, 2, 1, 1], dtype: 'float32', values: [1, 0, 0, -1] },
      ],
      attrs: A([1, 1], [0, 0, 0, 0]),
      expected: [{ shape: [1, 2, 2, 1], dtype: 'float32', values: [-4, -4, -4, -4] }],
    },
    { name: 'larger', inputs: [{ shape: [2, 9, 9, 5] }, { shape: [3, 3, 5, 7] }], attrs: A([1, 1], [1, 1, 1, 1]), noGrad: true },
  ],
};
