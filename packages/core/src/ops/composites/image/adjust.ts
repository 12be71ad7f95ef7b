/** Brightness, contrast and per-image standardization (with the random brightness/contrast variants). */
import { engine } from '../../../engine.js';
import { OpError, fmtShape } from '../../../errors.js';
import type { Tensor } from '../../../tensor.js';
import { convert, type TensorLike } from '../../convert.js';
import * as E from '../../api/elementwise.js';
import { reduceMean } from '../../api/reduce.js';
import { cast } from '../../api/cast.js';
import { randomUniform } from '../../api/random.js';
import { checkImageDtype, hAxis, image3or4, wAxis } from './common.js';
import { inFloat } from './convert_dtype.js';

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
