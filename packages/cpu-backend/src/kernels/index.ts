/** CPU kernel per non-elementwise op id (elementwise rows share kernels/elementwise.ts). */
import type { CpuKernel } from '../kernel.js';
import { avgPool } from './avg_pool.js';
import { avgPoolGrad } from './avg_pool_grad.js';
import { conv2d } from './conv2d.js';
import { conv2dBackpropFilter } from './conv2d_backprop_filter.js';
import { conv2dBackpropInput } from './conv2d_backprop_input.js';
import { fusedConv2d } from './fused_conv2d.js';
import { fusedMatmul } from './fused_matmul.js';
import { logSoftmax } from './log_softmax.js';
import { maxPool } from './max_pool.js';
import { maxPoolGrad } from './max_pool_grad.js';
import { maxPoolGradGrad } from './max_pool_grad_grad.js';
import { softmax } from './softmax.js';
import { softmaxCrossEntropy } from './softmax_cross_entropy.js';
import { sparseSoftmaxCrossEntropy } from './sparse_softmax_cross_entropy.js';
// array, math and random ops
import { addN } from './add_n.js';
import { applyAdam } from './apply_adam.js';
import { concat } from './concat.js';
import { cumsum } from './cumsum.js';
import { gather } from './gather.js';
import { inTopK } from './in_top_k.js';
import { oneHot } from './one_hot.js';
import { pad } from './pad.js';
import { randomNormal } from './random_normal.js';
import { randomPermutation } from './random_permutation.js';
import { randomUniform } from './random_uniform.js';
import { split } from './split.js';
import { stridedSlice } from './strided_slice.js';
import { stridedSliceGrad } from './strided_slice_grad.js';
import { tile } from './tile.js';
import { topK } from './top_k.js';
import { truncatedNormal } from './truncated_normal.js';
import { unsortedSegmentSum } from './unsorted_segment_sum.js';
import { argReduce } from './arg_reduce.js';
import { broadcastTo } from './broadcast_to.js';
import { cast } from './cast.js';
import { fill } from './fill.js';
import { matmul } from './matmul.js';
import { reduce } from './reduce.js';
import { transpose } from './transpose.js';

export const KERNELS: Record<string, CpuKernel> = {
  // nn
  avg_pool: avgPool,
  avg_pool_grad: avgPoolGrad,
  conv2d,
  conv2d_backprop_filter: conv2dBackpropFilter,
  conv2d_backprop_input: conv2dBackpropInput,
  fused_conv2d: fusedConv2d,
  fused_matmul: fusedMatmul,
  log_softmax: logSoftmax,
  max_pool: maxPool,
  max_pool_grad: maxPoolGrad,
  max_pool_grad_grad: maxPoolGradGrad,
  softmax,
  softmax_cross_entropy: softmaxCrossEntropy,
  sparse_softmax_cross_entropy: sparseSoftmaxCrossEntropy,
  // array, math and random ops
  add_n: addN,
  apply_adam: applyAdam,
  concat,
  cumsum,
  gather,
  in_top_k: inTopK,
  one_hot: oneHot,
  pad,
  random_normal: randomNormal,
  random_permutation: randomPermutation,
  random_uniform: randomUniform,
  split,
  strided_slice: stridedSlice,
  strided_slice_grad: stridedSliceGrad,
  tile,
  top_k: topK,
  truncated_normal: truncatedNormal,
  unsorted_segment_sum: unsortedSegmentSum,
  arg_reduce: argReduce,
  broadcast_to: broadcastTo,
  cast,
  fill,
  matmul,
  reduce,
  transpose,
};
