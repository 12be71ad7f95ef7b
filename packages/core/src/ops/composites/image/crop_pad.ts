/** Crops and zero-pads to a window of the image (slices and pads along height and width). */
import { engine } from '../../../engine.js';
import { OpError, fmtShape } from '../../../errors.js';
import type { Tensor } from '../../../tensor.js';
import type { TensorLike } from '../../convert.js';
import { reshape } from '../../api/shape_ops.js';
import { pad, slice } from '../../api/array_ops.js';
import { checkInt, hAxis, image3or4, wAxis } from './common.js';

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
