/** TensorFlow's sample_distorted_bounding_box: a seeded random crop computed on the host. */
import { engine } from '../../../engine.js';
import { OpError, fmtShape } from '../../../errors.js';
import { Tensor, flattenNested, inferShape } from '../../../tensor.js';
import { HostRandom } from '../../../random/host_random.js';
import { uint32ToFloat } from '../../../random/philox.js';
import { nextStream } from '../../../random/seed.js';
import type { TensorLike } from '../../convert.js';
import { tensor as makeTensorFrom } from '../../create_values.js';
import { checkInt } from './common.js';
import { coversAnObject, generateRandomCrop, type Rect } from './crop_sampling.js';

export interface SampleDistortedBoundingBoxOptions {
  /** Op seed (TensorFlow's global/op seed rules, as the random ops). */
  seed?: number;
  /** The crop must cover at least this fraction of (at least one) box's area. Default 0.1. */
  minObjectCovered?: number;
  /** [min, max] of width / height of the crop. Default [0.75, 1.33]. */
  aspectRatioRange?: readonly [number, number] | readonly number[];
  /** [min, max] of the crop's area as a fraction of the image, in (0, 1]. Default [0.05, 1]. */
  areaRange?: readonly [number, number] | readonly number[];
  /** Crops tried before falling back to the whole image. Default 100. */
  maxAttempts?: number;
  /** With no boxes, sample against the whole image instead of throwing. Default false. */
  useImageIfNoBoundingBoxes?: boolean;
}

export interface SampledBoundingBox {
  /** int32 [3]: [offsetY, offsetX, 0], for ef.slice(image, begin, size). */
  begin: Tensor;
  /** int32 [3]: [targetHeight, targetWidth, -1]. */
  size: Tensor;
  /** float32 [1, 1, 4]: the crop as [yMin, xMin, yMax, xMax] normalised, for drawBoundingBoxes. */
  bboxes: Tensor;
  /** The same numbers on the host (ef.slice takes plain arrays: `ef.slice(image, r.values.begin, r.values.size)`). */
  values: { begin: number[]; size: number[]; bboxes: number[] };
}

/** Flat values and shape of a small host-side argument: a (host-readable) tensor, a nested array or a typed array. */
function hostValues(op: string, arg: string, x: TensorLike | readonly number[]): { values: number[]; shape: number[] } {
  if (x instanceof Tensor) {
    engine.assertLive(x, op, arg);
    if (!x.backend.readSync) throw new OpError(op, `${arg} lives on the '${x.backend.name}' backend, which cannot be read synchronously; pass its values (await t.array()) or a CPU tensor`);
    return { values: Array.from(x.dataSync() as ArrayLike<number | bigint>, Number), shape: [...x.shape] };
  }
  if (ArrayBuffer.isView(x)) return { values: Array.from(x as unknown as ArrayLike<number>), shape: [(x as unknown as ArrayLike<number>).length] };
  if (typeof x === 'number') return { values: [x], shape: [] };
  if (!Array.isArray(x)) throw new OpError(op, `${arg} must be a tensor or an array of numbers, found ${typeof x}`);
  let shape: number[];
  try {
    shape = inferShape(x);
  } catch (e) {
    throw new OpError(op, `${arg}: ${(e as Error).message.replace(/^tensor: /, '')}`);
  }
  const flat = flattenNested(x);
  const bad = flat.findIndex((v) => typeof v !== 'number');
  if (bad >= 0) throw new OpError(op, `${arg} element ${bad} (flat index) is ${typeof flat[bad]}; expected a number`);
  return { values: flat as number[], shape };
}

function rangePair(op: string, arg: string, v: readonly number[], ok: (x: number) => boolean, what: string): [number, number] {
  if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => typeof x === 'number' && ok(x))) throw new OpError(op, `${arg} must be [min, max] with ${what}, found ${JSON.stringify(v)}`);
  if (v[0]! > v[1]!) throw new OpError(op, `${arg} must have min <= max, found [${v[0]}, ${v[1]}]`);
  return [v[0]!, v[1]!];
}

/**
 * A random crop for data augmentation (TensorFlow's sample_distorted_bounding_box): imageSize
 * [height, width, channels]; boundingBoxes [batch, N, 4] rows [yMin, xMin, yMax, xMax] normalised
 * to [0, 1] (all boxes of the batch are used together, as in TensorFlow). Each of maxAttempts tries
 * draws an aspect ratio uniformly from aspectRatioRange, a height giving an area within areaRange
 * of the image, and a random offset; the first crop covering at least minObjectCovered of some box
 * wins, else the whole image is returned. With no boxes (an empty boundingBoxes), the whole image
 * is the box when useImageIfNoBoundingBoxes is true, otherwise it is an error.
 *
 * A host-side computation on small inputs (tensors must be host-readable, or pass arrays), drawing
 * from the Philox stream of the random ops' seed rules: with a seed (op and/or global), the
 * sequence of boxes restarts after setRandomSeed, so runs are reproducible. Returns int32 begin
 * [offsetY, offsetX, 0] and size [targetHeight, targetWidth, -1] (ef.slice takes number arrays:
 * `ef.slice(image, r.values.begin, r.values.size)`), float32 bboxes [1, 1, 4] for
 * `drawBoundingBoxes`, and `values`, host copies of the three. Not differentiable.
 */
export function sampleDistortedBoundingBox(
  imageSize: TensorLike | readonly number[],
  boundingBoxes: TensorLike | readonly number[],
  options: SampleDistortedBoundingBoxOptions = {},
): SampledBoundingBox {
  const op = 'sampleDistortedBoundingBox';
  const size = hostValues(op, 'imageSize', imageSize);
  if (size.shape.length !== 1 || size.values.length !== 3) throw new OpError(op, `imageSize must be 1-D [height, width, channels], found shape ${fmtShape(size.shape)}`);
  const [H, W] = size.values as [number, number, number];
  if (!size.values.every(Number.isInteger)) throw new OpError(op, `imageSize must hold integers, found [${size.values.join(',')}]`);
  if (!(H > 0 && W > 0)) throw new OpError(op, `imageSize height and width must be positive, found [${size.values.join(',')}]`);
  const bx = hostValues(op, 'boundingBoxes', boundingBoxes);
  if (bx.values.length > 0 && (bx.shape.length !== 3 || bx.shape[2] !== 4)) throw new OpError(op, `boundingBoxes must be 3-D [batch, numBoxes, 4], found shape ${fmtShape(bx.shape)}`);
  const minCovered = options.minObjectCovered ?? 0.1;
  if (typeof minCovered !== 'number' || !(minCovered >= 0) || !Number.isFinite(minCovered)) throw new OpError(op, `minObjectCovered must be a finite number >= 0, found ${String(minCovered)}`);
  const [aspectLo, aspectHi] = rangePair(op, 'aspectRatioRange', options.aspectRatioRange ?? [0.75, 1.33], (x) => x > 0 && Number.isFinite(x), 'both > 0');
  const [areaLo, areaHi] = rangePair(op, 'areaRange', options.areaRange ?? [0.05, 1], (x) => x > 0 && x <= 1, 'both in (0, 1]');
  const maxAttempts = options.maxAttempts ?? 100;
  checkInt(op, 'maxAttempts', maxAttempts, 1);
  const useImage = options.useImageIfNoBoundingBoxes ?? false;
  if (typeof useImage !== 'boolean') throw new OpError(op, `useImageIfNoBoundingBoxes must be a boolean, found ${String(useImage)}`);

  const imageRect: Rect = { x0: 0, y0: 0, x1: W, y1: H };
  const boxes: Rect[] = [];
  for (let k = 0; k < bx.values.length; k += 4) {
    const [y0, x0, y1, x1] = bx.values.slice(k, k + 4) as [number, number, number, number];
    for (const [c, v] of [y0, x0, y1, x1].entries()) {
      if (!(v >= 0 && v <= 1)) throw new OpError(op, `boundingBoxes coordinates must be in [0, 1], found ${v} (box ${k / 4}, coordinate ${c})`);
    }
    if (y0 > y1 || x0 > x1) throw new OpError(op, `boundingBoxes rows must be [yMin, xMin, yMax, xMax] with yMin <= yMax and xMin <= xMax, found [${y0}, ${x0}, ${y1}, ${x1}] (box ${k / 4})`);
    // Pixel coordinates truncated as TensorFlow's int32 casts of v · size (float32 products).
    boxes.push({ x0: Math.trunc(Math.fround(x0 * W)), y0: Math.trunc(Math.fround(y0 * H)), x1: Math.trunc(Math.fround(x1 * W)), y1: Math.trunc(Math.fround(y1 * H)) });
  }
  if (boxes.length === 0) {
    if (!useImage) throw new OpError(op, 'no bounding boxes given (boundingBoxes is empty); pass useImageIfNoBoundingBoxes: true to sample against the whole image');
    boxes.push(imageRect);
  }

  const rng = new HostRandom(nextStream('sample_distorted_bounding_box', options.seed, op));
  const aspectSpan = Math.fround(aspectHi - aspectLo);
  let crop = imageRect;
  for (let i = 0; i < maxAttempts; i++) {
    const aspect = Math.fround(Math.fround(uint32ToFloat(rng.nextU32()) * aspectSpan) + aspectLo);
    const c = generateRandomCrop(W, H, areaLo, areaHi, aspect, rng);
    if (c && coversAnObject(c, minCovered, boxes)) {
      crop = c;
      break;
    }
  }
  // TensorFlow divides in float32: min / (float)size.
  const values = {
    begin: [crop.y0, crop.x0, 0],
    size: [crop.y1 - crop.y0, crop.x1 - crop.x0, -1],
    bboxes: [crop.y0 / H, crop.x0 / W, crop.y1 / H, crop.x1 / W].map(Math.fround),
  };
  return {
    begin: makeTensorFrom(values.begin, [3], 'int32'),
    size: makeTensorFrom(values.size, [3], 'int32'),
    bboxes: makeTensorFrom(values.bboxes, [1, 1, 4], 'float32'),
    values,
  };
}
