/** Hue and saturation adjustments in HSV space (with their random variants). */
import { engine } from '../../../engine.js';
import { OpError } from '../../../errors.js';
import type { Tensor } from '../../../tensor.js';
import { convert, type TensorLike } from '../../convert.js';
import * as E from '../../api/elementwise.js';
import { concat } from '../../api/array_ops.js';
import { randomUniform } from '../../api/random.js';
import { checkImageDtype } from './common.js';
import { channels3, checkRgb, hsvToRgbF, rgbToHsvF } from './color.js';
import { inFloat } from './convert_dtype.js';

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
