/**
 * Image ops (TensorFlow's tf.image.*) built from public ops only: no op definitions or kernels of
 * their own, so every backend runs them and gradients come from the ops they are made of
 * (resizes and cropAndResize are gathers plus lerps, differentiable through gather's gradient).
 *
 * Images are HWC (rank 3) or NHWC (rank 4) where TensorFlow accepts both. Integer images are
 * int32 holding uint8 values 0..255 (eagerflow has no uint8 dtype); float images are float32,
 * normally in [0, 1] (convertImageDtype maps between the two with TensorFlow's scaling).
 */
import { engine } from '../../engine.js';
import { OpError, fmtShape } from '../../errors.js';
import { Tensor, flattenNested, inferShape } from '../../tensor.js';
import { HostRandom } from '../../random/host_random.js';
import { uint32ToFloat } from '../../random/philox.js';
import { nextStream } from '../../random/seed.js';
import { convert, type TensorLike } from '../convert.js';
import * as E from '../api/elementwise.js';
import { reduceMean, reduceSum } from '../api/reduce.js';
import { reshape, transpose } from '../api/shape_ops.js';
import { cast } from '../api/cast.js';
import { tensor as makeTensorFrom } from '../create_values.js';
import { concat, gather, pad, reverse, slice, split, tile } from '../api/array_ops.js';
import { randomUniform } from '../api/random.js';
import { matmul } from '../api/linalg.js';

/** uint8 range of int32 images. */
const UINT8_MAX = 255;

function image3or4(op: string, image: TensorLike, arg = 'image'): Tensor {
  const t = convert(image, arg, op);
  if (t.rank !== 3 && t.rank !== 4) {
    throw new OpError(op, `${arg} must be 3-D [height, width, channels] or 4-D [batch, height, width, channels], found shape ${fmtShape(t.shape)}`);
  }
  return t;
}

function checkImageDtype(op: string, t: Tensor, arg = 'image'): void {
  if (t.dtype !== 'float32' && t.dtype !== 'int32') throw new OpError(op, `${arg} must be float32 or int32 (uint8 values), found ${t.dtype}`);
}

/** Height and width axes of an HWC / NHWC tensor. */
const hAxis = (t: Tensor) => t.rank - 3;
const wAxis = (t: Tensor) => t.rank - 2;

function checkInt(op: string, arg: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new OpError(op, `${arg} must be an integer >= ${min}, found ${v}`);
}

function checkSize(op: string, size: readonly number[]): [number, number] {
  if (!Array.isArray(size) || size.length !== 2) throw new OpError(op, `size must be [newHeight, newWidth], found ${JSON.stringify(size)}`);
  const [h, w] = size as [number, number];
  if (!Number.isInteger(h) || !Number.isInteger(w) || h <= 0 || w <= 0) throw new OpError(op, `size must hold two positive integers, found [${h},${w}]`);
  return [h, w];
}

// ---- flips and transposes ------------------------------------------------------------------

/** Mirrors the width axis (TensorFlow's flip_left_right). */
export function flipLeftRight(image: TensorLike): Tensor {
  const t = image3or4('flipLeftRight', image);
  return reverse(t, wAxis(t));
}

/** Mirrors the height axis (TensorFlow's flip_up_down). */
export function flipUpDown(image: TensorLike): Tensor {
  const t = image3or4('flipUpDown', image);
  return reverse(t, hAxis(t));
}

/** Swaps height and width (TensorFlow's transpose_image / image.transpose). */
export function transposeImage(image: TensorLike): Tensor {
  const t = image3or4('transposeImage', image);
  return t.rank === 3 ? transpose(t, [1, 0, 2]) : transpose(t, [0, 2, 1, 3]);
}

function randomFlip(op: string, image: TensorLike, flip: (t: Tensor) => Tensor, seed: number | undefined): Tensor {
  const t = image3or4(op, image);
  return engine.tidy(() => {
    // One coin per image (a scalar for HWC, [batch] for NHWC), flipped where uniform < 0.5.
    const coin = t.rank === 3 ? randomUniform([], { seed }) : randomUniform([t.shape[0]!, 1, 1, 1], { seed });
    return E.where(E.less(coin, 0.5), flip(t), t);
  });
}

/** Flips each image left-right with probability 1/2 (TensorFlow's random_flip_left_right). */
export const randomFlipLeftRight = (image: TensorLike, options: { seed?: number } = {}): Tensor =>
  randomFlip('randomFlipLeftRight', image, flipLeftRight, options.seed);

/** Flips each image up-down with probability 1/2 (TensorFlow's random_flip_up_down). */
export const randomFlipUpDown = (image: TensorLike, options: { seed?: number } = {}): Tensor =>
  randomFlip('randomFlipUpDown', image, flipUpDown, options.seed);

// ---- crops and pads ------------------------------------------------------------------------

/** Validates the crop/pad box arguments shared by crop- and padToBoundingBox. */
function boundingBoxArgs(op: string, image: TensorLike, offsetHeight: number, offsetWidth: number, targetHeight: number, targetWidth: number): { t: Tensor; H: number; W: number } {
  const t = image3or4(op, image);
  checkInt(op, 'offsetHeight', offsetHeight, 0);
  checkInt(op, 'offsetWidth', offsetWidth, 0);
  checkInt(op, 'targetHeight', targetHeight, 1);
  checkInt(op, 'targetWidth', targetWidth, 1);
  const H = t.shape[hAxis(t)]!;
  const W = t.shape[wAxis(t)]!;
  return { t, H, W };
}

/** The window [offsetHeight, offsetHeight + targetHeight) × [offsetWidth, …) (TensorFlow's crop_to_bounding_box). */
export function cropToBoundingBox(image: TensorLike, offsetHeight: number, offsetWidth: number, targetHeight: number, targetWidth: number): Tensor {
  const op = 'cropToBoundingBox';
  const { t, H, W } = boundingBoxArgs(op, image, offsetHeight, offsetWidth, targetHeight, targetWidth);
  if (offsetHeight + targetHeight > H) throw new OpError(op, `offsetHeight + targetHeight = ${offsetHeight + targetHeight} exceeds the image height ${H} (image ${fmtShape(t.shape)})`);
  if (offsetWidth + targetWidth > W) throw new OpError(op, `offsetWidth + targetWidth = ${offsetWidth + targetWidth} exceeds the image width ${W} (image ${fmtShape(t.shape)})`);
  const begin = t.rank === 3 ? [offsetHeight, offsetWidth, 0] : [0, offsetHeight, offsetWidth, 0];
  const size = t.rank === 3 ? [targetHeight, targetWidth, -1] : [-1, targetHeight, targetWidth, -1];
  return slice(t, begin, size);
}

/** Zero-pads to targetHeight × targetWidth with the image at (offsetHeight, offsetWidth) (TensorFlow's pad_to_bounding_box). */
export function padToBoundingBox(image: TensorLike, offsetHeight: number, offsetWidth: number, targetHeight: number, targetWidth: number): Tensor {
  const op = 'padToBoundingBox';
  const { t, H, W } = boundingBoxArgs(op, image, offsetHeight, offsetWidth, targetHeight, targetWidth);
  const after = [targetHeight - offsetHeight - H, targetWidth - offsetWidth - W];
  if (after[0]! < 0) throw new OpError(op, `targetHeight ${targetHeight} must be >= offsetHeight + height = ${offsetHeight + H} (image ${fmtShape(t.shape)})`);
  if (after[1]! < 0) throw new OpError(op, `targetWidth ${targetWidth} must be >= offsetWidth + width = ${offsetWidth + W} (image ${fmtShape(t.shape)})`);
  const rows: [number, number][] = [[offsetHeight, after[0]!], [offsetWidth, after[1]!], [0, 0]];
  return pad(t, t.rank === 3 ? rows : [[0, 0], ...rows]);
}

/** Keeps the central `fraction` of height and width (TensorFlow's central_crop). */
export function centralCrop(image: TensorLike, fraction: number): Tensor {
  const op = 'centralCrop';
  const t = image3or4(op, image);
  if (typeof fraction !== 'number' || !(fraction > 0 && fraction <= 1)) throw new OpError(op, `fraction must be in (0, 1], found ${String(fraction)}`);
  const H = t.shape[hAxis(t)]!;
  const W = t.shape[wAxis(t)]!;
  if (fraction === 1) return reshape(t, t.shape);
  const hStart = Math.trunc((H - H * fraction) / 2);
  const wStart = Math.trunc((W - W * fraction) / 2);
  return cropToBoundingBox(t, hStart, wStart, H - 2 * hStart, W - 2 * wStart);
}

/** Centrally crops and/or zero-pads to targetHeight × targetWidth (TensorFlow's resize_with_crop_or_pad). */
export function resizeImageWithCropOrPad(image: TensorLike, targetHeight: number, targetWidth: number): Tensor {
  const op = 'resizeImageWithCropOrPad';
  const t = image3or4(op, image);
  checkInt(op, 'targetHeight', targetHeight, 1);
  checkInt(op, 'targetWidth', targetWidth, 1);
  const H = t.shape[hAxis(t)]!;
  const W = t.shape[wAxis(t)]!;
  const dh = targetHeight - H;
  const dw = targetWidth - W;
  return engine.tidy(() => {
    const cropped = cropToBoundingBox(t, Math.max(Math.floor(-dh / 2), 0), Math.max(Math.floor(-dw / 2), 0), Math.min(targetHeight, H), Math.min(targetWidth, W));
    return padToBoundingBox(cropped, Math.max(Math.floor(dh / 2), 0), Math.max(Math.floor(dw / 2), 0), targetHeight, targetWidth);
  });
}

// ---- dtype and colour ----------------------------------------------------------------------

/**
 * int32 (uint8 values 0..255) ↔ float32 (0..1) with TensorFlow's convert_image_dtype scaling:
 * int → float multiplies by 1/255; float → int multiplies by 255.5 and truncates (values of
 * [0, 1] land in 0..255); with `saturate`, results are clamped to 0..255 first. Same dtype: a copy.
 */
export function convertImageDtype(image: TensorLike, dtype: 'float32' | 'int32', saturate = false): Tensor {
  const op = 'convertImageDtype';
  const t = convert(image, 'image', op);
  checkImageDtype(op, t);
  if (dtype !== 'float32' && dtype !== 'int32') throw new OpError(op, `dtype must be 'float32' or 'int32' (uint8 values), found ${String(dtype)}`);
  if (t.dtype === dtype) return cast(t, dtype);
  return engine.tidy(() => {
    if (dtype === 'float32') return E.mul(cast(t, 'float32'), 1 / UINT8_MAX);
    const scaled = E.mul(t, UINT8_MAX + 0.5);
    return cast(saturate ? E.clipByValue(scaled, 0, UINT8_MAX) : scaled, 'int32');
  });
}

/** Runs `fn` on a float32 view of the image and converts back to the image's dtype (saturating), as TensorFlow's adjust_* ops do. */
function inFloat(op: string, t: Tensor, fn: (f: Tensor) => Tensor): Tensor {
  checkImageDtype(op, t);
  return engine.tidy(() => (t.dtype === 'float32' ? fn(t) : convertImageDtype(fn(convertImageDtype(t, 'float32')), 'int32', true)));
}

/** Weighted sum of R, G, B (0.2989, 0.5870, 0.1140) into one channel (TensorFlow's rgb_to_grayscale). */
export function rgbToGrayscale(images: TensorLike): Tensor {
  const op = 'rgbToGrayscale';
  const t = convert(images, 'images', op);
  if (t.rank < 1 || t.shape[t.rank - 1] !== 3) throw new OpError(op, `images must have 3 channels (last dimension), found shape ${fmtShape(t.shape)}`);
  return inFloat(op, t, (f) => reduceSum(E.mul(f, [0.2989, 0.587, 0.114]), -1, true));
}

/** Repeats the single channel three times (TensorFlow's grayscale_to_rgb). */
export function grayscaleToRgb(images: TensorLike): Tensor {
  const op = 'grayscaleToRgb';
  const t = convert(images, 'images', op);
  if (t.rank < 2 || t.shape[t.rank - 1] !== 1) throw new OpError(op, `images must have rank >= 2 and 1 channel (last dimension), found shape ${fmtShape(t.shape)}`);
  return tile(t, [...t.shape.slice(0, -1).map(() => 1), 3]);
}

// ---- brightness, contrast, standardization -------------------------------------------------

/** image + delta (TensorFlow's adjust_brightness; int32 images are adjusted in [0, 1] and saturated). */
export function adjustBrightness(image: TensorLike, delta: number): Tensor {
  const op = 'adjustBrightness';
  const t = convert(image, 'image', op);
  if (typeof delta !== 'number' || !Number.isFinite(delta)) throw new OpError(op, `delta must be a finite number, found ${String(delta)}`);
  return inFloat(op, t, (f) => E.add(f, delta));
}

/** (x - mean) · factor + mean, mean per image and channel over height and width (TensorFlow's adjust_contrast). */
export function adjustContrast(images: TensorLike, contrastFactor: number): Tensor {
  const op = 'adjustContrast';
  const t = image3or4(op, images, 'images');
  if (typeof contrastFactor !== 'number' || !Number.isFinite(contrastFactor)) throw new OpError(op, `contrastFactor must be a finite number, found ${String(contrastFactor)}`);
  return inFloat(op, t, (f) => {
    const mean = reduceMean(f, [hAxis(f), wAxis(f)], true);
    return E.add(E.mul(E.sub(f, mean), contrastFactor), mean);
  });
}

/** adjustBrightness by a delta drawn uniformly from [-maxDelta, maxDelta) (TensorFlow's random_brightness). */
export function randomBrightness(image: TensorLike, maxDelta: number, options: { seed?: number } = {}): Tensor {
  const op = 'randomBrightness';
  const t = convert(image, 'image', op);
  checkImageDtype(op, t);
  if (typeof maxDelta !== 'number' || !(maxDelta >= 0)) throw new OpError(op, `maxDelta must be >= 0, found ${String(maxDelta)}`);
  return engine.tidy(() => {
    const delta = randomUniform([], { minval: -maxDelta, maxval: maxDelta, seed: options.seed });
    return inFloat(op, t, (f) => E.add(f, delta));
  });
}

/** adjustContrast by a factor drawn uniformly from [lower, upper) (TensorFlow's random_contrast). */
export function randomContrast(image: TensorLike, lower: number, upper: number, options: { seed?: number } = {}): Tensor {
  const op = 'randomContrast';
  const t = image3or4(op, image);
  checkImageDtype(op, t);
  if (!(lower >= 0)) throw new OpError(op, `lower must be >= 0, found ${String(lower)}`);
  if (!(upper > lower)) throw new OpError(op, `upper must be > lower, found lower ${lower}, upper ${upper}`);
  return engine.tidy(() => {
    const factor = randomUniform([], { minval: lower, maxval: upper, seed: options.seed });
    return inFloat(op, t, (f) => {
      const mean = reduceMean(f, [hAxis(f), wAxis(f)], true);
      return E.add(E.mul(E.sub(f, mean), factor), mean);
    });
  });
}

/**
 * (x - mean) / max(stddev, 1/sqrt(N)) per image, N = height·width·channels (TensorFlow's
 * per_image_standardization; int32 images are cast, not rescaled, as in TensorFlow 2). float32 out.
 */
export function perImageStandardization(image: TensorLike): Tensor {
  const op = 'perImageStandardization';
  const t = image3or4(op, image);
  checkImageDtype(op, t);
  const n = t.shape.slice(-3).reduce((a, b) => a * b, 1);
  if (n === 0) throw new OpError(op, `image must have at least one pixel, found shape ${fmtShape(t.shape)}`);
  return engine.tidy(() => {
    const f = cast(t, 'float32');
    const axes = [-3, -2, -1];
    const mean = reduceMean(f, axes, true);
    const centered = E.sub(f, mean);
    const std = E.sqrt(reduceMean(E.square(centered), axes, true));
    return E.div(centered, E.maximum(std, 1 / Math.sqrt(n)));
  });
}

/** TensorFlow's old name (tf.image.per_image_whitening) of perImageStandardization. */
export const perImageWhitening = perImageStandardization;

// ---- HSV: hue and saturation ---------------------------------------------------------------

function checkRgb(op: string, t: Tensor, arg: string, minRank: number): void {
  if (t.rank < minRank || t.shape[t.rank - 1] !== 3) {
    const rank = minRank === 1 ? 'have' : `be at least ${minRank}-D with`;
    throw new OpError(op, `${arg} must ${rank} 3 channels (last dimension), found shape ${fmtShape(t.shape)}`);
  }
}

/** R, G, B (or H, S, V) as three [..., 1] tensors. */
const channels3 = (t: Tensor): [Tensor, Tensor, Tensor] => split(t, 3, -1) as [Tensor, Tensor, Tensor];

/**
 * TensorFlow's RGBToHSV kernel as elementwise ops. Denominators of the unselected branches are
 * replaced by 1 where they would be 0 (gray or black pixels), so no inf/NaN reaches the gradients.
 */
function rgbToHsvF(f: Tensor): Tensor {
  const [r, g, b] = channels3(f);
  const v = E.maximum(E.maximum(r, g), b);
  const range = E.sub(v, E.minimum(E.minimum(r, g), b));
  const vPos = E.greater(v, 0);
  const s = E.where(vPos, E.div(range, E.where(vPos, v, 1)), 0);
  const rPos = E.greater(range, 0);
  const norm = E.div(1 / 6, E.where(rPos, range, 1));
  let h = E.where(E.equal(r, v), E.mul(norm, E.sub(g, b)), E.where(E.equal(g, v), E.add(E.mul(norm, E.sub(b, r)), 2 / 6), E.add(E.mul(norm, E.sub(r, g)), 4 / 6)));
  h = E.where(rPos, h, 0);
  h = E.where(E.less(h, 0), E.add(h, 1), h);
  return concat([h, s, v], -1);
}

/** TensorFlow's HSVToRGB kernel: piecewise-linear channel ramps of 6·h, scaled by S and V. */
function hsvToRgbF(f: Tensor): Tensor {
  const [h, s, v] = channels3(f);
  const dh = E.mul(h, 6);
  const dr = E.clipByValue(E.sub(E.abs(E.sub(dh, 3)), 1), 0, 1);
  const dg = E.clipByValue(E.sub(2, E.abs(E.sub(dh, 2))), 0, 1);
  const db = E.clipByValue(E.sub(2, E.abs(E.sub(dh, 4))), 0, 1);
  const oneMinusS = E.sub(1, s);
  const channel = (d: Tensor) => E.mul(E.add(oneMinusS, E.mul(s, d)), v);
  return concat([channel(dr), channel(dg), channel(db)], -1);
}

/**
 * RGB → HSV (TensorFlow's rgb_to_hsv): float32 [..., 3] in, [..., 3] out with hue in [0, 1)
 * (0 for gray pixels), saturation range/max (0 where max <= 0) and value max(R, G, B).
 * Differentiable almost everywhere.
 */
export function rgbToHsv(images: TensorLike): Tensor {
  const op = 'rgbToHsv';
  const t = convert(images, 'images', op);
  checkRgb(op, t, 'images', 1);
  if (t.dtype !== 'float32') throw new OpError(op, `images must be float32, found ${t.dtype} (convert int32 images with convertImageDtype first)`);
  return engine.tidy(() => rgbToHsvF(t));
}

/** HSV → RGB (TensorFlow's hsv_to_rgb): float32 [..., 3], hue in [0, 1]. Differentiable almost everywhere. */
export function hsvToRgb(images: TensorLike): Tensor {
  const op = 'hsvToRgb';
  const t = convert(images, 'images', op);
  checkRgb(op, t, 'images', 1);
  if (t.dtype !== 'float32') throw new OpError(op, `images must be float32, found ${t.dtype}`);
  return engine.tidy(() => hsvToRgbF(t));
}

/** Hue + delta wrapped into [0, 1) (delta in [-1, 1], so one ±1 suffices; no floor, so the gradient is 1). */
function shiftHue(f: Tensor, delta: TensorLike): Tensor {
  const [h, s, v] = channels3(rgbToHsvF(f));
  const shifted = E.add(h, delta);
  const wrapped = E.where(E.greaterEqual(shifted, 1), E.sub(shifted, 1), E.where(E.less(shifted, 0), E.add(shifted, 1), shifted));
  return hsvToRgbF(concat([wrapped, s, v], -1));
}

/** Saturation · factor clipped to [0, 1]. */
function scaleSaturation(f: Tensor, factor: TensorLike): Tensor {
  const [h, s, v] = channels3(rgbToHsvF(f));
  return hsvToRgbF(concat([h, E.clipByValue(E.mul(s, factor), 0, 1), v], -1));
}

/**
 * Rotates the hue by `delta` (in [-1, 1], a full turn being 1) in HSV space (TensorFlow's
 * adjust_hue): image [..., height, width, 3] (rank >= 3), float32 or int32 (uint8 values, adjusted
 * in float and converted back). Saturation and value are kept.
 */
export function adjustHue(image: TensorLike, delta: number): Tensor {
  const op = 'adjustHue';
  const t = convert(image, 'image', op);
  checkRgb(op, t, 'image', 3);
  if (typeof delta !== 'number' || !(delta >= -1 && delta <= 1)) throw new OpError(op, `delta must be in [-1, 1], found ${String(delta)}`);
  return inFloat(op, t, (f) => shiftHue(f, delta));
}

/** adjustHue by a delta drawn uniformly from [-maxDelta, maxDelta), maxDelta in [0, 0.5] (TensorFlow's random_hue). */
export function randomHue(image: TensorLike, maxDelta: number, options: { seed?: number } = {}): Tensor {
  const op = 'randomHue';
  const t = convert(image, 'image', op);
  checkRgb(op, t, 'image', 3);
  checkImageDtype(op, t);
  if (typeof maxDelta !== 'number' || !(maxDelta >= 0 && maxDelta <= 0.5)) throw new OpError(op, `maxDelta must be in [0, 0.5], found ${String(maxDelta)}`);
  return engine.tidy(() => {
    const delta = randomUniform([], { minval: -maxDelta, maxval: maxDelta, seed: options.seed });
    return inFloat(op, t, (f) => shiftHue(f, delta));
  });
}

/**
 * Scales the saturation: HSV, s ← clip(s · saturationFactor, 0, 1), back to RGB (TensorFlow's
 * adjust_saturation). image [..., height, width, 3] (rank >= 3), float32 or int32 (uint8 values).
 * A factor of 0 gives gray (every channel = max(R, G, B)); factors <= 0 all do, as in TensorFlow.
 */
export function adjustSaturation(image: TensorLike, saturationFactor: number): Tensor {
  const op = 'adjustSaturation';
  const t = convert(image, 'image', op);
  checkRgb(op, t, 'image', 3);
  if (typeof saturationFactor !== 'number' || !Number.isFinite(saturationFactor)) throw new OpError(op, `saturationFactor must be a finite number, found ${String(saturationFactor)}`);
  return inFloat(op, t, (f) => scaleSaturation(f, saturationFactor));
}

/** adjustSaturation by a factor drawn uniformly from [lower, upper) (TensorFlow's random_saturation). */
export function randomSaturation(image: TensorLike, lower: number, upper: number, options: { seed?: number } = {}): Tensor {
  const op = 'randomSaturation';
  const t = convert(image, 'image', op);
  checkRgb(op, t, 'image', 3);
  checkImageDtype(op, t);
  if (typeof lower !== 'number' || !(lower >= 0)) throw new OpError(op, `lower must be >= 0, found ${String(lower)}`);
  if (typeof upper !== 'number' || !(upper > lower) || !Number.isFinite(upper)) throw new OpError(op, `upper must be a finite number > lower, found lower ${lower}, upper ${String(upper)}`);
  return engine.tidy(() => {
    const factor = randomUniform([], { minval: lower, maxval: upper, seed: options.seed });
    return inFloat(op, t, (f) => scaleSaturation(f, factor));
  });
}

// ---- resizing ------------------------------------------------------------------------------

export interface ResizeOptions {
  /** Corner pixels of input and output line up (scale (in-1)/(out-1)). Default false. */
  alignCorners?: boolean;
  /** Pixel centres at +0.5 (TensorFlow 2's tf.image.resize uses this). Default false. */
  halfPixelCenters?: boolean;
}

/** TensorFlow's CalculateResizeScale, in float32 as TensorFlow computes it. */
function resizeScale(inSize: number, outSize: number, alignCorners: boolean): number {
  return alignCorners && outSize > 1 ? Math.fround((inSize - 1) / Math.fround(outSize - 1)) : Math.fround(inSize / Math.fround(outSize));
}

/** lower/upper source indices and lerp weights per output index (TensorFlow's compute_interpolation_weights). */
function bilinearWeights(inSize: number, outSize: number, o: Required<ResizeOptions>): { lower: number[]; upper: number[]; lerp: number[] } {
  const scale = resizeScale(inSize, outSize, o.alignCorners);
  const lower: number[] = [];
  const upper: number[] = [];
  const lerp: number[] = [];
  for (let i = 0; i < outSize; i++) {
    const inPos = o.halfPixelCenters ? Math.fround(Math.fround((i + 0.5) * scale) - 0.5) : Math.fround(i * scale);
    const f = Math.floor(inPos);
    lower.push(Math.max(f, 0));
    upper.push(Math.min(Math.ceil(inPos), inSize - 1));
    lerp.push(inPos - f);
  }
  return { lower, upper, lerp };
}

function resizeArgs(op: string, images: TensorLike, size: readonly number[], options: ResizeOptions): { t: Tensor; h: number; w: number; o: Required<ResizeOptions> } {
  const t = image3or4(op, images, 'images');
  checkImageDtype(op, t, 'images');
  const [h, w] = checkSize(op, size);
  const o = { alignCorners: options.alignCorners ?? false, halfPixelCenters: options.halfPixelCenters ?? false };
  if (o.alignCorners && o.halfPixelCenters) throw new OpError(op, 'alignCorners and halfPixelCenters cannot both be true');
  if (t.shape[hAxis(t)] === 0 || t.shape[wAxis(t)] === 0) throw new OpError(op, `images must have a non-empty height and width, found shape ${fmtShape(t.shape)}`);
  return { t, h, w, o };
}

/** Lerp along one axis: a + (b - a)·w with w broadcast along that axis. */
function lerpAxis(x: Tensor, axis: number, lower: number[], upper: number[], lerp: number[]): Tensor {
  const a = gather(x, makeTensorFrom(lower, [lower.length], 'int32'), axis);
  if (lower.every((l, i) => l === upper[i]) || lerp.every((v) => v === 0)) return a;
  const b = gather(x, makeTensorFrom(upper, [upper.length], 'int32'), axis);
  const wShape = x.shape.map((_, d) => (d === axis ? lerp.length : 1));
  return E.add(a, E.mul(E.sub(b, a), makeTensorFrom(lerp, wShape, 'float32')));
}

/**
 * Bilinear resize to [newHeight, newWidth] (TensorFlow's ResizeBilinear: resize_bilinear /
 * tf.image.resize(method='bilinear') is halfPixelCenters: true). HWC or NHWC; float32 out.
 * Differentiable with respect to the images.
 */
export function resizeBilinear(images: TensorLike, size: readonly number[], options: ResizeOptions = {}): Tensor {
  const { t, h, w, o } = resizeArgs('resizeBilinear', images, size, options);
  return engine.tidy(() => {
    const f = cast(t, 'float32');
    const hy = bilinearWeights(f.shape[hAxis(f)]!, h, o);
    const wx = bilinearWeights(f.shape[wAxis(f)]!, w, o);
    return lerpAxis(lerpAxis(f, hAxis(f), hy.lower, hy.upper, hy.lerp), wAxis(f), wx.lower, wx.upper, wx.lerp);
  });
}

function nearestIndices(inSize: number, outSize: number, o: Required<ResizeOptions>): number[] {
  const scale = resizeScale(inSize, outSize, o.alignCorners);
  const out: number[] = [];
  for (let i = 0; i < outSize; i++) {
    const inPos = o.halfPixelCenters ? Math.fround((i + 0.5) * scale) : Math.fround(i * scale);
    let idx = Math.min(o.alignCorners ? Math.round(inPos) : Math.floor(inPos), inSize - 1);
    if (o.halfPixelCenters) idx = Math.max(0, idx);
    out.push(idx);
  }
  return out;
}

/** Nearest-neighbour resize (TensorFlow's ResizeNearestNeighbor coordinate rules); keeps the dtype. */
export function resizeNearestNeighbor(images: TensorLike, size: readonly number[], options: ResizeOptions = {}): Tensor {
  const { t, h, w, o } = resizeArgs('resizeNearestNeighbor', images, size, options);
  const ys = nearestIndices(t.shape[hAxis(t)]!, h, o);
  const xs = nearestIndices(t.shape[wAxis(t)]!, w, o);
  return engine.tidy(() => gather(gather(t, makeTensorFrom(ys, [h], 'int32'), hAxis(t)), makeTensorFrom(xs, [w], 'int32'), wAxis(t)));
}

/**
 * TensorFlow 2's tf.image.resize(images, size, method) for 'bilinear' (default), 'nearest',
 * 'bicubic' (Keys a = -0.5) and 'area': half-pixel centres, no antialiasing; float32 out, except
 * the input dtype for nearest.
 */
export function resize(images: TensorLike, size: readonly number[], method: 'bilinear' | 'nearest' | 'bicubic' | 'area' = 'bilinear'): Tensor {
  if (method === 'bilinear') return resizeBilinear(images, size, { halfPixelCenters: true });
  if (method === 'nearest') return resizeNearestNeighbor(images, size, { halfPixelCenters: true });
  if (method === 'bicubic') return resizeBicubic(images, size, { halfPixelCenters: true });
  if (method === 'area') return resizeArea(images, size);
  throw new OpError('resize', `method must be 'bilinear', 'nearest', 'bicubic' or 'area', found '${String(method)}'`);
}

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

/**
 * [outSize, inSize] area weights along one axis (TensorFlow's ResizeArea): output i covers
 * [i·scale, (i+1)·scale) in input coordinates (float32 as TensorFlow); each input pixel [j, j+1)
 * gets its overlap with that footprint, divided by scale. Footprint cells past the last pixel are
 * read from the last pixel (TensorFlow's BoundIfNeeded).
 */
function areaWeights(inSize: number, outSize: number, alignCorners: boolean): number[] {
  const f = Math.fround;
  const scale = resizeScale(inSize, outSize, alignCorners);
  const m = new Array<number>(outSize * inSize).fill(0);
  // alignCorners with a single input pixel: scale 0, zero-width footprints (TensorFlow computes
  // 0 · 1/0 = NaN); the limit of the area mean, the pixel itself, is used instead.
  if (scale === 0) return m.fill(1);
  for (let i = 0; i < outSize; i++) {
    const lo = f(i * scale);
    const hi = f((i + 1) * scale);
    for (let j = Math.floor(lo); j < Math.ceil(hi); j++) {
      const overlap = j < lo ? (j + 1 > hi ? scale : f(j + 1 - lo)) : j + 1 > hi ? f(hi - j) : 1;
      m[i * inSize + Math.min(j, inSize - 1)] += overlap / scale;
    }
  }
  return m;
}

export interface ResizeAreaOptions {
  /** Corner pixels of input and output line up (scale (in-1)/(out-1)). Default false. */
  alignCorners?: boolean;
}

/**
 * Area resize to [newHeight, newWidth] (TensorFlow's ResizeArea): each output pixel is the
 * area-weighted mean of the input pixels its footprint (scale × scale, scale = in/out or, with
 * alignCorners, (in-1)/(out-1)) covers; downsampling by an integer factor gives block means,
 * upsampling repeats or blends neighbouring pixels. Applied as two host-computed weight matrices
 * (matmul along height, then width). HWC or NHWC; float32 out; differentiable with respect to the
 * images. TensorFlow's ResizeArea has no halfPixelCenters. With alignCorners, a side of one pixel
 * resized to several repeats that pixel (TensorFlow gives NaN there).
 */
export function resizeArea(images: TensorLike, size: readonly number[], options: ResizeAreaOptions = {}): Tensor {
  const op = 'resizeArea';
  if ((options as ResizeOptions).halfPixelCenters) throw new OpError(op, 'halfPixelCenters is not supported (TensorFlow\'s ResizeArea has only alignCorners), found halfPixelCenters: true');
  const { t, h, w, o } = resizeArgs(op, images, size, { alignCorners: options.alignCorners });
  return engine.tidy(() => {
    const f = cast(t, 'float32');
    const [N, H, W, C] = f.rank === 4 ? (f.shape as [number, number, number, number]) : [1, ...(f.shape as [number, number, number])];
    const wy = makeTensorFrom(areaWeights(H, h, o.alignCorners), [h, H], 'float32');
    const wx = makeTensorFrom(areaWeights(W, w, o.alignCorners), [w, W], 'float32');
    // [h, H] · [N, H, W·C] → [N, h, W·C]; then [w, W] · [N·h, W, C] → [N·h, w, C].
    const rows = matmul(wy, reshape(f, [N, H, W * C]));
    const out = matmul(wx, reshape(rows, [N * h, W, C]));
    return reshape(out, f.rank === 4 ? [N, h, w, C] : [h, w, C]);
  });
}

/** TensorFlow's ResizeMethod numbering (tf.image.ResizeMethod in TF1: BILINEAR 0, NEAREST_NEIGHBOR 1, BICUBIC 2, AREA 3) and names. */
export type ResizeMethod = 0 | 1 | 2 | 3 | 'bilinear' | 'nearest' | 'bicubic' | 'area';

export interface ResizeImagesOptions extends ResizeOptions {
  /**
   * Scale both sides by the same factor so the result fits within size (TensorFlow's
   * preserve_aspect_ratio): factor min(newH/H, newW/W), sides rounded half to even. Default false.
   */
  preserveAspectRatio?: boolean;
}

const RESIZE_METHODS = ['bilinear', 'nearest', 'bicubic', 'area'] as const;

/**
 * TensorFlow 1's tf.image.resize_images(images, size, method, align_corners, preserve_aspect_ratio):
 * method 0 / 'bilinear' (default), 1 / 'nearest', 2 / 'bicubic', 3 / 'area', dispatching to
 * resizeBilinear / resizeNearestNeighbor / resizeBicubic / resizeArea with the given options
 * (TF1's defaults: alignCorners false, legacy coordinates; halfPixelCenters is passed through,
 * except for 'area', which has none). As in TF1, an image already of the target size is returned
 * as is (a copy, dtype kept); otherwise nearest keeps the dtype and the others give float32.
 */
export function resizeImages(images: TensorLike, size: readonly number[], method: ResizeMethod = 0, options: ResizeImagesOptions = {}): Tensor {
  const op = 'resizeImages';
  const name = typeof method === 'number' && Number.isInteger(method) ? RESIZE_METHODS[method] : RESIZE_METHODS.find((m) => m === method);
  if (name === undefined) {
    throw new OpError(op, `method must be 0 | 1 | 2 | 3 or 'bilinear' | 'nearest' | 'bicubic' | 'area' (TensorFlow's ResizeMethod), found ${typeof method === 'string' ? `'${method}'` : String(method)}`);
  }
  const t = image3or4(op, images, 'images');
  checkImageDtype(op, t, 'images');
  let [h, w] = checkSize(op, size);
  const { preserveAspectRatio = false, ...resizeOptions } = options;
  if (resizeOptions.alignCorners && resizeOptions.halfPixelCenters) throw new OpError(op, 'alignCorners and halfPixelCenters cannot both be true');
  if (name === 'area' && resizeOptions.halfPixelCenters) throw new OpError(op, "halfPixelCenters is not supported by method 'area' (TensorFlow's ResizeArea has only alignCorners)");
  const H = t.shape[hAxis(t)]!;
  const W = t.shape[wAxis(t)]!;
  if (H === 0 || W === 0) throw new OpError(op, `images must have a non-empty height and width, found shape ${fmtShape(t.shape)}`);
  if (preserveAspectRatio) {
    // float32 as TensorFlow computes it; tf.round rounds half to even. At least one pixel per side.
    const factor = Math.min(Math.fround(h / H), Math.fround(w / W));
    h = Math.max(1, rint(Math.fround(factor * H)));
    w = Math.max(1, rint(Math.fround(factor * W)));
  }
  if (h === H && w === W) return reshape(t, t.shape);
  switch (name) {
    case 'bilinear':
      return resizeBilinear(t, [h, w], resizeOptions);
    case 'nearest':
      return resizeNearestNeighbor(t, [h, w], resizeOptions);
    case 'bicubic':
      return resizeBicubic(t, [h, w], resizeOptions);
    case 'area':
      return resizeArea(t, [h, w], resizeOptions);
  }
}

// ---- crop_and_resize -----------------------------------------------------------------------

export interface CropAndResizeOptions {
  method?: 'bilinear' | 'nearest';
  /** Value for sample points outside the image. Default 0. */
  extrapolationValue?: number;
}

/**
 * Crops boxes out of a batch and resizes each to cropSize (TensorFlow's crop_and_resize):
 * image [batch, H, W, C]; boxes [numBoxes, 4] float32 rows [y1, x1, y2, x2] in normalised
 * coordinates (y · (H - 1) is the pixel row; y1 > y2 flips); boxInd [numBoxes] int32 image
 * index per box; out [numBoxes, cropHeight, cropWidth, C] float32. Sample points are computed on
 * the device, so boxes may live on any backend; gradients flow to the image (and the boxes).
 */
export function cropAndResize(image: TensorLike, boxes: TensorLike, boxInd: TensorLike, cropSize: readonly number[], options: CropAndResizeOptions = {}): Tensor {
  const op = 'cropAndResize';
  const img = convert(image, 'image', op);
  if (img.rank !== 4) throw new OpError(op, `image must be 4-D [batch, height, width, channels], found shape ${fmtShape(img.shape)}`);
  checkImageDtype(op, img);
  const bx = convert(boxes, 'boxes', op, 'float32');
  if (bx.rank !== 2 || bx.shape[1] !== 4) throw new OpError(op, `boxes must be [numBoxes, 4], found shape ${fmtShape(bx.shape)}`);
  if (bx.dtype !== 'float32') throw new OpError(op, `boxes must be float32, found ${bx.dtype}`);
  const bi = convert(boxInd, 'boxInd', op, 'int32');
  if (bi.dtype !== 'int32') throw new OpError(op, `boxInd must be int32, found ${bi.dtype}`);
  if (bi.rank !== 1 || bi.shape[0] !== bx.shape[0]) throw new OpError(op, `boxInd must be [numBoxes] = [${bx.shape[0]}], found shape ${fmtShape(bi.shape)}`);
  const [ch, cw] = checkSize(op, cropSize);
  const method = options.method ?? 'bilinear';
  if (method !== 'bilinear' && method !== 'nearest') throw new OpError(op, `method must be 'bilinear' or 'nearest', found '${String(method)}'`);
  const extrapolation = options.extrapolationValue ?? 0;
  const [N, H, W, C] = img.shape as [number, number, number, number];
  const B = bx.shape[0]!;
  if (H === 0 || W === 0) throw new OpError(op, `image must have a non-empty height and width, found shape ${fmtShape(img.shape)}`);
  if (B === 0) return makeTensorFrom([], [0, ch, cw, C], 'float32');
  if (bi.backend.name === 'cpu') {
    // Host-readable indices are checked here (TensorFlow's message); on a GPU the gather's bounds check reports them.
    const ids = bi.dataSync() as ArrayLike<number>;
    for (let k = 0; k < ids.length; k++) {
      if (!(ids[k]! >= 0 && ids[k]! < N)) throw new OpError(op, `boxInd[${k}] = ${ids[k]} is not in [0, ${N}) (the image batch size)`);
    }
  }
  const result = engine.tidy(() => {
    // Sample positions along one axis: [B, n] (TensorFlow's in_y / in_x).
    const positions = (c1: number, c2: number, n: number, size: number) => {
      const p1 = slice(bx, [0, c1], [B, 1]);
      const p2 = slice(bx, [0, c2], [B, 1]);
      if (n === 1) return E.mul(E.add(p1, p2), 0.5 * (size - 1));
      const steps = makeTensorFrom(Array.from({ length: n }, (_, i) => i), [1, n], 'float32');
      return E.add(E.mul(p1, size - 1), E.mul(steps, E.div(E.mul(E.sub(p2, p1), size - 1), n - 1)));
    };
    const inY = positions(0, 2, ch, H);
    const inX = positions(1, 3, cw, W);
    const valid = (p: Tensor, size: number) => E.logicalAnd(E.greaterEqual(p, 0), E.lessEqual(p, size - 1));
    const index = (p: Tensor, size: number) => cast(E.clipByValue(p, 0, size - 1), 'int32');
    // Flat row index into image reshaped to [N·H·W, C]: [B, ch, cw].
    const base = reshape(E.mul(bi, H * W), [B, 1, 1]);
    const flat = (yi: Tensor, xi: Tensor) => E.add(E.add(base, reshape(E.mul(yi, W), [B, ch, 1])), reshape(xi, [B, 1, cw]));
    const pixels = reshape(cast(img, 'float32'), [N * H * W, C]);
    let out: Tensor;
    if (method === 'nearest') {
      out = gather(pixels, flat(index(E.floor(E.add(inY, 0.5)), H), index(E.floor(E.add(inX, 0.5)), W)));
    } else {
      const top = E.floor(inY);
      const left = E.floor(inX);
      const yLerp = reshape(E.sub(inY, top), [B, ch, 1, 1]);
      const xLerp = reshape(E.sub(inX, left), [B, 1, cw, 1]);
      const [ti, bi2] = [index(top, H), index(E.ceil(inY), H)];
      const [li, ri] = [index(left, W), index(E.ceil(inX), W)];
      const tl = gather(pixels, flat(ti, li));
      const tr = gather(pixels, flat(ti, ri));
      const bl = gather(pixels, flat(bi2, li));
      const br = gather(pixels, flat(bi2, ri));
      const topRow = E.add(tl, E.mul(E.sub(tr, tl), xLerp));
      const bottomRow = E.add(bl, E.mul(E.sub(br, bl), xLerp));
      out = E.add(topRow, E.mul(E.sub(bottomRow, topRow), yLerp));
    }
    const mask = E.logicalAnd(reshape(valid(inY, H), [B, ch, 1, 1]), reshape(valid(inX, W), [B, 1, cw, 1]));
    return E.where(mask, out, extrapolation);
  });
  if (bx !== boxes) bx.dispose();
  if (bi !== boxInd) bi.dispose();
  return result;
}

// ---- draw_bounding_boxes -------------------------------------------------------------------

/** TensorFlow's default box colours (RGBA), cycled through by box index. */
const DEFAULT_BOX_COLORS = [
  [1, 1, 0, 1], [0, 0, 1, 1], [1, 0, 0, 1], [0, 1, 0, 1], [0.5, 0, 0.5, 1],
  [0.5, 0.5, 0, 1], [0.5, 0, 0, 1], [0, 0, 0.5, 1], [0, 1, 1, 1], [1, 0, 1, 1],
];

/**
 * Draws one-pixel box outlines (TensorFlow's draw_bounding_boxes): images [batch, H, W, depth]
 * float32 with depth 1, 3 or 4; boxes [batch, numBoxes, 4] rows [yMin, xMin, yMax, xMax] in
 * normalised coordinates (pixel = trunc(v · (size - 1))); colors [numColors, >= depth] cycled
 * by box index, later boxes drawn over earlier ones. Without colors, TensorFlow's table is used
 * (white for one-channel images). Edges outside the image are not drawn; inverted or fully
 * outside boxes are skipped. Pixels not on an outline pass gradients through.
 */
export function drawBoundingBoxes(images: TensorLike, boxes: TensorLike, colors?: TensorLike): Tensor {
  const op = 'drawBoundingBoxes';
  const img = convert(images, 'images', op);
  if (img.rank !== 4) throw new OpError(op, `images must be 4-D [batch, height, width, depth], found shape ${fmtShape(img.shape)}`);
  if (img.dtype !== 'float32') throw new OpError(op, `images must be float32, found ${img.dtype}`);
  const [N, H, W, D] = img.shape as [number, number, number, number];
  if (D !== 1 && D !== 3 && D !== 4) throw new OpError(op, `images must have depth 1, 3 or 4, found ${D} (shape ${fmtShape(img.shape)})`);
  const bx = convert(boxes, 'boxes', op, 'float32');
  if (bx.rank !== 3 || bx.shape[0] !== N || bx.shape[2] !== 4) throw new OpError(op, `boxes must be [batch, numBoxes, 4] = [${N}, numBoxes, 4], found shape ${fmtShape(bx.shape)}`);
  const table = colors === undefined ? DEFAULT_BOX_COLORS.map((c) => (D === 1 ? [1, ...c.slice(1)] : c)) : undefined;
  const col = table ? makeTensorFrom(table.flat(), [table.length, 4], 'float32') : convert(colors!, 'colors', op, 'float32');
  if (col.rank !== 2 || col.shape[0] === 0 || col.shape[1]! < D) throw new OpError(op, `colors must be [numColors, >= ${D}] (one colour per row, at least depth columns), found shape ${fmtShape(col.shape)}`);
  if (col.dtype !== 'float32') throw new OpError(op, `colors must be float32, found ${col.dtype}`);
  const numBoxes = bx.shape[1]!;
  const result = engine.tidy(() => {
    const rows = makeTensorFrom(Array.from({ length: H }, (_, i) => i), [1, H, 1], 'float32');
    const cols = makeTensorFrom(Array.from({ length: W }, (_, i) => i), [1, 1, W], 'float32');
    // Pixel coordinates truncated toward zero (TensorFlow's int64 conversion), [N, 1, 1] each.
    const coord = (k: number, c: number, size: number) => reshape(cast(cast(E.mul(slice(bx, [0, k, c], [N, 1, 1]), size - 1), 'int32'), 'float32'), [N, 1, 1]);
    let canvas: Tensor = img;
    for (let k = 0; k < numBoxes; k++) {
      const [y0, x0, y1, x1] = [coord(k, 0, H), coord(k, 1, W), coord(k, 2, H), coord(k, 3, W)];
      const valid = E.logicalAnd(
        E.logicalAnd(E.lessEqual(y0, y1), E.lessEqual(x0, x1)),
        E.logicalAnd(E.logicalAnd(E.greaterEqual(y1, 0), E.greaterEqual(x1, 0)), E.logicalAnd(E.less(y0, H), E.less(x0, W))),
      );
      const rowIn = E.logicalAnd(E.greaterEqual(rows, y0), E.lessEqual(rows, y1));
      const colIn = E.logicalAnd(E.greaterEqual(cols, x0), E.lessEqual(cols, x1));
      const horizontal = E.logicalAnd(E.logicalOr(E.equal(rows, y0), E.equal(rows, y1)), colIn);
      const vertical = E.logicalAnd(E.logicalOr(E.equal(cols, x0), E.equal(cols, x1)), rowIn);
      const mask = reshape(E.logicalAnd(valid, E.logicalOr(horizontal, vertical)), [N, H, W, 1]);
      const color = reshape(slice(col, [k % col.shape[0]!, 0], [1, D]), [D]);
      canvas = E.where(mask, color, canvas);
    }
    return numBoxes === 0 ? cast(img, 'float32') : canvas;
  });
  if (bx !== boxes) bx.dispose();
  if (col !== colors) col.dispose();
  return result;
}

// ---- sample_distorted_bounding_box ---------------------------------------------------------

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

/** lrintf: round half to even. */
function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Uniform integer in [0, n) without modulo bias (TensorFlow's SimplePhilox::Uniform / ExactUniformInt). */
function uniformInt(rng: HostRandom, n: number): number {
  const rem = 4294967296 % n;
  let w = rng.nextU32();
  while (w < rem) w = rng.nextU32();
  return w % n;
}

/** A pixel rectangle [x0, x1) × [y0, y1). */
interface Rect { x0: number; y0: number; x1: number; y1: number }
const rectArea = (r: Rect) => Math.max(r.x1 - r.x0, 0) * Math.max(r.y1 - r.y0, 0);

/** TensorFlow's GenerateRandomCrop (float32 arithmetic as its C++), or null when the constraints cannot be met. */
function generateRandomCrop(W: number, H: number, minRel: number, maxRel: number, aspect: number, rng: HostRandom): Rect | null {
  const f = Math.fround;
  if (maxRel <= 0 || aspect <= 0 || W <= 0 || H <= 0 || minRel > maxRel) return null;
  const minArea = f(f(minRel * W) * H);
  const maxArea = f(f(maxRel * W) * H);
  let height = rint(f(Math.sqrt(f(minArea / aspect))));
  let maxHeight = rint(f(Math.sqrt(f(maxArea / aspect))));
  if (rint(f(maxHeight * aspect)) > W) {
    // The smallest max height with round(maxHeight · aspect) <= W.
    maxHeight = Math.trunc((W + 0.5 - 0.0000001) / aspect);
    if (rint(f(maxHeight * aspect)) > W) maxHeight -= 1;
  }
  if (maxHeight > H) maxHeight = H;
  if (height >= maxHeight) height = maxHeight;
  if (height < maxHeight) height += uniformInt(rng, maxHeight - height + 1);
  let width = rint(f(height * aspect));
  let area = width * height;
  // Rounding may leave the area just outside the range: try one row more, then one less.
  if (area < minArea) {
    height += 1;
    width = rint(f(height * aspect));
    area = width * height;
  }
  if (area > maxArea) {
    height -= 1;
    width = rint(f(height * aspect));
    area = width * height;
  }
  if (area < minArea || area > maxArea || width > W || height > H || width <= 0 || height <= 0) return null;
  const y = height < H ? uniformInt(rng, H - height) : 0;
  const x = width < W ? uniformInt(rng, W - width) : 0;
  return { x0: x, y0: y, x1: x + width, y1: y + height };
}

/** TensorFlow's SatisfiesOverlapConstraints: the crop covers >= minCovered of at least one non-empty box. */
function coversAnObject(crop: Rect, minCovered: number, boxes: readonly Rect[]): boolean {
  if (rectArea(crop) < 1) return false;
  for (const b of boxes) {
    const objectArea = rectArea(b);
    if (objectArea < 1) continue;
    const inter = rectArea({ x0: Math.max(crop.x0, b.x0), y0: Math.max(crop.y0, b.y0), x1: Math.min(crop.x1, b.x1), y1: Math.min(crop.y1, b.y1) });
    if (Math.fround(inter / objectArea) >= Math.fround(minCovered)) return true;
  }
  return false;
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
