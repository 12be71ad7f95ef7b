/**
 * im2col / col2im for NHWC conv2d on the CPU. A "column" row holds one output pixel's receptive
 * field in filter order (ky, kx, c), so cols[rows × KH·KW·Cin] · filter[KH·KW·Cin × Cout] is the
 * output tile in NHWC order. The columns are never materialized: the GEMM reads them through
 * offset tables (`convColumns`). Kernels work on tiles of output rows so the GEMM's packed
 * buffers stay bounded.
 */
import type { defs } from '@eagerflow/core';
import type { Indexed } from './gemm.js';

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

/** Below this many floats a plain loop beats subarray + set. */
const SET_MIN = 48;

function copy(dst: Float32Array, d: number, src: Float32Array, s: number, n: number): void {
  if (n >= SET_MIN) dst.set(src.subarray(s, s + n), d);
  else for (let e = 0; e < n; e++) dst[d + e] = src[s + e]!;
}

/** Offset tables by geometry and tile: every training step asks for the same ones. */
const tables = new Map<string, [Int32Array, Int32Array]>();
const MAX_TABLES = 64;

/**
 * The pixel offsets of `rows` output pixels from pixel `first` of an image (into padded images of
 * hp × wp, one after another) and the taps' offsets, in filter order (ky, kx, c); cached (they
 * are never written).
 */
function offsetTables(g: ConvGeometry, hp: number, wp: number, first: number, rows: number): [Int32Array, Int32Array] {
  const { ci, kh, kw, oh, ow, sh, sw, dh, dw } = g;
  const key = `${hp},${wp},${ci},${kh},${kw},${oh},${ow},${sh},${sw},${dh},${dw},${first},${rows}`;
  const hit = tables.get(key);
  if (hit) return hit;
  const image = hp * wp * ci;
  const pixels = new Int32Array(rows);
  let oy = Math.floor(first / ow);
  let ox = first - oy * ow;
  for (let i = 0, b = 0; i < rows; i++) {
    pixels[i] = b * image + (oy * sh * wp + ox * sw) * ci;
    if (++ox === ow) {
      ox = 0;
      if (++oy === oh) {
        oy = 0;
        b++;
      }
    }
  }
  const taps = new Int32Array(kh * kw * ci);
  for (let ky = 0, t = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) for (let c = 0; c < ci; c++) taps[t++] = (ky * dh * wp + kx * dw) * ci + c;
  if (tables.size >= MAX_TABLES) tables.clear();
  tables.set(key, [pixels, taps]);
  return [pixels, taps];
}

/**
 * The columns of output rows [m0, m0 + rows) as offset tables into a zero-padded copy of the
 * images those rows read (so no tap needs a bounds check): column value (pixel i, tap p) is
 * padded[pixel[i] + tap[p]], taps in filter order (ky, kx, c). With `pixelsOuter` the pixel
 * offsets are the outer table (im2col: rows are pixels), else the inner one (im2colᵀ).
 * `load` writes the padded copy of `x`; `store` writes its interior back into `x` (col2im: the
 * GEMM added its columns into the copy, in the order col2im adds them).
 */
export function convColumns(x: Float32Array, g: ConvGeometry, m0: number, rows: number, pixelsOuter: boolean): Indexed {
  const { h, w, ci, kh, kw, oh, ow, sh, sw, dh, dw, pt, pl } = g;
  const plane = oh * ow;
  const b0 = Math.floor(m0 / plane);
  const b1 = Math.floor((m0 + rows - 1) / plane) + 1;
  // Padded extent: the image with its top/left padding, or the last window's far edge.
  const hp = Math.max(h + pt, (oh - 1) * sh + (kh - 1) * dh + 1);
  const wp = Math.max(w + pl, (ow - 1) * sw + (kw - 1) * dw + 1);
  const image = hp * wp * ci;
  const [pixels, taps] = offsetTables(g, hp, wp, m0 - b0 * plane, rows);
  const floats = (b1 - b0) * image;
  const row = w * ci;
  const dense = hp === h && wp === w; // no padding: the images as they are
  const at = (b: number, y: number) => ((b - b0) * hp + y + pt) * wp * ci + pl * ci;
  return {
    floats,
    outer: pixelsOuter ? pixels : taps,
    inner: pixelsOuter ? taps : pixels,
    load(dst, off) {
      if (dense) return copy(dst, off, x, b0 * image, floats);
      dst.fill(0, off, off + floats);
      for (let b = b0; b < b1; b++) for (let y = 0; y < h; y++) copy(dst, off + at(b, y), x, (b * h + y) * row, row);
    },
    store(src, off) {
      if (dense) return copy(x, b0 * image, src, off, floats);
      for (let b = b0; b < b1; b++) for (let y = 0; y < h; y++) copy(x, (b * h + y) * row, src, off + at(b, y), row);
    },
  };
}

/**
 * Few output channels: the input gradient's GEMM runs channel-major (filter · dyᵀ), so its wide
 * dimension is the pixel count. (The forward conv is pixel-major: with gathered columns and the
 * compacting store, the two forms cost the same there and pixel-major needs no transpose.)
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

