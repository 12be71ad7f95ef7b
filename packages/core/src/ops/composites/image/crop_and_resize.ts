/** TensorFlow's crop_and_resize: boxes sampled on the device with gathers (bilinear or nearest). */
import { engine } from '../../../engine.js';
import { OpError, fmtShape } from '../../../errors.js';
import type { Tensor } from '../../../tensor.js';
import { convert, type TensorLike } from '../../convert.js';
import * as E from '../../api/elementwise.js';
import { reshape } from '../../api/shape_ops.js';
import { cast } from '../../api/cast.js';
import { tensor as makeTensorFrom } from '../../create_values.js';
import { gather, slice } from '../../api/array_ops.js';
import { checkImageDtype, checkSize } from './common.js';

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
