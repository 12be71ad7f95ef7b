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
import type { Tensor } from '../../tensor.js';
import { convert, type TensorLike } from '../convert.js';
import * as E from '../api/elementwise.js';
import { reduceMean, reduceSum } from '../api/reduce.js';
import { reshape, transpose } from '../api/shape_ops.js';
import { cast } from '../api/cast.js';
import { tensor as makeTensorFrom } from '../create_values.js';
import { gather, pad, reverse, slice, tile } from '../api/array_ops.js';
import { randomUniform } from '../api/random.js';

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
 * TensorFlow 2's tf.image.resize(images, size, method) for 'bilinear' (default) and 'nearest':
 * half-pixel centres, no antialiasing; float32 out for bilinear, the input dtype for nearest.
 */
export function resize(images: TensorLike, size: readonly number[], method: 'bilinear' | 'nearest' = 'bilinear'): Tensor {
  if (method === 'bilinear') return resizeBilinear(images, size, { halfPixelCenters: true });
  if (method === 'nearest') return resizeNearestNeighbor(images, size, { halfPixelCenters: true });
  throw new OpError('resize', `method must be 'bilinear' or 'nearest', found '${String(method)}'`);
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
