/**
 * Recycles the typed arrays of released CPU tensors. A fresh large typed array costs page faults
 * (≈3 ms per MB measured here); a training loop allocates the same sizes every step, so reuse
 * by exact (type, length) pays. Arrays come back zeroed, like fresh ones.
 */
import { allocArray as freshArray, type DType, type DataValues, type TypedArray } from '@eagerflow/core';

const MAX_POOLED_BYTES = 256 * 1024 * 1024;
/** Small arrays are cheap to allocate; pooling them would only add bookkeeping. */
const MIN_POOLED_BYTES = 4096;
const free = new Map<string, TypedArray[]>();
let pooledBytes = 0;

function keyOf(ctor: string, length: number): string {
  return `${ctor}:${length}`;
}

const CTOR: Record<string, string> = { float32: 'Float32Array', int32: 'Int32Array', bool: 'Uint8Array', int64: 'BigInt64Array' };

export function allocArray(dtype: DType, n: number): DataValues {
  return take(dtype, n, true);
}

/**
 * Like allocArray, but a recycled array keeps its old contents: only for kernels that write
 * every element of their output (elementwise loops, pooling, GEMM outputs).
 */
export function allocArrayUninit(dtype: DType, n: number): DataValues {
  return take(dtype, n, false);
}

function take(dtype: DType, n: number, zero: boolean): DataValues {
  const ctor = CTOR[dtype];
  if (ctor && n * (dtype === 'bool' ? 1 : dtype === 'int64' ? 8 : 4) >= MIN_POOLED_BYTES) {
    const list = free.get(keyOf(ctor, n));
    const reused = list?.pop();
    if (reused) {
      pooledBytes -= reused.byteLength;
      if (zero) {
        if (reused instanceof BigInt64Array) reused.fill(0n);
        else reused.fill(0);
      }
      return reused;
    }
  }
  return freshArray(dtype, n);
}

export function allocF32(n: number): Float32Array {
  return allocArray('float32', n) as Float32Array;
}

/** allocF32 for outputs the kernel overwrites entirely (see allocArrayUninit). */
export function allocF32Uninit(n: number): Float32Array {
  return allocArrayUninit('float32', n) as Float32Array;
}

/** Takes back a released tensor's array (only whole, unshared buffers). */
export function recycle(values: DataValues): void {
  if (Array.isArray(values) || values.byteLength < MIN_POOLED_BYTES) return;
  if (values.byteOffset !== 0 || values.byteLength !== values.buffer.byteLength) return;
  if (typeof SharedArrayBuffer !== 'undefined' && values.buffer instanceof SharedArrayBuffer) return;
  if (pooledBytes + values.byteLength > MAX_POOLED_BYTES) return;
  const key = keyOf(values.constructor.name, values.length);
  let list = free.get(key);
  if (!list) free.set(key, (list = []));
  list.push(values);
  pooledBytes += values.byteLength;
}

export function poolStats(): { pooledBytes: number; sizes: number } {
  return { pooledBytes, sizes: free.size };
}

export function clearPool(): void {
  free.clear();
  pooledBytes = 0;
}
