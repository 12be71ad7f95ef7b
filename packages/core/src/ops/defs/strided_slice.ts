import { OpError, fmtShape } from '../../errors.js';
import { sizeOf, stridesOf, type Shape } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { apply1 } from '../dispatch.js';
import { stridedSliceGradWindow } from './strided_slice_grad.js';
import type { OpDef } from '../op_def.js';
import { num } from '../reference_util.js';

/**
 * Resolved strided window over every input dimension: output index i_d reads input index
 * begin_d + i_d·strides_d, for i_d < size_d. The public slice / stridedSlice / reverse resolve
 * TensorFlow's begin/end/masks into this form (and reshape for new and shrunk axes).
 */
export interface StridedSliceAttrs {
  begin: readonly number[];
  size: readonly number[];
  strides: readonly number[];
}

/** Validates a resolved window against `shape`; `op` names the public op for messages. */
export function checkWindow(op: string, shape: Shape, { begin, size, strides }: StridedSliceAttrs): void {
  const r = shape.length;
  if (begin.length !== r || size.length !== r || strides.length !== r) {
    throw new OpError(op, `begin, size and strides must have one entry per input dimension (${r}), found ${begin.length}, ${size.length} and ${strides.length}`);
  }
  for (let d = 0; d < r; d++) {
    const dim = shape[d]!;
    const b = begin[d]!;
    const n = size[d]!;
    const s = strides[d]!;
    if (!Number.isInteger(s) || s === 0) throw new OpError(op, `strides[${d}] must be a non-zero integer, found ${s}`);
    if (!Number.isInteger(n) || n < 0) throw new OpError(op, `size[${d}] must be a non-negative integer, found ${n}`);
    if (n === 0) continue;
    const last = b + (n - 1) * s;
    if (!Number.isInteger(b) || b < 0 || b >= dim || last < 0 || last >= dim) {
      throw new OpError(op, `window begin ${b}, size ${n}, stride ${s} on dimension ${d} reaches outside [0, ${dim}) of input ${fmtShape(shape)}`);
    }
  }
}

/** Float64 reference of the window read (also used by strided_slice_grad's reference). */
export function windowIndices(shape: Shape, { begin, size, strides }: StridedSliceAttrs): Int32Array {
  const n = sizeOf(size);
  const inStrides = stridesOf(shape);
  const out = new Int32Array(n);
  const r = size.length;
  for (let i = 0; i < n; i++) {
    let rem = i;
    let off = 0;
    for (let d = r - 1; d >= 0; d--) {
      const k = rem % size[d]!;
      rem = Math.floor(rem / size[d]!);
      off += (begin[d]! + k * strides[d]!) * inStrides[d]!;
    }
    out[i] = off;
  }
  return out;
}

/** A window that visits every input element once with |stride| 1 (identity or reversal): its own inverse. */
function isSelfInverse(shape: Shape, { size, strides }: StridedSliceAttrs): boolean {
  return shape.every((d, i) => size[i] === d && Math.abs(strides[i]!) === 1);
}

export const stridedSliceDef: OpDef<StridedSliceAttrs> = {
  id: 'strided_slice',
  infer([x], attrs) {
    checkWindow('stridedSlice', x!.shape, attrs);
    return [{ shape: [...attrs.size], dtype: x!.dtype }];
  },
  reference([x], attrs) {
    const idx = windowIndices(x!.shape, attrs);
    const v = num(x!);
    return [{ shape: [...attrs.size], dtype: x!.dtype, values: Float64Array.from(idx, (i) => v[i]!) }];
  },
  vjp: ({ inputs: [x], dys: [dy], attrs }) => [
    isSelfInverse(x!.shape, attrs) ? stridedSliceWindow(dy!, attrs) : stridedSliceGradWindow(dy!, x!.shape, attrs),
  ],
  samples: [
    { name: 'range', inputs: [{ shape: [7] }], attrs: { begin: [1], size: [3], strides: [1] } },
    { name: 'strides and negative stride', inputs: [{ shape: [4, 6] }], attrs: { begin: [1, 5], size: [2, 3], strides: [2, -2] } },
    { name: 'reverse middle axis', inputs: [{ shape: [3, 4, 2] }], attrs: { begin: [0, 3, 0], size: [3, 4, 2], strides: [1, -1, 1] } },
    { name: 'inner window (non-contiguous)', inputs: [{ shape: [3, 5, 4] }], attrs: { begin: [1, 1, 2], size: [2, 3, 2], strides: [1, 1, 1] } },
    { name: 'empty', inputs: [{ shape: [3, 4] }], attrs: { begin: [0, 0], size: [0, 4], strides: [1, 1] } },
    { name: 'scalar', inputs: [{ shape: [] }], attrs: { begin: [], size: [], strides: [] } },
    { name: 'int32', inputs: [{ shape: [5, 3], dtype: 'int32', range: [-9, 9] }], attrs: { begin: [4, 0], size: [3, 2], strides: [-2, 2] }, noGrad: true },
    {
      name: 'documented values',
      inputs: [{ shape: [2, 3], dtype: 'float32', values: [1, 2, 3, 4, 5, 6] }],
      attrs: { begin: [1, 2], size: [2, 2], strides: [-1, -2] },
      expected: [{ shape: [2, 2], dtype: 'float32', values: [6, 4, 3, 1] }],
    },
  ],
};

export function stridedSliceWindow(x: Tensor, attrs: StridedSliceAttrs): Tensor {
  return apply1(stridedSliceDef, [x], { begin: [...attrs.begin], size: [...attrs.size], strides: [...attrs.strides] });
}
