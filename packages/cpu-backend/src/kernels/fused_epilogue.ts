/** The fused ops' epilogue on the CPU: act(z + bias) over the GEMM output, in place. */
import { defs, evalElementwise, type DataValues, type FusedActivation, type TensorInfo } from '@eagerflow/core';
import type { CpuInput } from '../kernel.js';

export function applyEpilogue(z: DataValues, bias: CpuInput, activation: FusedActivation, out: TensorInfo): DataValues[] {
  // One pass; each element is read before it is written, so the output may be its own input.
  evalElementwise(defs.EPILOGUES[activation], [{ ...out, values: z }, bias], {}, out, z);
  return [z];
}
