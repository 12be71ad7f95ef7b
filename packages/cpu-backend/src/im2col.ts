/**
 * im2col / col2im for NHWC conv2d on the CPU. A "column" row holds one output pixel's receptive
 * field in filter order (ky, kx, c), so cols[rows × KH·KW·Cin] · filter[KH·KW·Cin × Cout] is the
 * output tile in NHWC order. Kernels work on tiles of output rows so the buffer stays bounded.
 */
import type { defs } from '@eagerflow/core';

type ConvGeometry = defs.ConvGeometry;

/** Floats of column buffer per tile (4 MiB): big enough that per-GEMM packing is amortised. */
const TILE_FLOATS = 1 << 20;

/** Output rows per tile for a row length of `k` (a multiple of 4 where possible). */
export function tileRows(k: number, total: number): number {
  let r = Math.max(4, Math.floor(TILE_FLOATS / Math.max(k, 1)));
  if (r > 8) r -= r % 8;
  return Math.min(r, total);
}

const scratch: Float32Array[] = [];
/** A reusable buffer per slot (kernels run one at a time on this thread). */
export function scratchBuffer(slot: number, n: number): Float32Array {
  let b = scratch[slot];
  if (!b || b.length < n) {
    b = new Float32Array(Math.max(n, Math.ceil((b?.length ?? 0) * 1.5)));
    scratch[slot] = b;
  }
  return b;
}

/** Copy threshold: below it a plain loop beats subarray + set. */
const SET_MIN = 48;

/** Fills cols[0 .. rows·K) with the receptive fields of output rows [m0, m0 + rows). */
export function im2col(x: Float32Array, g: ConvGeometry, m0: number, rows: number, cols: Float32Array): void {
  const { h, w, ci, kh, kw, oh, ow, sh, sw, dh, dw, pt, pl } = g;
  const seg = kw * ci;
  const plane = oh * ow;
  let b = Math.floor(m0 / plane);
  let rem = m0 - b * plane;
  let oy = Math.floor(rem / ow);
  let ox = rem - oy * ow;
  let o = 0;
  for (let r = 0; r < rows; r++) {
    const iy0 = oy * sh - pt;
    const ix0 = ox * sw - pl;
    const xb = b * h * w * ci;
    const contiguous = dw === 1 && ix0 >= 0 && ix0 + kw <= w;
    for (let ky = 0; ky < kh; ky++) {
      const iy = iy0 + ky * dh;
      if (iy < 0 || iy >= h) {
        cols.fill(0, o, o + seg);
        o += seg;
        continue;
      }
      const rowBase = xb + iy * w * ci;
      if (contiguous) {
        const src = rowBase + ix0 * ci;
        if (seg >= SET_MIN) cols.set(x.subarray(src, src + seg), o);
        else for (let e = 0; e < seg; e++) cols[o + e] = x[src + e]!;
        o += seg;
        continue;
      }
      for (let kx = 0; kx < kw; kx++) {
        const ix = ix0 + kx * dw;
        if (ix < 0 || ix >= w) cols.fill(0, o, o + ci);
        else {
          const src = rowBase + ix * ci;
          if (ci >= SET_MIN) cols.set(x.subarray(src, src + ci), o);
          else for (let e = 0; e < ci; e++) cols[o + e] = x[src + e]!;
        }
        o += ci;
      }
    }
    if (++ox === ow) {
      ox = 0;
      if (++oy === oh) {
        oy = 0;
        b++;
      }
    }
  }
}

/** Adds cols[0 .. rows·K) back into dx at the positions im2col read them from. */
export function col2im(cols: Float32Array, g: ConvGeometry, m0: number, rows: number, dx: Float32Array): void {
  const { h, w, ci, kh, kw, oh, ow, sh, sw, dh, dw, pt, pl } = g;
  const seg = kw * ci;
  const plane = oh * ow;
  let b = Math.floor(m0 / plane);
  let rem = m0 - b * plane;
  let oy = Math.floor(rem / ow);
  let ox = rem - oy * ow;
  let o = 0;
  for (let r = 0; r < rows; r++) {
    const iy0 = oy * sh - pt;
    const ix0 = ox * sw - pl;
    const xb = b * h * w * ci;
    const contiguous = dw === 1 && ix0 >= 0 && ix0 + kw <= w;
    for (let ky = 0; ky < kh; ky++) {
      const iy = iy0 + ky * dh;
      if (iy < 0 || iy >= h) {
        o += seg;
        continue;
      }
      const rowBase = xb + iy * w * ci;
      if (contiguous) {
        const dst = rowBase + ix0 * ci;
        for (let e = 0; e < seg; e++) dx[dst + e] += cols[o + e]!;
        o += seg;
        continue;
      }
      for (let kx = 0; kx < kw; kx++) {
        const ix = ix0 + kx * dw;
        if (ix >= 0 && ix < w) {
          const dst = rowBase + ix * ci;
          for (let e = 0; e < ci; e++) dx[dst + e] += cols[o + e]!;
        }
        o += ci;
      }
    }
    if (++ox === ow) {
      ox = 0;
      if (++oy === oh) {
        oy = 0;
        b++;
      }
    }
  }
}

/** True when conv2d is a plain GEMM over pixels: 1×1 window, stride 1, no padding. */
export function isPointwise(g: ConvGeometry): boolean {
  return g.kh === 1 && g.kw === 1 && g.sh === 1 && g.sw === 1 && g.pt === 0 && g.pl === 0 && g.oh === g.h && g.ow === g.w;
}

/** [K × Co] filter as [Co × K] (for dx = dy · Wᵀ without a transposed GEMM operand). */
export function transposeFilter(f: Float32Array, k: number, co: number, out: Float32Array): Float32Array {
  for (let p = 0; p < k; p++) for (let j = 0; j < co; j++) out[j * k + p] = f[p * co + j]!;
  return out;
}
