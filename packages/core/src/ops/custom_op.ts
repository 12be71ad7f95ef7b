/**
 * `ef.customOp` (TensorFlow's py_func / numpy_function): a JS function over host values wrapped
 * as an op. Inputs are read to the host, the function runs in JS, its outputs are written to the
 * current backend, and tapes record it like any op (with the gradient function you give).
 */
import type { Backend } from '../backend.js';
import { DTYPES, type DType, type DataValues } from '../dtype.js';
import { engine } from '../engine.js';
import { OpError, fmtShape } from '../errors.js';
import { assertValidShape, shapesEqual, sizeOf, type Shape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { convert, type TensorLike } from './convert.js';
import { dtypeOfArrayView, isArrayView, makeTensor } from './create_values.js';
import { observeOp, recordOp } from './dispatch.js';
import type { OpDef, VjpContext } from './op_def.js';

/** One tensor as a custom op's JS function sees it: a fresh host copy of its values. */
export interface HostValue {
  readonly values: DataValues;
  readonly shape: number[];
  readonly dtype: DType;
}

/**
 * What the JS function returns for one output: `{values, shape?, dtype?}`, a typed array, an
 * array of numbers, or a number. Without `shape`, an output with as many elements as input 0
 * takes input 0's shape, any other a 1-D shape. Without `dtype`, the typed array decides
 * (Float32/Float64Array → float32, integer arrays → int32), plain numbers give float32.
 */
export type CustomOutput =
  | { readonly values: DataValues | ArrayLike<number | boolean | bigint> | readonly string[]; readonly shape?: Shape; readonly dtype?: DType }
  | DataValues
  | ArrayLike<number>
  | number;

/** The forward function: host values in, one output or an array of outputs. */
export type CustomForwardFn = (...inputs: HostValue[]) => CustomOutput | CustomOutput[];

export interface CustomGradContext {
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  /** Upstream gradients, one per output. */
  readonly dys: readonly Tensor[];
}

/** Gradient written with public ops (so it can itself be differentiated): one entry per input. */
export type CustomGradFn = (ctx: CustomGradContext) => Tensor | null | (Tensor | null)[];

/** Gradient written as JS over host values: one entry per input (null: no gradient). */
export type CustomHostGradFn = (ctx: {
  readonly inputs: readonly HostValue[];
  readonly outputs: readonly HostValue[];
  readonly dys: readonly HostValue[];
}) => CustomOutput | null | (CustomOutput | null)[];

export interface CustomOpOptions {
  /** Op name used in errors and logs (default: the function's name). */
  name?: string;
  /** Gradient with public ops (works on every backend, differentiable again). */
  gradFn?: CustomGradFn;
  /** Gradient as a JS function over host values (host-readable backends only; not differentiable again). */
  hostGradFn?: CustomHostGradFn;
}

function readHost(t: Tensor, i: number, name: string, what: string): HostValue {
  engine.assertLive(t, name, `${what} ${i}`);
  if (!t.backend.readSync) {
    throw new OpError(
      name,
      `${what} ${i} (shape ${fmtShape(t.shape)}) is on '${t.backend.name}', which cannot be read synchronously; ` +
        `use ef.customOpAsync(...) (it awaits t.data()), or keep the inputs on the CPU (ef.setBackend('cpu') / ef.withDevice('cpu', ...))`,
    );
  }
  return { values: t.backend.readSync(t.storage, t), shape: [...t.shape], dtype: t.dtype };
}

function isOutputList(r: unknown): r is unknown[] {
  return Array.isArray(r) && r.some((e) => typeof e !== 'number' && typeof e !== 'boolean');
}

/** Turns one returned output into a tensor on `backend`, checking it. */
function toTensor(name: string, out: unknown, j: number, input0: { shape: Shape; size: number } | undefined, backend: Backend | undefined): Tensor {
  let values: unknown;
  let shape: Shape | undefined;
  let dtype: DType | undefined;
  if (typeof out === 'number') {
    values = [out];
    shape = [];
  } else if (isArrayView(out) || Array.isArray(out)) {
    values = out;
  } else if (out && typeof out === 'object' && 'values' in out) {
    ({ values, shape, dtype } = out as { values: unknown; shape?: Shape; dtype?: DType });
  } else {
    throw new OpError(name, `output ${j} must be {values, shape?, dtype?}, a typed array, an array of numbers or a number; found ${out === null ? 'null' : typeof out}`);
  }
  if (!isArrayView(values) && !Array.isArray(values)) {
    throw new OpError(name, `output ${j}: values must be a typed array or an array, found ${values === null ? 'null' : typeof values}`);
  }
  const n = (values as ArrayLike<unknown>).length;
  if (dtype === undefined) {
    const first = (values as ArrayLike<unknown>)[0];
    dtype = isArrayView(values) ? dtypeOfArrayView(values) : typeof first === 'string' ? 'string' : typeof first === 'boolean' ? 'bool' : 'float32';
  }
  if (!DTYPES.includes(dtype)) throw new OpError(name, `output ${j}: dtype must be one of ${DTYPES.join(', ')}, found ${String(dtype)}`);
  if (shape === undefined) shape = input0 && input0.size === n ? input0.shape : [n];
  assertValidShape(name, shape, `output ${j} shape`);
  if (sizeOf(shape) !== n) throw new OpError(name, `output ${j}: shape ${fmtShape(shape)} needs ${sizeOf(shape)} values, found ${n}`);
  // makeTensor copies typed arrays, so the function may reuse its buffers.
  return makeTensor(values as DataValues, shape, dtype, backend);
}

function toTensors(name: string, result: unknown, inputs: readonly { shape: Shape; size: number }[], backend?: Backend): { outputs: Tensor[]; single: boolean } {
  if (result instanceof Promise) throw new OpError(name, 'the forward function returned a Promise; use ef.customOpAsync for async functions');
  const single = !isOutputList(result);
  const list = single ? [result] : (result as unknown[]);
  const outputs: Tensor[] = [];
  try {
    list.forEach((o, j) => outputs.push(toTensor(name, o, j, inputs[0], backend)));
  } catch (e) {
    for (const t of outputs) t.dispose();
    throw e;
  }
  return { outputs, single };
}

function checkGrads(name: string, grads: (Tensor | null | undefined)[], inputs: readonly Tensor[]): (Tensor | null)[] {
  if (grads.length !== inputs.length) throw new OpError(name, `the gradient function returned ${grads.length} gradients for ${inputs.length} inputs`);
  return grads.map((g, i) => {
    if (g === null || g === undefined) return null;
    if (!(g instanceof Tensor)) throw new OpError(name, `gradient ${i} must be a Tensor or null, found ${typeof g}`);
    if (!shapesEqual(g.shape, inputs[i]!.shape)) {
      throw new OpError(name, `gradient ${i} has shape ${fmtShape(g.shape)}, expected input ${i}'s shape ${fmtShape(inputs[i]!.shape)}`);
    }
    return g;
  });
}

function makeDef(name: string, options: CustomOpOptions): OpDef<Record<string, never>> {
  const { gradFn, hostGradFn } = options;
  if (gradFn && hostGradFn) throw new OpError(name, 'give gradFn or hostGradFn, not both');
  if (gradFn !== undefined && typeof gradFn !== 'function') throw new OpError(name, `gradFn must be a function, found ${typeof gradFn}`);
  if (hostGradFn !== undefined && typeof hostGradFn !== 'function') throw new OpError(name, `hostGradFn must be a function, found ${typeof hostGradFn}`);
  let vjp: OpDef<Record<string, never>>['vjp'];
  if (gradFn) {
    vjp = ({ inputs, outputs, dys }: VjpContext<Record<string, never>>) => {
      const r = gradFn({ inputs, outputs, dys });
      return checkGrads(name, Array.isArray(r) ? r : [r], inputs);
    };
  } else if (hostGradFn) {
    vjp = ({ inputs, outputs, dys }: VjpContext<Record<string, never>>) => {
      const r = hostGradFn({
        inputs: inputs.map((t, i) => readHost(t, i, `${name} gradient`, 'input')),
        outputs: outputs.map((t, i) => readHost(t, i, `${name} gradient`, 'output')),
        dys: dys.map((t, i) => readHost(t, i, `${name} gradient`, 'upstream gradient')),
      });
      const list: unknown[] = isOutputList(r) ? r : [r];
      if (list.length !== inputs.length) throw new OpError(`${name} gradient`, `hostGradFn must return one gradient per input (an array of ${inputs.length}), found ${list.length}`);
      const made = list.map((g, i) =>
        g === null || g === undefined ? null : toTensor(`${name} gradient`, g, i, inputs[i], undefined),
      );
      return checkGrads(name, made, inputs);
    };
  }
  return {
    id: name,
    infer() {
      throw new OpError(name, 'a custom op learns its output shapes by running its function');
    },
    vjp,
  };
}

/**
 * Wraps a JS function over host values as an op (TensorFlow's py_func):
 *
 *   const cube = ef.customOp((x) => ({ values: x.values.map((v) => v ** 3), shape: x.shape }),
 *                            { name: 'cube', gradFn: ({ inputs: [x], dys: [dy] }) => [ef.mul(dy, ef.mul(3, ef.square(x!)))] });
 *   const y = cube(ef.tensor([1, 2, 3]));
 *
 * Inputs are read synchronously, so they must be host-readable (the CPU backend); outputs go to
 * the current backend. For inputs on a GPU use `customOpAsync`. Without a gradient function the op
 * stops gradients (its inputs get null / zeros). Multiple outputs: return an array of outputs and
 * type the op as `ef.customOp<Tensor[]>(...)`.
 */
export function customOp<R extends Tensor | Tensor[] = Tensor>(forward: CustomForwardFn, options: CustomOpOptions = {}): (...inputs: TensorLike[]) => R {
  if (typeof forward !== 'function') throw new OpError('customOp', `forward must be a function, found ${typeof forward}`);
  const name = options.name ?? (forward.name || 'customOp');
  const def = makeDef(name, options);
  const op = (...xs: TensorLike[]): R => {
    const created: Tensor[] = [];
    try {
      const inputs = xs.map((x, i) => {
        const t = convert(x, `input ${i}`, name);
        if (t !== x) created.push(t);
        return t;
      });
      const hosts = inputs.map((t, i) => readHost(t, i, name, 'input'));
      const { outputs, single } = toTensors(name, forward(...hosts), inputs);
      recordOp(def, inputs, outputs, {});
      observeOp(def, inputs, outputs);
      return (single ? outputs[0]! : outputs) as R;
    } finally {
      for (const t of created) t.dispose();
    }
  };
  return op;
}

/**
 * Like customOp, for inputs on any backend: awaits `t.data()` for each input, awaits the
 * function (it may be async) and writes the outputs to the backend that was current at the
 * call. Tapes active at the call record it, so `await tape.record(() => op(x))` works;
 * valueAndGrads/grad need synchronous functions and cannot use it. Its outputs are not tracked
 * by tidy(): dispose them yourself.
 */
export function customOpAsync<R extends Tensor | Tensor[] = Tensor>(
  forward: (...inputs: HostValue[]) => CustomOutput | CustomOutput[] | Promise<CustomOutput | CustomOutput[]>,
  options: CustomOpOptions = {},
): (...inputs: TensorLike[]) => Promise<R> {
  if (typeof forward !== 'function') throw new OpError('customOpAsync', `forward must be a function, found ${typeof forward}`);
  const name = options.name ?? (forward.name || 'customOp');
  const def = makeDef(name, options);
  return (...xs: TensorLike[]): Promise<R> => {
    // The synchronous part: convert inputs, note the tapes and the backend of this call.
    const created: Tensor[] = [];
    let inputs: Tensor[];
    let backend: Backend;
    try {
      inputs = xs.map((x, i) => {
        const t = convert(x, `input ${i}`, name);
        if (t !== x) created.push(t);
        return t;
      });
      backend = engine.backend();
    } catch (e) {
      for (const t of created) t.dispose();
      return Promise.reject(e);
    }
    const recorders = engine.noGradDepth === 0 ? [...engine.recorders] : [];
    // Keep inputs alive while the tapes might still record them.
    return (async () => {
      try {
        const hosts: HostValue[] = await Promise.all(inputs.map(async (t) => ({ values: await t.data(), shape: [...t.shape], dtype: t.dtype })));
        const result = await forward(...hosts);
        const { outputs, single } = toTensors(name, result, inputs, backend);
        if (def.vjp && recorders.length) {
          for (const rec of recorders) if (inputs.some((t) => rec.watches(t))) rec.recordOp({ def, inputs: [...inputs], outputs: [...outputs], attrs: {} });
        }
        observeOp(def, inputs, outputs);
        return (single ? outputs[0]! : outputs) as R;
      } finally {
        for (const t of created) t.dispose();
      }
    })();
  };
}
