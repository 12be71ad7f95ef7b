// ef.image: composites of public ops checked against hand-computed TensorFlow values.
import { beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import { expectClose, vals } from './helpers.js';

beforeAll(async () => {
  await ef.setBackend('cpu');
});

const img2x2 = () => ef.tensor([1, 2, 3, 4], [2, 2, 1]);
/** out[y][x] = row(x) + col(y) - 1 for the separable 2×2 → 4×4 cases below. */
const outer = (row: number[], col: number[]) => col.flatMap((c) => row.map((r) => r + c - 1));

describe('flips, transpose, crops, pads', () => {
  const x = ef.tensor([1, 2, 3, 4, 5, 6], [2, 3, 1]);
  test('flipLeftRight / flipUpDown / transposeImage (HWC and NHWC)', () => {
    expect(vals(ef.image.flipLeftRight(x))).toEqual([3, 2, 1, 6, 5, 4]);
    expect(vals(ef.image.flipUpDown(x))).toEqual([4, 5, 6, 1, 2, 3]);
    const t = ef.image.transposeImage(x);
    expect(t.shape).toEqual([3, 2, 1]);
    expect(vals(t)).toEqual([1, 4, 2, 5, 3, 6]);
    const batch = ef.stack([x, ef.mul(x, 10)]);
    expect(vals(ef.image.flipLeftRight(batch))).toEqual([3, 2, 1, 6, 5, 4, 30, 20, 10, 60, 50, 40]);
    expect(ef.image.transposeImage(batch).shape).toEqual([2, 3, 2, 1]);
  });
  test('random flips flip whole images, reproducibly with a seed', () => {
    const batch = ef.stack(Array.from({ length: 16 }, (_, i) => ef.add(x, i * 10)));
    const run = () => {
      ef.setRandomSeed(7);
      return vals(ef.image.randomFlipLeftRight(batch, { seed: 3 }));
    };
    const a = run();
    expect(run()).toEqual(a);
    const flipped = vals(ef.image.flipLeftRight(batch));
    const src = vals(batch);
    let nFlipped = 0;
    for (let i = 0; i < 16; i++) {
      const got = a.slice(i * 6, i * 6 + 6);
      const isFlip = got.every((v, k) => v === flipped[i * 6 + k]);
      const isSame = got.every((v, k) => v === src[i * 6 + k]);
      expect(isFlip || isSame).toBe(true);
      if (isFlip) nFlipped++;
    }
    expect(nFlipped).toBeGreaterThan(0);
    expect(nFlipped).toBeLessThan(16);
    const ud = vals(ef.image.randomFlipUpDown(x, { seed: 1 }));
    expect([vals(x), vals(ef.image.flipUpDown(x))]).toContainEqual(ud);
  });
  test('cropToBoundingBox / padToBoundingBox / centralCrop / resizeImageWithCropOrPad', () => {
    const g = ef.reshape(ef.range(16), [4, 4, 1]);
    expect(vals(ef.image.cropToBoundingBox(g, 1, 2, 2, 2))).toEqual([6, 7, 10, 11]);
    const p = ef.image.padToBoundingBox(img2x2(), 1, 0, 3, 3);
    expect(p.shape).toEqual([3, 3, 1]);
    expect(vals(p)).toEqual([0, 0, 0, 1, 2, 0, 3, 4, 0]);
    expect(vals(ef.image.centralCrop(g, 0.5))).toEqual([5, 6, 9, 10]);
    // 5×5 at 0.5: start = int((5 - 2.5) / 2) = 1, size 5 - 2 = 3 (TensorFlow's rule).
    expect(ef.image.centralCrop(ef.zeros([2, 5, 5, 3]), 0.5).shape).toEqual([2, 3, 3, 3]);
    // 3×3 → 2×4: crop rows [0, 2), pad one column on the right.
    const m = ef.reshape(ef.range(1, 10), [3, 3, 1]);
    const r = ef.image.resizeImageWithCropOrPad(m, 2, 4);
    expect(r.shape).toEqual([2, 4, 1]);
    expect(vals(r)).toEqual([1, 2, 3, 0, 4, 5, 6, 0]);
    expect(vals(ef.image.resizeImageWithCropOrPad(g, 2, 2))).toEqual([5, 6, 9, 10]);
  });
});

describe('dtype, colour, brightness, contrast, standardization', () => {
  test('convertImageDtype with TensorFlow scaling', () => {
    const f = ef.image.convertImageDtype(ef.tensor([0, 128, 255], [3], 'int32'), 'float32');
    expect(f.dtype).toBe('float32');
    expectClose(vals(f), [0, 128 / 255, 1]);
    const i = ef.image.convertImageDtype(ef.tensor([0, 0.5, 1]), 'int32');
    expect(i.dtype).toBe('int32');
    expect(vals(i)).toEqual([0, 127, 255]); // x · 255.5, truncated
    expect(vals(ef.image.convertImageDtype(ef.tensor([-0.5, 1.2]), 'int32', true))).toEqual([0, 255]);
  });
  test('rgbToGrayscale / grayscaleToRgb', () => {
    const rgb = ef.tensor([[[1, 0, 0], [0, 1, 0], [0, 0, 1]]]);
    const g = ef.image.rgbToGrayscale(rgb);
    expect(g.shape).toEqual([1, 3, 1]);
    expectClose(vals(g), [0.2989, 0.587, 0.114]);
    expect(vals(ef.image.rgbToGrayscale(ef.tensor([[[255, 255, 255]]], undefined, 'int32')))).toEqual([255]);
    const back = ef.image.grayscaleToRgb(ef.tensor([[[0.5]]]));
    expect(back.shape).toEqual([1, 1, 3]);
    expect(vals(back)).toEqual([0.5, 0.5, 0.5]);
  });
  test('adjustBrightness / adjustContrast per channel', () => {
    expectClose(vals(ef.image.adjustBrightness(img2x2(), 0.5)), [1.5, 2.5, 3.5, 4.5]);
    expect(vals(ef.image.adjustBrightness(ef.tensor([250, 10], [1, 2, 1], 'int32'), 0.1))).toEqual([255, 35]);
    // channel 0 = [1, 2, 3, 4] (mean 2.5), channel 1 = [10, 10, 10, 30] (mean 15); factor 2.
    const x = ef.tensor([1, 10, 2, 10, 3, 10, 4, 30], [2, 2, 2]);
    expectClose(vals(ef.image.adjustContrast(x, 2)), [-0.5, 5, 1.5, 5, 3.5, 5, 5.5, 45]);
    const batch = ef.stack([x, ef.zeros([2, 2, 2])]);
    expectClose(vals(ef.image.adjustContrast(batch, 2)).slice(0, 8), [-0.5, 5, 1.5, 5, 3.5, 5, 5.5, 45]);
  });
  test('randomBrightness / randomContrast stay within their ranges', () => {
    const x = img2x2();
    const b = vals(ef.image.randomBrightness(x, 0.2, { seed: 5 }));
    const d = b[0]! - 1;
    expect(Math.abs(d)).toBeLessThanOrEqual(0.2);
    expectClose(b, [1 + d, 2 + d, 3 + d, 4 + d]);
    const c = vals(ef.image.randomContrast(x, 0.5, 1.5, { seed: 5 }));
    const k = (c[3]! - 2.5) / 1.5;
    expect(k).toBeGreaterThanOrEqual(0.5);
    expect(k).toBeLessThan(1.5);
    expectClose(c, [2.5 - 1.5 * k, 2.5 - 0.5 * k, 2.5 + 0.5 * k, 2.5 + 1.5 * k], 1e-4);
  });
  test('perImageStandardization: (x - mean) / max(std, 1/sqrt(N))', () => {
    // mean 2.5, std sqrt(1.25) = 1.118034 > 1/sqrt(4).
    expectClose(vals(ef.image.perImageStandardization(img2x2())), [-1.341641, -0.447214, 0.447214, 1.341641]);
    // constant image: std 0 → adjusted stddev 1/sqrt(4) = 0.5; and per image in a batch.
    const batch = ef.stack([img2x2(), ef.fill([2, 2, 1], 5)]);
    expectClose(vals(ef.image.perImageStandardization(batch)), [-1.341641, -0.447214, 0.447214, 1.341641, 0, 0, 0, 0]);
    // int32 images are cast, not rescaled (TensorFlow 2).
    const i = ef.image.perImageStandardization(ef.tensor([1, 2, 3, 4], [2, 2, 1], 'int32'));
    expect(i.dtype).toBe('float32');
    expectClose(vals(i), [-1.341641, -0.447214, 0.447214, 1.341641]);
  });
});

describe('resize', () => {
  test('bilinear 2×2 → 4×4: legacy, halfPixelCenters, alignCorners (TensorFlow values)', () => {
    const legacy = ef.image.resizeBilinear(img2x2(), [4, 4]);
    expect(legacy.shape).toEqual([4, 4, 1]);
    expectClose(vals(legacy), [1, 1.5, 2, 2, 2, 2.5, 3, 3, 3, 3.5, 4, 4, 3, 3.5, 4, 4]);
    const half = ef.image.resizeBilinear(img2x2(), [4, 4], { halfPixelCenters: true });
    expectClose(vals(half), [1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4]);
    expectClose(vals(ef.image.resize(ef.expandDims(img2x2(), 0), [4, 4])), vals(half));
    const aligned = ef.image.resizeBilinear(img2x2(), [4, 4], { alignCorners: true });
    expectClose(vals(aligned), outer([1, 4 / 3, 5 / 3, 2], [1, 5 / 3, 7 / 3, 3]));
  });
  test('bilinear on NHWC with channels and int32 input', () => {
    const x = ef.tensor([1, 10, 2, 20, 3, 30, 4, 40], [1, 2, 2, 2], 'int32');
    const y = ef.image.resizeBilinear(x, [4, 4], { halfPixelCenters: true });
    expect(y.shape).toEqual([1, 4, 4, 2]);
    expect(y.dtype).toBe('float32');
    const v = vals(y);
    expectClose(v.filter((_, i) => i % 2 === 0), [1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4]);
    expectClose(v.filter((_, i) => i % 2 === 1), [10, 12.5, 17.5, 20, 15, 17.5, 22.5, 25, 25, 27.5, 32.5, 35, 30, 32.5, 37.5, 40]);
  });
  test('nearest neighbour 4 → 3 differs by coordinate rule; keeps the dtype', () => {
    const x = ef.tensor([1, 2, 3, 4], [1, 4, 1], 'int32');
    const nn = (o: ef.image.ResizeOptions) => ef.image.resizeNearestNeighbor(x, [1, 3], o);
    expect(nn({}).dtype).toBe('int32');
    expect(vals(nn({}))).toEqual([1, 2, 3]); // floor(i · 4/3)
    expect(vals(nn({ alignCorners: true }))).toEqual([1, 3, 4]); // round(i · 3/2)
    expect(vals(nn({ halfPixelCenters: true }))).toEqual([1, 3, 4]); // floor((i + 0.5) · 4/3)
    expect(vals(ef.image.resizeNearestNeighbor(img2x2(), [4, 4]))).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
    const tf2 = ef.image.resize(x, [1, 3], 'nearest');
    expect(tf2.dtype).toBe('int32');
    expect(vals(tf2)).toEqual([1, 3, 4]);
    expect(() => ef.image.resize(x, [1, 3], 'lanczos3' as 'nearest')).toThrow(/resize: method must be 'bilinear', 'nearest', 'bicubic' or 'area', found 'lanczos3'/);
  });
  test('resizeBilinear gradient matches central finite differences', () => {
    const rng = (n: number, s: number) => Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + s));
    for (const opts of [{}, { halfPixelCenters: true }, { alignCorners: true }] as ef.image.ResizeOptions[]) {
      const x = ef.tensor(rng(18, 0), [1, 3, 3, 2]);
      const w = ef.tensor(rng(5 * 4 * 2, 1), [1, 5, 4, 2]);
      const f = (t: ef.Tensor) => ef.reduceSum(ef.mul(ef.image.resizeBilinear(t, [5, 4], opts), w));
      const g = vals(ef.grad(f)(x));
      const base = vals(x);
      const eps = 1e-2;
      const fd = base.map((_, i) => {
        const plus = base.slice();
        const minus = base.slice();
        plus[i]! += eps;
        minus[i]! -= eps;
        return (vals(f(ef.tensor(plus, [1, 3, 3, 2])))[0]! - vals(f(ef.tensor(minus, [1, 3, 3, 2])))[0]!) / (2 * eps);
      });
      expectClose(g, fd, 2e-3);
    }
  });
  test('clear errors', () => {
    expect(() => ef.image.resizeBilinear(ef.ones([2, 2]), [4, 4])).toThrow(/resizeBilinear: images must be 3-D .* found shape \[2,2\]/);
    expect(() => ef.image.resizeBilinear(img2x2(), [4, 4], { alignCorners: true, halfPixelCenters: true })).toThrow(/cannot both be true/);
    expect(() => ef.image.resizeNearestNeighbor(img2x2(), [0, 4])).toThrow(/size must hold two positive integers/);
    expect(() => ef.image.cropToBoundingBox(img2x2(), 1, 0, 2, 1)).toThrow(/cropToBoundingBox: offsetHeight \+ targetHeight = 3 exceeds the image height 2/);
    expect(() => ef.image.padToBoundingBox(img2x2(), 0, 0, 1, 3)).toThrow(ef.OpError);
    expect(() => ef.image.centralCrop(img2x2(), 0)).toThrow(/fraction must be in \(0, 1\]/);
    expect(() => ef.image.rgbToGrayscale(img2x2())).toThrow(/3 channels/);
    expect(() => ef.image.cropAndResize(img2x2(), [[0, 0, 1, 1]], [0], [2, 2])).toThrow(/cropAndResize: image must be 4-D/);
    expect(() => ef.image.cropAndResize(ef.ones([2, 3, 3, 1]), [[0, 0, 1, 1]], [2], [2, 2])).toThrow(/cropAndResize: boxInd\[0\] = 2 is not in \[0, 2\)/);
    expect(() => ef.image.cropAndResize(ef.ones([2, 3, 3, 1]), [[0, 0, 1]], [0], [2, 2])).toThrow(/boxes must be \[numBoxes, 4\], found shape \[1,3\]/);
  });
  test('no tensors leak', () => {
    const x = ef.ones([1, 3, 3, 2]);
    const before = ef.memory().numTensors;
    const ys = [
      ef.image.resizeBilinear(x, [5, 4], { halfPixelCenters: true }),
      ef.image.resizeNearestNeighbor(x, [2, 2]),
      ef.image.perImageStandardization(x),
      ef.image.adjustContrast(x, 2),
      ef.image.cropAndResize(x, ef.tensor([[0, 0, 1, 1]]), ef.tensor([0], [1], 'int32'), [2, 2]),
    ];
    expect(ef.memory().numTensors).toBe(before + ys.length + 2);
  });
});

describe('cropAndResize (TensorFlow semantics)', () => {
  // Image 0 holds 3y + x, image 1 holds 100 + 3y + x.
  const image = () => ef.reshape(ef.concat([ef.range(9), ef.add(ef.range(9), 100)]), [2, 3, 3, 1]);
  const boxInd = (...i: number[]) => ef.tensor(i, [i.length], 'int32');
  test('bilinear boxes, single-pixel crop, box index, extrapolation', () => {
    const full = ef.image.cropAndResize(image(), [[0, 0, 1, 1]], boxInd(0), [3, 3]);
    expect(full.shape).toEqual([1, 3, 3, 1]);
    expectClose(vals(full), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const boxes = [
      [0, 0, 0.5, 0.5], // rows/cols 0, 1
      [0.25, 0.25, 0.75, 0.75], // 0.5, 1.5: bilinear midpoints
      [-0.5, 0, 0.5, 1], // row -1 is outside → extrapolation value
    ];
    const out = ef.image.cropAndResize(image(), boxes, boxInd(0, 1, 0), [2, 2], { extrapolationValue: 9 });
    expect(out.shape).toEqual([3, 2, 2, 1]);
    expectClose(vals(out), [0, 1, 3, 4, 102, 103, 105, 106, 9, 9, 3, 5]);
    // crop height/width 1 samples the box centre.
    expectClose(vals(ef.image.cropAndResize(image(), [[0, 0, 1, 1]], boxInd(1), [1, 1])), [104]);
    // y1 > y2 flips the crop.
    expectClose(vals(ef.image.cropAndResize(image(), [[1, 0, 0, 1]], boxInd(0), [3, 1])), [7, 4, 1]);
  });
  test('nearest method rounds half away from zero', () => {
    const out = ef.image.cropAndResize(image(), [[0.25, 0.25, 0.75, 0.75]], boxInd(0), [2, 2], { method: 'nearest' });
    expect(vals(out)).toEqual([4, 5, 7, 8]);
  });
  test('gradient with respect to the boxes matches finite differences', () => {
    const x = ef.reshape(ef.tensor(Array.from({ length: 18 }, (_, i) => Math.sin(i * 0.9) * 0.5 + 0.5)), [2, 3, 3, 1]);
    const ind = ef.tensor([1, 0], [2], 'int32');
    const f = (b: ef.Tensor) => ef.reduceSum(ef.mul(ef.image.cropAndResize(x, b, ind, [3, 2]), [[[1], [2]], [[-1], [0.5]], [[0.3], [1]]]));
    const box = [0.1, 0.2, 0.8, 0.7, 0.35, 0.05, 0.6, 0.9];
    const g = vals(ef.grad(f)(ef.tensor(box, [2, 4])));
    const eps = 1e-3;
    const fd = box.map((_, i) => {
      const p = box.slice();
      const m = box.slice();
      p[i]! += eps;
      m[i]! -= eps;
      return (vals(f(ef.tensor(p, [2, 4])))[0]! - vals(f(ef.tensor(m, [2, 4])))[0]!) / (2 * eps);
    });
    expectClose(g, fd, 1e-2);
  });
  test('gradient with respect to the image sums the bilinear weights', () => {
    const x = image();
    const g = ef.grad((t) => ef.reduceSum(ef.image.cropAndResize(t, [[0.25, 0.25, 0.75, 0.75]], boxInd(1), [2, 2])))(x);
    // Each of the 4 samples spreads weight 1/4 to its 4 neighbours: the centre pixel gets 1.
    expectClose(vals(g), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0.25, 0.5, 0.25, 0.5, 1, 0.5, 0.25, 0.5, 0.25]);
  });
});

describe('drawBoundingBoxes (TensorFlow semantics)', () => {
  test('outlines, clipping at the border, colour cycling, later boxes on top', () => {
    const images = ef.zeros([1, 4, 5, 1]);
    // box 0: rows trunc(0·3)=0 .. trunc(0.7·3)=2, cols trunc(0.25·4)=1 .. 4;
    // box 1: rows -1 .. 1, cols -2 .. 2 (top and left edges fall outside); box 2 is inverted (skipped).
    const boxes = [[[0, 0.25, 0.7, 1], [-0.5, -0.5, 0.5, 0.5], [0.5, 0, 0.2, 1]]];
    const out = ef.image.drawBoundingBoxes(images, boxes, [[0.2, 0, 0, 1], [0.7, 0, 0, 1]]);
    expect(out.shape).toEqual([1, 4, 5, 1]);
    expectClose(vals(out), [
      0, 0.2, 0.7, 0.2, 0.2,
      0.7, 0.7, 0.7, 0, 0.2,
      0, 0.2, 0.2, 0.2, 0.2,
      0, 0, 0, 0, 0,
    ]);
    // Default colours: white on one channel, TensorFlow's yellow first on RGB.
    expect(vals(ef.image.drawBoundingBoxes(ef.zeros([1, 2, 2, 1]), [[[0, 0, 1, 1]]]))).toEqual([1, 1, 1, 1]);
    expect(vals(ef.image.drawBoundingBoxes(ef.zeros([1, 1, 1, 3]), [[[0, 0, 1, 1]]]))).toEqual([1, 1, 0]);
    expect(() => ef.image.drawBoundingBoxes(ef.zeros([1, 2, 2, 2]), [[[0, 0, 1, 1]]])).toThrow(/drawBoundingBoxes: images must have depth 1, 3 or 4, found 2/);
    expect(() => ef.image.drawBoundingBoxes(ef.zeros([2, 2, 2, 1]), [[[0, 0, 1, 1]]])).toThrow(/boxes must be \[batch, numBoxes, 4\] = \[2, numBoxes, 4\]/);
  });
});
