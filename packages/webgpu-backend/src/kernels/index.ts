/** WebGPU kernel per non-elementwise op id (elementwise rows share kernels/elementwise.ts). */
import type { WebGpuKernel } from '../kernel.js';
import { argReduce } from './arg_reduce.js';
import { broadcastTo } from './broadcast_to.js';
import { cast } from './cast.js';
import { fill } from './fill.js';
import { matmul } from './matmul.js';
import { reduce } from './reduce.js';
import { transpose } from './transpose.js';

export const KERNELS: Record<string, WebGpuKernel> = {
  arg_reduce: argReduce,
  broadcast_to: broadcastTo,
  cast,
  fill,
  matmul,
  reduce,
  transpose,
};

/**
 * Ops declared in core that have no WGSL kernel yet (the conformance test checks this list is
 * exact). On 'webgpu' they fall back to the CPU only for inputs already on the CPU; otherwise
 * they fail with a clear error (a GPU tensor cannot be read synchronously).
 */
export const WEBGPU_PENDING_OPS: readonly string[] = [
  'avg_pool', 'avg_pool_grad', 'conv2d', 'conv2d_backprop_filter', 'conv2d_backprop_input', 'log_softmax', 'max_pool',
  'max_pool_grad', 'max_pool_grad_grad', 'softmax', 'softmax_cross_entropy', 'sparse_softmax_cross_entropy',
  'add_n', 'concat', 'cumsum', 'gather', 'in_top_k', 'one_hot', 'pad', 'random_normal', 'random_permutation',
  'random_uniform', 'split', 'strided_slice', 'strided_slice_grad', 'tile', 'top_k', 'truncated_normal',
  'unsorted_segment_sum',
].filter((id) => !(id in KERNELS));
