/**
 * The scalar expression language of elementwise rows. One expression generates the JS loop
 * (CPU) and the WGSL body (WebGPU); both backends define these functions with the same meaning:
 *   exp log sqrt rsqrt abs floor ceil round(half to even) sign sin cos tanh sigmoid pow min max
 *   log1p expm1 select(cond, t, f) floordiv(a, b) (integer floor division) fmod(a, b) (floor modulo)
 * Operands are a, b, c and the row's scalar attrs; literals are written with a decimal point for
 * floats (1.0) so WGSL types them as f32; comparisons and && || ! yield bools.
 */
export const SCALAR_FUNCTIONS = [
  'exp', 'log', 'sqrt', 'rsqrt', 'abs', 'floor', 'ceil', 'round', 'sign', 'sin', 'cos', 'tanh',
  'sigmoid', 'pow', 'min', 'max', 'log1p', 'expm1', 'select', 'floordiv', 'fmod',
] as const;

/** JS definitions of the shared functions (float64 math). */
export const JS_SCALAR_PRELUDE = `
const exp = Math.exp, log = Math.log, sqrt = Math.sqrt, abs = Math.abs, floor = Math.floor,
  ceil = Math.ceil, sin = Math.sin, cos = Math.cos, tanh = Math.tanh,
  min = Math.min, max = Math.max, log1p = Math.log1p, expm1 = Math.expm1;
// C's pow (TensorFlow's): pow(1, y) = 1 and pow(-1, ±inf) = 1, where Math.pow gives NaN.
const pow = (a, b) => (a === 1 || (a === -1 && (b === Infinity || b === -Infinity)) ? 1 : Math.pow(a, b));
const sign = (x) => (x > 0 ? 1 : x < 0 ? -1 : 0);
const rsqrt = (x) => 1 / Math.sqrt(x);
const sigmoid = (x) => 1 / (1 + Math.exp(-x));
const round = (x) => { const r = Math.round(x); return (r - x === 0.5 && r % 2 !== 0) ? r - 1 : r; };
const select = (c, t, f) => (c ? t : f);
const floordiv = (a, b) => Math.floor(a / b);
const fmod = (a, b) => a - b * Math.floor(a / b);
`;

export type ScalarFn = (a: number, b: number, c: number) => number;
export type ScalarFnFactory = (attrs: Record<string, number>) => ScalarFn;

const cache = new Map<string, ScalarFnFactory>();

/** Compiles an expression to a float64 JS function of (a, b, c), given the attr values. */
export function compileScalar(expr: string, scalarAttrs: readonly string[] = []): ScalarFnFactory {
  const key = `${expr}|${scalarAttrs.join(',')}`;
  let make = cache.get(key);
  if (!make) {
    const attrLines = scalarAttrs.map((n) => `const ${n} = +attrs.${n};`).join('\n');
    make = new Function('attrs', `${JS_SCALAR_PRELUDE}\n${attrLines}\nreturn (a, b, c) => +(${expr});`) as ScalarFnFactory;
    cache.set(key, make);
  }
  return make;
}
