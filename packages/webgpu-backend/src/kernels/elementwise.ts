/**
 * The one WebGPU kernel for every elementwise row: WGSL generated from the row's scalar
 * expression, cached per (expression, dtypes, operand pattern, rank) — never per shape.
 * Patterns: 'flat' (every operand is the full shape or a single value; vec4 loads/stores when
 * the size is a multiple of 4) and 'strided' (broadcasting through strides in uniforms, after
 * merging dimensions every operand walks alike).
 */
import { broadcastStrides, sizeOf, type DType, type OpDef, type TensorInfo } from '@eagerflow/core';
import type { PooledBuffer } from '../buffer_pool.js';
import { LINEAR_INDEX, LINEAR_MAIN, WG, collapseDims, unravelOffsets, wgslType, type GpuInput, type KernelContext } from '../kernel.js';
import { cachedProgram, declareBindings, uw, type Program } from '../runtime.js';
import { WGSL_SCALAR_PRELUDE, scalarToWgsl, type ScalarType } from '../wgsl/scalar_expr.js';

const NAMES = ['a', 'b', 'c'];

/** WGSL value read from a storage element of `dtype` (bools become WGSL bool). */
function asValue(raw: string, dtype: DType): string {
  return dtype === 'bool' ? `(${raw} != 0u)` : raw;
}

function elementwiseProgram(
  expr: string, type: ScalarType, attrNames: readonly string[], inDtypes: readonly DType[], outDtype: DType,
  modes: readonly ('full' | 'scalar' | 'strided')[], vec4: boolean, rank: number,
): Program {
  const key = `ew|${expr}|${type}|${attrNames.join(',')}|${inDtypes.join(',')}>${outDtype}|${modes.join(',')}|${vec4 ? 'v4' : 's'}|r${rank}`;
  return cachedProgram(key, () => {
    const k = inDtypes.length;
    // Uniform words: n, attrs, then (strided) shape[rank] and strides[k][rank].
    const attrAt = 1;
    const shapeAt = attrAt + attrNames.length;
    const strideAt = inDtypes.map((_, j) => shapeAt + rank + j * rank);
    const uniformWords = modes.includes('strided') ? shapeAt + rank + k * rank : shapeAt;
    const body = scalarToWgsl(expr, type);
    const attrLets = attrNames.map((n, j) => (type === 'i32' ? `let ${n} = i32(bitcast<f32>(${uw(attrAt + j)}));` : `let ${n} = bitcast<f32>(${uw(attrAt + j)});`)).join('\n  ');
    const store = (r: string) => (outDtype === 'bool' ? `select(0u, 1u, ${r})` : r);
    const code = () => {
      const inTypes = inDtypes.map((dt, j) => (vec4 && modes[j] === 'full' ? `vec4<${wgslType(dt)}>` : wgslType(dt)));
      const outType = vec4 ? `vec4<${wgslType(outDtype)}>` : wgslType(outDtype);
      let main: string;
      if (vec4) {
        const loads = inDtypes.map((dt, j) => (modes[j] === 'full' ? `let v${j} = in${j}[i];` : `let s${j} = ${asValue(`in${j}[0]`, dt)};`)).join('\n  ');
        const comps = [0, 1, 2, 3].map((c) => {
          const lets = inDtypes.map((dt, j) => `let ${NAMES[j]} = ${modes[j] === 'full' ? asValue(`v${j}[${c}]`, dt) : `s${j}`};`).join(' ');
          return `var r${c}: ${wgslType(outDtype)};\n  { ${lets} r${c} = ${store(body)}; }`;
        });
        main = `let i = ${LINEAR_INDEX};
  if (i >= ${uw(0)}) { return; }
  ${attrLets}
  ${loads}
  ${comps.join('\n  ')}
  out0[i] = ${outType}(r0, r1, r2, r3);`;
      } else if (modes.includes('strided')) {
        const reads = inDtypes.map((dt, j) => `let ${NAMES[j]} = ${asValue(`in${j}[o${j}]`, dt)};`).join('\n  ');
        main = `let i = ${LINEAR_INDEX};
  if (i >= ${uw(0)}) { return; }
  ${attrLets}
  ${unravelOffsets('i', rank, shapeAt, strideAt, uw)}
  ${reads}
  out0[i] = ${store(body)};`;
      } else {
        const reads = inDtypes.map((dt, j) => `let ${NAMES[j]} = ${asValue(`in${j}[${modes[j] === 'full' ? 'i' : '0'}]`, dt)};`).join('\n  ');
        main = `let i = ${LINEAR_INDEX};
  if (i >= ${uw(0)}) { return; }
  ${attrLets}
  ${reads}
  out0[i] = ${store(body)};`;
      }
      return `${declareBindings(inTypes, [outType], uniformWords)}
${WGSL_SCALAR_PRELUDE}
${LINEAR_MAIN} {
  ${main}
}`;
    };
    return { inputs: k, outputs: 1, uniformWords, code };
  });
}

/** Records row `def` over `inputs` into `result` (by default a fresh output buffer). */
export function runElementwise(ctx: KernelContext, def: OpDef<any>, inputs: readonly GpuInput[], attrs: Record<string, number>, out: TensorInfo, result = ctx.output(out)): PooledBuffer {
  const spec = def.elementwise!;
  const n = sizeOf(out.shape);
  if (n === 0) return result;
  const valueDtype = (spec.firstInputBool ? inputs[1]! : inputs[0]!).dtype;
  const isInt = valueDtype === 'int32';
  const expr = isInt && spec.intExpr ? spec.intExpr : spec.expr;
  const type: ScalarType = isInt ? 'i32' : 'f32';
  const attrNames = spec.scalarAttrs ?? [];
  let modes = inputs.map((t) => (sizeOf(t.shape) === n ? 'full' : sizeOf(t.shape) === 1 ? 'scalar' : 'strided') as 'full' | 'scalar' | 'strided');
  let rank = 0;
  let shape: number[] = [];
  let strides: number[][] = [];
  if (modes.includes('strided')) {
    const c = collapseDims(out.shape, inputs.map((t) => broadcastStrides(t.shape, out.shape)));
    shape = c.shape;
    strides = c.strides;
    rank = shape.length;
    if (rank <= 1) {
      // After merging, every operand is contiguous or constant along the single dimension.
      modes = strides.map((s) => (s[0] === 0 ? 'scalar' : 'full'));
      rank = 0;
    }
  }
  const vec4 = !modes.includes('strided') && n % 4 === 0 && modes.includes('full');
  const program = elementwiseProgram(expr, type, attrNames, inputs.map((t) => t.dtype), out.dtype, modes, vec4, rank);
  const words = new Uint32Array(program.uniformWords);
  const f32 = new Float32Array(words.buffer);
  const threads = vec4 ? n / 4 : n;
  words[0] = threads;
  attrNames.forEach((name, j) => (f32[1 + j] = attrs[name]!));
  if (rank > 0) {
    const shapeAt = 1 + attrNames.length;
    shape.forEach((d, j) => (words[shapeAt + j] = d));
    strides.forEach((s, k) => s.forEach((v, j) => (words[shapeAt + rank + k * rank + j] = v)));
  }
  ctx.rt.dispatch(program, inputs.map((t) => t.buf), [result], words, ctx.rt.grid(Math.ceil(threads / WG)));
  return result;
}
