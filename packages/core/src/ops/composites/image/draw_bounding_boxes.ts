/** TensorFlow's draw_bounding_boxes: box outlines as masks selected with where. */
import { engine } from '../../../engine.js';
import { OpError, fmtShape } from '../../../errors.js';
import type { Tensor } from '../../../tensor.js';
import { convert, type TensorLike } from '../../convert.js';
import * as E from '../../api/elementwise.js';
import { reshape } from '../../api/shape_ops.js';
import { cast } from '../../api/cast.js';
import { tensor as makeTensorFrom } from '../../create_values.js';
import { slice } from '../../api/array_ops.js';

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
