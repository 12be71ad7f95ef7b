import { sizeOf, type ApplyAdamAttrs } from '@eagerflow/core';
import { LINEAR_INDEX, LINEAR_MAIN, WG, type WebGpuKernel } from '../kernel.js';
import { cachedProgram, declareBindings, uf, uw } from '../runtime.js';

// Uniform words: 0 n, then as f32: 1 β₁, 2 1 − β₁, 3 β₂, 4 1 − β₂, 5 ε (the factors the unfused
// rows received, rounded to f32 the same way).
const program = () =>
  cachedProgram('apply_adam', () => ({
    inputs: 5,
    outputs: 3,
    uniformWords: 6,
    code: () => `${declareBindings(['f32', 'f32', 'f32', 'f32', 'f32'], ['f32', 'f32', 'f32'], 6)}
${LINEAR_MAIN} {
  let i = ${LINEAR_INDEX};
  if (i >= ${uw(0)}) { return; }
  let g = in3[i];
  let m = ${uf(1)} * in1[i] + ${uf(2)} * g;
  let v = ${uf(3)} * in2[i] + ${uf(4)} * g * g;
  out0[i] = in0[i] - in4[0] * (m / (sqrt(v) + ${uf(5)}));
  out1[i] = m;
  out2[i] = v;
}`,
  }));

/** var', m', v' in one dispatch (TensorFlow's ApplyAdam; see core's apply_adam.ts). */
export const applyAdam: WebGpuKernel<ApplyAdamAttrs> = (ctx, inputs, { beta1, beta2, epsilon }, outs) => {
  const dsts = outs.map((o) => ctx.output(o));
  const n = sizeOf(outs[0]!.shape);
  if (n === 0) return dsts;
  const words = new Uint32Array(6);
  words[0] = n;
  new Float32Array(words.buffer, 4).set([beta1, 1 - beta1, beta2, 1 - beta2, epsilon]);
  ctx.rt.dispatch(program(), inputs.map((t) => t.buf), dsts, words, ctx.rt.grid(Math.ceil(n / WG)));
  return dsts;
};
