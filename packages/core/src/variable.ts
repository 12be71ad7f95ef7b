import type { Backend } from './backend.js';
import type { DType } from './dtype.js';
import { engine } from './engine.js';
import { OpError, fmtShape } from './errors.js';
import { shapesEqual, type Shape } from './shape.js';
import { Tensor } from './tensor.js';

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

/** A mutable tensor (TensorFlow's Variable): its identity stays while `assign` swaps its value. */
export class Variable extends Tensor {
  readonly name: string;
  readonly trainable: boolean;

  /** @internal use ef.variable() */
  constructor(shape: Shape, dtype: DType, storage: unknown, backend: Backend, name: string, trainable: boolean) {
    super(shape, dtype, storage, backend);
    this.name = name;
    this.trainable = trainable;
  }

  /** Replaces the value; shape and dtype must match. The value's storage is shared, not copied. */
  assign(value: Tensor): this {
    if (!shapesEqual(value.shape, this.shape)) {
      throw new OpError('assign', `variable '${this.name}' has shape ${fmtShape(this.shape)}, value has shape ${fmtShape(value.shape)}`);
    }
    if (value.dtype !== this.dtype) throw new OpError('assign', `variable '${this.name}' has dtype ${this.dtype}, value has dtype ${value.dtype}`);
    engine.assertLive(value, 'assign');
    engine.repoint(this, value.storage, value.backend);
    return this;
  }

  override dispose(): void {
    if (registry.get(this.name) === this) registry.delete(this.name);
    super.dispose();
  }
}

/** `ef.variable(init, {name, trainable, dtype})`. Names are made unique as TensorFlow does ("v", "v_1"). */
export function variable(init: Tensor, options: VariableOptions = {}): Variable {
  engine.assertLive(init, 'variable');
  if (options.dtype && options.dtype !== init.dtype) {
    throw new OpError('variable', `initial value has dtype ${init.dtype} but dtype ${options.dtype} was requested; cast it first`);
  }
  const name = uniqueName(options.name ?? 'Variable');
  const v = new Variable(init.shape, init.dtype, init.storage, init.backend, name, options.trainable ?? true);
  engine.adopt(v);
  registry.set(name, v);
  return v;
}

/** Every live variable, in creation order (TensorFlow's GLOBAL_VARIABLES). */
export function globalVariables(): Variable[] {
  return [...registry.values()];
}

export function trainableVariables(): Variable[] {
  return globalVariables().filter((v) => v.trainable);
}

export function findVariable(name: string): Variable | undefined {
  return registry.get(name);
}
