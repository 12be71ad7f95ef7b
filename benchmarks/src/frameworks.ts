/**
 * The two frameworks behind one small interface, so each case is written once:
 * eagerflow (`@eagerflow/core` + a backend) and TensorFlow.js 4.22 (`@tensorflow/tfjs-core` +
 * `tfjs-backend-cpu` or `tfjs-backend-webgpu`). Handles are each framework's own tensors.
 */
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core alone registers no gradients.
import '@tensorflow/tfjs-core/dist/register_all_gradients';

export type Backend = 'cpu' | 'webgpu';
export type Padding = 'SAME' | 'VALID';
/** Opaque tensor handle of one framework. */
export type T = { dispose(): void };

/** One of the framework's own optimizers. */
export interface Optimizer {
  /** Gradients of `loss()` w.r.t. `vars`, then one update. */
  step(loss: () => T, vars: T[]): T;
  dispose(): void;
}

export type FusedActivation = 'linear' | 'relu';

export interface Framework {
  readonly impl: 'eagerflow' | 'tfjs';
  readonly backend: Backend;
  tensor(values: Float32Array, shape: number[]): T;
  variable(values: Float32Array, shape: number[]): T;
  matmul(a: T, b: T): T;
  conv2d(x: T, w: T, stride: number, padding: Padding): T;
  maxPool(x: T, k: number, stride: number, padding: Padding): T;
  add(a: T, b: T): T;
  relu(x: T): T;
  reshape(x: T, shape: number[]): T;
  /** mean over the batch of softmax cross-entropy(labels, logits). */
  softmaxCrossEntropy(labels: T, logits: T): T;
  /** act(conv2d(x, w) + bias) as the framework's fused op (ef.fused / tf.fused). */
  fusedConv2d(x: T, w: T, bias: T, stride: number, padding: Padding, activation: FusedActivation): T;
  /** act(a·b + bias) as the framework's fused op. */
  fusedMatMul(a: T, b: T, bias: T, activation: FusedActivation): T;
  /**
   * The framework's own gradient-descent optimizer (`v -= lr·g`: one fused kernel per variable in
   * eagerflow, a multiply and an add in tfjs); `step` returns the loss.
   */
  sgd(lr: number): Optimizer;
  /** The framework's own Adam optimizer (TF defaults: β₁ 0.9, β₂ 0.999, ε 1e-8). */
  adam(lr: number): Optimizer;
  tidy<R extends T>(fn: () => R): R;
  read(x: T): Promise<Float32Array>;
  liveTensors(): number;
  close(): Promise<void>;
}

// ---- eagerflow -----------------------------------------------------------------------------

export async function eagerflow(backend: Backend): Promise<Framework> {
  if (backend === 'webgpu') {
    await installWebGpuGlobals();
    // Loaded only here: importing it starts nothing until setBackend('webgpu').
    await import('@eagerflow/webgpu-backend' as string);
  }
  await ef.setBackend(backend);
  if (ef.getBackend() !== backend) throw new Error(`eagerflow: backend '${backend}' did not start (got ${ef.getBackend()})`);
  const E = (x: T) => x as ef.Tensor;
  return {
    impl: 'eagerflow',
    backend,
    tensor: (v, shape) => ef.tensor(v, shape),
    // tidy frees the initial tensor; variables outlive it.
    variable: (v, shape) => ef.tidy(() => ef.variable(ef.tensor(v, shape), { name: 'bench' })),
    matmul: (a, b) => ef.matmul(E(a), E(b)),
    conv2d: (x, w, s, p) => ef.nn.conv2d(E(x), E(w), s, p),
    maxPool: (x, k, s, p) => ef.nn.maxPool(E(x), k, s, p),
    add: (a, b) => ef.add(E(a), E(b)),
    relu: (x) => ef.nn.relu(E(x)),
    reshape: (x, shape) => ef.reshape(E(x), shape),
    softmaxCrossEntropy: (labels, logits) => ef.reduceMean(ef.nn.softmaxCrossEntropyWithLogits({ labels: E(labels), logits: E(logits) })),
    fusedConv2d: (x, w, bias, s, p, activation) => ef.fused.conv2d({ x: E(x), filter: E(w), strides: s, padding: p, bias: E(bias), activation }),
    fusedMatMul: (a, b, bias, activation) => ef.fused.matMul({ a: E(a), b: E(b), bias: E(bias), activation }),
    sgd: (lr) => efOptimizer(new ef.train.GradientDescentOptimizer(lr)),
    adam: (lr) => efOptimizer(new ef.train.AdamOptimizer(lr)),
    tidy: (fn) => ef.tidy(() => E(fn())) as unknown as ReturnType<typeof fn>,
    read: async (x) => (await E(x).data()) as Float32Array,
    liveTensors: () => ef.memory().numTensors,
    close: async () => {
      if (backend === 'webgpu') ef.disposeBackend('webgpu');
    },
  };
}

function efOptimizer(optimizer: ef.train.Optimizer): Optimizer {
  return {
    step(loss, vars) {
      const { value, grads } = ef.valueAndGrads(() => loss() as ef.Tensor, vars as ef.Tensor[]);
      optimizer.applyGradients(grads.map((g, i) => [g, vars[i] as ef.Variable]));
      ef.dispose(grads);
      return value;
    },
    dispose: () => ef.dispose(optimizer.variables()),
  };
}

// ---- TensorFlow.js -------------------------------------------------------------------------

let tfjsWebgpuLoaded = false;

/**
 * Node: one Dawn GPU object as `navigator.gpu` (and `window`), so that tfjs-backend-webgpu
 * registers at import and both frameworks use the same adapter (eagerflow's webgpu backend takes
 * navigator.gpu when it exists). Call before either framework starts on 'webgpu'.
 */
export async function installWebGpuGlobals(): Promise<void> {
  const g = globalThis as Record<string, unknown>;
  if (!(g.navigator as { gpu?: unknown } | undefined)?.gpu) {
    const { create, globals } = (await import('webgpu' as string)) as { create(flags: string[]): unknown; globals: object };
    Object.assign(globalThis, globals); // GPUBufferUsage, GPUMapMode, … (tfjs uses them)
    Object.defineProperty(globalThis, 'navigator', { value: { gpu: create([]) }, configurable: true, writable: true });
  }
  if (!g.window) g.window = globalThis;
}

/**
 * tfjs on 'cpu' (tfjs-backend-cpu) or 'webgpu' (tfjs-backend-webgpu on Dawn: it registers only
 * when navigator.gpu and window exist at import, see ../shared/docs/webgpu-environments.md).
 */
export async function tfjs(backend: Backend): Promise<Framework> {
  if (backend === 'webgpu' && !tfjsWebgpuLoaded) {
    await installWebGpuGlobals();
    await import('@tensorflow/tfjs-backend-webgpu' as string);
    tfjsWebgpuLoaded = true;
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs: backend '${backend}' did not start`);
  await tf.ready();
  const R = (x: T) => x as tf.Tensor;
  const R4 = (x: T) => x as tf.Tensor4D;
  return {
    impl: 'tfjs',
    backend,
    tensor: (v, shape) => tf.tensor(v, shape, 'float32'),
    variable: (v, shape) => tf.tidy(() => tf.variable(tf.tensor(v, shape, 'float32'))),
    matmul: (a, b) => tf.matMul(R(a), R(b)),
    conv2d: (x, w, s, p) => tf.conv2d(R4(x), R4(w), s, p.toLowerCase() as 'same' | 'valid'),
    maxPool: (x, k, s, p) => tf.maxPool(R4(x), k, s, p.toLowerCase() as 'same' | 'valid'),
    add: (a, b) => tf.add(R(a), R(b)),
    relu: (x) => tf.relu(R(x)),
    reshape: (x, shape) => tf.reshape(R(x), shape),
    softmaxCrossEntropy: (labels, logits) => tf.losses.softmaxCrossEntropy(R(labels), R(logits)),
    fusedConv2d: (x, w, bias, s, p, activation) =>
      tf.fused.conv2d({ x: R4(x), filter: R4(w), strides: s, pad: p.toLowerCase() as 'same' | 'valid', bias: R(bias), activation }),
    fusedMatMul: (a, b, bias, activation) => tf.fused.matMul({ a: R(a) as tf.Tensor2D, b: R(b) as tf.Tensor2D, bias: R(bias), activation }),
    sgd: (lr) => tfjsOptimizer(tf.train.sgd(lr)),
    adam: (lr) => tfjsOptimizer(tf.train.adam(lr)),
    tidy: (fn) => tf.tidy(() => R(fn())) as unknown as ReturnType<typeof fn>,
    read: async (x) => (await R(x).data()) as Float32Array,
    liveTensors: () => tf.memory().numTensors,
    close: async () => {},
  };
}

function tfjsOptimizer(optimizer: tf.Optimizer): Optimizer {
  return {
    step(loss, vars) {
      const { value, grads } = tf.variableGrads(() => loss() as tf.Scalar, vars as tf.Variable[]);
      optimizer.applyGradients(grads);
      tf.dispose(grads);
      return value;
    },
    dispose: () => optimizer.dispose(),
  };
}

export async function framework(impl: 'eagerflow' | 'tfjs', backend: Backend): Promise<Framework> {
  return impl === 'eagerflow' ? eagerflow(backend) : tfjs(backend);
}
