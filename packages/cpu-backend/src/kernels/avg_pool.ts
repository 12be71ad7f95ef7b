import { defs, type PoolAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';
import { allocF32 } from '../pool.js';

/** Average pooling over the in-bounds part of each window (TensorFlow's count). */
export const avgPool: CpuKernel<PoolAttrs> = ([x], attrs) => {
  const g = defs.poolGeometry('avgPool', x!.shape, attrs);
  const { n, h, w, c, kh, kw, oh, ow, sh, sw, pt, pl } = g;
  const xv = x!.values as Float32Array;
  const y = allocF32(n * oh * ow * c);
  let o = 0;
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < oh; oy++) {
      const y0 = Math.max(0, oy * sh - pt);
      const y1 = Math.min(h, oy * sh - pt + kh);
      for (let ox = 0; ox < ow; ox++, o += c) {
        const x0 = Math.max(0, ox * sw - pl);
        const x1 = Math.min(w, ox * sw - pl + kw);
        for (let iy = y0; iy < y1; iy++) {
          let src = ((b * h + iy) * w + x0) * c;
          for (let ix = x0; ix < x1; ix++, src += c) for (let ch = 0; ch < c; ch++) y[o + ch] += xv[src + ch]!;
        }
        const inv = 1 / ((y1 - y0) * (x1 - x0));
        for (let ch = 0; ch < c; ch++) y[o + ch] *= inv;
      }
    }
  return [y];
};
