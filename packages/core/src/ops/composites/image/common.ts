/** Argument checks and small helpers shared by the image ops. */
import { OpError, fmtShape } from '../../../errors.js';
import type { Tensor } from '../../../tensor.js';
import { convert, type TensorLike } from '../../convert.js';

/** uint8 range of int32 images. */
export const UINT8_MAX = 255;

export function image3or4(op: string, image: TensorLike, arg = 'image'): Tensor {
  const t = convert(image, arg, op);
  if (t.rank !== 3 && t.rank !== 4) {
    throw new OpError(op, `${arg} must be 3-D [height, width, channels] or 4-D [batch, height, width, channels], found shape ${fmtShape(t.shape)}`);
  }
  return t;
}

export function checkImageDtype(op: string, t: Tensor, arg = 'image'): void {
  if (t.dtype !== 'float32' && t.dtype !== 'int32') throw new OpError(op, `${arg} must be float32 or int32 (uint8 values), found ${t.dtype}`);
}

/** Height and width axes of an HWC / NHWC tensor. */
export const hAxis = (t: Tensor) => t.rank - 3;
export const wAxis = (t: Tensor) => t.rank - 2;

export function checkInt(op: string, arg: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new OpError(op, `${arg} must be an integer >= ${min}, found ${v}`);
}

export function checkSize(op: string, size: readonly number[]): [number, number] {
  if (!Array.isArray(size) || size.length !== 2) throw new OpError(op, `size must be [newHeight, newWidth], found ${JSON.stringify(size)}`);
  const [h, w] = size as [number, number];
  if (!Number.isInteger(h) || !Number.isInteger(w) || h <= 0 || w <= 0) throw new OpError(op, `size must hold two positive integers, found [${h},${w}]`);
  return [h, w];
}

/** lrintf: round half to even. */
export function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
