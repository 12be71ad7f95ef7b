/**
 * The forward conv2d's column matrix, kept for the matching filter gradient. Training computes
 * conv2d(x, W) and later conv2d_backprop_filter(x, dy) on the same x: both build the same
 * im2col columns. Only the channel-major form (few output channels, LeNet's first layer, where
 * the gather is most of the pass) is kept; one entry, taken once, dropped when x's array is
 * recycled (tensor arrays are immutable while referenced, and only the pool hands an array
 * out again, so identity plus geometry identifies the contents).
 */
import type { defs } from '@eagerflow/core';

/** At most 16 MiB of columns are kept. */
const MAX_FLOATS = 1 << 22;

let buffer = new Float32Array(0);
let entry: { x: Float32Array; key: string; floats: number } | null = null;

function keyOf(g: defs.ConvGeometry): string {
  return [g.n, g.h, g.w, g.ci, g.kh, g.kw, g.sh, g.sw, g.dh, g.dw, g.pt, g.pl, g.oh, g.ow].join(',');
}

/** A buffer for all of x's columns (m·k floats) to fill during the forward pass, or null when too big. */
export function columnsToKeep(x: Float32Array, g: defs.ConvGeometry, floats: number): Float32Array | null {
  entry = null;
  if (floats > MAX_FLOATS) return null;
  if (buffer.length < floats) buffer = new Float32Array(floats);
  entry = { x, key: keyOf(g), floats };
  return buffer;
}

/** The kept columns of x for geometry g (valid until the next conv2d), once; else null. */
export function takeColumns(x: Float32Array, g: defs.ConvGeometry, floats: number): Float32Array | null {
  const e = entry;
  entry = null;
  if (!e || e.x !== x || e.floats !== floats || e.key !== keyOf(g)) return null;
  return buffer.subarray(0, floats);
}

/** x's array is going back to the pool: its columns no longer describe it. */
export function forgetColumns(values: unknown): void {
  if (entry && entry.x === values) entry = null;
}

/** A kernel that did not fill the kept buffer (an error mid-pass) must not leave an entry. */
export function dropColumns(): void {
  entry = null;
}
