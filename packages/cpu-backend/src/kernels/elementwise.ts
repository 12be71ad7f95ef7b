/**
 * The one CPU kernel for every elementwise row: the row's scalar expression is compiled into a
 * specialised JS loop (per expression, dtype and broadcast pattern) and cached.
 */
import { JS_SCALAR_PRELUDE, broadcastStrides, sizeOf, type DataValues, type ElementwiseSpec, type OpDef, type TensorInfo } from '@eagerflow/core';
import { allocArray } from '../pool.js';
import type { CpuInput } from '../kernel.js';

type Loop = (ins: DataValues[], out: DataValues, n: number, attrs: Record<string, number>, shape: number[], strides: number[][]) => void;
// Compiled loops per expression text, keyed by a small number for the input modes and output kind
// (built without strings: this lookup runs on every elementwise op).
const cache = new Map<string, Map<number, Loop>>();
const MODE_CODE = { full: 0, scalar: 1, strided: 2 } as const;
type Mode = keyof typeof MODE_CODE;
const NAMES = ['a', 'b', 'c'];

function compile(spec: ElementwiseSpec, expr: string, modes: Mode[], outBool: boolean): Loop {
  let byMode = cache.get(expr);
  if (!byMode) cache.set(expr, (byMode = new Map()));
  let key = outBool ? 1 : 0;
  for (const m of modes) key = key * 3 + MODE_CODE[m];
  key = key * 4 + modes.length;
  let loop = byMode.get(key);
  if (loop) return loop;
  const store = outBool ? `(${expr}) ? 1 : 0` : expr;
  const attrs = (spec.scalarAttrs ?? []).map((n) => `const ${n} = +attrs.${n};`).join('\n');
  const arrays = modes.map((_, k) => `const X${k} = ins[${k}];`).join('\n');
  let body: string;
  if (modes.every((m) => m !== 'strided')) {
    // Every input is either the full shape or a single value: one flat loop.
    const hoist = modes.map((m, k) => (m === 'scalar' ? `const ${NAMES[k]} = X${k}[0];` : '')).join('\n');
    const reads = modes.map((m, k) => (m === 'full' ? `const ${NAMES[k]} = X${k}[i];` : '')).join(' ');
    body = `${hoist}\nfor (let i = 0; i < n; i++) { ${reads} out[i] = ${store}; }`;
  } else {
    // Broadcasting: innermost dimension as a strided loop, outer dimensions as an odometer.
    const k = modes.length;
    const offs = Array.from({ length: k }, (_, j) => `o${j}`);
    body = `
const r = shape.length, inner = shape[r - 1], outer = inner === 0 ? 0 : n / inner;
const idx = new Int32Array(r);
${offs.map((o, j) => `let ${o} = 0; const s${j} = strides[${j}], i${j} = s${j}[r - 1];`).join('\n')}
for (let q = 0, p = 0; q < outer; q++) {
  ${offs.map((o, j) => `let p${j} = ${o};`).join(' ')}
  for (let i = 0; i < inner; i++, p++) {
    ${offs.map((_, j) => `const ${NAMES[j]} = X${j}[p${j}]; p${j} += i${j};`).join(' ')}
    out[p] = ${store};
  }
  for (let d = r - 2; d >= 0; d--) {
    idx[d]++;
    ${offs.map((o, j) => `${o} += s${j}[d];`).join(' ')}
    if (idx[d] < shape[d]) break;
    ${offs.map((o, j) => `${o} -= s${j}[d] * shape[d];`).join(' ')}
    idx[d] = 0;
  }
}`;
  }
  loop = new Function('ins', 'out', 'n', 'attrs', 'shape', 'strides', `${JS_SCALAR_PRELUDE}\n${attrs}\n${arrays}\n${body}`) as Loop;
  byMode.set(key, loop);
  return loop;
}

export function runElementwise(def: OpDef<any>, inputs: readonly CpuInput[], attrs: Record<string, number>, out: TensorInfo): DataValues {
  const spec = def.elementwise!;
  const n = sizeOf(out.shape);
  const result = allocArray(out.dtype, n);
  if (n === 0) return result;
  const valueDtype = (spec.firstInputBool ? inputs[1]! : inputs[0]!).dtype;
  const expr = valueDtype === 'int32' && spec.intExpr ? spec.intExpr : spec.expr;
  const modes = inputs.map((t): Mode => (sizeOf(t.shape) === n ? 'full' : sizeOf(t.shape) === 1 ? 'scalar' : 'strided'));
  // A full-size input with a different rank is still contiguous in output order.
  const loop = compile(spec, expr, modes, out.dtype === 'bool');
  const strides = modes.includes('strided') ? inputs.map((t) => broadcastStrides(t.shape, out.shape)) : [];
  loop(inputs.map((t) => t.values), result, n, attrs, [...out.shape], strides);
  return result;
}
