import { engine } from '../engine.js';
import { OpError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { GradientTape } from './tape.js';

function checkResult(op: string, value: unknown, dy?: Tensor): asserts value is Tensor {
  if (!(value instanceof Tensor)) {
    const found = value instanceof Promise ? 'a Promise (the function must be synchronous)' : value === null ? 'null' : typeof value;
    throw new OpError(op, `the function must return a Tensor, found ${found}`);
  }
  if (!dy && value.size !== 1) {
    throw new OpError(op, `the function returned shape [${value.shape.join(',')}]; without dy it must return a scalar (or pass dy of that shape)`);
  }
}

/**
 * Value of `fn()` and its gradients with respect to `sources` (tensors or variables). Everything
 * else `fn` creates is disposed. Sources the value does not depend on (and non-float sources)
 * get zeros.
 */
export function valueAndGrads(fn: () => Tensor, sources: readonly Tensor[], dy?: Tensor): { value: Tensor; grads: Tensor[] } {
  if (!Array.isArray(sources)) throw new OpError('valueAndGrads', `sources must be an array of Tensors or Variables, found ${typeof sources}`);
  sources.forEach((s, i) => {
    if (!(s instanceof Tensor)) throw new OpError('valueAndGrads', `sources[${i}] must be a Tensor or Variable, found ${typeof s}`);
  });
  return engine.tidy(() => {
    const tape = new GradientTape({ watchAccessedVariables: false });
    try {
      tape.watch(...sources);
      const value = tape.record(fn);
      checkResult('valueAndGrads', value, dy);
      const grads = tape.gradient(value, sources, { outputGradient: dy, unconnected: 'zero' }) as Tensor[];
      return { value, grads };
    } finally {
      tape.dispose();
    }
  });
}

/** `grad(f)(x)`: df/dx (f must return a scalar, or pass dy). */
export function grad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => Tensor {
  return (x, dy) => {
    const { value, grads } = valueAndGrads(() => f(x), [x], dy);
    value.dispose();
    return grads[0]!;
  };
}

/** `grads(f)([a, b])`: gradients for each argument. */
export function grads(f: (...xs: Tensor[]) => Tensor): (xs: Tensor[], dy?: Tensor) => Tensor[] {
  return (xs, dy) => {
    const { value, grads: gs } = valueAndGrads(() => f(...xs), xs, dy);
    value.dispose();
    return gs;
  };
}

/** `valueAndGrad(f)(x)`: `{value: f(x), grad: df/dx}`. */
export function valueAndGrad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => { value: Tensor; grad: Tensor } {
  return (x, dy) => {
    const { value, grads: gs } = valueAndGrads(() => f(x), [x], dy);
    return { value, grad: gs[0]! };
  };
}

/** Runs `fn` without recording gradients (PyTorch's no_grad): its results are constants to tapes. */
export function noGrad<T>(fn: () => T): T {
  engine.noGradDepth++;
  try {
    return fn();
  } finally {
    engine.noGradDepth--;
  }
}
