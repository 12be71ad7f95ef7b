import { sizeOf, stridesOf, type MatmulAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';
import { gemm } from '../gemm.js';
import { allocF32 } from '../pool.js';

/** Batched matmul: each batch element is one GEMM on contiguous row-major panels. */
export const matmul: CpuKernel<MatmulAttrs> = ([a, b], { transposeA, transposeB }, [out]) => {
  const shape = out!.shape;
  const r = shape.length;
  const m = shape[r - 2]!;
  const n = shape[r - 1]!;
  const ar = a!.shape.length;
  const k = transposeA ? a!.shape[ar - 2]! : a!.shape[ar - 1]!;
  const batchShape = shape.slice(0, -2);
  const batches = sizeOf(batchShape);
  const res = allocF32(sizeOf(shape));
  const av = a!.values as Float32Array;
  const bv = b!.values as Float32Array;
  const offsetFn = (s: readonly number[]) => {
    const bs = s.slice(0, -2);
    const strides = stridesOf(bs);
    const mat = s[s.length - 1]! * s[s.length - 2]!;
    const outStrides = stridesOf(batchShape);
    return (bi: number) => {
      let off = 0;
      for (let i = 0; i < bs.length; i++) {
        const od = i + batchShape.length - bs.length;
        const idx = Math.floor(bi / outStrides[od]!) % batchShape[od]!;
        if (bs[i] !== 1) off += idx * strides[i]!;
      }
      return off * mat;
    };
  };
  const aOff = offsetFn(a!.shape);
  const bOff = offsetFn(b!.shape);
  for (let bi = 0; bi < batches; bi++) {
    const ao = aOff(bi);
    const bo = bOff(bi);
    gemm(m, n, k, av.subarray(ao, ao + m * k), transposeA, bv.subarray(bo, bo + k * n), transposeB, res.subarray(bi * m * n, (bi + 1) * m * n));
  }
  return [res];
};
