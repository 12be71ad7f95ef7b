import { sizeOf, stridesOf, type PadAttrs } from '@eagerflow/core';
import { WG, type WebGpuKernel } from '../kernel.js';
import { uw, type Program } from '../runtime.js';
import { fillWords } from './fill.js';
import { stridedCopy, wordCopyProgram } from './strided_copy.js';

/** REFLECT / SYMMETRIC: each output coordinate mirrors back into the input (one reflection). */
function mirrorProgram(rank: number, symmetric: boolean): Program {
  // Words: 0 n, then per dim: out shape, in shape, before, in stride.
  return wordCopyProgram(`pad_mirror|r${rank}|${symmetric}`, 1 + 4 * rank, () => {
    const lines = ['var rem = i;', 'var s = 0u;'];
    for (let d = rank - 1; d >= 0; d--) {
      const [os, is, bf, st] = [uw(1 + d), uw(1 + rank + d), uw(1 + 2 * rank + d), uw(1 + 3 * rank + d)];
      lines.push(`{ let q = rem / ${os}; var j = i32(rem - q * ${os}) - i32(${bf}); rem = q; let n = i32(${is});
    if (j < 0) { j = ${symmetric ? '-j - 1' : '-j'}; } else if (j >= n) { j = ${symmetric ? '2 * n - 1 - j' : '2 * (n - 1) - j'}; }
    s += u32(j) * ${st}; }`);
    }
    return lines;
  }, 'i', 's');
}

export const pad: WebGpuKernel<PadAttrs> = (ctx, [x], { paddings, mode, constantValue }, [out]) => {
  const dst = ctx.output(out!);
  const shape = out!.shape;
  const n = sizeOf(shape);
  if (n === 0) return [dst];
  if (mode === 'CONSTANT' || sizeOf(x!.shape) === 0) {
    const bits = new Uint32Array(1);
    if (out!.dtype === 'float32') new Float32Array(bits.buffer)[0] = constantValue;
    else if (out!.dtype === 'int32') new Int32Array(bits.buffer)[0] = constantValue;
    else bits[0] = constantValue ? 1 : 0;
    fillWords(ctx, dst, n, bits[0]!);
    const os = stridesOf(shape);
    let off = 0;
    paddings.forEach(([b], d) => (off += b * os[d]!));
    stridedCopy(ctx, x!.buf, 0, stridesOf(x!.shape), dst, off, os, x!.shape);
    return [dst];
  }
  const r = shape.length;
  const program = mirrorProgram(r, mode === 'SYMMETRIC');
  const words = new Uint32Array(program.uniformWords);
  words[0] = n;
  const is = stridesOf(x!.shape);
  for (let d = 0; d < r; d++) {
    words[1 + d] = shape[d]!;
    words[1 + r + d] = x!.shape[d]!;
    words[1 + 2 * r + d] = paddings[d]![0];
    words[1 + 3 * r + d] = is[d]!;
  }
  ctx.rt.dispatch(program, [x!.buf], [dst], words, ctx.rt.grid(Math.ceil(n / WG)));
  return [dst];
};
