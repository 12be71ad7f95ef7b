import { defs, type PoolAttrs } from '@eagerflow/core';
import type { CpuKernel } from '../kernel.js';
import { allocF32 } from '../pool.js';
import { forEachWindow } from '../pool_util.js';

/** Average pooling over the in-bounds part of each window (TensorFlow's count). */
export const avgPool: CpuKernel<PoolAttrs> = ([x], attrs) => {
  const g = defs.poolGeometry('avgPool', x!.shape, attrs);
  const { n, h, w, c, oh, ow } = g;
  const xv = x!.values as Float32Array;
  const y = allocF32(n * oh * ow * c);
  forEachWindow(g, (o, b, y0, y1, x0, x1) => {
    for (let iy = y0; iy < y1; iy++) {
      let src = ((b * h + iy) * w + x0) * c;
      for (let ix = x0; ix < x1; ix++, src += c) for (let ch = 0; ch < c; ch++) y[o + ch] += xv[src + ch]!;
    }
    const inv = 1 / ((y1 - y0) * (x1 - x0));
    for (let ch = 0; ch < c; ch++) y[o + ch] *= inv;
  });
  return [y];
};
