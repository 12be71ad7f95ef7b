/**
 * eagerflow core: tensors, ops, autograd, memory. Backends register themselves when imported:
 *   import * as ef from '@eagerflow/core';
 *   import '@eagerflow/cpu-backend';
 */
// Tensors and other handles implement Disposable (Symbol.dispose): the directive is kept in
// index.d.ts so that consumers' type-check has those types without a lib setting or @types/node.
/// <reference lib="esnext.disposable" preserve="true" />
import type { BackendFactory, KernelTiming } from './backend.js';
import { engine, type EngineConfig, type MemoryInfo, type TensorContainer } from './engine.js';
import { backendForDevice } from './device_name.js';
import type { Tensor } from './tensor.js';

export type { Backend, BackendFactory, KernelInput, KernelTiming } from './backend.js';
export * from './dtype.js';
export { OpError, fmtShape } from './errors.js';
export * from './shape.js';
export { Tensor, toNested, type NestedArray } from './tensor.js';
export { Variable, variable, globalVariables, trainableVariables, findVariable, type VariableOptions } from './variable.js';
export type { TensorContainer, MemoryInfo, EngineConfig, OpObserver } from './engine.js';

export * from './ops/op_def.js';
export { apply, apply1, addOpObserver } from './ops/dispatch.js';
export { convert, type TensorLike } from './ops/convert.js';
export { tensor, makeTensor } from './ops/create_values.js';
export { compileScalar, JS_SCALAR_PRELUDE, SCALAR_FUNCTIONS } from './ops/scalar_expr.js';
export { evalElementwise, type HostInput } from './ops/elementwise_host.js';
export * as reference from './ops/reference_util.js';
export * as defs from './ops/defs/index.js';
export type * from './ops/defs/index.js';

export * from './ops/api/elementwise.js';
export * from './ops/api/cast.js';
export * from './ops/api/creation.js';
export * from './ops/api/reduce.js';
export * from './ops/api/shape_ops.js';
export * from './ops/api/linalg.js';
export * from './ops/api/array_ops.js';
export * from './ops/api/math_ops.js';
export * from './ops/api/random.js';
export * as philox from './random/philox.js';
export * from './ops/api/gradient_ops.js';
export { customOp, customOpAsync, type HostValue, type CustomOutput, type CustomForwardFn, type CustomGradFn, type CustomHostGradFn, type CustomGradContext, type CustomOpOptions } from './ops/custom_op.js';
// Chainable methods on Tensor (x.add(y).relu().sum()): prototype additions + type augmentation.
export { TENSOR_METHOD_NAMES, type TensorMethods } from './ops/tensor_methods.js';
export * as nn from './ops/api/nn.js';
export * as fused from './ops/api/fused.js';
export * as image from './ops/composites/image/index.js';

export { GradientTape, type TapeOptions, type GradientOptions } from './autograd/tape.js';
export { valueAndGrads, grad, grads, valueAndGrad, noGrad } from './autograd/api.js';

// ---- training (issue 4): scopes, initializers, regularizers, losses, metrics, optimizers, layers
export { GraphKeys, addToCollection, addToCollections, getCollection, getCollectionRef, clearCollection, getAllCollectionKeys } from './framework/collections.js';
export { variableScope, getVariable, getVariableScope, getVariables, scopedName, resetVariableStore, addRegularizer, type Reuse, type VariableScope, type VariableScopeOptions, type GetVariableOptions } from './framework/variable_scope.js';
export * as initializers from './initializers/index.js';
export type { Initializer } from './initializers/index.js';
export * as regularizers from './regularizers/index.js';
export type { Regularizer } from './regularizers/index.js';
export * as losses from './losses/index.js';
export * as metrics from './metrics/index.js';
export * as train from './train/index.js';
export * as layers from './layers/index.js';
export * as slim from './slim/index.js';
export { modelAnalyzer } from './slim/index.js';
export * as models from './models/index.js';
export * as app from './app/index.js';

export { conformanceCases, opsWithoutSamples, seededRandom, type ConformanceCase, type ConformanceOptions } from './conformance/suite.js';

// ---- engine façade -----------------------------------------------------------------------

export const registerBackend = (factory: BackendFactory): void => engine.registerBackend(factory);
/** Starts (if needed) and selects a backend: 'cpu' | 'webgpu'. */
export const setBackend = (name: string): Promise<void> => engine.setBackend(name);
/** Name of the backend ops run on (starts the default one if none was chosen). */
export const getBackend = (): string => engine.backend().name;
/** Picks the best backend that starts (WebGPU when an adapter exists) and names it once. */
export const ready = async (): Promise<string> => (await engine.ready()).name;
export const registeredBackends = (): string[] => engine.backendNames();
export const tidy = <T extends TensorContainer>(fn: () => T): T => engine.tidy(fn);
export const keep = <T extends Tensor>(t: T): T => engine.keep(t);
export const memory = (): MemoryInfo => engine.memory();
export const disposeBackend = (name?: string): void => engine.disposeBackend(name);
/** Frees several tensors (any container). */
export function dispose(x: TensorContainer): void {
  const set = new Set<Tensor>();
  collect(x, set);
  for (const t of set) t.dispose();
}
function collect(x: TensorContainer, out: Set<Tensor>): void {
  if (x && typeof x === 'object' && 'dispose' in x && 'shape' in x) out.add(x as Tensor);
  else if (Array.isArray(x)) for (const e of x) collect(e, out);
  else if (x && typeof x === 'object') for (const v of Object.values(x)) collect(v as TensorContainer, out);
}
export function config(options: Partial<EngineConfig>): EngineConfig {
  return engine.configure(options);
}
/**
 * Moves a tensor to another backend ('cpu' | 'webgpu'), in place, and returns it; GPU → CPU
 * needs an asynchronous read, hence the promise (TensorFlow's tf.identity under tf.device).
 */
export const toBackend = (t: Tensor, name: string): Promise<Tensor> => engine.moveTo(t, backendForDevice(name));
/**
 * Runs `fn` with ops placed on one backend (TensorFlow's tf.device): a backend name or a TF device
 * string ('/cpu:0', '/gpu:0', '/device:GPU:0'). A backend that is not started falls back to the
 * default one with a warning (soft placement, ef.config({allowSoftPlacement})).
 */
export function withDevice<T>(name: string, fn: () => T): T {
  engine.placement.push(backendForDevice(name));
  try {
    return fn();
  } finally {
    engine.placement.pop();
  }
}
/** Waits for the backend's queued work (GPU) to finish. */
export const sync = async (): Promise<void> => {
  await engine.backend().sync?.();
};

/** What ef.time measured. */
export interface TimingInfo {
  /** Wall-clock time of `fn` plus waiting for the backend's queued work. */
  wallMs: number;
  /** Sum of the kernels' own times (GPU: timestamp queries); null where the backend cannot time kernels. */
  kernelMs: number | null;
  /** Each kernel run, in order (GPU: one per dispatch; an op may dispatch several). */
  kernels: KernelTiming[];
}

/**
 * Runs `fn`, waits for the work it queued, and reports wall time and per-kernel time
 * (TensorFlow.js's tf.time): on WebGPU each dispatch is timed on the GPU with timestamp queries
 * when the adapter has them (each dispatch then gets a compute pass of its own, so time a
 * representative run, not the fast path); on the CPU each kernel is timed with performance.now().
 */
export async function time(fn: () => unknown): Promise<TimingInfo> {
  const backend = engine.backend();
  const timed = backend.startKernelTiming?.() === true;
  const t0 = performance.now();
  let kernels: KernelTiming[] = [];
  try {
    await fn();
    await backend.sync?.();
  } finally {
    if (timed) kernels = await backend.endKernelTiming!();
  }
  const wallMs = performance.now() - t0;
  return { wallMs, kernelMs: timed ? kernels.reduce((s, k) => s + k.ms, 0) : null, kernels };
}
