import type { DType, TensorInfo } from '@eagerflow/core';
import type { PooledBuffer } from './buffer_pool.js';
import type { GpuRuntime } from './runtime.js';

/** A tensor's storage on this backend: a numeric or int64 tensor, or host values (string). */
export type GpuStorage = GpuBufferStorage | HostStorage;

/**
 * A float32/int32/bool/int64 tensor: its pooled GPU buffer, its host values, or both. Tiny tensors
 * written from the host keep their values and get a buffer only when a GPU kernel reads them
 * (the host handoff; int64 values written from the host always wait for a cast to read them);
 * either copy is immutable once set, as tensors are.
 */
export interface GpuBufferStorage {
  readonly kind: 'gpu';
  buf: PooledBuffer | null;
  host: Float32Array | Int32Array | Uint8Array | BigInt64Array | null;
  /** Bytes the tensor uses on the GPU (4 per element: f32, i32, bool as u32; 8 for int64 as a (low, high) u32 pair). */
  readonly bytes: number;
}

/** string tensors: a storage type with no math; kept on the host inside the backend. */
export interface HostStorage {
  readonly kind: 'host';
  readonly values: import('@eagerflow/core').DataValues;
}

/** A kernel input: shape, dtype and its GPU buffer. */
export interface GpuInput extends TensorInfo {
  readonly buf: PooledBuffer;
}

/** What kernels get from the backend: the runtime plus output allocation. */
export interface KernelContext {
  readonly rt: GpuRuntime;
  /** A fresh pooled buffer for `size` elements of `dtype` (released by the engine later). */
  output(info: TensorInfo): PooledBuffer;
  /** A scratch buffer released after the current batch is submitted. */
  scratch(bytes: number): PooledBuffer;
}

/** One WebGPU kernel: records dispatches, returns one buffer per output. */
export type WebGpuKernel<A = any> = (ctx: KernelContext, inputs: readonly GpuInput[], attrs: A, outputs: readonly TensorInfo[]) => PooledBuffer[];

/** WGSL storage element type for a dtype (bool is stored as u32). */
export function wgslType(dtype: DType): 'f32' | 'i32' | 'u32' {
  switch (dtype) {
    case 'float32':
      return 'f32';
    case 'int32':
      return 'i32';
    case 'bool':
      return 'u32';
    default:
      throw new Error(`webgpu: dtype ${dtype} has no GPU representation (it is kept on the host)`);
  }
}

export const WG = 256;

/** Linear invocation index for 1-D work spread over a 2-D grid of 256-wide workgroups. */
export const LINEAR_MAIN = `@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32)`;
export const LINEAR_INDEX = `(wid.y * nwg.x + wid.x) * ${WG}u + lid`;

/** Merges adjacent dimensions that every input walks the same way (fewer index divisions). */
export function collapseDims(shape: readonly number[], strides: readonly (readonly number[])[]): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d]!;
    if (n === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, k) => outStrides[k]![last] === s[d]! * n)) {
      outShape[last]! *= n;
      strides.forEach((s, k) => (outStrides[k]![last] = s[d]!));
    } else {
      outShape.push(n);
      strides.forEach((s, k) => outStrides[k]!.push(s[d]!));
    }
  }
  return { shape: outShape, strides: outStrides };
}

/**
 * WGSL that unravels `idx` over a collapsed shape held in uniforms (words `shapeAt..`) and sums
 * per-operand offsets `o<k>` with strides at `strideAt[k]..`.
 */
export function unravelOffsets(idx: string, rank: number, shapeAt: number, strideAt: readonly number[], uw: (i: number) => string): string {
  const lines = [`var rem = ${idx};`];
  strideAt.forEach((_, k) => lines.push(`var o${k} = 0u;`));
  for (let d = rank - 1; d >= 0; d--) {
    if (d === 0) {
      strideAt.forEach((s, k) => lines.push(`o${k} += rem * ${uw(s + d)};`));
    } else {
      lines.push(`{ let q = rem / ${uw(shapeAt + d)}; let c = rem - q * ${uw(shapeAt + d)}; rem = q;`);
      strideAt.forEach((s, k) => lines.push(`  o${k} += c * ${uw(s + d)};`));
      lines.push('}');
    }
  }
  return lines.join('\n  ');
}
