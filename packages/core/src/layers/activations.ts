import { OpError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import * as E from '../ops/api/elementwise.js';
import { FUSED_ACTIVATIONS, type FusedActivation } from '../ops/defs/fused_util.js';

/** An activation: a function of a tensor, or a name ('relu', 'tanh', …); null/undefined = linear. */
export type Activation = ((x: Tensor) => Tensor) | 'relu' | 'relu6' | 'elu' | 'selu' | 'sigmoid' | 'tanh' | 'softplus' | 'linear' | null | undefined;

const NAMED: Record<string, (x: Tensor) => Tensor> = {
  relu: E.relu,
  relu6: E.relu6,
  elu: E.elu,
  selu: E.selu,
  sigmoid: E.sigmoid,
  tanh: E.tanh,
  softplus: E.softplus,
  linear: (x) => x,
};

/** The activation as a function (null/undefined: linear); an unknown name is an OpError naming `op`. */
export function activationFn(a: Activation, op = 'activate'): (x: Tensor) => Tensor {
  if (!a) return NAMED.linear!;
  if (typeof a === 'function') return a;
  const f = Object.hasOwn(NAMED, a) ? NAMED[a] : undefined; // not Object.prototype's 'toString', 'constructor' …
  if (!f) throw new OpError(op, `unknown activation '${String(a)}' (known: ${Object.keys(NAMED).join(', ')})`);
  return f;
}

export function activate(x: Tensor, a: Activation, op?: string): Tensor {
  return activationFn(a, op)(x);
}

/**
 * The activation as a fused-op epilogue (ef.fused): a name, or one of the named functions
 * themselves (slim passes ef.nn.relu); null for other functions, which run as given.
 */
export function fusedActivation(a: Activation): FusedActivation | null {
  if (!a) return 'linear';
  const name = typeof a === 'string' ? a : Object.keys(NAMED).find((k) => NAMED[k] === a);
  return name !== undefined && (FUSED_ACTIVATIONS as readonly string[]).includes(name) ? (name as FusedActivation) : null;
}
