/**
 * Pooling (NHWC), one thread per output element (forward) or per input element (backward, so
 * every gradient is a gather: no atomics). Windows cover only in-bounds pixels, as TensorFlow:
 * max takes the first maximum in row-major window order, avg divides by the real-pixel count.
 */
import { defs, sizeOf, type PoolAttrs } from '@eagerflow/core';
import type { PooledBuffer } from '../buffer_pool.js';
import { LINEAR_INDEX, LINEAR_MAIN, WG, type KernelContext } from '../kernel.js';
import { cachedProgram, declareBindings, uw, type Program } from '../runtime.js';

export type PoolKind = 'max_pool' | 'avg_pool' | 'max_pool_grad' | 'max_pool_grad_grad' | 'avg_pool_grad';
const W = 13; // 0 total, 1 n, 2 h, 3 w, 4 c, 5 kh, 6 kw, 7 oh, 8 ow, 9 sh, 10 sw, 11 pt, 12 pl

const COMMON = `
fn win(oy: u32, ox: u32) -> vec4<u32> {
  let y = i32(oy * ${uw(9)}) - i32(${uw(11)});
  let x = i32(ox * ${uw(10)}) - i32(${uw(12)});
  return vec4<u32>(u32(max(y, 0)), u32(min(y + i32(${uw(5)}), i32(${uw(2)}))), u32(max(x, 0)), u32(min(x + i32(${uw(6)}), i32(${uw(3)}))));
}
/** Flat input index of the first maximum of window (b, oy, ox) in channel ch. */
fn argmaxAt(b: u32, oy: u32, ox: u32, ch: u32) -> u32 {
  let r = win(oy, ox);
  let W = ${uw(3)}; let H = ${uw(2)}; let C = ${uw(4)};
  var best = ((b * H + r.x) * W + r.z) * C + ch;
  var bv = in0[best];
  for (var iy = r.x; iy < r.y; iy++) {
    for (var ix = r.z; ix < r.w; ix++) {
      let s = ((b * H + iy) * W + ix) * C + ch;
      let v = in0[s];
      if (v > bv) { bv = v; best = s; }
    }
  }
  return best;
}`;

function program(kind: PoolKind): Program {
  return cachedProgram(`pool|${kind}`, () => {
    const forward = kind === 'max_pool' || kind === 'avg_pool' || kind === 'max_pool_grad_grad';
    const ins = kind === 'max_pool_grad' || kind === 'max_pool_grad_grad' ? 2 : 1;
    // Forward: i over outputs (b, oy, ox, ch); backward: i over inputs (b, iy, ix, ch).
    const decode = forward
      ? `let ch = i % C; let p = i / C; let ox = p % ${uw(8)}; let q = p / ${uw(8)}; let oy = q % ${uw(7)}; let b = q / ${uw(7)};`
      : `let ch = i % C; let p = i / C; let ix = p % ${uw(3)}; let q = p / ${uw(3)}; let iy = q % ${uw(2)}; let b = q / ${uw(2)};`;
    // Outputs whose window holds input row iy: oy*sh - pt <= iy < oy*sh - pt + kh.
    const covering = `
  let sh = ${uw(9)}; let sw = ${uw(10)};
  let ylo = i32(iy + ${uw(11)}) - i32(${uw(5)}) + 1;
  let xlo = i32(ix + ${uw(12)}) - i32(${uw(6)}) + 1;
  let oy0 = u32(max(0, (ylo + i32(sh) - 1) / i32(sh)));
  let ox0 = u32(max(0, (xlo + i32(sw) - 1) / i32(sw)));
  let oy1 = min(${uw(7)}, (iy + ${uw(11)}) / sh + 1u);
  let ox1 = min(${uw(8)}, (ix + ${uw(12)}) / sw + 1u);
  var acc = 0.0;
  for (var oy = oy0; oy < oy1; oy++) {
    for (var ox = ox0; ox < ox1; ox++) {
      let o = ((b * ${uw(7)} + oy) * ${uw(8)} + ox) * C + ch;`;
    let body: string;
    switch (kind) {
      case 'max_pool':
        body = 'out0[i] = in0[argmaxAt(b, oy, ox, ch)];';
        break;
      case 'max_pool_grad_grad':
        body = 'out0[i] = in1[argmaxAt(b, oy, ox, ch)];';
        break;
      case 'avg_pool':
        body = `let r = win(oy, ox);
  var s = 0.0;
  for (var iy = r.x; iy < r.y; iy++) {
    for (var ix = r.z; ix < r.w; ix++) { s += in0[((b * ${uw(2)} + iy) * ${uw(3)} + ix) * C + ch]; }
  }
  out0[i] = s / f32((r.y - r.x) * (r.w - r.z));`;
        break;
      case 'max_pool_grad':
        body = `${covering}
      if (argmaxAt(b, oy, ox, ch) == i) { acc += in1[o]; }
    }
  }
  out0[i] = acc;`;
        break;
      case 'avg_pool_grad':
        body = `${covering}
      let r = win(oy, ox);
      acc += in0[o] / f32((r.y - r.x) * (r.w - r.z));
    }
  }
  out0[i] = acc;`;
        break;
    }
    const code = () => `${declareBindings(Array(ins).fill('f32'), ['f32'], W)}
${kind === 'avg_pool_grad' ? COMMON.slice(0, COMMON.indexOf('/** Flat')) : COMMON}
${LINEAR_MAIN} {
  let i = ${LINEAR_INDEX};
  if (i >= ${uw(0)}) { return; }
  let C = ${uw(4)};
  ${decode}
  ${body}
}`;
    return { inputs: ins, outputs: 1, uniformWords: W, code };
  });
}

export function runPool(ctx: KernelContext, kind: PoolKind, inputs: readonly PooledBuffer[], xShape: readonly number[], attrs: PoolAttrs, dst: PooledBuffer): PooledBuffer {
  const g = defs.poolGeometry(kind, xShape, attrs);
  const forward = kind === 'max_pool' || kind === 'avg_pool' || kind === 'max_pool_grad_grad';
  const total = forward ? g.n * g.oh * g.ow * g.c : sizeOf(xShape);
  if (total === 0) return dst;
  const words = [total, g.n, g.h, g.w, g.c, g.kh, g.kw, g.oh, g.ow, g.sh, g.sw, g.pt, g.pl];
  ctx.rt.dispatch(program(kind), inputs, [dst], words, ctx.rt.grid(Math.ceil(total / WG)));
  return dst;
}
