/** TensorFlow's method-dispatching resizes: TF2's tf.image.resize and TF1's tf.image.resize_images. */
import { OpError, fmtShape } from '../../../errors.js';
import type { Tensor } from '../../../tensor.js';
import type { TensorLike } from '../../convert.js';
import { reshape } from '../../api/shape_ops.js';
import { checkImageDtype, checkSize, hAxis, image3or4, rint, wAxis } from './common.js';
import type { ResizeOptions } from './resize_common.js';
import { resizeBilinear } from './resize_bilinear.js';
import { resizeNearestNeighbor } from './resize_nearest.js';
import { resizeBicubic } from './resize_bicubic.js';
import { resizeArea } from './resize_area.js';

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
