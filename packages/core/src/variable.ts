import type { Backend } from './backend.js';
import type { DType } from './dtype.js';
import { engine } from './engine.js';
import { OpError, fmtShape } from './errors.js';
import { broadcastShapes, shapesEqual, type Shape } from './shape.js';
import { Tensor } from './tensor.js';
import { convert, type TensorLike } from './ops/convert.js';
import { tensor } from './ops/create_values.js';
import { add, sub } from './ops/api/elementwise.js';

export interface VariableOptions {
  name?: string;
  trainable?: boolean;
  dtype?: DType;
}

const registry = new Map<string, Variable>();

function uniqueName(base: string): string {
  if (!registry.has(base)) return base;
  for (let i = 1; ; i++) if (!registry.has(`${base}_${i}`)) return `${base}_${i}`;
}

/**
 * A mutable tensor (TensorFlow's Variable): its identity stays while `assign` swaps its value.
 * Ops read its current value; trainable variables are watched by tapes automatically.
 */
export class Variable extends Tensor {
  readonly name: string;
  readonly trainable: boolean;

  /** @internal use ef.variable() */
  constructor(shape: Shape, dtype: DType, storage: unknown, backend: Backend, name: string, trainable: boolean) {
    super(shape, dtype, storage, backend);
    this.name = name;
    this.trainable = trainable;
  }

  /**
   * Replaces the value; shape and dtype must match. A tensor's storage is shared, not copied
   * (tensors are immutable, so this is safe). Tapes that recorded ops on the old value keep it.
   */
  assign(value: TensorLike): this {
    return this.assignAs('assign', value);
  }

  /** `v ← v + delta` (delta broadcasts to v's shape); not differentiated. */
  assignAdd(delta: TensorLike): this {
    return this.update('assignAdd', delta, add);
  }

  /** `v ← v - delta` (delta broadcasts to v's shape); not differentiated. */
  assignSub(delta: TensorLike): this {
    return this.update('assignSub', delta, sub);
  }

  private assignAs(op: string, value: TensorLike): this {
    engine.assertLive(this, op, `variable '${this.name}'`);
    const created = !(value instanceof Tensor);
    const t = convert(value, 'value', op, this.dtype);
    try {
      if (!shapesEqual(t.shape, this.shape)) {
        throw new OpError(op, `variable '${this.name}' has shape ${fmtShape(this.shape)}, value has shape ${fmtShape(t.shape)}`);
      }
      if (t.dtype !== this.dtype) throw new OpError(op, `variable '${this.name}' has dtype ${this.dtype}, value has dtype ${t.dtype}; cast it first`);
      if (t !== this) {
        if (this.tapeHolds > 0) for (const tape of engine.liveTapes) tape.snapshotVariable(this);
        engine.repoint(this, t.storage, t.backend);
      }
    } finally {
      if (created) t.dispose();
    }
    return this;
  }

  private update(op: string, delta: TensorLike, fn: (a: Tensor, b: Tensor) => Tensor): this {
    engine.assertLive(this, op, `variable '${this.name}'`);
    const created = !(delta instanceof Tensor);
    const d = convert(delta, 'delta', op, this.dtype);
    let result: Tensor | undefined;
    engine.noGradDepth++;
    try {
      if (d.dtype !== this.dtype) throw new OpError(op, `variable '${this.name}' has dtype ${this.dtype}, delta has dtype ${d.dtype}; cast it first`);
      const shape = broadcastShapes(op, this.shape, d.shape);
      if (!shapesEqual(shape, this.shape)) {
        throw new OpError(op, `delta shape ${fmtShape(d.shape)} does not broadcast to variable '${this.name}' shape ${fmtShape(this.shape)}`);
      }
      result = fn(this, d);
      this.assignAs(op, result);
    } finally {
      engine.noGradDepth--;
      result?.dispose();
      if (created) d.dispose();
    }
    return this;
  }

  /** The current value as a plain tensor (shares storage; later assigns do not change it). */
  readValue(): Tensor {
    engine.assertLive(this, 'readValue', `variable '${this.name}'`);
    return engine.makeTensor(this.shape, this.dtype, this.storage, this.backend);
  }

  override dispose(): void {
    if (registry.get(this.name) === this) registry.delete(this.name);
    super.dispose();
  }
}

/**
 * `ef.variable(init, {name, trainable, dtype})`: `init` is a tensor or anything `ef.tensor` takes.
 * Names are made unique as TensorFlow does ("v", "v_1"). Variables are not disposed by tidy().
 */
export function variable(init: Tensor | TensorLike | unknown, options: VariableOptions = {}): Variable {
  if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) {
    throw new OpError('variable', `name must be a non-empty string, found ${JSON.stringify(options.name)}`);
  }
  if (init === undefined || init === null) throw new OpError('variable', `init must be a Tensor or values ef.tensor takes, found ${String(init)}`);
  const created = !(init instanceof Tensor);
  const t = created ? tensor(init, undefined, options.dtype) : (init as Tensor);
  try {
    engine.assertLive(t, 'variable', 'init');
    if (options.dtype && options.dtype !== t.dtype) {
      throw new OpError('variable', `initial value has dtype ${t.dtype} but dtype ${options.dtype} was requested; cast it first`);
    }
    const name = uniqueName(options.name ?? 'Variable');
    const v = new Variable(t.shape, t.dtype, t.storage, t.backend, name, options.trainable ?? true);
    engine.adopt(v);
    registry.set(name, v);
    return v;
  } finally {
    if (created) t.dispose();
  }
}

/** Every live variable, in creation order (TensorFlow's GLOBAL_VARIABLES). */
export function globalVariables(): Variable[] {
  return [...registry.values()];
}

/** Live variables created with trainable: true (the default). */
export function trainableVariables(): Variable[] {
  return globalVariables().filter((v) => v.trainable);
}

export function findVariable(name: string): Variable | undefined {
  return registry.get(name);
}
