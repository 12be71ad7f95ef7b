/** WebGPU kernel per non-elementwise op id (elementwise rows share kernels/elementwise.ts). */
import type { WebGpuKernel } from '../kernel.js';
import { addN } from './add_n.js';
import { applyAdam } from './apply_adam.js';
import { argReduce } from './arg_reduce.js';
import { avgPool } from './avg_pool.js';
import { avgPoolGrad } from './avg_pool_grad.js';
import { broadcastTo } from './broadcast_to.js';
import { cast } from './cast.js';
import { concat } from './concat.js';
import { conv2d } from './conv2d.js';
import { conv2dBackpropFilter } from './conv2d_backprop_filter.js';
import { conv2dBackpropInput } from './conv2d_backprop_input.js';
import { cumsum } from './cumsum.js';
import { fill } from './fill.js';
import { fusedConv2d } from './fused_conv2d.js';
import { fusedMatmul } from './fused_matmul.js';
import { gather } from './gather.js';
import { inTopK } from './in_top_k.js';
import { logSoftmax } from './log_softmax.js';
import { matmul } from './matmul.js';
import { maxPool } from './max_pool.js';
import { maxPoolGrad } from './max_pool_grad.js';
import { maxPoolGradGrad } from './max_pool_grad_grad.js';
import { oneHot } from './one_hot.js';
import { pad } from './pad.js';
import { randomNormal } from './random_normal.js';
import { randomPermutation } from './random_permutation.js';
import { randomUniform } from './random_uniform.js';
import { reduce } from './reduce.js';
import { softmax } from './softmax.js';
import { softmaxCrossEntropy } from './softmax_cross_entropy.js';
import { sparseSoftmaxCrossEntropy } from './sparse_softmax_cross_entropy.js';
import { split } from './split.js';
import { stridedSlice } from './strided_slice.js';
import { stridedSliceGrad } from './strided_slice_grad.js';
import { tile } from './tile.js';
import { topK } from './top_k.js';
import { transpose } from './transpose.js';
import { truncatedNormal } from './truncated_normal.js';
import { unsortedSegmentSum } from './unsorted_segment_sum.js';

export const KERNELS: Record<string, WebGpuKernel> = {
  add_n: addN,
  apply_adam: applyAdam,
  arg_reduce: argReduce,
  avg_pool: avgPool,
  avg_pool_grad: avgPoolGrad,
  broadcast_to: broadcastTo,
  cast,
  concat,
  conv2d,
  conv2d_backprop_filter: conv2dBackpropFilter,
  conv2d_backprop_input: conv2dBackpropInput,
  fused_conv2d: fusedConv2d,
  fused_matmul: fusedMatmul,
  cumsum,
  fill,
  gather,
  in_top_k: inTopK,
  log_softmax: logSoftmax,
  matmul,
  max_pool: maxPool,
  max_pool_grad: maxPoolGrad,
  max_pool_grad_grad: maxPoolGradGrad,
  one_hot: oneHot,
  pad,
  random_normal: randomNormal,
  random_permutation: randomPermutation,
  random_uniform: randomUniform,
  reduce,
  softmax,
  softmax_cross_entropy: softmaxCrossEntropy,
  sparse_softmax_cross_entropy: sparseSoftmaxCrossEntropy,
  split,
  strided_slice: stridedSlice,
  strided_slice_grad: stridedSliceGrad,
  tile,
  top_k: topK,
  transpose,
  truncated_normal: truncatedNormal,
  unsorted_segment_sum: unsortedSegmentSum,
};

/**
 * Ops declared in core that have no WGSL kernel yet (the conformance test checks this list is
 * exact). On 'webgpu' they fall back to the CPU only for inputs already on the CPU; otherwise
 * they fail with a clear error (a GPU tensor cannot be read synchronously).
 */
export const WEBGPU_PENDING_OPS: readonly string[] = [
  'avg_pool', 'avg_pool_grad', 'conv2d', 'conv2d_backprop_filter', 'conv2d_backprop_input', 'log_softmax', 'max_pool',
  'max_pool_grad', 'max_pool_grad_grad', 'softmax', 'softmax_cross_entropy', 'sparse_softmax_cross_entropy',
  'add_n', 'concat', 'pad', 'split', 'strided_slice', 'strided_slice_grad', 'tile',
].filter((id) => !(id in KERNELS));
