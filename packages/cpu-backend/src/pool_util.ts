/** Window iteration shared by the CPU pooling kernels (NHWC, direct strided loops). */
import type { defs } from '@eagerflow/core';

type PoolGeometry = defs.PoolGeometry;

/**
 * The window loop every CPU pooling kernel shares: for each output pixel (in NHWC order), calls
 * fn(o, b, y0, y1, x0, x1) with `o` its flat offset (channel 0), `b` the image, and [y0, y1) ×
 * [x0, x1) the in-bounds rows and columns of its window.
 */
export function forEachWindow(g: PoolGeometry, fn: (o: number, b: number, y0: number, y1: number, x0: number, x1: number) => void): void {
  const { n, h, w, c, kh, kw, oh, ow, sh, sw, pt, pl } = g;
  let o = 0;
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < oh; oy++) {
      const y0 = Math.max(0, oy * sh - pt);
      const y1 = Math.min(h, oy * sh - pt + kh);
      for (let ox = 0; ox < ow; ox++, o += c) fn(o, b, y0, y1, Math.max(0, ox * sw - pl), Math.min(w, ox * sw - pl + kw));
    }
}

/** Calls fn(outOffset, inOffset, count) for every (output pixel, in-bounds input pixel) pair. */
export function forEachWindowPixel(g: PoolGeometry, fn: (o: number, src: number, count: number) => void): void {
  const { h, w, c } = g;
  forEachWindow(g, (o, b, y0, y1, x0, x1) => {
    const count = (y1 - y0) * (x1 - x0);
    for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) fn(o, ((b * h + iy) * w + ix) * c, count);
  });
}

let argScratch = new Int32Array(0);

/**
 * The flat input index of each output element's first maximum (row-major over the window, as
 * TensorFlow's MaxPoolGrad), computed with plain loops (no per-window callback). The returned
 * array is a reused scratch buffer: valid until the next call.
 */
export function maxPoolArgmax(x: Float32Array, g: PoolGeometry): Int32Array {
  const { n, h, w, c, kh, kw, oh, ow, sh, sw, pt, pl } = g;
  const size = n * oh * ow * c;
  if (argScratch.length < size) argScratch = new Int32Array(size);
  const arg = argScratch;
  let o = 0;
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < oh; oy++) {
      const y0 = Math.max(0, oy * sh - pt);
      const y1 = Math.min(h, oy * sh - pt + kh);
      for (let ox = 0; ox < ow; ox++, o += c) {
        const x0 = Math.max(0, ox * sw - pl);
        const x1 = Math.min(w, ox * sw - pl + kw);
        const first = ((b * h + y0) * w + x0) * c;
        if (y1 - y0 === 2 && x1 - x0 === 2) {
          // The common 2×2 window: four reads per channel, compared in row-major order.
          const rowStep = w * c;
          // Branch-free: on sign-random data (after a ReLU) `if (v > best)` mispredicts about
          // half the time; the comparisons are used as 0/1 masks instead (same float compares,
          // so NaN and ±0 ties pick the same element as the branchy form).
          for (let ch = 0; ch < c; ch++) {
            const i0 = first + ch, i1 = i0 + c, i2 = i0 + rowStep, i3 = i2 + c;
            let bi = i0;
            bi ^= (bi ^ i1) & -((x[i1]! > x[bi]!) as unknown as number);
            bi ^= (bi ^ i2) & -((x[i2]! > x[bi]!) as unknown as number);
            bi ^= (bi ^ i3) & -((x[i3]! > x[bi]!) as unknown as number);
            arg[o + ch] = bi;
          }
          continue;
        }
        for (let ch = 0; ch < c; ch++) {
          let bi = first + ch;
          let bv = x[bi]!;
          for (let iy = y0; iy < y1; iy++)
            for (let ix = x0, src = ((b * h + iy) * w + x0) * c + ch; ix < x1; ix++, src += c) {
              const v = x[src]!;
              if (v > bv) {
                bv = v;
                bi = src;
              }
            }
          arg[o + ch] = bi;
        }
      }
    }
  return arg;
}

/**
 * Whether every window is a whole 2×2 block at stride 2 (VALID, or SAME on even sizes) and there
 * are at least 4 channels: the geometries the SIMD kernels (wasm/pool_module.ts) take.
 */
export function isSimd2x2(g: PoolGeometry): boolean {
  return g.kh === 2 && g.kw === 2 && g.sh === 2 && g.sw === 2 && g.pt === 0 && g.pl === 0 && 2 * g.oh <= g.h && 2 * g.ow <= g.w && g.c >= 4;
}
