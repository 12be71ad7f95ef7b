/** Every op declaration; the conformance suite and the backends' kernel tables read this list. */
import type { OpDef } from '../op_def.js';
import { avgPoolDef } from './avg_pool.js';
import { avgPoolGradDef } from './avg_pool_grad.js';
import { conv2dDef } from './conv2d.js';
import { conv2dBackpropFilterDef } from './conv2d_backprop_filter.js';
import { conv2dBackpropInputDef } from './conv2d_backprop_input.js';
import { fusedConv2dDef } from './fused_conv2d.js';
import { fusedMatmulDef } from './fused_matmul.js';
import { logSoftmaxDef } from './log_softmax.js';
import { maxPoolDef } from './max_pool.js';
import { maxPoolGradDef } from './max_pool_grad.js';
import { maxPoolGradGradDef } from './max_pool_grad_grad.js';
import { softmaxDef } from './softmax.js';
import { softmaxCrossEntropyDef } from './softmax_cross_entropy.js';
import { sparseSoftmaxCrossEntropyDef } from './sparse_softmax_cross_entropy.js';
// array, math and random ops (shape ops, gather/scatter, topK, Philox random)
import { addNDef } from './add_n.js';
import { applyAdamDef } from './apply_adam.js';
import { concatDef } from './concat.js';
import { cumsumDef } from './cumsum.js';
import { gatherDef } from './gather.js';
import { identityDef } from './identity.js';
import { inTopKDef } from './in_top_k.js';
import { oneHotDef } from './one_hot.js';
import { padDef } from './pad.js';
import { randomNormalDef } from './random_normal.js';
import { randomPermutationDef } from './random_permutation.js';
import { randomUniformDef } from './random_uniform.js';
import { splitDef } from './split.js';
import { stridedSliceDef } from './strided_slice.js';
import { stridedSliceGradDef } from './strided_slice_grad.js';
import { tileDef } from './tile.js';
import { topKDef } from './top_k.js';
import { truncatedNormalDef } from './truncated_normal.js';
import { unsortedSegmentSumDef } from './unsorted_segment_sum.js';
import { argReduceDef } from './arg_reduce.js';
import { broadcastToDef } from './broadcast_to.js';
import { castDef } from './cast.js';
import { ELEMENTWISE } from './elementwise.js';
import { fillDef } from './fill.js';
import { matmulDef } from './matmul.js';
import { reduceDef } from './reduce.js';
import { reshapeDef } from './reshape.js';
import { stopGradientDef } from './stop_gradient.js';
import { transposeDef } from './transpose.js';

export { ELEMENTWISE, type ElementwiseId } from './elementwise.js';
export { avgPoolDef, avgPoolGradDef, conv2dDef, conv2dBackpropFilterDef, conv2dBackpropInputDef, fusedConv2dDef, fusedMatmulDef, logSoftmaxDef, maxPoolDef, maxPoolGradDef, maxPoolGradGradDef, softmaxDef, softmaxCrossEntropyDef, sparseSoftmaxCrossEntropyDef };
export { argReduceDef, broadcastToDef, castDef, fillDef, matmulDef, reduceDef, reshapeDef, transposeDef };
export { addNDef, applyAdamDef, concatDef, cumsumDef, gatherDef, identityDef, inTopKDef, oneHotDef, padDef, randomNormalDef, randomPermutationDef, randomUniformDef, splitDef, stridedSliceDef, stridedSliceGradDef, tileDef, topKDef, truncatedNormalDef, unsortedSegmentSumDef };

/** Non-elementwise ops: each has one kernel file per backend, named by its id. */
export const KERNEL_OPS = [
  // nn (conv, pooling, softmax family)
  avgPoolDef, avgPoolGradDef, conv2dDef, conv2dBackpropFilterDef, conv2dBackpropInputDef, fusedConv2dDef, fusedMatmulDef, logSoftmaxDef, maxPoolDef, maxPoolGradDef, maxPoolGradGradDef, softmaxDef, softmaxCrossEntropyDef, sparseSoftmaxCrossEntropyDef,
  // array, math and random ops
  addNDef, applyAdamDef, concatDef, cumsumDef, gatherDef, inTopKDef, oneHotDef, padDef, randomNormalDef, randomPermutationDef, randomUniformDef, splitDef, stridedSliceDef, stridedSliceGradDef, tileDef, topKDef, truncatedNormalDef, unsortedSegmentSumDef,
  argReduceDef, broadcastToDef, castDef, fillDef, matmulDef, reduceDef, transposeDef] as const;

/** Aliasing ops (no kernel anywhere): output 0 shares input 0's storage. */
export { stopGradientDef };
export const ALL_OPS: readonly OpDef<any>[] = [...Object.values(ELEMENTWISE), ...KERNEL_OPS, reshapeDef, stopGradientDef, identityDef];

export type { ApplyAdamAttrs } from './apply_adam.js';
export type { ArgReduceAttrs } from './arg_reduce.js';
export type { BroadcastToAttrs } from './broadcast_to.js';
export type { CastAttrs } from './cast.js';
export type { FillAttrs } from './fill.js';
export type { MatmulAttrs } from './matmul.js';
export type { ReduceAttrs, ReduceKind } from './reduce.js';
export type { ReshapeAttrs } from './reshape.js';
export type { StopGradientAttrs } from './stop_gradient.js';
export type { TransposeAttrs } from './transpose.js';
export type { ConcatAttrs } from './concat.js';
export type { CumsumAttrs } from './cumsum.js';
export type { GatherAttrs } from './gather.js';
export type { InTopKAttrs } from './in_top_k.js';
export type { OneHotAttrs } from './one_hot.js';
export type { PadAttrs, PadMode } from './pad.js';
export type { RandomNormalAttrs, RandomStreamAttrs } from './random_util.js';
export type { RandomPermutationAttrs } from './random_permutation.js';
export type { RandomUniformAttrs } from './random_uniform.js';
export type { SplitAttrs } from './split.js';
export type { StridedSliceAttrs } from './strided_slice.js';
export type { StridedSliceGradAttrs } from './strided_slice_grad.js';
export type { TileAttrs } from './tile.js';
export type { TopKAttrs } from './top_k.js';
export type { UnsortedSegmentSumAttrs } from './unsorted_segment_sum.js';
/** Shared helpers for backend kernels of these ops (layouts, error messages, TF rules). */
export { gatherLayout, gatherIndexError } from './gather.js';
export { segmentLayout, segmentIdError } from './unsorted_segment_sum.js';
export { padSourceMap } from './pad.js';
export { inTopKRow } from './in_top_k.js';
export { oneHotLayout } from './one_hot.js';
export type { Conv2DAttrs, Conv2DBackpropInputAttrs, Conv2DBackpropFilterAttrs, PoolAttrs, PoolGradAttrs, WindowAttrs } from './conv_util.js';
export type { SoftmaxAttrs } from './softmax.js';
export type { FusedConv2DAttrs } from './fused_conv2d.js';
export type { FusedMatmulAttrs } from './fused_matmul.js';
/** The fused ops' epilogues (act(z + bias) as elementwise rows) for backend kernels. */
export { EPILOGUES, FUSED_ACTIVATIONS, type FusedActivation, type FusedAttrs } from './fused_util.js';
/** Window geometry for backend kernels (conv and pooling). */
export { convGeometry, poolGeometry, type ConvGeometry, type PoolGeometry } from './conv_util.js';
