/**
 * Translates the shared scalar expression language (core/src/ops/scalar_expr.ts) to WGSL.
 * The expression is parsed (precedence climbing) and re-emitted, so calls whose argument order
 * differs in WGSL (select) and functions WGSL lacks (sigmoid, log1p, expm1, floordiv, fmod)
 * map onto the prelude below, with the same meaning as the JS prelude.
 */
import { SCALAR_FUNCTIONS } from '@eagerflow/core';

/**
 * ±inf and NaN as runtime values, and NaN-propagating max/min/exp: the part of the prelude that
 * kernels with their own loops (reductions, softmax rows, topK) include as well.
 */
export const WGSL_NAN_PRELUDE = /* wgsl */ `
// Private (not const) so that inf and NaN are runtime values: constant expressions reject them.
var<private> ef_inf_bits: u32 = 0x7f800000u;
var<private> ef_ninf_bits: u32 = 0xff800000u;
var<private> ef_nan_bits: u32 = 0x7fc00000u;
// NaN by its bits: compilers that assume finite math may drop x != x.
fn ef_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
// NaN in, NaN out, as on the CPU (TensorFlow's rule): WGSL leaves max/min of a NaN to the
// implementation (SwiftShader returns the other operand, so relu(NaN) was 0) and SwiftShader's
// exp(NaN) is +inf.
fn ef_max(a: f32, b: f32) -> f32 { return select(max(a, b), bitcast<f32>(ef_nan_bits), ef_isnan(a) || ef_isnan(b)); }
fn ef_min(a: f32, b: f32) -> f32 { return select(min(a, b), bitcast<f32>(ef_nan_bits), ef_isnan(a) || ef_isnan(b)); }
fn ef_exp(x: f32) -> f32 { return select(exp(x), x, ef_isnan(x)); }
`;

/** WGSL definitions matching JS_SCALAR_PRELUDE (f32 and i32 variants where both exist). */
export const WGSL_SCALAR_PRELUDE = /* wgsl */ `${WGSL_NAN_PRELUDE}
fn ef_sigmoid(x: f32) -> f32 { return 1.0 / (1.0 + ef_exp(-x)); }
// WGSL bounds the error of log near 1 only absolutely (2^-21) and of sin/cos only to 2^-11 inside
// [-pi, pi]; SwiftShader's log also ignores the sign and maps 0 to -88. The functions below keep
// float32 accuracy (on SwiftShader the builtins gave tanh(1e-8) 5.7x too large, log1p(-3e-8) 2.7x,
// expm1(-1.2e-5) 1% off, cos(0.17) 2e-4 off) and log's special values (0 -> -inf, x < 0 -> NaN).
// log1p(t) for |t| < 0.25: 2 atanh(s), s = t / (2 + t), an odd series (|s| < 1/7: s^10/11 < 4e-10).
fn ef_log1p_small(t: f32) -> f32 {
  let s = t / (2.0 + t);
  let s2 = s * s;
  return 2.0 * s * (1.0 + s2 * (0.3333333333 + s2 * (0.2 + s2 * (0.1428571429 + s2 * 0.1111111111))));
}
fn ef_log(x: f32) -> f32 {
  if (ef_isnan(x)) { return x; }
  if (x < 0.0) { return bitcast<f32>(ef_nan_bits); }
  if (x == 0.0) { return -bitcast<f32>(ef_inf_bits); }
  if (abs(x - 1.0) < 0.25) { return ef_log1p_small(x - 1.0); }
  return log(x);
}
fn ef_log1p(x: f32) -> f32 {
  if (abs(x) < 0.25) { return ef_log1p_small(x); }
  return ef_log(1.0 + x);
}
// expm1: Taylor below |x| = 0.5 (the first omitted term is < 1.1e-8 relative), exp(x) - 1 above.
fn ef_expm1(x: f32) -> f32 {
  if (ef_isnan(x)) { return x; }
  if (abs(x) < 0.5) {
    return x * (1.0 + x * (0.5 + x * (0.1666666667 + x * (0.04166666667 + x * (0.008333333333 + x * (0.001388888889 + x * (0.0001984126984 + x * 0.0000248015873)))))));
  }
  return exp(x) - 1.0;
}
// tanh|x| = -expm1(-2|x|) / (2 + expm1(-2|x|)): no cancellation near 0.
fn ef_tanh(x: f32) -> f32 {
  let e = ef_expm1(-2.0 * abs(x));
  return sign(x) * (-e / (2.0 + e));
}
// sin, cos: x = k pi/2 + r, |r| <= pi/4 (pi/2 in three parts, Cody-Waite: k times the first two is
// exact for |x| < 6,000), then Cephes' float32 polynomials by quadrant (error < 1e-7 absolute).
// Past |x| = 2^23 (float32 spacing >= 1) the reduction no longer holds: the builtin then.
fn ef_quadrant(x: f32) -> vec2<f32> {
  let k = round(x * 0.6366197723675814);
  return vec2<f32>(((x - k * 1.5703125) - k * 0.0004838705062866211) + k * 4.371138828673793e-8, k);
}
fn ef_sin_poly(r: f32) -> f32 {
  let z = r * r;
  return r + r * z * (-0.16666654611 + z * (0.0083321608736 - z * 0.00019515295891));
}
fn ef_cos_poly(r: f32) -> f32 {
  let z = r * r;
  return 1.0 - 0.5 * z + z * z * (0.04166664568298827 + z * (-0.001388731625493765 + z * 0.00002443315711809948));
}
fn ef_sin(x: f32) -> f32 {
  if (abs(x) > 8388608.0) { return sin(x); }
  let q = ef_quadrant(x);
  let k = i32(q.y) & 3;
  let v = select(ef_sin_poly(q.x), ef_cos_poly(q.x), (k & 1) == 1);
  return select(v, -v, k >= 2);
}
fn ef_cos(x: f32) -> f32 {
  if (abs(x) > 8388608.0) { return cos(x); }
  let q = ef_quadrant(x);
  let k = i32(q.y) & 3;
  let v = select(ef_cos_poly(q.x), ef_sin_poly(q.x), (k & 1) == 1);
  return select(v, -v, k == 1 || k == 2);
}
fn ef_pow(a: f32, b: f32) -> f32 {
  if (b == 0.0 || a == 1.0) { return 1.0; }
  if (ef_isnan(a) || ef_isnan(b)) { return bitcast<f32>(ef_nan_bits); }
  if (a == -1.0 && (bitcast<u32>(b) & 0x7fffffffu) == 0x7f800000u) { return 1.0; }
  if (a == 0.0) { return select(0.0, bitcast<f32>(ef_inf_bits), b < 0.0); }
  // a = ±inf by its bits (SwiftShader's exp2(b log2 inf) is NaN): +inf or 0, negated for -inf and odd b
  if ((bitcast<u32>(a) & 0x7fffffffu) == 0x7f800000u) {
    let m = select(0.0, bitcast<f32>(ef_inf_bits), b > 0.0);
    return select(m, -m, a < 0.0 && b == floor(b) && abs(b) % 2.0 == 1.0);
  }
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
  exp: 'ef_exp', log: 'ef_log', sqrt: 'sqrt', rsqrt: 'inverseSqrt', abs: 'abs', floor: 'floor', ceil: 'ceil', round: 'round',
  sign: 'sign', sin: 'ef_sin', cos: 'ef_cos', tanh: 'ef_tanh', sigmoid: 'ef_sigmoid', pow: 'ef_pow', min: 'ef_min', max: 'ef_max',
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
        // a != b as !(a == b): SwiftShader compiles != as an ordered comparison, false when a NaN is
        // involved (notEqual(NaN, x) came out false); the negated equality keeps IEEE's true.
        if (n.op === '!=') return `(!(${emit(n.l)} == ${emit(n.r)}))`;
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
