/** Host-side random crops for sampleDistortedBoundingBox (TensorFlow's C++ helpers, float32 arithmetic). */
import type { HostRandom } from '../../../random/host_random.js';
import { rint } from './common.js';

/** Uniform integer in [0, n) without modulo bias (TensorFlow's SimplePhilox::Uniform / ExactUniformInt). */
function uniformInt(rng: HostRandom, n: number): number {
  const rem = 4294967296 % n;
  let w = rng.nextU32();
  while (w < rem) w = rng.nextU32();
  return w % n;
}

/** A pixel rectangle [x0, x1) × [y0, y1). */
export interface Rect { x0: number; y0: number; x1: number; y1: number }
const rectArea = (r: Rect) => Math.max(r.x1 - r.x0, 0) * Math.max(r.y1 - r.y0, 0);

/** TensorFlow's GenerateRandomCrop (float32 arithmetic as its C++), or null when the constraints cannot be met. */
export function generateRandomCrop(W: number, H: number, minRel: number, maxRel: number, aspect: number, rng: HostRandom): Rect | null {
  const f = Math.fround;
  if (maxRel <= 0 || aspect <= 0 || W <= 0 || H <= 0 || minRel > maxRel) return null;
  const minArea = f(f(minRel * W) * H);
  const maxArea = f(f(maxRel * W) * H);
  let height = rint(f(Math.sqrt(f(minArea / aspect))));
  let maxHeight = rint(f(Math.sqrt(f(maxArea / aspect))));
  if (rint(f(maxHeight * aspect)) > W) {
    // The smallest max height with round(maxHeight · aspect) <= W.
    maxHeight = Math.trunc((W + 0.5 - 0.0000001) / aspect);
    if (rint(f(maxHeight * aspect)) > W) maxHeight -= 1;
  }
  if (maxHeight > H) maxHeight = H;
  if (height >= maxHeight) height = maxHeight;
  if (height < maxHeight) height += uniformInt(rng, maxHeight - height + 1);
  let width = rint(f(height * aspect));
  let area = width * height;
  // Rounding may leave the area just outside the range: try one row more, then one less.
  if (area < minArea) {
    height += 1;
    width = rint(f(height * aspect));
    area = width * height;
  }
  if (area > maxArea) {
    height -= 1;
    width = rint(f(height * aspect));
    area = width * height;
  }
  if (area < minArea || area > maxArea || width > W || height > H || width <= 0 || height <= 0) return null;
  const y = height < H ? uniformInt(rng, H - height) : 0;
  const x = width < W ? uniformInt(rng, W - width) : 0;
  return { x0: x, y0: y, x1: x + width, y1: y + height };
}

/** TensorFlow's SatisfiesOverlapConstraints: the crop covers >= minCovered of at least one non-empty box. */
export function coversAnObject(crop: Rect, minCovered: number, boxes: readonly Rect[]): boolean {
  if (rectArea(crop) < 1) return false;
  for (const b of boxes) {
    const objectArea = rectArea(b);
    if (objectArea < 1) continue;
    const inter = rectArea({ x0: Math.max(crop.x0, b.x0), y0: Math.max(crop.y0, b.y0), x1: Math.min(crop.x1, b.x1), y1: Math.min(crop.y1, b.y1) });
    if (Math.fround(inter / objectArea) >= Math.fround(minCovered)) return true;
  }
  return false;
}
