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

/**
 * Fills cols[0 .. rows·K) with the receptive fields of output rows [m0, m0 + rows). Works along
 * runs of one output image row: per filter row ky, the pixels whose window row lies inside the
 * image copy kw·Cin contiguous values (dilation 1) without per-tap bounds checks.
 */
export function im2col(x: Float32Array, g: ConvGeometry, m0: number, rows: number, cols: Float32Array): void {
  const { h, w, ci, kh, kw, sh, sw, dh, dw, pt, pl } = g;
  const seg = kw * ci;
  const K = kh * seg;
  const runs = outputRuns(g, m0, rows);
  // Output columns whose window row [ox·sw - pl, ox·sw - pl + (kw-1)·dw] lies inside [0, w).
  const innerLo = Math.ceil(pl / sw);
  const innerHi = Math.floor((w - 1 - (kw - 1) * dw + pl) / sw);
  for (let q = 0, r0 = 0; q < runs.length; q += 4) {
    const b = runs[q]!, oy = runs[q + 1]!, ox0 = runs[q + 2]!, len = runs[q + 3]!;
    const lo = Math.min(len, Math.max(0, innerLo - ox0));
    const hi = Math.max(lo, Math.min(len, innerHi - ox0 + 1));
    for (let ky = 0; ky < kh; ky++) {
      const iy = oy * sh - pt + ky * dh;
      let o = r0 * K + ky * seg;
      if (iy < 0 || iy >= h) {
        for (let i = 0; i < len; i++, o += K) {
          if (seg >= SET_MIN) cols.fill(0, o, o + seg);
          else for (let e = 0; e < seg; e++) cols[o + e] = 0;
        }
        continue;
      }
      const rowBase = (b * h + iy) * w;
      // Interior pixels [lo, hi): kw·Cin contiguous values each (dilation 1). Small segments
      // (a 5×5 window on one channel: 5 floats) are plain loops; typed-array builtins cost more.
      if (dw === 1 && hi > lo) {
        const srcStep = sw * ci;
        let src = (rowBase + (ox0 + lo) * sw - pl) * ci;
        let d = o + lo * K;
        if (seg >= SET_MIN) for (let i = lo; i < hi; i++, d += K, src += srcStep) cols.set(x.subarray(src, src + seg), d);
        else for (let i = lo; i < hi; i++, d += K, src += srcStep) for (let e = 0; e < seg; e++) cols[d + e] = x[src + e]!;
      }
      for (let i = 0; i < len; i++, o += K) {
        if (i >= lo && i < hi && dw === 1) continue;
        const ix0 = (ox0 + i) * sw - pl;
        for (let kx = 0, p = o; kx < kw; kx++, p += ci) {
          const ix = ix0 + kx * dw;
          if (ix < 0 || ix >= w) {
            if (ci >= SET_MIN) cols.fill(0, p, p + ci);
            else for (let e = 0; e < ci; e++) cols[p + e] = 0;
          } else {
            const src = (rowBase + ix) * ci;
            if (ci >= SET_MIN) cols.set(x.subarray(src, src + ci), p);
            else for (let e = 0; e < ci; e++) cols[p + e] = x[src + e]!;
          }
        }
      }
    }
    r0 += len;
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

/**
 * Few output channels: the GEMMs run channel-major (filterᵀ · colsT), so their wide dimension is
 * the pixel count. Measured on 2 cores (LeNet's 5×5×1→6 conv): about 1.5–2× faster than the
 * pixel-major layout for Cout = 6, slower from Cout = 16 on.
 */
export function channelMajor(g: ConvGeometry): boolean {
  return g.co <= 8;
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

/**
 * Transposed columns: colsT[k][r] for k = (ky, kx, c) and output rows r in [m0, m0 + rows), so
 * filterᵀ · colsT gives the output tile channel-major. Used when Cout is small: the GEMM's wide
 * dimension is then the pixel count instead of Cout. Each k-row is written front to back as
 * strided copies of image rows (one run per output image row).
 */
export function im2colT(x: Float32Array, g: ConvGeometry, m0: number, rows: number, colsT: Float32Array): void {
  tapRuns(x, g, outputRuns(g, m0, rows), rows, colsT, false);
}

/** Adds colsT (layout of im2colT) back into dx. */
export function col2imT(colsT: Float32Array, g: ConvGeometry, m0: number, rows: number, dx: Float32Array): void {
  tapRuns(dx, g, outputRuns(g, m0, rows), rows, colsT, true);
}

/** Output rows [m0, m0 + rows) cut at image-row ends: quadruples (b, oy, ox0, len). */
function outputRuns(g: ConvGeometry, m0: number, rows: number): Int32Array {
  const plane = g.oh * g.ow;
  const out: number[] = [];
  for (let m = m0, end = m0 + rows; m < end; ) {
    const b = Math.floor(m / plane);
    const rem = m - b * plane;
    const oy = Math.floor(rem / g.ow);
    const ox0 = rem - oy * g.ow;
    const len = Math.min(g.ow - ox0, end - m);
    out.push(b, oy, ox0, len);
    m += len;
  }
  return Int32Array.from(out);
}

/**
 * For every filter tap k = (ky, kx, c) in order and every run in order, row k of colsT at run
 * offset dst + e is x[src + e·step] (zeros where the window reads padding): gathered into colsT
 * (im2colT), or, with `scatter`, added back into x (col2imT). Plain loops, no per-run callback.
 */
function tapRuns(x: Float32Array, g: ConvGeometry, runs: Int32Array, rows: number, colsT: Float32Array, scatter: boolean): void {
  const { h, w, ci, kh, kw, sh, sw, dh, dw, pt, pl } = g;
  const step = sw * ci;
  for (let ky = 0; ky < kh; ky++)
    for (let kx = 0; kx < kw; kx++) {
      const off = kx * dw - pl;
      // Output column ox reads ix = ox·sw + off; valid for ox in [oxLo, oxHi].
      const oxLo = Math.max(0, Math.ceil(-off / sw));
      const oxHi = Math.floor((w - 1 - off) / sw);
      for (let c = 0; c < ci; c++) {
        const rowK = ((ky * kw + kx) * ci + c) * rows;
        for (let q = 0, dst = rowK; q < runs.length; q += 4) {
          const b = runs[q]!, oy = runs[q + 1]!, ox0 = runs[q + 2]!, len = runs[q + 3]!;
          const iy = oy * sh - pt + ky * dh;
          let lo = len, hi = len;
          if (iy >= 0 && iy < h) {
            lo = Math.min(len, Math.max(0, oxLo - ox0));
            hi = Math.max(lo, Math.min(len, oxHi - ox0 + 1));
          }
          if (scatter) {
            for (let e = lo, s = ((b * h + iy) * w + (ox0 + lo) * sw + off) * ci + c; e < hi; e++, s += step) x[s] += colsT[dst + e]!;
          } else {
            for (let e = 0; e < lo; e++) colsT[dst + e] = 0;
            for (let e = lo, s = ((b * h + iy) * w + (ox0 + lo) * sw + off) * ci + c; e < hi; e++, s += step) colsT[dst + e] = x[s]!;
            for (let e = hi; e < len; e++) colsT[dst + e] = 0;
          }
          dst += len;
        }
      }
    }
}
