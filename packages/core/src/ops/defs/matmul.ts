import { OpError, fmtShape } from '../../errors.js';
import { broadcastShapes, sizeOf, stridesOf } from '../../shape.js';
import { matmul } from '../api/linalg.js';
import type { OpDef } from '../op_def.js';
import { num, unravel } from '../reference_util.js';

export interface MatmulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/** Batched matrix product; batch dimensions broadcast (numpy's matmul). */
export const matmulDef: OpDef<MatmulAttrs> = {
  id: 'matmul',
  infer([a, b], { transposeA, transposeB }) {
    if (a!.shape.length < 2 || b!.shape.length < 2) {
      throw new OpError('matmul', `inputs must have rank >= 2, found a ${fmtShape(a!.shape)} and b ${fmtShape(b!.shape)}`);
    }
    if (a!.dtype !== 'float32' || b!.dtype !== 'float32') throw new OpError('matmul', `inputs must be float32, found ${a!.dtype} and ${b!.dtype}`);
    const ra = a!.shape.length;
    const rb = b!.shape.length;
    const [m, ka] = transposeA ? [a!.shape[ra - 1]!, a!.shape[ra - 2]!] : [a!.shape[ra - 2]!, a!.shape[ra - 1]!];
    const [kb, n] = transposeB ? [b!.shape[rb - 1]!, b!.shape[rb - 2]!] : [b!.shape[rb - 2]!, b!.shape[rb - 1]!];
    if (ka !== kb) {
      throw new OpError('matmul', `inner dimensions differ: a ${fmtShape(a!.shape)}${transposeA ? 'ᵀ' : ''} has ${ka} columns, b ${fmtShape(b!.shape)}${transposeB ? 'ᵀ' : ''} has ${kb} rows (transposeA ${transposeA}, transposeB ${transposeB})`);
    }
    const batchA = a!.shape.slice(0, -2);
    const batchB = b!.shape.slice(0, -2);
    let batch: number[];
    try {
      batch = broadcastShapes('matmul', batchA, batchB);
    } catch {
      throw new OpError('matmul', `batch dimensions ${fmtShape(batchA)} of a ${fmtShape(a!.shape)} and ${fmtShape(batchB)} of b ${fmtShape(b!.shape)} cannot be broadcast`);
    }
    return [{ shape: [...batch, m, n], dtype: 'float32' }];
  },
  reference([a, b], attrs) {
    const [out] = this.infer([a!, b!], attrs);
    const shape = out!.shape;
    const r = shape.length;
    const m = shape[r - 2]!;
    const n = shape[r - 1]!;
    const k = attrs.transposeA ? a!.shape[a!.shape.length - 2]! : a!.shape[a!.shape.length - 1]!;
    const batchShape = shape.slice(0, -2);
    const av = num(a!);
    const bv = num(b!);
    const values = new Float64Array(sizeOf(shape));
    const batchOffset = (t: typeof a, bi: number[]) => {
      const bs = t!.shape.slice(0, -2);
      const strides = stridesOf(bs);
      let off = 0;
      bs.forEach((d, i) => (off += (d === 1 ? 0 : bi[i + bi.length - bs.length]!) * strides[i]!));
      return off * t!.shape[t!.shape.length - 1]! * t!.shape[t!.shape.length - 2]!;
    };
    const aCols = a!.shape[a!.shape.length - 1]!;
    const bCols = b!.shape[b!.shape.length - 1]!;
    for (let bi = 0; bi < sizeOf(batchShape); bi++) {
      const idx = unravel(bi, batchShape);
      const ao = batchOffset(a, idx);
      const bo = batchOffset(b, idx);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) {
            const ae = attrs.transposeA ? av[ao + p * aCols + i]! : av[ao + i * aCols + p]!;
            const be = attrs.transposeB ? bv[bo + j * bCols + p]! : bv[bo + p * bCols + j]!;
            s += ae * be;
          }
          values[bi * m * n + i * n + j] = s;
        }
    }
    return [{ shape, dtype: 'float32', values }];
  },
  vjp: ({ inputs: [a, b], dys: [dy], attrs: { transposeA: ta, transposeB: tb }, needsGrad }) => {
    const da = () => (!ta && !tb ? matmul(dy!, b!, false, true) : ta && !tb ? matmul(b!, dy!, false, true) : !ta ? matmul(dy!, b!, false, false) : matmul(b!, dy!, true, true));
    const db = () => (!ta && !tb ? matmul(a!, dy!, true, false) : ta && !tb ? matmul(a!, dy!, false, false) : !ta ? matmul(dy!, a!, true, false) : matmul(dy!, a!, true, true));
    return [needsGrad?.[0] === false ? null : da(), needsGrad?.[1] === false ? null : db()];
  },
  samples: [
    { inputs: [{ shape: [3, 4] }, { shape: [4, 5] }], attrs: { transposeA: false, transposeB: false } },
    { inputs: [{ shape: [4, 3] }, { shape: [4, 5] }], attrs: { transposeA: true, transposeB: false } },
    { inputs: [{ shape: [3, 4] }, { shape: [5, 4] }], attrs: { transposeA: false, transposeB: true } },
    { inputs: [{ shape: [4, 3] }, { shape: [5, 4] }], attrs: { transposeA: true, transposeB: true } },
    { name: 'batched', inputs: [{ shape: [2, 3, 4] }, { shape: [2, 4, 2] }], attrs: { transposeA: false, transposeB: false } },
    { name: 'broadcast batch', inputs: [{ shape: [2, 1, 3, 4] }, { shape: [3, 4, 2] }], attrs: { transposeA: false, transposeB: false } },
    { name: 'odd sizes', inputs: [{ shape: [17, 9] }, { shape: [9, 13] }], attrs: { transposeA: false, transposeB: false } },
    { name: 'larger', inputs: [{ shape: [33, 70] }, { shape: [65, 70] }], attrs: { transposeA: false, transposeB: true }, noGrad: true },
  ],
};
