/**
 * Strided copies, the workhorse of the array ops: walk an index space `shape`; read the source
 * at srcBase + Σ idx·srcStride and write the destination at dstBase + Σ idx·dstStride (strides
 * may be negative: reversed slices). Every dtype moves as raw u32 words, so one pipeline per
 * (merged) rank serves them all. transpose, broadcast_to, tile, concat, split, strided_slice
 * (and its gradient) and constant pad are all this kernel with different strides.
 */
import { sizeOf, stridesOf } from '@eagerflow/core';
import type { PooledBuffer } from '../buffer_pool.js';
import { LINEAR_INDEX, LINEAR_MAIN, WG, collapseDims, type KernelContext } from '../kernel.js';
import { cachedProgram, declareBindings, ui, uw, type Program } from '../runtime.js';

/**
 * A one-thread-per-output-word program moving raw u32 words: thread i runs `lines()` (WGSL,
 * built on first compile) and then does out0[dstIndex] = in0[srcIndex]. Cached by `key`; uniform
 * word 0 is the element count.
 */
export function wordCopyProgram(key: string, uniformWords: number, lines: () => readonly string[], dstIndex: string, srcIndex: string): Program {
  return cachedProgram(key, () => ({
    inputs: 1,
    outputs: 1,
    uniformWords,
    code: () => `${declareBindings(['u32'], ['u32'], uniformWords)}
${LINEAR_MAIN} {
  let i = ${LINEAR_INDEX};
  if (i >= ${uw(0)}) { return; }
  ${lines().join('\n  ')}
  out0[${dstIndex}] = in0[${srcIndex}];
}`,
  }));
}

function copyProgram(rank: number): Program {
  // Words: 0 n, 1 srcBase, 2 dstBase, 3.. shape[rank], src strides[rank] (i32), dst strides[rank] (i32).
  return wordCopyProgram(`strided_copy|r${rank}`, 3 + 3 * rank, () => {
    const lines: string[] = ['var rem = i;', `var s = ${ui(1)};`, `var d = ${ui(2)};`];
    for (let k = rank - 1; k >= 0; k--) {
      if (k === 0) lines.push(`s += i32(rem) * ${ui(3 + rank + k)}; d += i32(rem) * ${ui(3 + 2 * rank + k)};`);
      else lines.push(`{ let q = rem / ${uw(3 + k)}; let c = i32(rem - q * ${uw(3 + k)}); rem = q; s += c * ${ui(3 + rank + k)}; d += c * ${ui(3 + 2 * rank + k)}; }`);
    }
    return lines;
  }, 'u32(d)', 'u32(s)');
}

/** dst[dstBase + Σ idx·dstStrides] = src[srcBase + Σ idx·srcStrides] for idx over `shape`. */
export function stridedCopy(
  ctx: KernelContext, src: PooledBuffer, srcBase: number, srcStrides: readonly number[],
  dst: PooledBuffer, dstBase: number, dstStrides: readonly number[], shape: readonly number[],
): void {
  const n = sizeOf(shape);
  if (n === 0) return;
  const c = collapseDims(shape, [srcStrides, dstStrides]);
  const rank = c.shape.length;
  const program = copyProgram(rank);
  const words = new Int32Array(program.uniformWords);
  words[0] = n;
  words[1] = srcBase;
  words[2] = dstBase;
  c.shape.forEach((d, j) => (words[3 + j] = d));
  c.strides[0]!.forEach((s, j) => (words[3 + rank + j] = s));
  c.strides[1]!.forEach((s, j) => (words[3 + 2 * rank + j] = s));
  ctx.rt.dispatch(program, [src], [dst], new Uint32Array(words.buffer), ctx.rt.grid(Math.ceil(n / WG)));
}

/** Writes `outShape` elements gathered from `src` with input strides `strides` (per output dim). */
export function gatherStrided(ctx: KernelContext, src: PooledBuffer, outShape: readonly number[], strides: readonly number[], dst: PooledBuffer): void {
  stridedCopy(ctx, src, 0, strides, dst, 0, stridesOf(outShape), outShape);
}
