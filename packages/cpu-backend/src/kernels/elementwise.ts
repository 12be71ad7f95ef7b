/** The one CPU kernel for every elementwise row: core's compiled host loops into a pooled array. */
import { evalElementwise, sizeOf, type DataValues, type OpDef, type TensorInfo } from '@eagerflow/core';
import { allocArrayUninit } from '../pool.js';
import type { CpuInput } from '../kernel.js';
import { simdGrad } from '../wasm/wasm_grad.js';

/** From this many elements on, reluGrad runs in WebAssembly (wasm_grad.ts; same bits). */
const WASM_MIN_ELEMENTS = 4096;

export function runElementwise(def: OpDef<any>, inputs: readonly CpuInput[], attrs: Record<string, number>, out: TensorInfo): DataValues {
  const n = sizeOf(out.shape);
  const result = allocArrayUninit(out.dtype, n);
  if (def.id === 'reluGrad' && n >= WASM_MIN_ELEMENTS && out.dtype === 'float32') {
    const [a, b] = inputs;
    if (a!.values instanceof Float32Array && b!.values instanceof Float32Array && a!.values.length === n && b!.values.length === n) {
      if (simdGrad()?.reluGrad(a!.values, b!.values, result as Float32Array, n)) return result;
    }
  }
  evalElementwise(def, inputs, attrs, out, result);
  return result;
}
