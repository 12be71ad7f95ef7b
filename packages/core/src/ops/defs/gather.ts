import { OpError, fmtShape } from '../../errors.js';
import { normAxis, sizeOf, type Shape } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { range } from '../api/creation.js';
import { add, mul } from '../api/elementwise.js';
import { reshape, transpose } from '../api/shape_ops.js';
import { apply1 } from '../dispatch.js';
import type { OpDef, TensorInfo } from '../op_def.js';
import { num } from '../reference_util.js';
import { unsortedSegmentSumOp } from './unsorted_segment_sum.js';

/** gather(x, indices, axis, batchDims); axis and batchDims may be negative (normalised here). */
export interface GatherAttrs {
  axis: number;
  batchDims: number;
}

/** The gather problem as [B, O, A, I] (x) and [B, N] (indices); output [B, O, N, I]. */
export interface GatherLayout {
  axis: number;
  batchDims: number;
  B: number;
  O: number;
  A: number;
  I: number;
  N: number;
  outShape: number[];
}

export function gatherLayout(x: TensorInfo, indices: TensorInfo, attrs: GatherAttrs): GatherLayout {
  const xr = x.shape.length;
  const ir = indices.shape.length;
  if (indices.dtype !== 'int32') throw new OpError('gather', `indices must be int32, found ${indices.dtype}`);
  if (xr === 0) throw new OpError('gather', 'params must have rank >= 1, found a scalar');
  if (!Number.isInteger(attrs.batchDims) || attrs.batchDims < -ir || attrs.batchDims > ir) {
    throw new OpError('gather', `batchDims ${attrs.batchDims} is out of range for indices of rank ${ir} (expected in [${-ir}, ${ir}])`);
  }
  const batchDims = attrs.batchDims < 0 ? attrs.batchDims + ir : attrs.batchDims;
  const axis = normAxis('gather', attrs.axis, xr);
  if (axis < batchDims) throw new OpError('gather', `axis ${attrs.axis} must be >= batchDims ${batchDims}`);
  for (let d = 0; d < batchDims; d++) {
    if (x.shape[d] !== indices.shape[d]) {
      throw new OpError('gather', `batch dimension ${d} differs: params ${fmtShape(x.shape)} has ${x.shape[d]}, indices ${fmtShape(indices.shape)} has ${indices.shape[d]}`);
    }
  }
  return {
    axis,
    batchDims,
    B: sizeOf(x.shape.slice(0, batchDims)),
    O: sizeOf(x.shape.slice(batchDims, axis)),
    A: x.shape[axis]!,
    I: sizeOf(x.shape.slice(axis + 1)),
    N: sizeOf(indices.shape.slice(batchDims)),
    outShape: [...x.shape.slice(0, axis), ...indices.shape.slice(batchDims), ...x.shape.slice(axis + 1)],
  };
}

export function gatherIndexError(k: number, v: number, A: number): OpError {
  return new OpError('gather', `indices[${k}] = ${v} is not in [0, ${A})`);
}

/**
 * Gradient of gather: dy scattered (summed) back into x's shape, written with public ops as an
 * unsorted segment sum over the gathered axis, batch index folded into the segment id.
 */
export function gatherGrad(dy: Tensor, indices: Tensor, xShape: Shape, axis: number, batchDims: number): Tensor {
  const { B, O, A, I, N } = gatherLayout({ shape: xShape, dtype: dy.dtype }, indices, { axis, batchDims });
  const dy4 = reshape(dy, [B, O, N, I]);
  const rows = O === 1 ? reshape(dy4, [B * N, I]) : reshape(transpose(dy4, [0, 2, 1, 3]), [B * N, O * I]);
  const ids = B === 1 ? reshape(indices, [N]) : reshape(add(reshape(indices, [B, N]), mul(reshape(range(0, B, 1, 'int32'), [B, 1]), A)), [B * N]);
  const seg = unsortedSegmentSumOp(rows, ids, B * A);
  return O === 1 ? reshape(seg, xShape) : reshape(transpose(reshape(seg, [B, A, O, I]), [0, 2, 1, 3]), xShape);
}

export const gatherDef: OpDef<GatherAttrs> = {
  id: 'gather',
  infer([x, indices], attrs) {
    const l = gatherLayout(x!, indices!, attrs);
    return [{ shape: l.outShape, dtype: x!.dtype }];
  },
  reference([x, indices], attrs) {
    const { B, O, A, I, N, outShape } = gatherLayout(x!, indices!, attrs);
    const xv = num(x!);
    const iv = num(indices!);
    const out = new Float64Array(sizeOf(outShape));
    for (let b = 0; b < B; b++)
      for (let o = 0; o < O; o++)
        for (let n = 0; n < N; n++) {
          const k = b * N + n;
          const a = iv[k]!;
          if (a < 0 || a >= A) throw gatherIndexError(k, a, A);
          for (let i = 0; i < I; i++) out[((b * O + o) * N + n) * I + i] = xv[((b * O + o) * A + a) * I + i]!;
        }
    return [{ shape: outShape, dtype: x!.dtype, values: out }];
  },
  vjp: ({ inputs: [x, indices], dys: [dy], attrs }) => {
    const { axis, batchDims } = gatherLayout(x!, indices!, attrs);
    return [gatherGrad(dy!, indices!, x!.shape, axis, batchDims), null];
  },
  samples: [
    {
      name: 'rows with repeats',
      inputs: [{ shape: [5, 3] }, { shape: [4], dtype: 'int32', values: [4, 0, 2, 2] }],
      attrs: { axis: 0, batchDims: 0 },
    },
    { name: 'middle axis, 2-D indices', inputs: [{ shape: [2, 5, 3] }, { shape: [2, 2], dtype: 'int32', range: [0, 4] }], attrs: { axis: 1, batchDims: 0 } },
    { name: 'negative axis', inputs: [{ shape: [3, 4] }, { shape: [3], dtype: 'int32', values: [3, 0, 3] }], attrs: { axis: -1, batchDims: 0 } },
    { name: 'batchDims 1', inputs: [{ shape: [2, 4, 3] }, { shape: [2, 3], dtype: 'int32', range: [0, 3] }], attrs: { axis: 1, batchDims: 1 } },
    { name: 'batchDims 1, axis 2', inputs: [{ shape: [2, 3, 4, 2] }, { shape: [2, 5], dtype: 'int32', range: [0, 3] }], attrs: { axis: 2, batchDims: -1 } },
    { name: 'scalar index', inputs: [{ shape: [4, 2] }, { shape: [], dtype: 'int32', values: [3] }], attrs: { axis: 0, batchDims: 0 } },
    { name: 'empty indices', inputs: [{ shape: [4, 2] }, { shape: [0], dtype: 'int32', values: [] }], attrs: { axis: 0, batchDims: 0 } },
    { name: 'int32 params', inputs: [{ shape: [6], dtype: 'int32', range: [-9, 9] }, { shape: [2, 2], dtype: 'int32', range: [0, 5] }], attrs: { axis: 0, batchDims: 0 }, noGrad: true },
    {
      name: 'documented values',
      inputs: [{ shape: [3, 2], dtype: 'float32', values: [1, 2, 3, 4, 5, 6] }, { shape: [2], dtype: 'int32', values: [2, 0] }],
      attrs: { axis: 0, batchDims: 0 },
      expected: [{ shape: [2, 2], dtype: 'float32', values: [5, 6, 1, 2] }],
    },
  ],
};

export function gatherOp(x: Tensor, indices: Tensor, axis: number, batchDims: number): Tensor {
  return apply1(gatherDef, [x, indices], { axis, batchDims });
}
