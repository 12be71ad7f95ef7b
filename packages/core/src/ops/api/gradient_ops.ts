/** Ops that shape differentiation itself. */
import type { Tensor } from '../../tensor.js';
import { convert, type TensorLike } from '../convert.js';
import { stopGradientDef } from '../defs/stop_gradient.js';
import { apply1 } from '../dispatch.js';

/** The same values, seen as a constant by every tape (TensorFlow's stop_gradient, PyTorch's detach). */
export function stopGradient(x: TensorLike): Tensor {
  return apply1(stopGradientDef, [convert(x, 'x', 'stopGradient')], {});
}
