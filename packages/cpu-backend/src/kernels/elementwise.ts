/** The one CPU kernel for every elementwise row: core's compiled host loops into a pooled array. */
import { evalElementwise, sizeOf, type DataValues, type OpDef, type TensorInfo } from '@eagerflow/core';
import { allocArrayUninit } from '../pool.js';
import type { CpuInput } from '../kernel.js';
import { simdGrad } from '../wasm/wasm_grad.js';
import { simdUpdate, type BinaryOp } from '../wasm/wasm_update.js';

/** From this many elements on, reluGrad and float32 add/sub/mul run in WebAssembly (wasm_grad.ts, wasm_update.ts; same bits). */
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
  if ((def.id === 'add' || def.id === 'sub' || def.id === 'mul') && n >= WASM_MIN_ELEMENTS && out.dtype === 'float32') {
    const [a, b] = inputs;
    // Full-size operands, or one a single value (scalar broadcast).
    const ok = (t: CpuInput) => t.values instanceof Float32Array && ((t.values.length === n && sizeOf(t.shape) === n) || (t.values.length === 1 && sizeOf(t.shape) === 1));
    if (ok(a!) && ok(b!) && (a!.values.length === n || b!.values.length === n)) {
      if (simdUpdate()?.binary(def.id as BinaryOp, a!.values as Float32Array, b!.values as Float32Array, result as Float32Array, n)) return result;
    }
  }
  evalElementwise(def, inputs, attrs, out, result);
  return result;
}
