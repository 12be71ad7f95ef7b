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

/**
 * For each output pixel, calls fn(outOffset, bestIndex): bestIndex[ch] is the flat input index of
 * the first maximum (row-major over the window) for each channel, as TensorFlow's MaxPoolGrad.
 */
export function forEachArgmax(x: Float32Array, g: PoolGeometry, fn: (o: number, best: Int32Array) => void): void {
  const { h, w, c } = g;
  const best = new Int32Array(c);
  const bestVal = new Float32Array(c);
  forEachWindow(g, (o, b, y0, y1, x0, x1) => {
    let first = true;
    for (let iy = y0; iy < y1; iy++)
      for (let ix = x0; ix < x1; ix++) {
        const src = ((b * h + iy) * w + ix) * c;
        if (first) {
          for (let ch = 0; ch < c; ch++) {
            bestVal[ch] = x[src + ch]!;
            best[ch] = src + ch;
          }
          first = false;
        } else {
          for (let ch = 0; ch < c; ch++) {
            const v = x[src + ch]!;
            if (v > bestVal[ch]!) {
              bestVal[ch] = v;
              best[ch] = src + ch;
            }
          }
        }
      }
    fn(o, best);
  });
}

/** Calls fn(outOffset, inOffset, count) for every (output pixel, in-bounds input pixel) pair. */
export function forEachWindowPixel(g: PoolGeometry, fn: (o: number, src: number, count: number) => void): void {
  const { h, w, c } = g;
  forEachWindow(g, (o, b, y0, y1, x0, x1) => {
    const count = (y1 - y0) * (x1 - x0);
    for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) fn(o, ((b * h + iy) * w + ix) * c, count);
  });
}
