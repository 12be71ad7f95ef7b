import type { DataValues, TensorInfo } from '@eagerflow/core';

export interface CpuInput extends TensorInfo {
  readonly values: DataValues;
}

/** A CPU kernel: host arrays in, host arrays out (one per output). */
export type CpuKernel<A = any> = (inputs: readonly CpuInput[], attrs: A, outputs: readonly TensorInfo[]) => DataValues[];
