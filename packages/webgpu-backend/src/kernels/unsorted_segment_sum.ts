import { defs, sizeOf, type UnsortedSegmentSumAttrs } from '@eagerflow/core';
import { WG, wgslType, type WebGpuKernel } from '../kernel.js';
import { uw } from '../runtime.js';
import { linearProgram } from './index_ops.js';

/**
 * One thread per output element (segment, i) scans the ids: a gather formulation, deterministic
 * and without float atomics (WGSL has none). Negative ids are dropped; ids >= numSegments are
 * ignored (the CPU backend throws).
 */
export const unsortedSegmentSum: WebGpuKernel<UnsortedSegmentSumAttrs> = (ctx, [data, ids], { numSegments }, [out]) => {
  const dst = ctx.output(out!);
  const { rows, inner } = defs.segmentLayout(data!, ids!, numSegments);
  const total = sizeOf(out!.shape);
  if (total === 0) return [dst];
  const t = wgslType(data!.dtype);
  const program = linearProgram(`unsorted_segment_sum|${t}`, [t, 'i32'], [t], 3, `
  let inner = ${uw(2)}; let rows = ${uw(1)};
  let ii = i % inner; let s = i32(i / inner);
  var acc = ${t}(0);
  for (var k = 0u; k < rows; k++) { if (in1[k] == s) { acc += in0[k * inner + ii]; } }
  out0[i] = acc;`);
  ctx.rt.dispatch(program, [data!.buf, ids!.buf], [dst], [total, rows, inner], ctx.rt.grid(Math.ceil(total / WG)));
  return [dst];
};
