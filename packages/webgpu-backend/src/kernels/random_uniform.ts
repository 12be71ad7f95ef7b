import { sizeOf, type RandomUniformAttrs } from '@eagerflow/core';
import { LINEAR_INDEX, LINEAR_MAIN, WG, type WebGpuKernel } from '../kernel.js';
import { cachedProgram, declareBindings, uw, type Program } from '../runtime.js';
import { PHILOX_WGSL, philoxUniforms } from './philox_wgsl.js';

/**
 * One thread per Philox block (4 words → 4 elements), bit-identical to core's uniformFloats /
 * uniformInts. float32: minval + u·range with the product rounded to f32 first: it passes through
 * an XOR with a runtime zero so no compiler can contract it into an fma. int32: minval + w % range
 * with u32 arithmetic. Uniforms: n, k0, k1, c2, c3, lo, range, zero.
 */
function uniformProgram(dtype: 'float32' | 'int32'): Program {
  return cachedProgram(`random_uniform|${dtype}`, () => {
    const value =
      dtype === 'float32'
        ? `let prod = ef_u01(w[l]) * bitcast<f32>(${uw(6)});
      let sep = bitcast<f32>(bitcast<u32>(prod) ^ ${uw(7)});
      out0[j] = bitcast<u32>(sep + bitcast<f32>(${uw(5)}));`
        : `out0[j] = ${uw(5)} + w[l] % ${uw(6)};`;
    return {
      inputs: 0,
      outputs: 1,
      uniformWords: 8,
      code: () => `${declareBindings([], ['u32'], 8)}
${PHILOX_WGSL}
${LINEAR_MAIN} {
  let b = ${LINEAR_INDEX};
  let n = ${uw(0)};
  if (b * 4u >= n) { return; }
  let w = ef_philox(vec4<u32>(b, 0u, ${uw(3)}, ${uw(4)}), vec2<u32>(${uw(1)}, ${uw(2)}));
  for (var l = 0u; l < 4u; l++) {
    let j = b * 4u + l;
    if (j < n) {
      ${value}
    }
  }
}`,
    };
  });
}

export const randomUniform: WebGpuKernel<RandomUniformAttrs> = (ctx, _inputs, a, [out]) => {
  const dst = ctx.output(out!);
  const n = sizeOf(a.shape);
  if (n === 0) return [dst];
  const words = philoxUniforms(n, a, 8);
  if (a.dtype === 'int32') {
    words[5] = a.minval; // two's complement; u32 adds wrap like the CPU's `| 0`
    words[6] = (a.maxval - a.minval) >>> 0;
  } else {
    const f = new Float32Array(words.buffer);
    const lo = Math.fround(a.minval);
    f[5] = lo;
    f[6] = Math.fround(Math.fround(a.maxval) - lo);
  }
  words[7] = 0;
  const blocks = Math.ceil(n / 4);
  ctx.rt.dispatch(uniformProgram(a.dtype === 'int32' ? 'int32' : 'float32'), [], [dst], words, ctx.rt.grid(Math.ceil(blocks / WG)));
  return [dst];
};
