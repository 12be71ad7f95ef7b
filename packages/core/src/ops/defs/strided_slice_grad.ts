import { OpError, fmtShape } from '../../errors.js';
import { sizeOf, type Shape } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { apply1 } from '../dispatch.js';
import type { OpDef } from '../op_def.js';
import { num } from '../reference_util.js';
import { checkWindow, stridedSliceWindow, windowIndices, type StridedSliceAttrs } from './strided_slice.js';

/** Scatters dy (the window's values) into zeros of the input shape: strided_slice's gradient. */
export interface StridedSliceGradAttrs extends StridedSliceAttrs {
  shape: readonly number[];
}

export const stridedSliceGradDef: OpDef<StridedSliceGradAttrs> = {
  id: 'strided_slice_grad',
  infer([dy], attrs) {
    checkWindow('stridedSliceGrad', attrs.shape, attrs);
    if (dy!.shape.length !== attrs.size.length || dy!.shape.some((d, i) => d !== attrs.size[i])) {
      throw new OpError('stridedSliceGrad', `dy shape ${fmtShape(dy!.shape)} does not match the window size ${fmtShape(attrs.size)}`);
    }
    return [{ shape: [...attrs.shape], dtype: dy!.dtype }];
  },
  reference([dy], attrs) {
    const idx = windowIndices(attrs.shape, attrs);
    const v = num(dy!);
    const out = new Float64Array(sizeOf(attrs.shape));
    idx.forEach((o, i) => (out[o] = v[i]!));
    return [{ shape: [...attrs.shape], dtype: dy!.dtype, values: out }];
  },
  vjp: ({ dys: [ddy], attrs }) => [stridedSliceWindow(ddy!, attrs)],
  samples: [
    { inputs: [{ shape: [3] }], attrs: { shape: [7], begin: [1], size: [3], strides: [2] } },
    { name: 'negative stride', inputs: [{ shape: [2, 3] }], attrs: { shape: [4, 6], begin: [1, 5], size: [2, 3], strides: [2, -2] } },
    { name: 'empty window', inputs: [{ shape: [0, 2] }], attrs: { shape: [3, 2], begin: [0, 0], size: [0, 2], strides: [1, 1] } },
    { name: 'int32', inputs: [{ shape: [2, 2], dtype: 'int32', range: [-5, 5] }], attrs: { shape: [3, 3], begin: [0, 2], size: [2, 2], strides: [2, -1] }, noGrad: true },
  ],
};

export function stridedSliceGradWindow(dy: Tensor, shape: Shape, attrs: StridedSliceAttrs): Tensor {
  return apply1(stridedSliceGradDef, [dy], { shape: [...shape], begin: [...attrs.begin], size: [...attrs.size], strides: [...attrs.strides] });
}

