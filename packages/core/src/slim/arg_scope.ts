/**
 * slim.arg_scope, in TypeScript: scopable functions take a trailing options object; inside
 * `argScope([fns], defaults, body)` those options default to `defaults`. Nested scopes override
 * outer ones; an option passed explicitly (not undefined) always wins.
 */
import { OpError } from '../errors.js';
type AnyFn = (...args: any[]) => any;

const KEY = Symbol('eagerflow.argScopeKey');
const stack: Map<object, Record<string, unknown>>[] = [];

/** The identity arg scopes are keyed on (the original function). */
function keyOf(fn: AnyFn): object {
  return (fn as unknown as { [KEY]?: object })[KEY] ?? fn;
}

/** Defaults in force for `fn` now (outer scopes first, inner override). */
export function currentArgScope(fn: AnyFn): Record<string, unknown> {
  const key = keyOf(fn);
  const out: Record<string, unknown> = {};
  for (const level of stack) Object.assign(out, level.get(key));
  return out;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && Object.getPrototypeOf(x) === Object.prototype;
}

/**
 * Makes `fn` arg-scopable (slim's @add_arg_scope). `optionsIndex` is where its options object
 * goes (the arity of the required arguments); missing, the options are the last argument when
 * it is a plain object, else appended.
 */
export function addArgScope<F extends AnyFn>(fn: F, optionsIndex?: number): F {
  const wrapped = function (this: unknown, ...args: unknown[]) {
    const defaults = currentArgScope(wrapped as AnyFn);
    if (Object.keys(defaults).length === 0) return fn.apply(this, args);
    let idx = optionsIndex ?? (isPlainObject(args[args.length - 1]) ? args.length - 1 : args.length);
    if (optionsIndex !== undefined && args.length > idx && !isPlainObject(args[idx]) && args[idx] !== undefined) idx = args.length;
    const explicit = (isPlainObject(args[idx]) ? args[idx] : {}) as Record<string, unknown>;
    const merged: Record<string, unknown> = { ...defaults };
    for (const [k, v] of Object.entries(explicit)) if (v !== undefined) merged[k] = v;
    const next = [...args];
    while (next.length < idx) next.push(undefined);
    next[idx] = merged;
    return fn.apply(this, next);
  } as unknown as F;
  Object.defineProperty(wrapped, KEY, { value: wrapped });
  Object.defineProperty(wrapped, 'name', { value: fn.name });
  return wrapped;
}

/** True when `fn` was made with addArgScope. */
export function hasArgScope(fn: AnyFn): boolean {
  return KEY in (fn as object);
}

/**
 * `argScope([slim.conv2d, slim.fullyConnected], {activationFn: ef.nn.relu}, () => …)`.
 * Throws for functions not made arg-scopable (as slim does).
 */
export function argScope<T>(fns: readonly AnyFn[], defaults: Record<string, unknown>, body: () => T): T {
  const level = new Map<object, Record<string, unknown>>();
  for (const f of fns) {
    if (typeof f !== 'function') throw new OpError('argScope', 'the first argument must be a list of functions');
    if (!hasArgScope(f)) throw new OpError('argScope', `${f.name || 'function'} is not decorated with addArgScope`);
    level.set(keyOf(f), { ...(level.get(keyOf(f)) ?? {}), ...defaults });
  }
  stack.push(level);
  try {
    return body();
  } finally {
    stack.pop();
  }
}
