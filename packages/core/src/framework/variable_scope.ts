/**
 * tf.variable_scope / tf.get_variable, eagerly. Names are scoped ("foo/bar/v"); creating an
 * existing name without reuse, or reusing a missing one, throws; a scope can set the default
 * initializer, regularizer and trainable flag of the variables made inside it.
 */
import type { DType } from '../dtype.js';
import { engine } from '../engine.js';
import { OpError, describeValue, fmtShape } from '../errors.js';
import { assertValidShape, shapesEqual, type Shape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { tensor } from '../ops/create_values.js';
import { findVariable, variable, type Variable } from '../variable.js';
import { glorotUniform, zeros, type Initializer } from '../initializers/initializers.js';
import type { Regularizer } from '../regularizers/regularizers.js';
import { GraphKeys, addToCollection } from './collections.js';

/** true: the variables must exist; false: they must not; 'auto': get or create (tf.AUTO_REUSE). */
export type Reuse = boolean | 'auto';

export interface VariableScopeOptions {
  reuse?: Reuse;
  initializer?: Initializer;
  regularizer?: Regularizer;
  trainable?: boolean;
  dtype?: DType;
}

export interface VariableScope {
  readonly name: string;
  readonly reuse: Reuse;
  readonly initializer?: Initializer;
  readonly regularizer?: Regularizer;
  readonly trainable?: boolean;
  readonly dtype?: DType;
  /** @internal default layer names used in this entry of the scope ('dense', 'dense_1', …) */
  readonly nameCounts: Map<string, number>;
}

export interface GetVariableOptions {
  shape?: Shape;
  dtype?: DType;
  /** An initializer, or a tensor / JS array for the initial value (then shape comes from it). */
  initializer?: Initializer | Tensor | number | number[];
  trainable?: boolean;
  regularizer?: Regularizer | null;
  /** Extra collections to add the variable to (besides GLOBAL/TRAINABLE_VARIABLES). */
  collections?: string[];
}

const ROOT: VariableScope = { name: '', reuse: false, nameCounts: new Map() };
const stack: VariableScope[] = [ROOT];
/** Variables made by getVariable, by full name. */
const store = new Map<string, Variable>();

export function getVariableScope(): VariableScope {
  return stack[stack.length - 1]!;
}

/** Full name of `name` in the current scope. */
export function scopedName(name: string): string {
  const s = getVariableScope().name;
  return s ? `${s}/${name}` : name;
}

/**
 * `ef.variableScope('foo', {reuse: true}, () => …)` (or `variableScope('foo', () => …)`).
 * reuse is inherited: inside a reusing scope every nested scope reuses too. A name of null or ''
 * keeps the current name but applies the options.
 */
export function variableScope<T>(name: string | null, fn: () => T): T;
export function variableScope<T>(name: string | null, options: VariableScopeOptions, fn: () => T): T;
export function variableScope<T>(name: string | null, a: VariableScopeOptions | (() => T), b?: () => T): T {
  const options = typeof a === 'function' ? {} : a;
  const fn = (typeof a === 'function' ? a : b)!;
  if (typeof fn !== 'function') throw new OpError('variableScope', `fn must be a function (variableScope(name, [options], fn)), found ${describeValue(fn)}`);
  if (name && (name.includes('//') || name.startsWith('/') || name.endsWith('/'))) throw new OpError('variableScope', `invalid scope name '${name}'`);
  const parent = getVariableScope();
  const reuse: Reuse = parent.reuse === true ? true : (options.reuse ?? parent.reuse);
  const scope: VariableScope = {
    name: name ? (parent.name ? `${parent.name}/${name}` : name) : parent.name,
    reuse,
    initializer: options.initializer ?? parent.initializer,
    regularizer: options.regularizer ?? parent.regularizer,
    trainable: options.trainable ?? parent.trainable,
    dtype: options.dtype ?? parent.dtype,
    nameCounts: new Map(),
  };
  stack.push(scope);
  try {
    const out = fn();
    if (out instanceof Promise) throw new OpError('variableScope', 'fn returned a Promise; scopes are synchronous');
    return out;
  } finally {
    stack.pop();
  }
}

/** Gets or creates a variable by scoped name (tf.get_variable). */
export function getVariable(name: string, options: GetVariableOptions = {}): Variable {
  if (!name || name.endsWith('/')) throw new OpError('getVariable', `invalid name '${name}'`);
  const scope = getVariableScope();
  const full = scopedName(name);
  if (options.shape !== undefined) assertValidShape('getVariable', options.shape, `variable '${full}': shape`);
  let existing = store.get(full);
  if (existing && existing.released) {
    store.delete(full);
    existing = undefined;
  }
  if (existing) {
    if (scope.reuse === false) {
      throw new OpError('getVariable', `variable '${full}' already exists, disallowed. Did you mean to set reuse: true or reuse: 'auto' in variableScope? (or pick another name)`);
    }
    if (options.shape && !shapesEqual(options.shape, existing.shape)) {
      throw new OpError('getVariable', `trying to share variable '${full}', but specified shape ${fmtShape(options.shape)} and found shape ${fmtShape(existing.shape)}`);
    }
    if (options.dtype && options.dtype !== existing.dtype) {
      throw new OpError('getVariable', `trying to share variable '${full}', but specified dtype ${options.dtype} and found dtype ${existing.dtype}`);
    }
    return existing;
  }
  if (scope.reuse === true) {
    throw new OpError('getVariable', `variable '${full}' does not exist, or was not created with getVariable(); reuse: true only gets existing variables. Did you mean reuse: 'auto'?`);
  }
  if (findVariable(full)) {
    throw new OpError('getVariable', `a variable named '${full}' already exists (made with ef.variable); pick another name`);
  }
  const dtype = options.dtype ?? scope.dtype ?? 'float32';
  const init = options.initializer ?? scope.initializer ?? (dtype === 'float32' ? glorotUniform() : zeros());
  const value = engine.tidy(() => {
    if (typeof init === 'function') {
      if (!options.shape) throw new OpError('getVariable', `variable '${full}': shape is required with an initializer function`);
      const t: unknown = init(options.shape, dtype);
      if (!(t instanceof Tensor) || !shapesEqual(t.shape, options.shape) || t.dtype !== dtype) {
        const found = t instanceof Tensor ? `${t.dtype} ${fmtShape(t.shape)}` : describeValue(t);
        throw new OpError('getVariable', `variable '${full}': the initializer returned ${found}, expected a ${dtype} tensor of shape ${fmtShape(options.shape)}`);
      }
      return t;
    }
    const t = initialTensor(init, dtype);
    if (options.shape && !shapesEqual(options.shape, t.shape)) {
      throw new OpError('getVariable', `variable '${full}': shape ${fmtShape(options.shape)} does not match the initial value's shape ${fmtShape(t.shape)}`);
    }
    return t;
  });
  const trainable = options.trainable ?? scope.trainable ?? true;
  const v = variable(value, { name: full, trainable });
  if (value !== init) value.dispose();
  store.set(full, v);
  addToCollection(GraphKeys.GLOBAL_VARIABLES, v);
  if (trainable) addToCollection(GraphKeys.TRAINABLE_VARIABLES, v);
  for (const c of options.collections ?? []) addToCollection(c, v);
  const reg = options.regularizer === null ? undefined : (options.regularizer ?? scope.regularizer);
  if (reg) addRegularizer(v, reg);
  return v;
}

/** Adds `() => reg(v)` to REGULARIZATION_LOSSES (evaluated fresh by losses.getRegularizationLoss). */
export function addRegularizer(v: Variable, reg: Regularizer): void {
  const thunk = Object.defineProperties(() => reg(v), {
    variable: { value: v },
    name: { value: `${v.name}/Regularizer` },
  });
  addToCollection(GraphKeys.REGULARIZATION_LOSSES, thunk);
}

function initialTensor(init: Tensor | number | number[], dtype: DType): Tensor {
  return typeof init === 'object' && !Array.isArray(init) ? init : tensor(init, undefined, dtype);
}

/** Forgets the getVariable store entries (and disposes the variables) under a scope prefix; '' = all. */
export function resetVariableStore(prefix = ''): void {
  for (const [name, v] of [...store]) {
    if (name === prefix || name.startsWith(prefix ? `${prefix}/` : '')) {
      store.delete(name);
      if (!v.released) v.dispose();
    }
  }
}

/** Variables made by getVariable whose name starts with `scope` (slim.get_variables). */
export function getVariables(scope = ''): Variable[] {
  return [...store.values()].filter((v) => !v.released && (scope === '' || v.name === scope || v.name.startsWith(`${scope}/`)));
}

/**
 * A default layer name unique within the current entry of the current scope: 'dense',
 * 'dense_1', … Counters restart each time a variableScope is entered, so a model function run
 * inside `variableScope('model', {reuse: 'auto'}, …)` gets the same names (and variables) every
 * call; at the top level names keep growing as in TensorFlow's graph mode.
 */
export function uniqueLayerName(base: string): string {
  const counts = getVariableScope().nameCounts;
  const n = counts.get(base) ?? 0;
  counts.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

/** Runs `fn` in the scope with the absolute name `name` (no nesting under the current scope). */
export function absoluteScope<T>(name: string, options: VariableScopeOptions, fn: () => T): T {
  const saved = stack.splice(1);
  try {
    return variableScope(name || null, options, fn);
  } finally {
    stack.push(...saved);
  }
}
