/**
 * Every elementwise op as one table row: scalar expression (generates the CPU loop and the WGSL
 * kernel), dtype rule and vjp written with public ops. No backend has a kernel file for these.
 */
import type { DType } from '../../dtype.js';
import { OpError } from '../../errors.js';
import { broadcastShapes, shapesEqual } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import * as E from '../api/elementwise.js';
import { cast } from '../api/cast.js';
import { onesLike, zerosLike } from '../api/creation.js';
import type { DtypeClass, ElementwiseSpec, HostTensor, OpDef, OpSample, TensorInfo, VjpContext } from '../op_def.js';
import { broadcastMap } from '../reference_util.js';
import { compileScalar } from '../scalar_expr.js';

type Attrs = Record<string, number>;

export interface Row {
  arity: 1 | 2 | 3;
  expr: string;
  intExpr?: string;
  inputs: DtypeClass;
  output?: 'same' | 'bool';
  firstInputBool?: boolean;
  scalarAttrs?: readonly string[];
  /** Gradients of the inputs from (inputs, output, dy, attrs). */
  grad?: (x: readonly Tensor[], y: Tensor, dy: Tensor, attrs: Attrs) => (Tensor | null)[];
  /** Value range for conformance samples (keeps away from poles and kinks). */
  range?: [number, number];
  sampleAttrs?: Attrs;
  tolerance?: { forward?: number; grad?: number };
}

function dtypeAllowed(cls: DtypeClass, dtype: DType): boolean {
  switch (cls) {
    case 'float':
      return dtype === 'float32';
    case 'numeric':
      return dtype === 'float32' || dtype === 'int32';
    case 'bool':
      return dtype === 'bool';
    case 'any':
      return dtype === 'float32' || dtype === 'int32' || dtype === 'bool';
  }
}

const CLASS_TEXT: Record<DtypeClass, string> = {
  float: 'float32',
  numeric: 'float32 or int32',
  bool: 'bool',
  any: 'float32, int32 or bool',
};

function samplesFor(row: Row): OpSample<Attrs>[] {
  const attrs = row.sampleAttrs ?? {};
  const dtype: DType = row.inputs === 'bool' ? 'bool' : 'float32';
  const range = row.range ?? [-2, 2];
  const noGrad = !row.grad || dtype !== 'float32';
  const inp = (shape: number[]) => ({ shape, dtype, range });
  const cond = (shape: number[]) => ({ shape, dtype: 'bool' as DType });
  const samples: OpSample<Attrs>[] = [];
  if (row.arity === 1) {
    samples.push({ inputs: [inp([2, 3])], attrs, noGrad }, { inputs: [inp([])], attrs, noGrad }, { inputs: [inp([3, 1, 4])], attrs, noGrad });
    if (row.inputs === 'numeric' || row.inputs === 'any') samples.push({ name: 'int32', inputs: [{ shape: [5], dtype: 'int32', range: [-5, 5] }], attrs, noGrad: true });
  } else if (row.arity === 2) {
    samples.push(
      { inputs: [inp([2, 3]), inp([2, 3])], attrs, noGrad },
      { name: 'broadcast row', inputs: [inp([2, 3]), inp([3])], attrs, noGrad },
      { name: 'broadcast both', inputs: [inp([4, 1]), inp([1, 3])], attrs, noGrad },
      { name: 'scalar', inputs: [inp([]), inp([2, 2])], attrs, noGrad },
    );
    if (row.inputs === 'numeric' || row.inputs === 'any') {
      samples.push({ name: 'int32', inputs: [{ shape: [6], dtype: 'int32', range: [-6, 6] }, { shape: [6], dtype: 'int32', range: [1, 4] }], attrs, noGrad: true });
    }
  } else if (row.firstInputBool) {
    samples.push(
      { inputs: [cond([2, 3]), inp([2, 3]), inp([2, 3])], attrs, noGrad },
      { name: 'broadcast', inputs: [cond([2, 1]), inp([3]), inp([2, 3])], attrs, noGrad },
    );
  } else {
    samples.push(
      { inputs: [inp([2, 3]), inp([2, 3]), inp([2, 3])], attrs, noGrad },
      { name: 'broadcast', inputs: [inp([2, 3]), inp([]), inp([3])], attrs, noGrad },
    );
  }
  return samples;
}

export function defineElementwise(id: string, row: Row): OpDef<Attrs> {
  const spec: ElementwiseSpec = {
    arity: row.arity,
    expr: row.expr,
    intExpr: row.intExpr,
    scalarAttrs: row.scalarAttrs,
    inputs: row.inputs,
    firstInputBool: row.firstInputBool,
    output: row.output ?? 'same',
  };
  const attrNames = row.scalarAttrs ?? [];
  return {
    id,
    elementwise: spec,
    tolerance: row.tolerance,
    infer(inputs: readonly TensorInfo[], attrs: Attrs): TensorInfo[] {
      if (inputs.length !== row.arity) throw new OpError(id, `expected ${row.arity} inputs, found ${inputs.length}`);
      for (const n of attrNames) {
        if (typeof attrs[n] !== 'number' || Number.isNaN(attrs[n])) throw new OpError(id, `attribute '${n}' must be a number, found ${String(attrs[n])}`);
      }
      const values = row.firstInputBool ? inputs.slice(1) : inputs;
      if (row.firstInputBool && inputs[0]!.dtype !== 'bool') throw new OpError(id, `condition must be bool, found ${inputs[0]!.dtype}`);
      const cls = row.firstInputBool ? 'any' : row.inputs;
      for (let i = 0; i < values.length; i++) {
        const t = values[i]!;
        if (!dtypeAllowed(cls, t.dtype)) throw new OpError(id, `input ${i} must be ${CLASS_TEXT[cls]}, found ${t.dtype}`);
        if (t.dtype !== values[0]!.dtype) throw new OpError(id, `inputs have different dtypes ${values[0]!.dtype} and ${t.dtype}; cast one first`);
      }
      // Equal shapes (most eager ops): the output takes the first input's shape; a tensor's shape
      // is frozen, so it is shared rather than copied (see Tensor's constructor).
      const s0 = inputs[0]!.shape;
      let same = true;
      for (let i = 1; i < inputs.length; i++) if (!shapesEqual(inputs[i]!.shape, s0)) same = false;
      const shape = same && Object.isFrozen(s0) ? s0 : broadcastShapes(id, ...inputs.map((t) => t.shape));
      return [{ shape, dtype: spec.output === 'bool' ? 'bool' : values[0]!.dtype }];
    },
    reference(inputs: readonly HostTensor[], attrs: Attrs): HostTensor[] {
      const [out] = this.infer(inputs, attrs);
      const isInt = (row.firstInputBool ? inputs[1]! : inputs[0]!).dtype === 'int32';
      const f = compileScalar(isInt && row.intExpr ? row.intExpr : row.expr, attrNames)(attrs);
      const values = broadcastMap(inputs, out!.shape, (a = 0, b = 0, c = 0) => f(a, b, c));
      if (out!.dtype === 'int32') for (let i = 0; i < values.length; i++) values[i] = values[i]! | 0;
      return [{ ...out!, values }];
    },
    vjp: row.grad
      ? (ctx: VjpContext<Attrs>) => row.grad!(ctx.inputs, ctx.outputs[0]!, ctx.dys[0]!, ctx.attrs)
      : undefined,
    samples: samplesFor(row),
  };
}

const f32 = (x: Tensor) => cast(x, 'float32');

export const ELEMENTWISE = {
  // ---- unary ----
  neg: defineElementwise('neg', { arity: 1, expr: '-a', inputs: 'numeric', grad: (_x, _y, dy) => [E.neg(dy)] }),
  abs: defineElementwise('abs', { arity: 1, expr: 'abs(a)', inputs: 'numeric', grad: ([x], _y, dy) => [E.mul(dy, E.sign(x!))] }),
  exp: defineElementwise('exp', { arity: 1, expr: 'exp(a)', inputs: 'float', grad: (_x, y, dy) => [E.mul(dy, y)] }),
  log: defineElementwise('log', { arity: 1, expr: 'log(a)', inputs: 'float', range: [0.2, 3], grad: ([x], _y, dy) => [E.div(dy, x!)] }),
  log1p: defineElementwise('log1p', { arity: 1, expr: 'log1p(a)', inputs: 'float', range: [-0.5, 3], grad: ([x], _y, dy) => [E.div(dy, E.add(x!, 1))] }),
  expm1: defineElementwise('expm1', { arity: 1, expr: 'expm1(a)', inputs: 'float', grad: ([x], _y, dy) => [E.mul(dy, E.exp(x!))] }),
  sqrt: defineElementwise('sqrt', { arity: 1, expr: 'sqrt(a)', inputs: 'float', range: [0.2, 3], grad: (_x, y, dy) => [E.div(dy, E.mul(y, 2))] }),
  rsqrt: defineElementwise('rsqrt', { arity: 1, expr: 'rsqrt(a)', inputs: 'float', range: [0.3, 3], grad: (_x, y, dy) => [E.mul(dy, E.mul(E.mul(y, E.square(y)), -0.5))] }),
  square: defineElementwise('square', { arity: 1, expr: 'a * a', inputs: 'numeric', grad: ([x], _y, dy) => [E.mul(dy, E.mul(x!, 2))] }),
  reciprocal: defineElementwise('reciprocal', { arity: 1, expr: '1.0 / a', inputs: 'float', range: [0.3, 3], grad: (_x, y, dy) => [E.neg(E.mul(dy, E.square(y)))] }),
  sigmoid: defineElementwise('sigmoid', { arity: 1, expr: 'sigmoid(a)', inputs: 'float', grad: (_x, y, dy) => [E.mul(dy, E.mul(y, E.sub(1, y)))] }),
  tanh: defineElementwise('tanh', { arity: 1, expr: 'tanh(a)', inputs: 'float', grad: (_x, y, dy) => [E.mul(dy, E.sub(1, E.square(y)))] }),
  relu: defineElementwise('relu', { arity: 1, expr: 'max(a, 0.0)', intExpr: 'max(a, 0)', inputs: 'numeric', grad: ([x], _y, dy) => [E.reluGrad(dy, x!)] }),
  /** TensorFlow's ReluGrad: dy where x > 0, one fused pass instead of greater+cast+mul. */
  reluGrad: defineElementwise('reluGrad', { arity: 2, expr: 'select(b > 0.0, a, 0.0)', inputs: 'float', grad: ([, x], _y, ddy) => [E.reluGrad(ddy, x!), null] }),
  relu6: defineElementwise('relu6', {
    arity: 1, expr: 'min(max(a, 0.0), 6.0)', intExpr: 'min(max(a, 0), 6)', inputs: 'numeric', range: [-3, 9],
    grad: ([x], _y, dy) => [E.mul(dy, f32(E.logicalAnd(E.greater(x!, 0), E.less(x!, 6))))],
  }),
  elu: defineElementwise('elu', { arity: 1, expr: 'select(a > 0.0, a, expm1(a))', inputs: 'float', grad: ([x], y, dy) => [E.mul(dy, E.where(E.greater(x!, 0), onesLike(y), E.add(y, 1)))] }),
  selu: defineElementwise('selu', {
    arity: 1, expr: 'select(a > 0.0, 1.0507009873554805 * a, 1.7580993408473766 * expm1(a))', inputs: 'float',
    grad: ([x], y, dy) => [E.mul(dy, E.where(E.greater(x!, 0), E.mul(onesLike(y), 1.0507009873554805), E.add(y, 1.7580993408473766)))],
  }),
  leakyRelu: defineElementwise('leakyRelu', {
    arity: 1, expr: 'select(a > 0.0, a, alpha * a)', inputs: 'float', scalarAttrs: ['alpha'], sampleAttrs: { alpha: 0.2 },
    grad: ([x], _y, dy, { alpha }) => [E.mul(dy, E.where(E.greater(x!, 0), onesLike(x!), E.mul(onesLike(x!), alpha!)))],
  }),
  softplus: defineElementwise('softplus', { arity: 1, expr: 'select(a > 20.0, a, log1p(exp(a)))', inputs: 'float', grad: ([x], _y, dy) => [E.mul(dy, E.sigmoid(x!))] }),
  sin: defineElementwise('sin', { arity: 1, expr: 'sin(a)', inputs: 'float', grad: ([x], _y, dy) => [E.mul(dy, E.cos(x!))] }),
  cos: defineElementwise('cos', { arity: 1, expr: 'cos(a)', inputs: 'float', grad: ([x], _y, dy) => [E.neg(E.mul(dy, E.sin(x!)))] }),
  floor: defineElementwise('floor', { arity: 1, expr: 'floor(a)', inputs: 'float' }),
  ceil: defineElementwise('ceil', { arity: 1, expr: 'ceil(a)', inputs: 'float' }),
  round: defineElementwise('round', { arity: 1, expr: 'round(a)', inputs: 'float' }),
  sign: defineElementwise('sign', { arity: 1, expr: 'sign(a)', inputs: 'numeric' }),
  logicalNot: defineElementwise('logicalNot', { arity: 1, expr: '!a', inputs: 'bool' }),
  clipByValue: defineElementwise('clipByValue', {
    arity: 1, expr: 'min(max(a, clipMin), clipMax)', inputs: 'numeric', scalarAttrs: ['clipMin', 'clipMax'], sampleAttrs: { clipMin: -1, clipMax: 1 },
    grad: ([x], _y, dy, { clipMin, clipMax }) => [E.mul(dy, f32(E.logicalAnd(E.greaterEqual(x!, clipMin!), E.lessEqual(x!, clipMax!))))],
  }),
  // ---- binary ----
  add: defineElementwise('add', { arity: 2, expr: 'a + b', inputs: 'numeric', grad: (_x, _y, dy) => [dy, dy] }),
  sub: defineElementwise('sub', { arity: 2, expr: 'a - b', inputs: 'numeric', grad: (_x, _y, dy) => [dy, E.neg(dy)] }),
  mul: defineElementwise('mul', { arity: 2, expr: 'a * b', inputs: 'numeric', grad: ([a, b], _y, dy) => [E.mul(dy, b!), E.mul(dy, a!)] }),
  div: defineElementwise('div', {
    arity: 2, expr: 'a / b', intExpr: 'floordiv(a, b)', inputs: 'numeric', range: [0.5, 2],
    grad: ([a, b], _y, dy) => [E.div(dy, b!), E.neg(E.div(E.mul(dy, a!), E.square(b!)))],
  }),
  floorDiv: defineElementwise('floorDiv', { arity: 2, expr: 'floor(a / b)', intExpr: 'floordiv(a, b)', inputs: 'numeric', range: [0.5, 4] }),
  mod: defineElementwise('mod', { arity: 2, expr: 'fmod(a, b)', intExpr: 'fmod(a, b)', inputs: 'numeric', range: [0.5, 4] }),
  pow: defineElementwise('pow', {
    arity: 2, expr: 'pow(a, b)', inputs: 'float', range: [0.5, 2],
    grad: ([a, b], y, dy) => [
      E.mul(dy, E.mul(b!, E.pow(a!, E.sub(b!, 1)))),
      E.mul(dy, E.where(E.greater(a!, 0), E.mul(y, E.log(E.maximum(a!, 1e-30))), zerosLike(y))),
    ],
  }),
  minimum: defineElementwise('minimum', {
    arity: 2, expr: 'min(a, b)', inputs: 'numeric',
    grad: ([a, b], _y, dy) => {
      const m = f32(E.lessEqual(a!, b!));
      return [E.mul(dy, m), E.mul(dy, E.sub(1, m))];
    },
  }),
  maximum: defineElementwise('maximum', {
    arity: 2, expr: 'max(a, b)', inputs: 'numeric',
    grad: ([a, b], _y, dy) => {
      const m = f32(E.greaterEqual(a!, b!));
      return [E.mul(dy, m), E.mul(dy, E.sub(1, m))];
    },
  }),
  squaredDifference: defineElementwise('squaredDifference', {
    arity: 2, expr: '(a - b) * (a - b)', inputs: 'numeric',
    grad: ([a, b], _y, dy) => {
      const g = E.mul(dy, E.mul(E.sub(a!, b!), 2));
      return [g, E.neg(g)];
    },
  }),
  greater: defineElementwise('greater', { arity: 2, expr: 'a > b', inputs: 'numeric', output: 'bool' }),
  greaterEqual: defineElementwise('greaterEqual', { arity: 2, expr: 'a >= b', inputs: 'numeric', output: 'bool' }),
  less: defineElementwise('less', { arity: 2, expr: 'a < b', inputs: 'numeric', output: 'bool' }),
  lessEqual: defineElementwise('lessEqual', { arity: 2, expr: 'a <= b', inputs: 'numeric', output: 'bool' }),
  equal: defineElementwise('equal', { arity: 2, expr: 'a == b', inputs: 'any', output: 'bool' }),
  notEqual: defineElementwise('notEqual', { arity: 2, expr: 'a != b', inputs: 'any', output: 'bool' }),
  logicalAnd: defineElementwise('logicalAnd', { arity: 2, expr: 'a && b', inputs: 'bool', output: 'bool' }),
  logicalOr: defineElementwise('logicalOr', { arity: 2, expr: 'a || b', inputs: 'bool', output: 'bool' }),
  // ---- fused updates (optimizers: one dispatch instead of two; each eager GPU op costs µs) ----
  axpby: defineElementwise('axpby', {
    arity: 2, expr: 'alpha * a + beta * b', inputs: 'float', scalarAttrs: ['alpha', 'beta'], sampleAttrs: { alpha: 0.9, beta: 0.1 },
    grad: (_x, _y, dy, { alpha, beta }) => [E.mul(dy, alpha!), E.mul(dy, beta!)],
  }),
  // ---- ternary ----
  subMul: defineElementwise('subMul', {
    arity: 3, expr: 'a - b * c', inputs: 'float',
    grad: ([, b, c], _y, dy) => [dy, E.neg(E.mul(dy, c!)), E.neg(E.mul(dy, b!))],
  }),
  where: defineElementwise('where', {
    arity: 3, expr: 'select(a, b, c)', inputs: 'any', firstInputBool: true,
    grad: ([cond], _y, dy) => [null, E.where(cond!, dy, zerosLike(dy)), E.where(cond!, zerosLike(dy), dy)],
  }),
} satisfies Record<string, OpDef<Attrs>>;

export type ElementwiseId = keyof typeof ELEMENTWISE;
