import type { DType } from '../../dtype.js';
import { OpError } from '../../errors.js';
import { normAxes, type Shape } from '../../shape.js';
import { cast } from '../api/cast.js';
import * as E from '../api/elementwise.js';
import { broadcastTo, reshape } from '../api/shape_ops.js';
import { reduceSum } from '../api/reduce.js';
import type { OpDef, TensorInfo } from '../op_def.js';
import { num, ravel, unravel } from '../reference_util.js';

export type ReduceKind = 'sum' | 'mean' | 'max' | 'min' | 'prod' | 'all' | 'any';

export interface ReduceAttrs {
  op: ReduceKind;
  /** Normalised, sorted axes (the public API normalises them). */
  axes: readonly number[];
  keepDims: boolean;
}

export function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepDims) out.push(1);
  });
  return out;
}

const INIT: Record<ReduceKind, number> = { sum: 0, mean: 0, max: -Infinity, min: Infinity, prod: 1, all: 1, any: 0 };

export const reduceDef: OpDef<ReduceAttrs> = {
  id: 'reduce',
  infer([x], { op, axes, keepDims }) {
    const name = `reduce${op[0]!.toUpperCase()}${op.slice(1)}`;
    const bool = op === 'all' || op === 'any';
    if (bool && x!.dtype !== 'bool') throw new OpError(name, `input must be bool, found ${x!.dtype}`);
    if (!bool && x!.dtype !== 'float32' && x!.dtype !== 'int32') throw new OpError(name, `input must be float32 or int32, found ${x!.dtype}`);
    normAxes(name, axes, x!.shape.length);
    return [{ shape: reducedShape(x!.shape, axes, keepDims), dtype: x!.dtype }];
  },
  reference([x], attrs) {
    const [out] = this.infer([x!], attrs) as TensorInfo[];
    const { op, axes } = attrs;
    const kept = reducedShape(x!.shape, axes, true);
    const acc = new Float64Array(kept.reduce((a, b) => a * b, 1)).fill(INIT[op]);
    const v = num(x!);
    for (let i = 0; i < v.length; i++) {
      const idx = unravel(i, x!.shape).map((e, d) => (axes.includes(d) ? 0 : e));
      const o = ravel(idx, kept);
      const a = acc[o]!;
      const e = v[i]!;
      acc[o] = op === 'sum' || op === 'mean' ? a + e : op === 'max' ? Math.max(a, e) : op === 'min' ? Math.min(a, e) : op === 'prod' ? a * e : op === 'all' ? +(a && e) : +(a || e);
    }
    // int32 max/min of nothing: the dtype's lowest/highest value (TensorFlow's identity)
    if (x!.dtype === 'int32') for (let i = 0; i < acc.length; i++) if (!Number.isFinite(acc[i]!) && !Number.isNaN(acc[i]!)) acc[i] = acc[i]! > 0 ? 2147483647 : -2147483648;
    if (op === 'mean') {
      const count = axes.reduce((p, d) => p * x!.shape[d]!, 1);
      for (let i = 0; i < acc.length; i++) acc[i] = x!.dtype === 'int32' ? Math.trunc(acc[i]! / count) : acc[i]! / count;
    }
    return [{ ...out!, values: acc }];
  },
  vjp: ({ inputs: [x], outputs: [y], dys: [dy], attrs: { op, axes } }) => {
    if (x!.dtype !== 'float32') return [null];
    const kept = reducedShape(x!.shape, axes, true);
    const dyk = reshape(dy!, kept);
    const count = axes.reduce((p, d) => p * x!.shape[d]!, 1);
    switch (op) {
      case 'sum':
        return [broadcastTo(dyk, x!.shape)];
      case 'mean':
        return [broadcastTo(E.div(dyk, count), x!.shape)];
      case 'max':
      case 'min': {
        const mask = cast(E.equal(x!, reshape(y!, kept)), 'float32');
        const ties = reduceSum(mask, axes, true);
        return [E.mul(E.div(mask, ties), dyk)];
      }
      case 'prod':
        // y / x: exact for nonzero inputs (zeros need the cumprod form; documented limitation).
        return [E.mul(dyk, E.div(reshape(y!, kept), x!))];
      default:
        return [null];
    }
  },
  samples: [
    ...(['sum', 'mean', 'max', 'min'] as const).flatMap((op) => [
      { inputs: [{ shape: [3, 4] }], attrs: { op, axes: [1], keepDims: false } },
      { inputs: [{ shape: [2, 3, 4] }], attrs: { op, axes: [0, 2], keepDims: true } },
      { inputs: [{ shape: [5] }], attrs: { op, axes: [0], keepDims: false } },
      { inputs: [{ shape: [2, 3], dtype: 'int32' as DType, range: [-9, 9] as [number, number] }], attrs: { op, axes: [0, 1], keepDims: false }, noGrad: true },
    ]),
    { inputs: [{ shape: [3, 4], range: [0.5, 1.5] }], attrs: { op: 'prod', axes: [0], keepDims: false } },
    { inputs: [{ shape: [3, 4], dtype: 'bool' }], attrs: { op: 'all', axes: [1], keepDims: false }, noGrad: true },
    { inputs: [{ shape: [3, 4], dtype: 'bool' }], attrs: { op: 'any', axes: [0, 1], keepDims: true }, noGrad: true },
    { name: 'large row', inputs: [{ shape: [2, 1500] }], attrs: { op: 'sum', axes: [1], keepDims: false }, noGrad: true },
    ...(['max', 'min'] as const).map((op) => ({
      name: `int32 ${op} of nothing is the dtype's ${op === 'max' ? 'lowest' : 'highest'}`,
      inputs: [{ shape: [2, 0], dtype: 'int32' as DType, values: [] }],
      attrs: { op, axes: [1], keepDims: false },
      expected: [{ shape: [2], dtype: 'int32' as DType, values: op === 'max' ? [-2147483648, -2147483648] : [2147483647, 2147483647] }],
      noGrad: true,
    })),
  ],
};
