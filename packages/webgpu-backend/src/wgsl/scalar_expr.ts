/**
 * Translates the shared scalar expression language (core/src/ops/scalar_expr.ts) to WGSL.
 * The expression is parsed (precedence climbing) and re-emitted, so calls whose argument order
 * differs in WGSL (select) and functions WGSL lacks (sigmoid, log1p, expm1, floordiv, fmod)
 * map onto the prelude below, with the same meaning as the JS prelude.
 */
import { SCALAR_FUNCTIONS } from '@eagerflow/core';

/** WGSL definitions matching JS_SCALAR_PRELUDE (f32 and i32 variants where both exist). */
export const WGSL_SCALAR_PRELUDE = /* wgsl */ `
// Private (not const) so that inf and NaN are runtime values: constant expressions reject them.
var<private> ef_inf_bits: u32 = 0x7f800000u;
var<private> ef_nan_bits: u32 = 0x7fc00000u;
fn ef_sigmoid(x: f32) -> f32 { return 1.0 / (1.0 + exp(-x)); }
fn ef_tanh(x: f32) -> f32 {
  let e = exp(-2.0 * abs(x));
  return sign(x) * (1.0 - e) / (1.0 + e);
}
fn ef_log1p(x: f32) -> f32 {
  let u = 1.0 + x;
  if (u == 1.0) { return x; }
  return log(u) * (x / (u - 1.0));
}
fn ef_expm1(x: f32) -> f32 {
  if (abs(x) < 1e-5) { return x + 0.5 * x * x; }
  let u = exp(x);
  if (u == 1.0) { return x; }
  let um1 = u - 1.0;
  if (um1 == -1.0) { return -1.0; }
  if (abs(x) > 0.5) { return um1; }
  return um1 * (x / log(u));
}
fn ef_pow(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  if (a == 0.0) { return select(0.0, bitcast<f32>(ef_inf_bits), b < 0.0); }
  let r = exp2(b * log2(abs(a)));
  if (a > 0.0) { return r; }
  if (b != floor(b)) { return bitcast<f32>(ef_nan_bits); }
  let odd = (abs(b) % 2.0) == 1.0;
  return select(r, -r, odd);
}
fn ef_floordiv_f(a: f32, b: f32) -> f32 { return floor(a / b); }
fn ef_fmod_f(a: f32, b: f32) -> f32 { return a - b * floor(a / b); }
fn ef_floordiv_i(a: i32, b: i32) -> i32 {
  if (b == 0) { return 0; }
  let q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) { return q - 1; }
  return q;
}
fn ef_fmod_i(a: i32, b: i32) -> i32 {
  if (b == 0) { return 0; }
  let r = a % b;
  if (r != 0 && ((r < 0) != (b < 0))) { return r + b; }
  return r;
}
`;

type Node =
  | { k: 'num'; text: string }
  | { k: 'id'; name: string }
  | { k: 'un'; op: string; x: Node }
  | { k: 'bin'; op: string; l: Node; r: Node }
  | { k: 'call'; fn: string; args: Node[] };

const BIN_PREC: Record<string, number> = {
  '||': 1, '&&': 2, '==': 3, '!=': 3, '<': 4, '<=': 4, '>': 4, '>=': 4, '+': 5, '-': 5, '*': 6, '/': 6, '%': 6,
};

function tokenize(src: string): string[] {
  const re = /\s*(\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+(?:[eE][+-]?\d+)?|[A-Za-z_]\w*|&&|\|\||==|!=|<=|>=|[-+*/%<>!(),])/y;
  const out: string[] = [];
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(src);
    if (!m) throw new Error(`webgpu: cannot parse scalar expression '${src}' at ${pos}`);
    out.push(m[1]!);
    pos = re.lastIndex;
  }
  return out;
}

export function parseScalar(src: string): Node {
  const toks = tokenize(src);
  let i = 0;
  const peek = () => toks[i];
  const next = () => toks[i++]!;
  const expect = (t: string) => {
    if (toks[i] !== t) throw new Error(`webgpu: expected '${t}' in '${src}'`);
    i++;
  };
  const primary = (): Node => {
    const t = next();
    if (t === undefined) throw new Error(`webgpu: unexpected end of '${src}'`);
    if (t === '(') {
      const e = expr(0);
      expect(')');
      return e;
    }
    if (t === '-' || t === '!' || t === '+') {
      const x = unaryOperand();
      return t === '+' ? x : { k: 'un', op: t, x };
    }
    if (/^[\d.]/.test(t)) return { k: 'num', text: t };
    if (peek() === '(') {
      i++;
      const args: Node[] = [];
      if (peek() !== ')') {
        for (;;) {
          args.push(expr(0));
          if (peek() === ',') i++;
          else break;
        }
      }
      expect(')');
      return { k: 'call', fn: t, args };
    }
    return { k: 'id', name: t };
  };
  const unaryOperand = (): Node => primary();
  const expr = (minPrec: number): Node => {
    let left = primary();
    for (;;) {
      const op = peek();
      const prec = op !== undefined ? BIN_PREC[op] : undefined;
      if (prec === undefined || prec < minPrec + 1) break;
      i++;
      const right = expr(prec);
      left = { k: 'bin', op: op!, l: left, r: right };
    }
    return left;
  };
  const e = expr(0);
  if (i !== toks.length) throw new Error(`webgpu: trailing tokens in '${src}'`);
  return e;
}

/** Value type of the operands: f32 or i32 (bool operands are WGSL bool). */
export type ScalarType = 'f32' | 'i32';

const F32_FUNCS: Record<string, string> = {
  exp: 'exp', log: 'log', sqrt: 'sqrt', rsqrt: 'inverseSqrt', abs: 'abs', floor: 'floor', ceil: 'ceil', round: 'round',
  sign: 'sign', sin: 'sin', cos: 'cos', tanh: 'ef_tanh', sigmoid: 'ef_sigmoid', pow: 'ef_pow', min: 'min', max: 'max',
  log1p: 'ef_log1p', expm1: 'ef_expm1', floordiv: 'ef_floordiv_f', fmod: 'ef_fmod_f',
};
const I32_FUNCS: Record<string, string> = { abs: 'abs', sign: 'sign', min: 'min', max: 'max', floordiv: 'ef_floordiv_i', fmod: 'ef_fmod_i' };

/** Emits WGSL for `src`; operands a, b, c and attrs must be declared by the caller. */
export function scalarToWgsl(src: string, type: ScalarType): string {
  const emit = (n: Node): string => {
    switch (n.k) {
      case 'num':
        return n.text;
      case 'id':
        return n.name;
      case 'un':
        return `(${n.op}${emit(n.x)})`;
      case 'bin':
        return `(${emit(n.l)} ${n.op} ${emit(n.r)})`;
      case 'call': {
        if (!(SCALAR_FUNCTIONS as readonly string[]).includes(n.fn)) throw new Error(`webgpu: unknown scalar function '${n.fn}'`);
        const args = n.args.map(emit);
        if (n.fn === 'select') return `select(${args[2]}, ${args[1]}, ${args[0]})`;
        const table = type === 'f32' ? F32_FUNCS : I32_FUNCS;
        const fn = table[n.fn];
        if (!fn) throw new Error(`webgpu: scalar function '${n.fn}' is not defined for ${type}`);
        return `${fn}(${args.join(', ')})`;
      }
    }
  };
  return emit(parseScalar(src));
}
