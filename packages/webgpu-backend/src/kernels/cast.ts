import { sizeOf, type CastAttrs, type DType } from '@eagerflow/core';
import { LINEAR_INDEX, LINEAR_MAIN, WG, wgslType, type WebGpuKernel } from '../kernel.js';
import { cachedProgram, declareBindings, uw, type Program } from '../runtime.js';

/**
 * The vec4 conversion: float→int truncates toward zero; anything→bool is x != 0 (a float by its
 * bits without the sign, so NaN is true: compilers assuming finite math made NaN != 0 false);
 * bool is stored as u32.
 */
function convert(from: DType, to: DType): string {
  if (to === 'bool') {
    const t = wgslType(from);
    const nonzero = from === 'float32' ? '(bitcast<vec4<u32>>(x) & vec4<u32>(0x7fffffffu)) != vec4<u32>(0u)' : `x != vec4<${t}>(${t}(0))`;
    return `select(vec4<u32>(0u), vec4<u32>(1u), ${nonzero})`;
  }
  return from === to ? 'x' : `vec4<${wgslType(to)}>(x)`;
}

function castProgram(from: DType, to: DType): Program {
  return cachedProgram(`cast|${from}>${to}`, () => ({
    inputs: 1,
    outputs: 1,
    uniformWords: 1,
    code: () => `${declareBindings([`vec4<${wgslType(from)}>`], [`vec4<${wgslType(to)}>`], 1)}
${LINEAR_MAIN} {
  let i = ${LINEAR_INDEX};
  if (i >= ${uw(0)}) { return; }
  let x = in0[i];
  out0[i] = ${convert(from, to)};
}`,
  }));
}

// ---- int64 (a (low, high) u32 pair per element), with core's rules (dtype.ts) -------------------

const I64_TO_F32 = /* wgsl */ `
// The float32 nearest to an int64 (ties to even), from its magnitude's top 24 bits, round bit and sticky bits.
fn i64_to_f32(v: vec2<u32>) -> f32 {
  let neg = (v.y >> 31u) == 1u;
  var lo = v.x;
  var hi = v.y;
  if (neg) { lo = ~lo + 1u; hi = ~hi + select(0u, 1u, lo == 0u); }
  if (hi == 0u && lo < 0x1000000u) { let f = f32(lo); return select(f, -f, neg); }
  var lz: u32;
  if (hi != 0u) { lz = countLeadingZeros(hi); } else { lz = 32u + countLeadingZeros(lo); }
  var h: u32;
  var l: u32;
  if (lz >= 32u) { h = lo << (lz - 32u); l = 0u; }
  else if (lz == 0u) { h = hi; l = lo; }
  else { h = (hi << lz) | (lo >> (32u - lz)); l = lo << lz; }
  var m = h >> 8u;
  var e = 63u - lz;
  let sticky = (h & 0x7fu) != 0u || l != 0u;
  if ((h & 0x80u) != 0u && (sticky || (m & 1u) == 1u)) {
    m = m + 1u;
    if (m == 0x1000000u) { m = 0x800000u; e = e + 1u; }
  }
  return bitcast<f32>(select(0u, 0x80000000u, neg) | ((e + 127u) << 23u) | (m & 0x7fffffu));
}`;

const F32_TO_I64 = /* wgsl */ `
// float32 bits → int64: truncated toward zero; NaN → 0; saturated outside [-2^63, 2^63).
fn f32_to_i64(b: u32) -> vec2<u32> {
  let neg = (b >> 31u) == 1u;
  let ex = i32((b >> 23u) & 0xffu) - 127;
  if (ex == 128 && (b & 0x7fffffu) != 0u) { return vec2<u32>(0u, 0u); }
  if (ex >= 63) { return select(vec2<u32>(0xffffffffu, 0x7fffffffu), vec2<u32>(0u, 0x80000000u), neg); }
  if (ex < 0) { return vec2<u32>(0u, 0u); }
  let m = (b & 0x7fffffu) | 0x800000u;
  var lo: u32;
  var hi = 0u;
  if (ex <= 23) { lo = m >> u32(23 - ex); }
  else {
    let s = u32(ex - 23);
    if (s >= 32u) { hi = m << (s - 32u); lo = 0u; } else { lo = m << s; hi = m >> (32u - s); }
  }
  if (neg) { lo = ~lo + 1u; hi = ~hi + select(0u, 1u, lo == 0u); }
  return vec2<u32>(lo, hi);
}`;

/** One element per thread; int64 binds as vec2<u32>, float32 input as its u32 bits. */
function castInt64Program(from: DType, to: DType): Program {
  return cachedProgram(`cast64|${from}>${to}`, () => {
    const inType = from === 'int64' ? 'vec2<u32>' : from === 'float32' ? 'u32' : wgslType(from);
    const outType = to === 'int64' ? 'vec2<u32>' : wgslType(to);
    let helper = '';
    let body: string;
    if (from === to) body = 'x';
    else if (from === 'int64') {
      if (to === 'int32') body = 'bitcast<i32>(x.x)';
      else if (to === 'bool') body = 'select(0u, 1u, (x.x | x.y) != 0u)';
      else ((helper = I64_TO_F32), (body = 'i64_to_f32(x)'));
    } else if (from === 'int32') body = 'vec2<u32>(bitcast<u32>(x), select(0u, 0xffffffffu, x < 0))';
    else if (from === 'bool') body = 'vec2<u32>(select(0u, 1u, x != 0u), 0u)';
    else ((helper = F32_TO_I64), (body = 'f32_to_i64(x)'));
    return {
      inputs: 1,
      outputs: 1,
      uniformWords: 1,
      code: () => `${declareBindings([inType], [outType], 1)}
${helper}
${LINEAR_MAIN} {
  let i = ${LINEAR_INDEX};
  if (i >= ${uw(0)}) { return; }
  let x = in0[i];
  out0[i] = ${body};
}`,
    };
  });
}

/** Four elements per thread; pool buffers are 16-byte multiples so the tail vec4 stays in bounds. */
export const cast: WebGpuKernel<CastAttrs> = (ctx, [x], { dtype }, [out]) => {
  const dst = ctx.output(out!);
  const n = sizeOf(out!.shape);
  if (n === 0) return [dst];
  if (x!.dtype === 'int64' || dtype === 'int64') {
    ctx.rt.dispatch(castInt64Program(x!.dtype, dtype), [x!.buf], [dst], [n], ctx.rt.grid(Math.ceil(n / WG)));
    return [dst];
  }
  const program = castProgram(x!.dtype, dtype);
  const threads = Math.ceil(n / 4);
  ctx.rt.dispatch(program, [x!.buf], [dst], [threads], ctx.rt.grid(Math.ceil(threads / WG)));
  return [dst];
};
