/** The one CPU kernel for every elementwise row: core's compiled host loops into a pooled array. */
import { evalElementwise, sizeOf, type DataValues, type OpDef, type TensorInfo } from '@eagerflow/core';
import { allocArrayUninit } from '../pool.js';
import type { CpuInput } from '../kernel.js';

export function runElementwise(def: OpDef<any>, inputs: readonly CpuInput[], attrs: Record<string, number>, out: TensorInfo): DataValues {
  const result = allocArrayUninit(out.dtype, sizeOf(out.shape));
  evalElementwise(def, inputs, attrs, out, result);
  return result;
}
