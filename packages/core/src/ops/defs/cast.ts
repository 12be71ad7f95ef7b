import { float32ToInt64, int64ToFloat32, type DType } from '../../dtype.js';
import { OpError } from '../../errors.js';
import type { HostTensor, OpDef } from '../op_def.js';
import { num } from '../reference_util.js';

export interface CastAttrs {
  dtype: DType;
}

const CASTABLE: readonly DType[] = ['float32', 'int32', 'bool', 'int64'];

/** A host tensor's values as BigInts (int64 samples may hold numbers or a BigInt64Array). */
function bigints(t: HostTensor): bigint[] {
  return Array.from(t.values as ArrayLike<number | bigint>, (v) => BigInt(v));
}

/**
 * Type conversion with TensorFlow's (C's) rules: float→int truncates toward zero, anything→bool
 * is x != 0, int64→int32 keeps the low 32 bits (wraps modulo 2^32), int64→float32 rounds to
 * nearest; float→int64 gives 0 for NaN and saturates beyond the int64 range (see dtype.ts).
 */
export const castDef: OpDef<CastAttrs> = {
  id: 'cast',
  infer([x], { dtype }) {
    if (!CASTABLE.includes(x!.dtype) || !CASTABLE.includes(dtype)) throw new OpError('cast', `can cast between float32, int32, bool and int64 only; found ${x!.dtype} → ${dtype}`);
    return [{ shape: x!.shape, dtype }];
  },
  reference([x], { dtype }) {
    if (x!.dtype === 'int64') {
      const v = bigints(x!);
      if (dtype === 'int64') return [{ shape: x!.shape, dtype, values: BigInt64Array.from(v) }];
      const out = v.map((e) => (dtype === 'bool' ? (e !== 0n ? 1 : 0) : dtype === 'int32' ? Number(BigInt.asIntN(32, e)) : int64ToFloat32(e)));
      return [{ shape: x!.shape, dtype, values: out }];
    }
    const v = num(x!);
    if (dtype === 'int64') return [{ shape: x!.shape, dtype, values: BigInt64Array.from(v, (e) => (x!.dtype === 'float32' ? float32ToInt64(e) : BigInt(e))) }];
    const out = v.map((e) => (dtype === 'bool' ? (e !== 0 ? 1 : 0) : dtype === 'int32' ? Math.trunc(e) : Math.fround(e)));
    return [{ shape: x!.shape, dtype, values: out }];
  },
  vjp: ({ inputs: [x], dys: [dy] }) => [x!.dtype === 'float32' && dy!.dtype === 'float32' ? dy! : null],
  // A conversion is exact or one correctly rounded step: float32 outputs must match bit for bit.
  tolerance: { forward: 0 },
  samples: [
    { inputs: [{ shape: [2, 3], range: [-3, 3] }], attrs: { dtype: 'int32' }, noGrad: true },
    { inputs: [{ shape: [4], dtype: 'int32', range: [-3, 3] }], attrs: { dtype: 'float32' }, noGrad: true },
    { inputs: [{ shape: [4], range: [-1, 1] }], attrs: { dtype: 'bool' }, noGrad: true },
    { inputs: [{ shape: [3], dtype: 'bool' }], attrs: { dtype: 'float32' }, noGrad: true },
    { inputs: [{ shape: [2, 2] }], attrs: { dtype: 'float32' } },
    {
      name: 'truncates toward zero',
      inputs: [{ shape: [4], dtype: 'float32', values: [-1.7, -0.2, 0.9, 2.5] }],
      attrs: { dtype: 'int32' },
      expected: [{ shape: [4], dtype: 'int32', values: [-1, 0, 0, 2] }],
      noGrad: true,
    },
    // int64 (parsed Example features, checkpoint global steps) in and out.
    { inputs: [{ shape: [2, 3], dtype: 'int64', range: [-50, 50] }], attrs: { dtype: 'int32' }, noGrad: true },
    { inputs: [{ shape: [5], dtype: 'int64', range: [-3, 3] }], attrs: { dtype: 'float32' }, noGrad: true },
    { inputs: [{ shape: [5], dtype: 'int64', range: [-1, 1] }], attrs: { dtype: 'bool' }, noGrad: true },
    { inputs: [{ shape: [3, 2], dtype: 'int32', range: [-100, 100] }], attrs: { dtype: 'int64' }, noGrad: true },
    { inputs: [{ shape: [4], dtype: 'bool' }], attrs: { dtype: 'int64' }, noGrad: true },
    { inputs: [{ shape: [6], range: [-9, 9] }], attrs: { dtype: 'int64' }, noGrad: true },
    {
      name: 'int64 → int32 wraps modulo 2^32',
      inputs: [{ shape: [6], dtype: 'int64', values: BigInt64Array.of(2147483647n, 2147483648n, -2147483649n, 4294967296n + 5n, -(2n ** 63n), 2n ** 63n - 1n) }],
      attrs: { dtype: 'int32' },
      expected: [{ shape: [6], dtype: 'int32', values: [2147483647, -2147483648, 2147483647, 5, 0, -1] }],
      noGrad: true,
    },
    {
      name: 'int64 → float32 rounds to nearest, ties to even (no double rounding)',
      inputs: [{ shape: [7], dtype: 'int64', values: BigInt64Array.of(16777217n, 16777219n, -16777217n, 2n ** 60n + 2n ** 36n + 1n, 2n ** 60n + 2n ** 36n, -(2n ** 63n), 2n ** 63n - 1n) }],
      attrs: { dtype: 'float32' },
      expected: [{ shape: [7], dtype: 'float32', values: [16777216, 16777220, -16777216, 2 ** 60 + 2 ** 37, 2 ** 60, -(2 ** 63), 2 ** 63] }],
      noGrad: true,
    },
    {
      name: 'int64 → bool is x != 0 over all 64 bits',
      inputs: [{ shape: [4], dtype: 'int64', values: BigInt64Array.of(0n, 2n ** 32n, -1n, 2n ** 63n - 2n ** 32n) }],
      attrs: { dtype: 'bool' },
      expected: [{ shape: [4], dtype: 'bool', values: [0, 1, 1, 1] }],
      noGrad: true,
    },
    {
      name: 'float32 → int64 truncates toward zero; NaN → 0, saturates outside the int64 range',
      inputs: [{ shape: [8], dtype: 'float32', values: [-1.7, 2.5, 3e9, -3e9, 2 ** 40 + 2 ** 20, Number.NaN, 1e19, -1e19] }],
      attrs: { dtype: 'int64' },
      expected: [{ shape: [8], dtype: 'int64', values: BigInt64Array.of(-1n, 2n, 3000000000n, -3000000000n, 2n ** 40n + 2n ** 20n, 0n, 2n ** 63n - 1n, -(2n ** 63n)) }],
      noGrad: true,
    },
    {
      name: 'int32 → int64 sign-extends',
      inputs: [{ shape: [3], dtype: 'int32', values: [-1, -2147483648, 2147483647] }],
      attrs: { dtype: 'int64' },
      expected: [{ shape: [3], dtype: 'int64', values: BigInt64Array.of(-1n, -2147483648n, 2147483647n) }],
      noGrad: true,
    },
  ],
};
