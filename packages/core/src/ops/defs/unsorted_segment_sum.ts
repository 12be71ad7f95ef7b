import { OpError, fmtShape } from '../../errors.js';
import { sizeOf } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { cast } from '../api/cast.js';
import { zerosLike } from '../api/creation.js';
import { greaterEqual, maximum, mul } from '../api/elementwise.js';
import { reshape } from '../api/shape_ops.js';
import { apply1 } from '../dispatch.js';
import type { OpDef, TensorInfo } from '../op_def.js';
import { num } from '../reference_util.js';
import { gatherOp } from './gather.js';

export interface UnsortedSegmentSumAttrs {
  numSegments: number;
}

/** Output [numSegments, ...data.shape[ids.rank:]]; rows per segment id and the row size. */
export function segmentLayout(data: TensorInfo, ids: TensorInfo, numSegments: number): { outShape: number[]; rows: number; inner: number } {
  const op = 'unsortedSegmentSum';
  if (ids.dtype !== 'int32') throw new OpError(op, `segmentIds must be int32, found ${ids.dtype}`);
  if (data.dtype !== 'float32' && data.dtype !== 'int32') throw new OpError(op, `data must be float32 or int32, found ${data.dtype}`);
  if (!Number.isInteger(numSegments) || numSegments < 0) throw new OpError(op, `numSegments must be a non-negative integer, found ${numSegments}`);
  const r = ids.shape.length;
  if (r > data.shape.length || ids.shape.some((d, i) => d !== data.shape[i])) {
    throw new OpError(op, `segmentIds shape ${fmtShape(ids.shape)} must be a prefix of data shape ${fmtShape(data.shape)}`);
  }
  const rest = data.shape.slice(r);
  return { outShape: [numSegments, ...rest], rows: sizeOf(ids.shape), inner: sizeOf(rest) };
}

export function segmentIdError(k: number, v: number, numSegments: number): OpError {
  return new OpError('unsortedSegmentSum', `segmentIds[${k}] = ${v} is not in [0, ${numSegments}) (negative ids are dropped, larger ones are an error)`);
}

/** Sums rows of data into segments (TensorFlow's unsorted_segment_sum); negative ids are dropped. */
export const unsortedSegmentSumDef: OpDef<UnsortedSegmentSumAttrs> = {
  id: 'unsorted_segment_sum',
  infer([data, ids], { numSegments }) {
    return [{ shape: segmentLayout(data!, ids!, numSegments).outShape, dtype: data!.dtype }];
  },
  reference([data, ids], { numSegments }) {
    const { outShape, rows, inner } = segmentLayout(data!, ids!, numSegments);
    const dv = num(data!);
    const iv = num(ids!);
    const out = new Float64Array(sizeOf(outShape));
    for (let k = 0; k < rows; k++) {
      const s = iv[k]!;
      if (s < 0) continue;
      if (s >= numSegments) throw segmentIdError(k, s, numSegments);
      for (let i = 0; i < inner; i++) out[s * inner + i]! += dv[k * inner + i]!;
    }
    return [{ shape: outShape, dtype: data!.dtype, values: out }];
  },
  vjp: ({ inputs: [data, ids], dys: [dy], attrs: { numSegments } }) => {
    // No segments: every id was dropped (ids < 0), and dy has no row for the gather below to read.
    if (numSegments === 0) return [zerosLike(data!), null];
    const gathered = gatherOp(dy!, maximum(ids!, 0), 0, 0);
    const keep = reshape(cast(greaterEqual(ids!, 0), 'float32'), [...ids!.shape, ...data!.shape.slice(ids!.shape.length).map(() => 1)]);
    return [mul(gathered, keep), null];
  },
  samples: [
    { inputs: [{ shape: [6, 2] }, { shape: [6], dtype: 'int32', range: [0, 3] }], attrs: { numSegments: 4 } },
    { name: '2-D ids', inputs: [{ shape: [2, 3, 2] }, { shape: [2, 3], dtype: 'int32', range: [0, 4] }], attrs: { numSegments: 5 } },
    {
      name: 'negative ids dropped',
      inputs: [{ shape: [4], dtype: 'float32', values: [1, 2, 3, 4] }, { shape: [4], dtype: 'int32', values: [1, -1, 1, 0] }],
      attrs: { numSegments: 3 },
      expected: [{ shape: [3], dtype: 'float32', values: [4, 4, 0] }],
    },
    { name: 'no segments hit', inputs: [{ shape: [0, 3] }, { shape: [0], dtype: 'int32', values: [] }], attrs: { numSegments: 2 } },
    // Every id dropped and no segments: the gradient is zeros (dy has no row to gather).
    { name: 'zero segments', inputs: [{ shape: [3, 2] }, { shape: [3], dtype: 'int32', values: [-1, -1, -1] }], attrs: { numSegments: 0 } },
    { name: 'int32 data', inputs: [{ shape: [5, 2], dtype: 'int32', range: [-9, 9] }, { shape: [5], dtype: 'int32', range: [0, 2] }], attrs: { numSegments: 3 }, noGrad: true },
  ],
};

export function unsortedSegmentSumOp(data: Tensor, ids: Tensor, numSegments: number): Tensor {
  return apply1(unsortedSegmentSumDef, [data, ids], { numSegments });
}
