/**
 * Array ops with TensorFlow's names and argument order: slicing (slice, stridedSlice, reverse),
 * gather / unsortedSegmentSum, concat / split / stack / unstack, tile, pad, expandDims,
 * squeeze, identity, oneHot. Composites (expandDims, squeeze, stack, unstack, slice, reverse)
 * reuse the kernels of reshape, concat, split and strided_slice.
 */
import type { DType } from '../../dtype.js';
import { engine } from '../../engine.js';
import { OpError, fmtShape } from '../../errors.js';
import { normAxis, type Shape } from '../../shape.js';
import { Tensor } from '../../tensor.js';
import { convert, type TensorLike } from '../convert.js';
import { concatOp } from '../defs/concat.js';
import { gatherOp } from '../defs/gather.js';
import { identityDef } from '../defs/identity.js';
import { oneHotDef } from '../defs/one_hot.js';
import { padDef, type PadMode } from '../defs/pad.js';
import { splitOp } from '../defs/split.js';
import { stridedSliceWindow, type StridedSliceAttrs } from '../defs/strided_slice.js';
import { tileDef } from '../defs/tile.js';
import { unsortedSegmentSumOp } from '../defs/unsorted_segment_sum.js';
import { apply1 } from '../dispatch.js';
import { hostValues, withIndexArg } from '../index_args.js';
import { reshape } from './shape_ops.js';

/** A shape-like argument: numbers, or an int tensor read on the host (TF takes tensors there too). */
type IntList = number | readonly number[] | Tensor;

function intList(op: string, arg: string, v: IntList, length?: number): number[] {
  const list = typeof v === 'number' ? [v] : v instanceof Tensor ? hostInts(op, arg, v) : [...v];
  if (!list.every((e) => Number.isInteger(e))) throw new OpError(op, `${arg} must hold integers, found [${list.join(',')}]`);
  if (length !== undefined && list.length !== length) throw new OpError(op, `${arg} [${list.join(',')}] has ${list.length} entries, expected ${length} (one per input dimension)`);
  return list;
}

function hostInts(op: string, arg: string, t: Tensor): number[] {
  if (t.dtype !== 'int32' || t.rank > 1) throw new OpError(op, `${arg} as a tensor must be an int32 scalar or vector, found ${t.dtype} ${fmtShape(t.shape)}`);
  // A GPU tensor made from JS values (sampleDistortedBoundingBox's begin/size) keeps a host copy.
  const values = hostValues(t, op, arg);
  if (!values) throw new OpError(op, `${arg} is a tensor whose values are only on '${t.backend.name}', which reads asynchronously; pass its values: Array.from(await t.data())`);
  return Array.from(values as Int32Array);
}

// ---- slicing -------------------------------------------------------------------------------

/** x[begin : begin + size] per dimension; a size of -1 takes everything to the end (TensorFlow's slice). */
export function slice(x: TensorLike, begin: IntList, size?: IntList): Tensor {
  const t = convert(x, 'x', 'slice');
  const b = intList('slice', 'begin', begin, t.rank);
  const s = size === undefined ? t.shape.map(() => -1) : intList('slice', 'size', size, t.rank);
  const resolved = t.shape.map((dim, d) => {
    if (b[d]! < 0 || b[d]! > dim) throw new OpError('slice', `begin[${d}] = ${b[d]} is out of range [0, ${dim}] for input ${fmtShape(t.shape)}`);
    const n = s[d] === -1 ? dim - b[d]! : s[d]!;
    if (n < 0 || b[d]! + n > dim) throw new OpError('slice', `size[${d}] = ${s[d]} with begin ${b[d]} exceeds dimension ${d} of input ${fmtShape(t.shape)} (size ${dim}); use -1 for "to the end"`);
    return n;
  });
  return stridedSliceWindow(t, { begin: b.map((e, d) => (resolved[d] === 0 ? 0 : e)), size: resolved, strides: t.shape.map(() => 1) });
}

export interface StridedSliceOptions {
  beginMask?: number;
  endMask?: number;
  ellipsisMask?: number;
  newAxisMask?: number;
  shrinkAxisMask?: number;
}

const NEW_AXIS = -1;
const SHRINK_AXIS = -2;

/**
 * Resolves TensorFlow's strided_slice spec (begin/end/strides with the five masks) into a window
 * over the input plus the final shape (new axes added, shrunk axes dropped); TF's BuildDenseSpec
 * and canonicalisation rules.
 */
export function resolveStridedSlice(
  shape: Shape,
  begin: readonly number[],
  end: readonly number[],
  strides: readonly number[],
  masks: StridedSliceOptions = {},
): { window: StridedSliceAttrs; finalShape: number[] } {
  const op = 'stridedSlice';
  const rank = shape.length;
  const sparse = begin.length;
  if (end.length !== sparse || strides.length !== sparse) {
    throw new OpError(op, `begin, end and strides must have the same length, found ${begin.length}, ${end.length} and ${strides.length}`);
  }
  for (const [name, list] of [['begin', begin], ['end', end], ['strides', strides]] as const) {
    if (!list.every((e) => Number.isInteger(e))) throw new OpError(op, `${name} must hold integers, found [${list.join(',')}]`);
  }
  const bit = (m: number | undefined, i: number) => ((m ?? 0) & (1 << i)) !== 0;
  let ellipsisCount = 0;
  let numAddAfterEllipsis = 0;
  for (let i = 0; i < sparse; i++) {
    if (ellipsisCount > 0 && bit(masks.newAxisMask, i)) numAddAfterEllipsis++;
    if (bit(masks.ellipsisMask, i)) ellipsisCount++;
  }
  if (ellipsisCount > 1) throw new OpError(op, `ellipsisMask ${masks.ellipsisMask} has more than one bit set (only one ellipsis is allowed)`);
  // Without an ellipsis there is an implicit one at the end.
  const dims = ellipsisCount === 0 ? sparse + 1 : sparse;
  const isEllipsis = (i: number) => (i === sparse ? ellipsisCount === 0 : bit(masks.ellipsisMask, i));

  const dBegin = new Array<number>(rank).fill(0);
  const dEnd = new Array<number>(rank).fill(0);
  const dStride = new Array<number>(rank).fill(1);
  const dBeginMasked = new Array<boolean>(rank).fill(false);
  const dEndMasked = new Array<boolean>(rank).fill(false);
  const dShrink = new Array<boolean>(rank).fill(false);
  const gather: number[] = [];
  let full = 0;
  for (let i = 0; i < dims; i++) {
    if (isEllipsis(i)) {
      const next = Math.min(rank - (dims - i) + 1 + numAddAfterEllipsis, rank);
      for (; full < next; full++) {
        dBeginMasked[full] = dEndMasked[full] = true;
        gather.push(full);
      }
    } else if (bit(masks.newAxisMask, i)) {
      gather.push(NEW_AXIS);
    } else {
      if (full >= rank) throw new OpError(op, `index ${i} of the slice spec is out of range: input ${fmtShape(shape)} has only ${rank} dimensions`);
      dBegin[full] = begin[i]!;
      dEnd[full] = end[i]!;
      dStride[full] = strides[i]!;
      dBeginMasked[full] = bit(masks.beginMask, i);
      dEndMasked[full] = bit(masks.endMask, i);
      dShrink[full] = bit(masks.shrinkAxisMask, i);
      gather.push(dShrink[full] ? SHRINK_AXIS : full);
      full++;
    }
  }

  const wBegin: number[] = [];
  const wSize: number[] = [];
  for (let d = 0; d < rank; d++) {
    const dim = shape[d]!;
    const s = dStride[d]!;
    if (s === 0) throw new OpError(op, `strides[${d}] must be non-zero`);
    let b: number;
    let e: number;
    if (dShrink[d]) {
      if (s <= 0) throw new OpError(op, `dimension ${d} is indexed (shrinkAxisMask), which needs a positive stride; found ${s}`);
      b = dBegin[d]! < 0 ? dim + dBegin[d]! : dBegin[d]!;
      if (b < 0 || b >= dim) throw new OpError(op, `index ${dBegin[d]} of dimension ${d} is out of bounds for size ${dim}`);
      e = b + 1;
    } else {
      const lo = s > 0 ? 0 : -1;
      const hi = s > 0 ? dim : dim - 1;
      const canonical = (x: number, masked: boolean, isEnd: boolean) => {
        if (masked) return s > 0 ? (isEnd ? hi : lo) : isEnd ? lo : hi;
        const fwd = x < 0 ? dim + x : x;
        return fwd < lo ? lo : fwd > hi ? hi : fwd;
      };
      b = canonical(dBegin[d]!, dBeginMasked[d]!, false);
      e = canonical(dEnd[d]!, dEndMasked[d]!, true);
    }
    const interval = e - b;
    const n = interval === 0 || interval < 0 !== s < 0 ? 0 : Math.floor(Math.abs(interval) / Math.abs(s)) + (Math.abs(interval) % Math.abs(s) !== 0 ? 1 : 0);
    wBegin.push(n === 0 ? 0 : b);
    wSize.push(n);
  }
  const finalShape = gather.filter((g) => g !== SHRINK_AXIS).map((g) => (g === NEW_AXIS ? 1 : wSize[g]!));
  return { window: { begin: wBegin, size: wSize, strides: dStride }, finalShape };
}

/** TensorFlow's strided_slice (numpy-style basic indexing), with negative strides and all five masks. */
export function stridedSlice(x: TensorLike, begin: readonly number[], end: readonly number[], strides?: readonly number[], options: StridedSliceOptions = {}): Tensor {
  const t = convert(x, 'x', 'stridedSlice');
  const { window, finalShape } = resolveStridedSlice(t.shape, begin, end, strides ?? begin.map(() => 1), options);
  return engine.tidy(() => reshape(stridedSliceWindow(t, window), finalShape));
}

/** Reverses the given axes (TensorFlow's reverse / reverse_v2). */
export function reverse(x: TensorLike, axes: number | readonly number[]): Tensor {
  const t = convert(x, 'x', 'reverse');
  const list = intList('reverse', 'axis', axes).map((a) => normAxis('reverse', a, t.rank));
  if (new Set(list).size !== list.length) throw new OpError('reverse', `axis [${intList('reverse', 'axis', axes).join(',')}] names a dimension twice`);
  const flip = t.shape.map((_, d) => list.includes(d));
  return stridedSliceWindow(t, {
    begin: t.shape.map((dim, d) => (flip[d] && dim > 0 ? dim - 1 : 0)),
    size: [...t.shape],
    strides: flip.map((f) => (f ? -1 : 1)),
  });
}

// ---- gather / scatter ----------------------------------------------------------------------

/** Gathers slices of x along `axis` at int32 (or int64) `indices` (TensorFlow's gather, with batchDims). */
export function gather(x: TensorLike, indices: TensorLike, axis: number | { axis?: number; batchDims?: number } = 0, batchDims = 0): Tensor {
  const opts = typeof axis === 'object' ? axis : { axis, batchDims };
  const t = convert(x, 'params', 'gather');
  return withIndexArg(indices, 'indices', 'gather', (idx) => gatherOp(t, idx, opts.axis ?? 0, opts.batchDims ?? 0));
}

/** Sums rows of `data` into `numSegments` segments by id; negative ids are dropped (TensorFlow's math.unsorted_segment_sum). */
export function unsortedSegmentSum(data: TensorLike, segmentIds: TensorLike, numSegments: number): Tensor {
  const d = convert(data, 'data', 'unsortedSegmentSum');
  return withIndexArg(segmentIds, 'segmentIds', 'unsortedSegmentSum', (ids) => unsortedSegmentSumOp(d, ids, numSegments));
}

// ---- joining and splitting -----------------------------------------------------------------

function tensorList(op: string, xs: readonly TensorLike[]): Tensor[] {
  if (!Array.isArray(xs)) throw new OpError(op, `expected a list of tensors, found ${typeof xs}`);
  if (xs.length === 0) throw new OpError(op, 'expected at least one tensor, found an empty list');
  return xs.map((x, i) => convert(x, `values[${i}]`, op));
}

/** Joins tensors along an existing axis (TensorFlow's concat(values, axis)). */
export function concat(values: readonly TensorLike[], axis = 0): Tensor {
  return concatOp(tensorList('concat', values), axis);
}

/**
 * Splits along `axis` (TensorFlow's split(value, num_or_size_splits, axis)): a count of equal
 * pieces, or a list of sizes where one entry may be -1 (the remainder).
 */
export function split(x: TensorLike, numOrSizes: number | readonly number[], axis = 0): Tensor[] {
  const t = convert(x, 'x', 'split');
  if (t.rank === 0) throw new OpError('split', 'cannot split a scalar (rank 0)');
  const a = normAxis('split', axis, t.rank);
  const dim = t.shape[a]!;
  let sizes: number[];
  if (typeof numOrSizes === 'number') {
    if (!Number.isInteger(numOrSizes) || numOrSizes < 1) throw new OpError('split', `num_or_size_splits must be a positive integer, found ${numOrSizes}`);
    if (dim % numOrSizes !== 0) throw new OpError('split', `axis ${axis} of ${fmtShape(t.shape)} has size ${dim}, not divisible into ${numOrSizes} equal pieces`);
    sizes = new Array<number>(numOrSizes).fill(dim / numOrSizes);
  } else {
    sizes = intList('split', 'sizes', numOrSizes);
    const unknown = sizes.filter((s) => s === -1).length;
    if (unknown > 1) throw new OpError('split', `sizes [${sizes.join(',')}] may contain at most one -1`);
    if (sizes.some((s) => s < -1)) throw new OpError('split', `sizes [${sizes.join(',')}] must be non-negative (or one -1)`);
    const known = sizes.reduce((p, s) => (s === -1 ? p : p + s), 0);
    if (unknown === 1) {
      if (known > dim) throw new OpError('split', `sizes [${sizes.join(',')}] sum to ${known} before the -1, more than axis ${axis} size ${dim}`);
      sizes = sizes.map((s) => (s === -1 ? dim - known : s));
    } else if (known !== dim) {
      throw new OpError('split', `sizes [${sizes.join(',')}] sum to ${known}, expected axis ${axis} size ${dim} of ${fmtShape(t.shape)}`);
    }
  }
  return splitOp(t, sizes, a);
}

/** Stacks tensors of one shape along a new axis (TensorFlow's stack). */
export function stack(values: readonly TensorLike[], axis = 0): Tensor {
  const ts = tensorList('stack', values);
  const shape = ts[0]!.shape;
  ts.forEach((t, i) => {
    if (t.rank !== shape.length || t.shape.some((d, k) => d !== shape[k])) throw new OpError('stack', `values[${i}] has shape ${fmtShape(t.shape)}, values[0] has ${fmtShape(shape)}`);
    if (t.dtype !== ts[0]!.dtype) throw new OpError('stack', `values[${i}] has dtype ${t.dtype}, values[0] has ${ts[0]!.dtype}`);
  });
  const a = normAxis('stack', axis, shape.length + 1);
  const expanded = [...shape.slice(0, a), 1, ...shape.slice(a)];
  return engine.tidy(() => concatOp(ts.map((t) => reshape(t, expanded)), a));
}

/** Splits along an axis into tensors without that axis (TensorFlow's unstack). */
export function unstack(x: TensorLike, axis = 0): Tensor[] {
  const t = convert(x, 'x', 'unstack');
  if (t.rank === 0) throw new OpError('unstack', 'cannot unstack a scalar (rank 0)');
  const a = normAxis('unstack', axis, t.rank);
  const n = t.shape[a]!;
  if (n === 0) return [];
  const rest = t.shape.filter((_, d) => d !== a);
  return engine.tidy(() => splitOp(t, new Array<number>(n).fill(1), a).map((p) => reshape(p, rest)));
}

/** Repeats x `multiples[d]` times along each dimension (TensorFlow's tile). */
export function tile(x: TensorLike, multiples: IntList): Tensor {
  const t = convert(x, 'x', 'tile');
  return apply1(tileDef, [t], { multiples: intList('tile', 'multiples', multiples) });
}

/**
 * Pads with `constantValue` (default 0), or mirrors: TensorFlow's pad(tensor, paddings, mode,
 * constant_values). Accepts pad(x, paddings, constantValue) or pad(x, paddings, mode, constantValue);
 * mode 'CONSTANT' | 'REFLECT' | 'SYMMETRIC' in any case.
 */
export function pad(x: TensorLike, paddings: readonly (readonly number[])[], mode: string | number = 'CONSTANT', constantValue = 0): Tensor {
  const t = convert(x, 'x', 'pad');
  if (typeof mode === 'number') [mode, constantValue] = ['CONSTANT', mode];
  const m = String(mode).toUpperCase();
  if (m !== 'CONSTANT' && m !== 'REFLECT' && m !== 'SYMMETRIC') throw new OpError('pad', `mode must be 'CONSTANT', 'REFLECT' or 'SYMMETRIC', found '${mode}'`);
  if (!Array.isArray(paddings)) throw new OpError('pad', 'paddings must be a list of [before, after] rows');
  const rows = paddings.map((r, i) => {
    if (!Array.isArray(r) || r.length !== 2) throw new OpError('pad', `paddings[${i}] must be [before, after], found ${JSON.stringify(r)}`);
    return [r[0], r[1]] as [number, number];
  });
  return apply1(padDef, [t], { paddings: rows, mode: m as PadMode, constantValue });
}

// ---- shape-only ----------------------------------------------------------------------------

/** Inserts a dimension of size 1 at `axis` (TensorFlow's expand_dims; axis in [-rank-1, rank]). */
export function expandDims(x: TensorLike, axis = 0): Tensor {
  const t = convert(x, 'x', 'expandDims');
  const a = normAxis('expandDims', axis, t.rank + 1);
  return reshape(t, [...t.shape.slice(0, a), 1, ...t.shape.slice(a)]);
}

/** Removes dimensions of size 1: all of them, or the listed axes (which must have size 1). */
export function squeeze(x: TensorLike, axis?: number | readonly number[]): Tensor {
  const t = convert(x, 'x', 'squeeze');
  if (axis === undefined || (Array.isArray(axis) && axis.length === 0)) return reshape(t, t.shape.filter((d) => d !== 1));
  const axes = intList('squeeze', 'axis', axis).map((a) => normAxis('squeeze', a, t.rank));
  for (const a of axes) if (t.shape[a] !== 1) throw new OpError('squeeze', `cannot squeeze axis ${a}: its size is ${t.shape[a]}, expected 1 (input ${fmtShape(t.shape)})`);
  return reshape(t, t.shape.filter((_, d) => !axes.includes(d)));
}

/** A new tensor with the same values (TensorFlow's identity); gradients pass through. */
export function identity(x: TensorLike): Tensor {
  return apply1(identityDef, [convert(x, 'x', 'identity')], {});
}

export interface OneHotOptions {
  onValue?: number;
  offValue?: number;
  axis?: number;
  dtype?: DType;
}

/**
 * One-hot encoding of int32 (or int64) indices (TensorFlow's one_hot(indices, depth, on_value, off_value,
 * axis, dtype)); indices outside [0, depth) give all-off rows. Accepts positional on/off values
 * or an options object.
 */
export function oneHot(indices: TensorLike, depth: number, onValue: number | OneHotOptions = 1, offValue = 0, axis = -1, dtype: DType = 'float32'): Tensor {
  const o: OneHotOptions = typeof onValue === 'object' ? onValue : { onValue, offValue, axis, dtype };
  return withIndexArg(indices, 'indices', 'oneHot', (idx) =>
    apply1(oneHotDef, [idx], {
      depth,
      onValue: o.onValue ?? 1,
      offValue: o.offValue ?? 0,
      axis: o.axis ?? -1,
      dtype: o.dtype ?? 'float32',
    }),
  );
}

