import { engine } from '../engine.js';
import { OpError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { GradientTape } from './tape.js';

function checkScalarOrDy(op: string, value: Tensor, dy?: Tensor): void {
  if (!dy && value.size !== 1) {
    throw new OpError(op, `the function returned shape [${value.shape.join(',')}]; without dy it must return a scalar`);
  }
}

/** Value of `fn()` and its gradients with respect to `sources` (tensors or variables). */
export function valueAndGrads(fn: () => Tensor, sources: readonly Tensor[], dy?: Tensor): { value: Tensor; grads: Tensor[] } {
  return engine.tidy(() => {
    const tape = new GradientTape({ watchAccessedVariables: false });
    tape.watch(...sources);
    const value = tape.record(fn);
    checkScalarOrDy('valueAndGrads', value, dy);
    const grads = tape.gradient(value, sources, { outputGradient: dy, unconnected: 'zero' }) as Tensor[];
    return { value, grads };
  });
}

/** `grad(f)(x)`: df/dx. */
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

export function valueAndGrad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => { value: Tensor; grad: Tensor } {
  return (x, dy) => {
    const { value, grads: gs } = valueAndGrads(() => f(x), [x], dy);
    return { value, grad: gs[0]! };
  };
}

/** Runs `fn` without recording gradients (PyTorch's no_grad). */
export function noGrad<T>(fn: () => T): T {
  engine.noGradDepth++;
  try {
    return fn();
  } finally {
    engine.noGradDepth--;
  }
}
