/** Flips and transposes of HWC / NHWC images, and their random (coin-flip) variants. */
import { engine } from '../../../engine.js';
import type { Tensor } from '../../../tensor.js';
import type { TensorLike } from '../../convert.js';
import * as E from '../../api/elementwise.js';
import { transpose } from '../../api/shape_ops.js';
import { reverse } from '../../api/array_ops.js';
import { randomUniform } from '../../api/random.js';
import { hAxis, image3or4, wAxis } from './common.js';

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
