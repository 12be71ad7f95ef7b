/**
 * Strided copy shared by transpose and broadcast_to: out[i] = in[offset(i)], offsets from
 * per-dimension input strides in uniforms (0 where broadcast). Every dtype moves as raw u32
 * words, so one pipeline per (collapsed) rank serves all of them.
 */
import { sizeOf } from '@eagerflow/core';
import type { PooledBuffer } from '../buffer_pool.js';
import { LINEAR_INDEX, LINEAR_MAIN, WG, collapseDims, unravelOffsets, type KernelContext } from '../kernel.js';
import { declareBindings, uw, type Program } from '../runtime.js';

const programs = new Map<number, Program>();

function gatherProgram(rank: number): Program {
  let p = programs.get(rank);
  if (p) return p;
  const uniformWords = 1 + 2 * rank;
  p = {
    key: `gather|r${rank}`,
    inputs: 1,
    outputs: 1,
    uniformWords,
    code: () => `${declareBindings(['u32'], ['u32'], uniformWords)}
${LINEAR_MAIN} {
  let i = ${LINEAR_INDEX};
  if (i >= ${uw(0)}) { return; }
  ${rank === 0 ? 'let o0 = 0u;' : unravelOffsets('i', rank, 1, [1 + rank], uw)}
  out0[i] = in0[o0];
}`,
  };
  programs.set(rank, p);
  return p;
}

/** Writes `outShape` elements gathered from `src` with input strides `strides` (per output dim). */
export function gatherStrided(ctx: KernelContext, src: PooledBuffer, outShape: readonly number[], strides: readonly number[], dst: PooledBuffer): void {
  const n = sizeOf(outShape);
  if (n === 0) return;
  const c = collapseDims(outShape, [strides]);
  const rank = c.shape.length;
  const program = gatherProgram(rank);
  const words = new Uint32Array(program.uniformWords);
  words[0] = n;
  c.shape.forEach((d, j) => (words[1 + j] = d));
  c.strides[0]!.forEach((s, j) => (words[1 + rank + j] = s));
  ctx.rt.dispatch(program, [src], [dst], words, ctx.rt.grid(Math.ceil(n / WG)));
}
