import { OpError, describeValue, fmtShape } from './errors.js';

export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  return n;
}

export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** numpy broadcasting of any number of shapes. */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  // Most eager elementwise ops see equal shapes: skip the general walk.
  const first = shapes[0];
  if (first !== undefined && shapes.every((s) => s === first || shapesEqual(s, first))) return [...first];
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = rank - s.length + i;
      const d = s[i]!;
      if (d === out[o] || d === 1) continue;
      if (out[o] === 1) out[o] = d;
      else throw new OpError(op, `shapes ${shapes.map(fmtShape).join(' and ')} cannot be broadcast (dimension ${o}: ${out[o]} vs ${d})`);
    }
  }
  return out;
}

/** Whether `from` broadcasts (numpy rules) to exactly `to`, e.g. a per-channel [C] to [N, H, W, C]. */
export function broadcastsTo(from: Shape, to: Shape): boolean {
  const lead = to.length - from.length;
  return lead >= 0 && from.every((d, i) => d === 1 || d === to[lead + i]);
}

/** Strides of `shape` as seen from a broadcast output of rank `rank` (0 where broadcast). */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const rank = outShape.length;
  const own = stridesOf(shape);
  const out = new Array<number>(rank).fill(0);
  for (let i = 0; i < shape.length; i++) {
    const o = rank - shape.length + i;
    out[o] = shape[i] === 1 && outShape[o] !== 1 ? 0 : own[i]!;
  }
  return out;
}

/** Normalizes a possibly negative axis; throws naming the op when out of range. */
export function normAxis(op: string, axis: number, rank: number, arg = 'axis'): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    throw new OpError(op, `${arg} ${axis} is out of range for rank ${rank} (expected in [${-rank}, ${rank - 1}])`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Axes for reductions: undefined means all; duplicates are an error. */
export function normAxes(op: string, axes: number | readonly number[] | undefined | null, rank: number): number[] {
  if (axes === undefined || axes === null) return Array.from({ length: rank }, (_, i) => i);
  const list = (typeof axes === 'number' ? [axes] : [...axes]).map((a) => normAxis(op, a, rank));
  if (new Set(list).size !== list.length) throw new OpError(op, `axis ${JSON.stringify(axes)} has duplicates`);
  return list.sort((a, b) => a - b);
}

/** Axes along which `from` (broadcast result) must be summed to give `to`. */
export function reductionAxesFor(from: Shape, to: Shape): number[] {
  const axes: number[] = [];
  const lead = from.length - to.length;
  for (let i = 0; i < from.length; i++) {
    if (i < lead) axes.push(i);
    else if (to[i - lead] === 1 && from[i] !== 1) axes.push(i);
  }
  return axes;
}

function assertShapeArray(op: string, shape: Shape, arg: string): void {
  if (!Array.isArray(shape)) throw new OpError(op, `${arg} must be an array of dimensions, found ${describeValue(shape)}`);
}

/** A shape argument as a new list; throws naming the op when it is not an array. */
export function shapeList(op: string, shape: Shape, arg = 'shape'): number[] {
  assertShapeArray(op, shape, arg);
  return [...shape];
}

export function assertValidShape(op: string, shape: Shape, arg = 'shape'): void {
  assertShapeArray(op, shape, arg);
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (!Number.isInteger(d) || d < 0) throw new OpError(op, `${arg} ${fmtShape(shape)} must hold non-negative integers`);
  }
}
