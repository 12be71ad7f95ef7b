import { defs, type PoolAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';
import { allocF32 } from '../pool.js';
import { forEachWindow } from '../pool_util.js';

/** Max pooling with direct strided loops; channels innermost (contiguous in NHWC). */
export const maxPool: CpuKernel<PoolAttrs> = ([x], attrs) => {
  const g = defs.poolGeometry('maxPool', x!.shape, attrs);
  const { n, h, w, c, oh, ow } = g;
  const xv = x!.values as Float32Array;
  const y = allocF32(n * oh * ow * c);
  forEachWindow(g, (o, b, y0, y1, x0, x1) => {
    let first = true;
    for (let iy = y0; iy < y1; iy++) {
      let src = ((b * h + iy) * w + x0) * c;
      for (let ix = x0; ix < x1; ix++, src += c) {
        if (first) {
          for (let ch = 0; ch < c; ch++) y[o + ch] = xv[src + ch]!;
          first = false;
        } else {
          for (let ch = 0; ch < c; ch++) {
            const v = xv[src + ch]!;
            if (v > y[o + ch]!) y[o + ch] = v;
          }
        }
      }
    }
  });
  return [y];
};
