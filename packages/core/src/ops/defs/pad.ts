import { OpError, fmtShape } from '../../errors.js';
import { sizeOf, type Shape } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { makeTensor } from '../create_values.js';
import type { OpDef } from '../op_def.js';
import { num, unravel } from '../reference_util.js';
import { gatherGrad } from './gather.js';
import { stridedSliceWindow } from './strided_slice.js';

export type PadMode = 'CONSTANT' | 'REFLECT' | 'SYMMETRIC';

export interface PadAttrs {
  /** [before, after] per dimension. */
  paddings: readonly (readonly [number, number])[];
  mode: PadMode;
  constantValue: number;
}

export function padShape(shape: Shape, { paddings, mode }: PadAttrs): number[] {
  if (mode !== 'CONSTANT' && mode !== 'REFLECT' && mode !== 'SYMMETRIC') throw new OpError('pad', `mode must be 'CONSTANT', 'REFLECT' or 'SYMMETRIC', found '${String(mode)}'`);
  if (paddings.length !== shape.length) {
    throw new OpError('pad', `paddings has ${paddings.length} rows, expected one [before, after] row per dimension of ${fmtShape(shape)} (${shape.length})`);
  }
  return shape.map((d, i) => {
    const row = paddings[i]!;
    if (row.length !== 2 || !row.every((p) => Number.isInteger(p) && p >= 0)) {
      throw new OpError('pad', `paddings[${i}] must be [before, after] with non-negative integers, found [${row.join(',')}]`);
    }
    const limit = mode === 'REFLECT' ? d - 1 : mode === 'SYMMETRIC' ? d : Infinity;
    if (row[0] > limit || row[1] > limit) {
      throw new OpError('pad', `${mode} paddings[${i}] = [${row.join(',')}] must not exceed ${limit} for dimension size ${d}`);
    }
    return d + row[0] + row[1];
  });
}

/**
 * Source index along one dimension for each output position; -1 marks constant padding.
 * REFLECT mirrors without repeating the edge (dcb|abcd|cba), SYMMETRIC repeats it (cba|abcd|dcb).
 */
export function padSourceMap(dim: number, before: number, after: number, mode: PadMode): Int32Array {
  const map = new Int32Array(dim + before + after);
  for (let o = 0; o < map.length; o++) {
    let i = o - before;
    if (i < 0 || i >= dim) {
      if (mode === 'CONSTANT') i = -1;
      else if (mode === 'REFLECT') i = i < 0 ? -i : 2 * (dim - 1) - i;
      else i = i < 0 ? -i - 1 : 2 * dim - 1 - i;
    }
    map[o] = i;
  }
  return map;
}

/** Pads with a constant, or mirrors the edges (TensorFlow's pad / mirror_pad). */
export const padDef: OpDef<PadAttrs> = {
  id: 'pad',
  infer([x], attrs) {
    const shape = padShape(x!.shape, attrs);
    if (x!.dtype === 'string' || x!.dtype === 'int64') throw new OpError('pad', `input must be float32, int32 or bool, found ${x!.dtype}`);
    if (typeof attrs.constantValue !== 'number' || (x!.dtype !== 'float32' && !Number.isInteger(attrs.constantValue))) {
      throw new OpError('pad', `constantValue ${attrs.constantValue} does not fit dtype ${x!.dtype}`);
    }
    return [{ shape, dtype: x!.dtype }];
  },
  reference([x], attrs) {
    const shape = padShape(x!.shape, attrs);
    const maps = x!.shape.map((d, i) => padSourceMap(d, attrs.paddings[i]![0], attrs.paddings[i]![1], attrs.mode));
    const v = num(x!);
    const out = new Float64Array(sizeOf(shape));
    for (let i = 0; i < out.length; i++) {
      let off = 0;
      let inside = true;
      unravel(i, shape).forEach((k, d) => {
        const s = maps[d]![k]!;
        if (s < 0) inside = false;
        off = off * x!.shape[d]! + s;
      });
      out[i] = inside ? v[off]! : attrs.constantValue;
    }
    return [{ shape, dtype: x!.dtype, values: out }];
  },
  vjp: ({ inputs: [x], dys: [dy], attrs }) => {
    const shape = x!.shape;
    if (attrs.mode === 'CONSTANT') {
      return [stridedSliceWindow(dy!, { begin: attrs.paddings.map((p) => p[0]), size: [...shape], strides: shape.map(() => 1) })];
    }
    // A mirror pad is one gather per padded axis; its gradient is their scatter-adds.
    let g: Tensor = dy!;
    let cur = [...g.shape];
    shape.forEach((d, axis) => {
      const [b, a] = attrs.paddings[axis]!;
      if (b === 0 && a === 0) return;
      const idx = makeTensor(padSourceMap(d, b, a, attrs.mode), [d + b + a], 'int32');
      cur = cur.map((e, k) => (k === axis ? d : e));
      g = gatherGrad(g, idx, cur, axis, 0);
    });
    return [g];
  },
  samples: [
    { inputs: [{ shape: [3] }], attrs: { paddings: [[1, 2]], mode: 'CONSTANT', constantValue: 0 } },
    { inputs: [{ shape: [2, 3] }], attrs: { paddings: [[0, 1], [2, 0]], mode: 'CONSTANT', constantValue: -1.5 } },
    { name: 'reflect', inputs: [{ shape: [3, 4] }], attrs: { paddings: [[2, 1], [1, 3]], mode: 'REFLECT', constantValue: 0 } },
    { name: 'symmetric', inputs: [{ shape: [2, 3, 2] }], attrs: { paddings: [[2, 1], [0, 3], [1, 0]], mode: 'SYMMETRIC', constantValue: 0 } },
    { name: 'zero padding', inputs: [{ shape: [2, 2] }], attrs: { paddings: [[0, 0], [0, 0]], mode: 'CONSTANT', constantValue: 0 } },
    { name: 'empty input', inputs: [{ shape: [0, 2] }], attrs: { paddings: [[1, 1], [0, 1]], mode: 'CONSTANT', constantValue: 2 } },
    { name: 'int32', inputs: [{ shape: [2, 2], dtype: 'int32', range: [-5, 5] }], attrs: { paddings: [[1, 0], [1, 1]], mode: 'CONSTANT', constantValue: 7 }, noGrad: true },
    { name: 'int32 reflect', inputs: [{ shape: [3], dtype: 'int32', range: [-5, 5] }], attrs: { paddings: [[2, 2]], mode: 'REFLECT', constantValue: 0 }, noGrad: true },
    {
      name: 'documented reflect/symmetric',
      inputs: [{ shape: [3], dtype: 'float32', values: [1, 2, 3] }],
      attrs: { paddings: [[2, 2]], mode: 'REFLECT', constantValue: 0 },
      expected: [{ shape: [7], dtype: 'float32', values: [3, 2, 1, 2, 3, 2, 1] }],
    },
    {
      name: 'documented symmetric',
      inputs: [{ shape: [3], dtype: 'float32', values: [1, 2, 3] }],
      attrs: { paddings: [[2, 3]], mode: 'SYMMETRIC', constantValue: 0 },
      expected: [{ shape: [8], dtype: 'float32', values: [2, 1, 1, 2, 3, 3, 2, 1] }],
    },
  ],
};
