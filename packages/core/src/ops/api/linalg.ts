import type { Tensor } from '../../tensor.js';
import { convert, type TensorLike } from '../convert.js';
import { matmulDef } from '../defs/matmul.js';
import { apply1 } from '../dispatch.js';

export interface MatmulOptions {
  transposeA?: boolean;
  transposeB?: boolean;
}

/** a·b with optional transposes; batch dimensions broadcast. Accepts `matmul(a, b, {transposeB: true})` or positional flags. */
export function matmul(a: TensorLike, b: TensorLike, transposeA: boolean | MatmulOptions = false, transposeB = false): Tensor {
  const opts = typeof transposeA === 'object' ? transposeA : { transposeA, transposeB };
  return apply1(matmulDef, [convert(a, 'a', 'matmul'), convert(b, 'b', 'matmul')], {
    transposeA: opts.transposeA ?? false,
    transposeB: opts.transposeB ?? false,
  });
}
