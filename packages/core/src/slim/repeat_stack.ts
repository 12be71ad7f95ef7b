/** slim.repeat and slim.stack. */
import { OpError, describeValue } from '../errors.js';
import { variableScope } from '../framework/variable_scope.js';
import type { Tensor } from '../tensor.js';

type Layer = (x: Tensor, ...args: any[]) => Tensor;

function isOptions(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && Object.getPrototypeOf(x) === Object.prototype;
}

function splitArgs(args: unknown[]): [unknown[], Record<string, unknown>] {
  const last = args[args.length - 1];
  return isOptions(last) ? [args.slice(0, -1), last] : [args, {}];
}

/**
 * Applies `layer` `repetitions` times: `repeat(net, 3, slim.conv2d, 64, [3, 3], {scope: 'conv1'})`
 * makes scopes conv1/conv1_1, conv1/conv1_2, conv1/conv1_3 (as slim).
 */
export function repeat(inputs: Tensor, repetitions: number, layer: Layer, ...args: unknown[]): Tensor {
  const [pos, opts] = splitArgs(args);
  const scope = (opts.scope as string | undefined) ?? 'Repeat';
  const base = scope.split('/').pop()!;
  return variableScope(scope, () => {
    let x = inputs;
    for (let i = 1; i <= repetitions; i++) x = layer(x, ...pos, { ...opts, scope: `${base}_${i}` });
    return x;
  });
}

/**
 * Applies `layer` once per entry of `stackArgs` (an argument, or an array of positional
 * arguments): `stack(x, slim.fullyConnected, [32, 64, 128], {scope: 'fc'})` → fc/fc_1, fc/fc_2, fc/fc_3.
 */
export function stack(inputs: Tensor, layer: Layer, stackArgs: readonly unknown[], options: Record<string, unknown> = {}): Tensor {
  if (!Array.isArray(stackArgs)) throw new OpError('slim.stack', `stackArgs must be a list (one entry per layer), found ${describeValue(stackArgs)}`);
  const scope = (options.scope as string | undefined) ?? 'Stack';
  const base = scope.split('/').pop()!;
  return variableScope(scope, () => {
    let x = inputs;
    stackArgs.forEach((a, i) => {
      const pos = Array.isArray(a) ? a : [a];
      x = layer(x, ...pos, { ...options, scope: `${base}_${i + 1}` });
    });
    return x;
  });
}
