/** Bicubic resize: four weighted gathers per axis, with TensorFlow's tabulated cubic kernel. */
import { engine } from '../../../engine.js';
import type { Tensor } from '../../../tensor.js';
import type { TensorLike } from '../../convert.js';
import * as E from '../../api/elementwise.js';
import { cast } from '../../api/cast.js';
import { tensor as makeTensorFrom } from '../../create_values.js';
import { gather } from '../../api/array_ops.js';
import { hAxis, rint, wAxis } from './common.js';
import { resizeArgs, resizeScale, type ResizeOptions } from './resize_common.js';

/** TensorFlow's kTableSize: bicubic weights are looked up at the fractional offset rounded to 1/1024. */
const CUBIC_TABLE_SIZE = 1024;

/**
 * TensorFlow's InitCoeffsTable(a): [K(x), K(x + 1)] at x = i/1024 for the cubic convolution
 * kernel K with parameter a, computed in double and stored as float32.
 */
function cubicTable(a: number): Float64Array {
  const table = new Float64Array((CUBIC_TABLE_SIZE + 1) * 2);
  for (let i = 0; i <= CUBIC_TABLE_SIZE; i++) {
    let x = i / CUBIC_TABLE_SIZE;
    table[i * 2] = Math.fround(((a + 2) * x - (a + 3)) * x * x + 1);
    x += 1;
    table[i * 2 + 1] = Math.fround(((a * x - 5 * a) * x + 8 * a) * x - 4 * a);
  }
  return table;
}
const cubicTables = new Map<number, Float64Array>();

/**
 * The four source indices and weights per output index along one axis (TensorFlow's
 * GetWeightsAndIndices). Legacy coordinates (halfPixelCenters false): a = -0.75, neighbours
 * clamped to the edge. halfPixelCenters: Keys' a = -0.5, neighbours outside the image get weight 0
 * and the rest are renormalised to sum to 1 (TensorFlow's use_keys_cubic branch).
 */
function bicubicWeights(inSize: number, outSize: number, o: Required<ResizeOptions>): { index: number[][]; weight: number[][] } {
  const a = o.halfPixelCenters ? -0.5 : -0.75;
  let table = cubicTables.get(a);
  if (!table) cubicTables.set(a, (table = cubicTable(a)));
  const scale = resizeScale(inSize, outSize, o.alignCorners);
  const index: number[][] = [[], [], [], []];
  const weight: number[][] = [[], [], [], []];
  const f = Math.fround;
  for (let i = 0; i < outSize; i++) {
    const inPos = o.halfPixelCenters ? f(f((i + 0.5) * scale) - 0.5) : f(i * scale);
    const base = Math.floor(inPos);
    const offset = rint(f(f(inPos - base) * CUBIC_TABLE_SIZE));
    const w = [table[offset * 2 + 1]!, table[offset * 2]!, table[(CUBIC_TABLE_SIZE - offset) * 2]!, table[(CUBIC_TABLE_SIZE - offset) * 2 + 1]!];
    const src = [base - 1, base, base + 1, base + 2];
    const idx = src.map((s) => Math.min(inSize - 1, Math.max(0, s)));
    if (o.halfPixelCenters) {
      for (let k = 0; k < 4; k++) if (idx[k] !== src[k]) w[k] = 0;
      const sum = f(f(f(w[0]! + w[1]!) + w[2]!) + w[3]!);
      if (Math.abs(sum) >= 1000 * 1.1754943508222875e-38) {
        const inv = f(1 / sum);
        for (let k = 0; k < 4; k++) w[k] = f(w[k]! * inv);
      }
    }
    for (let k = 0; k < 4; k++) {
      index[k]!.push(idx[k]!);
      weight[k]!.push(w[k]!);
    }
  }
  return { index, weight };
}

/** Σₖ weight[k] · gather(x, index[k]) along one axis, weights broadcast along that axis. */
function weightedGatherAxis(x: Tensor, axis: number, index: number[][], weight: number[][]): Tensor {
  const n = index[0]!.length;
  const wShape = x.shape.map((_, d) => (d === axis ? n : 1));
  let out: Tensor | undefined;
  for (let k = 0; k < index.length; k++) {
    if (weight[k]!.every((v) => v === 0)) continue;
    const term = E.mul(gather(x, makeTensorFrom(index[k]!, [n], 'int32'), axis), makeTensorFrom(weight[k]!, wShape, 'float32'));
    out = out ? E.add(out, term) : term;
  }
  return out ?? E.mul(gather(x, makeTensorFrom(index[0]!, [n], 'int32'), axis), 0);
}

/**
 * Bicubic resize to [newHeight, newWidth] (TensorFlow's ResizeBicubic): each output is a 4×4
 * weighted sum of source pixels with the cubic convolution kernel, its weights looked up at the
 * fractional offset rounded to 1/1024 as TensorFlow's table does. Legacy coordinates (the TF1
 * default, `tf.compat.v1.image.resize_bicubic`): a = -0.75, neighbours past the border repeat the
 * edge pixel; halfPixelCenters (TF2's tf.image.resize 'bicubic'): Keys' a = -0.5, neighbours past
 * the border get weight 0 and the others are renormalised. HWC or NHWC; float32 out (values may
 * overshoot the input range). Differentiable with respect to the images (gathers and weighted sums).
 */
export function resizeBicubic(images: TensorLike, size: readonly number[], options: ResizeOptions = {}): Tensor {
  const { t, h, w, o } = resizeArgs('resizeBicubic', images, size, options);
  return engine.tidy(() => {
    const f = cast(t, 'float32');
    const hy = bicubicWeights(f.shape[hAxis(f)]!, h, o);
    const wx = bicubicWeights(f.shape[wAxis(f)]!, w, o);
    return weightedGatherAxis(weightedGatherAxis(f, hAxis(f), hy.index, hy.weight), wAxis(f), wx.index, wx.weight);
  });
}
