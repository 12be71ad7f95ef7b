/**
 * Shared geometry for conv2d and pooling (NHWC): argument normalisation in TensorFlow's three
 * spellings, TensorFlow's padding arithmetic, validation, and float64 reference loops.
 * Not an op: the op declarations are conv2d.ts, conv2d_backprop_input.ts, max_pool.ts, ….
 */
import { OpError, fmtShape } from '../../errors.js';
import type { Shape } from '../../shape.js';
import type { HostTensor, TensorInfo } from '../op_def.js';

/** `2`, `[2, 2]` or TensorFlow's `[1, 2, 2, 1]`. */
export type HW = number | readonly number[];
/** 'SAME' | 'VALID' (any case), or explicit `[[0,0],[top,bottom],[left,right],[0,0]]` (or just the two middle pairs). */
export type Padding = string | readonly (readonly number[])[];

/** Resolved window geometry: what the op attributes hold (backends never see 'SAME'). */
export interface WindowAttrs {
  strides: [number, number];
  /** [top, bottom, left, right], resolved with TensorFlow's SAME/VALID arithmetic. */
  pads: [number, number, number, number];
}

export interface Conv2DAttrs extends WindowAttrs {
  dilations: [number, number];
}
export interface Conv2DBackpropInputAttrs extends Conv2DAttrs {
  /** Shape of the forward input x, [N, H, W, Cin]. */
  inputShape: number[];
}
export interface Conv2DBackpropFilterAttrs extends Conv2DAttrs {
  /** Shape of the filter, [KH, KW, Cin, Cout]. */
  filterShape: number[];
}
export interface PoolAttrs extends WindowAttrs {
  ksize: [number, number];
}
export interface PoolGradAttrs extends PoolAttrs {
  /** Shape of the forward input x, [N, H, W, C]. */
  inputShape: number[];
}

/** An argument as JSON, with NaN and ±Infinity shown as such (JSON.stringify prints null). */
function show(v: unknown): string {
  const json = JSON.stringify(v, (_k, e: unknown) => (typeof e === 'number' && !Number.isFinite(e) ? `${e}` : e)) as string | undefined;
  return json === undefined ? String(v) : json.replace(/"(-?Infinity|NaN)"/g, '$1');
}

/** Normalises a per-dimension value given as n, [h, w] or [1, h, w, 1] (NHWC). */
export function normalizeHW(op: string, arg: string, v: HW | undefined, dflt?: number): [number, number] {
  let pair: [number, number];
  if (v === undefined) {
    if (dflt === undefined) throw new OpError(op, `${arg} is required`);
    pair = [dflt, dflt];
  } else if (typeof v === 'number') pair = [v, v];
  else if (v.length === 1) pair = [v[0]!, v[0]!];
  else if (v.length === 2) pair = [v[0]!, v[1]!];
  else if (v.length === 4) {
    if (v[0] !== 1 || v[3] !== 1) {
      throw new OpError(op, `${arg} ${show(v)} must be 1 in the batch and channel dimensions (NHWC), found ${v[0]} and ${v[3]}`);
    }
    pair = [v[1]!, v[2]!];
  } else throw new OpError(op, `${arg} must be a number, [h, w] or [1, h, w, 1]; found ${show(v)}`);
  for (const e of pair) {
    if (!Number.isInteger(e) || e < 1) throw new OpError(op, `${arg} must be positive integers, found ${show(v)}`);
  }
  return pair;
}

export function checkFormat(op: string, dataFormat: string | undefined): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC') throw new OpError(op, `dataFormat '${dataFormat}' is not supported; use 'NHWC'`);
}

/** Conv attrs from the public arguments: strides and dilations normalised, padding resolved for these shapes. */
export function resolveConvAttrs(op: string, xShape: readonly number[], fShape: readonly number[], strides: HW, padding: Padding, options: { dilations?: HW; dataFormat?: string }): Conv2DAttrs {
  checkFormat(op, options.dataFormat);
  const s = normalizeHW(op, 'strides', strides);
  const d = normalizeHW(op, 'dilations', options.dilations, 1);
  const pads = resolvePadding(op, padding, xShape[1]!, xShape[2]!, (fShape[0]! - 1) * d[0] + 1, (fShape[1]! - 1) * d[1] + 1, s);
  return { strides: s, dilations: d, pads };
}

/** Output size along one dimension with explicit pads; TensorFlow's SAME/VALID pads resolve to this. */
export function windowOutSize(inSize: number, effK: number, stride: number, padBefore: number, padAfter: number): number {
  return Math.floor((inSize + padBefore + padAfter - effK) / stride) + 1;
}

/**
 * Resolves TensorFlow padding for one NHWC input: SAME gives out = ceil(in / stride) with
 * total = max((out - 1)·stride + effK - in, 0), top/left = floor(total / 2) (the extra row goes
 * after); VALID gives no padding; explicit pads are validated.
 */
export function resolvePadding(op: string, padding: Padding, inH: number, inW: number, effKH: number, effKW: number, strides: [number, number]): [number, number, number, number] {
  if (typeof padding === 'string') {
    const mode = padding.toUpperCase();
    if (mode === 'VALID') return [0, 0, 0, 0];
    if (mode === 'SAME') {
      const tot = (inSize: number, k: number, s: number) => Math.max((Math.ceil(inSize / s) - 1) * s + k - inSize, 0);
      const th = tot(inH, effKH, strides[0]);
      const tw = tot(inW, effKW, strides[1]);
      return [Math.floor(th / 2), th - Math.floor(th / 2), Math.floor(tw / 2), tw - Math.floor(tw / 2)];
    }
    throw new OpError(op, `padding must be 'SAME', 'VALID' or explicit pairs, found '${padding}'`);
  }
  if (!Array.isArray(padding)) throw new OpError(op, `padding must be 'SAME', 'VALID' or explicit pairs, found ${String(padding)}`);
  const pairs = padding as readonly (readonly number[])[];
  let hw: readonly (readonly number[])[];
  if (pairs.length === 4) {
    const outer = [pairs[0]!, pairs[3]!];
    if (outer.some((p) => !Array.isArray(p) || p[0] !== 0 || p[1] !== 0)) {
      throw new OpError(op, `explicit padding ${show(padding)} must be [0, 0] in the batch and channel dimensions`);
    }
    hw = [pairs[1]!, pairs[2]!];
  } else if (pairs.length === 2) hw = pairs;
  else throw new OpError(op, `explicit padding must hold 4 pairs (NHWC) or 2 pairs (H, W), found ${show(padding)}`);
  const flat = hw.flatMap((p) => (Array.isArray(p) && p.length === 2 ? [p[0]!, p[1]!] : [NaN]));
  if (flat.some((e) => !Number.isInteger(e) || e < 0)) {
    throw new OpError(op, `explicit padding must hold pairs of non-negative integers, found ${show(padding)}`);
  }
  return [flat[0]!, flat[1]!, flat[2]!, flat[3]!];
}

function checkPairs(op: string, attrs: WindowAttrs): void {
  const ok = (v: unknown, min: number) => Array.isArray(v) && v.every((e) => Number.isInteger(e) && e >= min);
  if (!ok(attrs.strides, 1) || attrs.strides.length !== 2) throw new OpError(op, `strides must be two positive integers, found ${show(attrs.strides)}`);
  if (!ok(attrs.pads, 0) || attrs.pads.length !== 4) throw new OpError(op, `pads must be four non-negative integers [top, bottom, left, right], found ${show(attrs.pads)}`);
}

export function checkRank4(op: string, arg: string, t: TensorInfo | undefined, layout: string): void {
  if (!t) throw new OpError(op, `missing input '${arg}'`);
  if (t.shape.length !== 4) throw new OpError(op, `${arg} must be rank 4 ${layout}, found shape ${fmtShape(t.shape)}`);
  if (t.dtype !== 'float32') throw new OpError(op, `${arg} must be float32, found ${t.dtype}`);
}

/** Everything a conv kernel needs, derived from x [N,H,W,Ci], filter [KH,KW,Ci,Co] and attrs. */
export interface ConvGeometry {
  n: number; h: number; w: number; ci: number;
  kh: number; kw: number; co: number;
  oh: number; ow: number;
  sh: number; sw: number; dh: number; dw: number;
  pt: number; pl: number;
}

/** Validates the conv attributes and shapes and returns the geometry (OpError names `op`). */
export function convGeometry(op: string, xShape: Shape, fShape: Shape, attrs: Conv2DAttrs): ConvGeometry {
  checkPairs(op, attrs);
  if (!Array.isArray(attrs.dilations) || attrs.dilations.length !== 2 || !attrs.dilations.every((e) => Number.isInteger(e) && e >= 1)) {
    throw new OpError(op, `dilations must be two positive integers, found ${show(attrs.dilations)}`);
  }
  const [n, h, w, ci] = xShape as [number, number, number, number];
  const [kh, kw, fci, co] = fShape as [number, number, number, number];
  if (ci !== fci) throw new OpError(op, `input channels ${ci} do not match filter in-channels ${fci} (input ${fmtShape(xShape)}, filter ${fmtShape(fShape)} [height, width, inChannels, outChannels])`);
  const [sh, sw] = attrs.strides;
  const [dh, dw] = attrs.dilations;
  if ((sh > 1 || sw > 1) && (dh > 1 || dw > 1)) {
    throw new OpError(op, `strides ${show(attrs.strides)} and dilations ${show(attrs.dilations)} cannot both exceed 1 (as in TensorFlow)`);
  }
  const [pt, pb, pl, pr] = attrs.pads;
  const ekh = (kh - 1) * dh + 1;
  const ekw = (kw - 1) * dw + 1;
  if (kh < 1 || kw < 1) throw new OpError(op, `filter ${fmtShape(fShape)} has an empty window`);
  if (ekh > h + pt + pb || ekw > w + pl + pr) {
    throw new OpError(op, `filter window ${ekh}x${ekw}${dh > 1 || dw > 1 ? ' (dilated)' : ''} is larger than the padded input ${h + pt + pb}x${w + pl + pr} (input ${fmtShape(xShape)}, pads ${show(attrs.pads)})`);
  }
  return { n, h, w, ci, kh, kw, co, oh: windowOutSize(h, ekh, sh, pt, pb), ow: windowOutSize(w, ekw, sw, pl, pr), sh, sw, dh, dw, pt, pl };
}

export interface PoolGeometry {
  n: number; h: number; w: number; c: number;
  kh: number; kw: number; oh: number; ow: number;
  sh: number; sw: number; pt: number; pl: number;
}

export function poolGeometry(op: string, xShape: Shape, attrs: PoolAttrs): PoolGeometry {
  checkPairs(op, attrs);
  if (!Array.isArray(attrs.ksize) || attrs.ksize.length !== 2 || !attrs.ksize.every((e) => Number.isInteger(e) && e >= 1)) {
    throw new OpError(op, `ksize must be two positive integers, found ${show(attrs.ksize)}`);
  }
  const [n, h, w, c] = xShape as [number, number, number, number];
  const [kh, kw] = attrs.ksize;
  const [pt, pb, pl, pr] = attrs.pads;
  if (pt >= kh || pb >= kh || pl >= kw || pr >= kw) {
    throw new OpError(op, `padding ${show(attrs.pads)} must be smaller than the window ${kh}x${kw} on every side`);
  }
  if (kh > h + pt + pb || kw > w + pl + pr) {
    throw new OpError(op, `window ${kh}x${kw} is larger than the padded input ${h + pt + pb}x${w + pl + pr} (input ${fmtShape(xShape)})`);
  }
  const [sh, sw] = attrs.strides;
  return { n, h, w, c, kh, kw, oh: windowOutSize(h, kh, sh, pt, pb), ow: windowOutSize(w, kw, sw, pl, pr), sh, sw, pt, pl };
}

export function checkShapeAttr(op: string, arg: string, s: unknown): number[] {
  if (!Array.isArray(s) || s.length !== 4 || !s.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new OpError(op, `${arg} must be 4 non-negative integers, found ${show(s)}`);
  }
  return s as number[];
}

export function expectShape(op: string, arg: string, got: Shape, want: Shape): void {
  if (got.length !== want.length || got.some((d, i) => d !== want[i])) {
    throw new OpError(op, `${arg} has shape ${fmtShape(got)}, expected ${fmtShape(want)}`);
  }
}

// ---- float64 reference loops (conformance) ----------------------------------------------

/** Calls fn(xIndex, fIndex, yIndex) for every (output, tap) pair that reads a real input element. */
export function forEachConvTap(g: ConvGeometry, fn: (xi: number, fi: number, yi: number) => void): void {
  for (let b = 0; b < g.n; b++)
    for (let oy = 0; oy < g.oh; oy++)
      for (let ox = 0; ox < g.ow; ox++)
        for (let ky = 0; ky < g.kh; ky++) {
          const iy = oy * g.sh - g.pt + ky * g.dh;
          if (iy < 0 || iy >= g.h) continue;
          for (let kx = 0; kx < g.kw; kx++) {
            const ix = ox * g.sw - g.pl + kx * g.dw;
            if (ix < 0 || ix >= g.w) continue;
            for (let c = 0; c < g.ci; c++)
              for (let o = 0; o < g.co; o++) {
                fn(((b * g.h + iy) * g.w + ix) * g.ci + c, ((ky * g.kw + kx) * g.ci + c) * g.co + o, ((b * g.oh + oy) * g.ow + ox) * g.co + o);
              }
          }
        }
}

/** Calls fn(outIndex, inIndices) per (output pixel, channel) with the in-bounds window, row-major. */
export function forEachPoolWindow(g: PoolGeometry, fn: (yi: number, xis: number[]) => void): void {
  for (let b = 0; b < g.n; b++)
    for (let oy = 0; oy < g.oh; oy++)
      for (let ox = 0; ox < g.ow; ox++)
        for (let c = 0; c < g.c; c++) {
          const xis: number[] = [];
          for (let ky = 0; ky < g.kh; ky++) {
            const iy = oy * g.sh - g.pt + ky;
            if (iy < 0 || iy >= g.h) continue;
            for (let kx = 0; kx < g.kw; kx++) {
              const ix = ox * g.sw - g.pl + kx;
              if (ix >= 0 && ix < g.w) xis.push(((b * g.h + iy) * g.w + ix) * g.c + c);
            }
          }
          fn(((b * g.oh + oy) * g.ow + ox) * g.c + c, xis);
        }
}

/** Index of the first maximum among xis (TensorFlow routes max-pool gradients there). */
export function firstMax(v: ArrayLike<number>, xis: readonly number[]): number {
  let best = xis[0]!;
  for (const i of xis) if (v[i]! > v[best]!) best = i;
  return best;
}

export function f64(shape: Shape, values: Float64Array): HostTensor {
  return { shape: [...shape], dtype: 'float32', values };
}

/**
 * Sample values for pooling gradients: a shuffled ramp in [lo, hi] with spacing well above the
 * finite-difference step, so no window holds a near-tie.
 */
export function distinctValues(shape: Shape, seed: number, lo = -2, hi = 2): HostTensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = Math.fround(lo + ((hi - lo) * i) / Math.max(n - 1, 1));
  let s = seed >>> 0;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [values[i], values[j]] = [values[j]!, values[i]!];
  }
  return { shape: [...shape], dtype: 'float32', values };
}

// ---- conformance samples shared by the three conv op defs ----------------------------------

export const convAttrs = (s: [number, number], p: [number, number, number, number], d: [number, number] = [1, 1]): Conv2DAttrs => ({ strides: s, pads: p, dilations: d });

/** Conv samples shared by the three conv op defs (x shape, filter shape, attrs). */
export const CONV_CASES: readonly { name: string; x: number[]; f: number[]; attrs: Conv2DAttrs }[] = [
  { name: 'VALID 1x1 stride', x: [1, 4, 4, 2], f: [1, 1, 2, 3], attrs: convAttrs([1, 1], [0, 0, 0, 0]) },
  { name: 'VALID k3', x: [2, 5, 5, 2], f: [3, 3, 2, 3], attrs: convAttrs([1, 1], [0, 0, 0, 0]) },
  { name: 'SAME k3', x: [1, 4, 5, 3], f: [3, 3, 3, 2], attrs: convAttrs([1, 1], [1, 1, 1, 1]) },
  { name: 'SAME stride 2 odd', x: [2, 5, 7, 2], f: [3, 3, 2, 2], attrs: convAttrs([2, 2], [1, 1, 1, 1]) },
  { name: 'SAME stride 2 even input (pad top 0, bottom 1)', x: [1, 6, 6, 1], f: [3, 3, 1, 2], attrs: convAttrs([2, 2], [0, 1, 0, 1]) },
  { name: 'explicit pads stride 2', x: [1, 6, 6, 1], f: [4, 2, 1, 2], attrs: convAttrs([2, 2], [1, 2, 0, 0]) },
  { name: 'VALID stride 2x3 rectangular', x: [2, 7, 8, 2], f: [2, 3, 2, 3], attrs: convAttrs([2, 3], [0, 0, 0, 0]) },
  { name: 'dilation 2 SAME', x: [1, 6, 5, 2], f: [3, 2, 2, 2], attrs: convAttrs([1, 1], [2, 2, 1, 1], [2, 2]) },
  { name: 'explicit pads asymmetric', x: [1, 4, 4, 2], f: [2, 2, 2, 1], attrs: convAttrs([1, 1], [2, 0, 1, 3]) },
  // Backends may switch layouts on the channel count (the CPU does at Cout > 8).
  { name: 'many out-channels SAME stride 2', x: [2, 5, 6, 3], f: [3, 3, 3, 9], attrs: convAttrs([2, 2], [1, 1, 0, 1]) },
  { name: 'many out-channels dilated', x: [1, 6, 6, 2], f: [2, 2, 2, 10], attrs: convAttrs([1, 1], [1, 1, 1, 1], [2, 2]) },
];


export const poolAttrs = (k: [number, number], s: [number, number], p: [number, number, number, number]): PoolAttrs => ({ ksize: k, strides: s, pads: p });

/** Pooling samples shared by the pooling op defs. */
export const POOL_CASES: readonly { name: string; x: number[]; attrs: PoolAttrs }[] = [
  { name: 'k2 s2 VALID', x: [2, 4, 4, 3], attrs: poolAttrs([2, 2], [2, 2], [0, 0, 0, 0]) },
  { name: 'k3 s2 SAME odd', x: [1, 5, 5, 2], attrs: poolAttrs([3, 3], [2, 2], [1, 1, 1, 1]) },
  { name: 'k2 s2 SAME odd (pad after)', x: [2, 5, 3, 1], attrs: poolAttrs([2, 2], [2, 2], [0, 1, 0, 1]) },
  { name: 'k3 s1 SAME overlapping', x: [1, 4, 5, 2], attrs: poolAttrs([3, 3], [1, 1], [1, 1, 1, 1]) },
  { name: 'k2x3 s1x2 VALID', x: [2, 5, 7, 2], attrs: poolAttrs([2, 3], [1, 2], [0, 0, 0, 0]) },
];

export function poolOutShape(x: readonly number[], attrs: PoolAttrs): number[] {
  const g = poolGeometry('pool', x, attrs);
  return [g.n, g.oh, g.ow, g.c];
}
