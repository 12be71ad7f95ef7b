// ef.image HSV ops (rgbToHsv, hsvToRgb, adjustHue/Saturation, randomHue/Saturation) and
// sampleDistortedBoundingBox, checked against float64 ports of TensorFlow's kernels.
import { beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import { expectClose, vals } from './helpers.js';

beforeAll(async () => {
  await ef.setBackend('cpu');
});

// ---- float64 references (TensorFlow's C++ kernels, line by line) ----------------------------

/** colorspace_op.h RGBToHSV. */
function rgbToHsvRef([r, g, b]: number[]): number[] {
  const v = Math.max(r!, g!, b!);
  const range = v - Math.min(r!, g!, b!);
  const s = v > 0 ? range / v : 0;
  const norm = 1 / (6 * range);
  let h = r === v ? norm * (g! - b!) : g === v ? norm * (b! - r!) + 2 / 6 : norm * (r! - g!) + 4 / 6;
  if (!(range > 0)) h = 0;
  if (h < 0) h += 1;
  return [h, s, v];
}

/** adjust_hue_op.cc rgb_to_hv_range / hv_range_to_rgb with the hue shift. */
function adjustHueRef([r, g, b]: number[], delta: number): number[] {
  let vMax: number, vMid: number, vMin: number, cat: number;
  if (r! < g!) {
    if (b! < r!) [vMax, vMid, vMin, cat] = [g!, r!, b!, 1];
    else if (b! > g!) [vMax, vMid, vMin, cat] = [b!, g!, r!, 3];
    else [vMax, vMid, vMin, cat] = [g!, b!, r!, 2];
  } else if (b! < g!) [vMax, vMid, vMin, cat] = [r!, g!, b!, 0];
  else if (b! > r!) [vMax, vMid, vMin, cat] = [b!, r!, g!, 4];
  else [vMax, vMid, vMin, cat] = [r!, b!, g!, 5];
  let h = 0;
  if (vMax !== vMin) {
    const ratio = (vMid - vMin) / (vMax - vMin);
    h = cat + ((cat & 1) === 0 ? ratio : 1 - ratio);
  }
  h += delta * 6;
  h %= 6;
  if (h < 0) h += 6;
  const c = Math.trunc(h);
  let ratio = h - c;
  if ((c & 1) !== 0) ratio = 1 - ratio;
  const mid = vMin + ratio * (vMax - vMin);
  switch (c) {
    case 0: return [vMax, mid, vMin];
    case 1: return [mid, vMax, vMin];
    case 2: return [vMin, vMax, mid];
    case 3: return [vMin, mid, vMax];
    case 4: return [mid, vMin, vMax];
    default: return [vMax, vMin, mid];
  }
}

/** adjust_saturation_op.cc rgb_to_hsv / scale / hsv_to_rgb. */
function adjustSaturationRef(rgb: number[], factor: number): number[] {
  const [h, s0, v] = rgbToHsvRef(rgb) as [number, number, number];
  const s = Math.min(1, Math.max(0, s0 * factor));
  const c = s * v;
  const m = v - c;
  const dh = h * 6;
  const cat = Math.trunc(dh);
  let fm = dh;
  while (fm <= 0) fm += 2;
  while (fm >= 2) fm -= 2;
  const x = c * (1 - Math.abs(fm - 1));
  const table: number[][] = [[c, x, 0], [x, c, 0], [0, c, x], [0, x, c], [x, 0, c], [c, 0, x]];
  return (table[cat] ?? [c, 0, x]).map((e) => e + m);
}

/** Deterministic pseudo-random pixels in [0, 1] (distinct channels, away from ties). */
function pixels(n: number, salt = 0): number[] {
  return Array.from({ length: n * 3 }, (_, i) => (Math.sin((i + 1) * 12.9898 + salt * 78.233) * 43758.5453) % 1).map((v) => Math.abs(v));
}
const perPixel = (flat: number[], fn: (p: number[]) => number[]) => {
  const out: number[] = [];
  for (let i = 0; i < flat.length; i += 3) out.push(...fn(flat.slice(i, i + 3)));
  return out;
};

/** TensorFlow docs' 2×2 example image. */
const docsImage = () => ef.tensor([[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]]);


/** ef.grad of Σ w·op(x) against central finite differences, at a smooth point of a 2×2 RGB image. */
function expectGradMatchesFiniteDifferences(op: (t: ef.Tensor) => ef.Tensor): void {
  const p = [0.2, 0.5, 0.9, 0.8, 0.3, 0.1, 0.35, 0.7, 0.55, 0.6, 0.15, 0.45];
  const w = ef.tensor([0.3, -1, 2, 0.5, 1.5, -0.7, 1, 0.2, -0.4, 0.9, -1.2, 0.6], [2, 2, 3]);
  const f = (t: ef.Tensor) => ef.reduceSum(ef.mul(op(t), w));
  const g = vals(ef.grad(f)(ef.tensor(p, [2, 2, 3])));
  const eps = 1e-3;
  const fd = p.map((_, i) => {
    const [a, b] = [p.slice(), p.slice()];
    a[i]! += eps;
    b[i]! -= eps;
    return (vals(f(ef.tensor(a, [2, 2, 3])))[0]! - vals(f(ef.tensor(b, [2, 2, 3])))[0]!) / (2 * eps);
  });
  expectClose(g, fd, 2e-3);
  expect(g.some((v) => Math.abs(v) > 0.1)).toBe(true);
}

describe('rgbToHsv / hsvToRgb', () => {
  test('TensorFlow docs example and hand-checked pixels', () => {
    expectClose(vals(ef.image.rgbToHsv(docsImage())), [
      0.5833334, 0.6666667, 3, 0.5833334, 0.33333334, 6,
      0.5833334, 0.22222222, 9, 0.5833334, 0.16666667, 12,
    ]);
    // red, green, blue, yellow, gray, black, white
    const x = ef.tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [0.5, 0.5, 0.5], [0, 0, 0], [1, 1, 1]]);
    expectClose(vals(ef.image.rgbToHsv(x)), [0, 1, 1, 1 / 3, 1, 1, 2 / 3, 1, 1, 1 / 6, 1, 1, 0, 0, 0.5, 0, 0, 0, 0, 0, 1]);
    expectClose(vals(ef.image.hsvToRgb(ef.image.rgbToHsv(x))), vals(x));
  });
  test('matches the float64 kernel and round-trips random pixels', () => {
    const p = pixels(64, 1);
    p.splice(0, 6, 0.3, 0.3, 0.3, 0.9, 0.2, 0.9); // a gray pixel and an R = B tie
    const x = ef.tensor(p, [4, 16, 3]);
    const hsv = ef.image.rgbToHsv(x);
    expect(hsv.shape).toEqual([4, 16, 3]);
    expectClose(vals(hsv), perPixel(p, rgbToHsvRef), 1e-5);
    expectClose(vals(ef.image.hsvToRgb(hsv)), p, 1e-5);
    const h = vals(hsv).filter((_, i) => i % 3 === 0);
    expect(h.every((v) => v >= 0 && v < 1)).toBe(true);
  });
  test('argument checks', () => {
    expect(() => ef.image.rgbToHsv(ef.zeros([2, 2]))).toThrow(/rgbToHsv: images must have 3 channels \(last dimension\), found shape \[2,2\]/);
    expect(() => ef.image.rgbToHsv(ef.zeros([1, 3], 'int32'))).toThrow(/rgbToHsv: images must be float32, found int32/);
    expect(() => ef.image.hsvToRgb(ef.zeros([3, 4]))).toThrow(/hsvToRgb: images must have 3 channels/);
  });
});

describe('adjustHue / randomHue', () => {
  test('TensorFlow docs example (delta 0.2)', () => {
    expectClose(vals(ef.image.adjustHue(docsImage(), 0.2)), [2.4, 1, 3, 5.4, 4, 6, 8.4, 7, 9, 11.4, 10, 12], 1e-5);
  });
  test('hand-checked pixels: red + 1/3 → green, + 2/3 → blue, -1/3 → blue; gray unchanged', () => {
    const red = ef.tensor([[[1, 0, 0]]]);
    expectClose(vals(ef.image.adjustHue(red, 1 / 3)), [0, 1, 0]);
    expectClose(vals(ef.image.adjustHue(red, 2 / 3)), [0, 0, 1]);
    expectClose(vals(ef.image.adjustHue(red, -1 / 3)), [0, 0, 1]);
    expectClose(vals(ef.image.adjustHue(red, 1)), [1, 0, 0]);
    const gray = ef.tensor([[[0.4, 0.4, 0.4], [0, 0, 0]]]);
    expectClose(vals(ef.image.adjustHue(gray, 0.3)), [0.4, 0.4, 0.4, 0, 0, 0]);
    // int32 (uint8) images are adjusted in float and converted back.
    const i = ef.image.adjustHue(ef.tensor([[[255, 0, 0]]], undefined, 'int32'), 1 / 3);
    expect(i.dtype).toBe('int32');
    expect(vals(i)).toEqual([0, 255, 0]);
  });
  test('matches the float64 AdjustHue kernel on random pixels (HWC and NHWC)', () => {
    const p = pixels(50, 2);
    for (const delta of [0.05, 0.37, -0.61, 0.999, -1]) {
      expectClose(vals(ef.image.adjustHue(ef.tensor(p, [5, 10, 3]), delta)), perPixel(p, (q) => adjustHueRef(q, delta)), 1e-5);
    }
    expectClose(vals(ef.image.adjustHue(ef.tensor(p, [2, 5, 5, 3]), 0.25)), perPixel(p, (q) => adjustHueRef(q, 0.25)), 1e-5);
  });
  test('gradient matches central finite differences at a smooth point', () => {
    expectGradMatchesFiniteDifferences((t) => ef.image.adjustHue(t, 0.1));
  });
  test('randomHue: a seeded delta in [-maxDelta, maxDelta], reproducible', () => {
    const p = pixels(8, 3);
    const x = ef.tensor(p, [2, 4, 3]);
    const run = () => {
      ef.setRandomSeed(11);
      return vals(ef.image.randomHue(x, 0.3, { seed: 4 }));
    };
    const a = run();
    expect(run()).toEqual(a);
    // Recover the delta: some delta in [-0.3, 0.3] must explain every pixel.
    const best = Array.from({ length: 601 }, (_, k) => -0.3 + k * 0.001)
      .map((d) => ({ d, err: Math.max(...perPixel(p, (q) => adjustHueRef(q, d)).map((v, i) => Math.abs(v - a[i]!))) }))
      .sort((u, v) => u.err - v.err)[0]!;
    expect(best.err).toBeLessThan(5e-3);
    expect(Math.abs(vals(ef.image.randomHue(x, 0, { seed: 1 }))[0]! - p[0]!)).toBeLessThan(1e-6);
  });
  test('argument checks', () => {
    expect(() => ef.image.adjustHue(ef.zeros([2, 3]), 0.1)).toThrow(/adjustHue: image must be at least 3-D with 3 channels \(last dimension\), found shape \[2,3\]/);
    expect(() => ef.image.adjustHue(ef.zeros([2, 2, 4]), 0.1)).toThrow(/adjustHue: image must be at least 3-D with 3 channels/);
    expect(() => ef.image.adjustHue(ef.zeros([2, 2, 3]), 1.5)).toThrow(/adjustHue: delta must be in \[-1, 1\], found 1.5/);
    expect(() => ef.image.randomHue(ef.zeros([2, 2, 3]), 0.6)).toThrow(/randomHue: maxDelta must be in \[0, 0.5\], found 0.6/);
    expect(() => ef.image.randomHue(ef.zeros([2, 2, 3]), -0.1)).toThrow(/randomHue: maxDelta must be in \[0, 0.5\]/);
  });
});

describe('adjustSaturation / randomSaturation', () => {
  test('TensorFlow docs example (factor 0.5)', () => {
    expectClose(vals(ef.image.adjustSaturation(docsImage(), 0.5)), [2, 2.5, 3, 5, 5.5, 6, 8, 8.5, 9, 11, 11.5, 12], 1e-5);
  });
  test('hand-checked pixels: factor 0 → gray (= max channel), gray unchanged, saturation clipped at 1', () => {
    const x = ef.tensor([[[0.2, 0.4, 0.8], [0.5, 0.5, 0.5]]]);
    expectClose(vals(ef.image.adjustSaturation(x, 0)), [0.8, 0.8, 0.8, 0.5, 0.5, 0.5]);
    // s = 0.75 · 3 → 1: the min channel goes to 0, the mid one keeps its hue ramp d = 1/3 (0.4 = 0.8 · (1 - 0.75 · (1 - d))).
    expectClose(vals(ef.image.adjustSaturation(x, 3)), [0, 0.8 / 3, 0.8, 0.5, 0.5, 0.5]);
    expectClose(vals(ef.image.adjustSaturation(x, 1)), vals(x));
    const i = ef.image.adjustSaturation(ef.tensor([[[255, 0, 0], [255, 255, 255]]], undefined, 'int32'), 0.5);
    expect(i.dtype).toBe('int32');
    expect(vals(i)).toEqual([255, 127, 127, 255, 255, 255]); // 0.5 · 255.5 truncated
  });
  test('matches the float64 AdjustSaturation kernel on random pixels', () => {
    const p = pixels(40, 4);
    for (const factor of [0, 0.3, 1.7, 5]) {
      expectClose(vals(ef.image.adjustSaturation(ef.tensor(p, [1, 4, 10, 3]), factor)), perPixel(p, (q) => adjustSaturationRef(q, factor)), 1e-5);
    }
  });
  test('gradient matches central finite differences at a smooth point', () => {
    expectGradMatchesFiniteDifferences((t) => ef.image.adjustSaturation(t, 0.7));
    // Gray pixels give finite gradients (no 0/0 in the unselected branches).
    const gg = vals(ef.grad((t: ef.Tensor) => ef.reduceSum(ef.image.adjustSaturation(t, 0.7)))(ef.tensor([[[0.5, 0.5, 0.5], [0, 0, 0]]])));
    expect(gg.every(Number.isFinite)).toBe(true);
  });
  test('randomSaturation: a seeded factor in [lower, upper), reproducible', () => {
    const p = pixels(8, 5);
    const x = ef.tensor(p, [2, 4, 3]);
    const run = () => {
      ef.setRandomSeed(3);
      return vals(ef.image.randomSaturation(x, 0.5, 1.5, { seed: 9 }));
    };
    const a = run();
    expect(run()).toEqual(a);
    const best = Array.from({ length: 1001 }, (_, k) => 0.5 + k * 0.001)
      .map((k) => ({ k, err: Math.max(...perPixel(p, (q) => adjustSaturationRef(q, k)).map((v, i) => Math.abs(v - a[i]!))) }))
      .sort((u, v) => u.err - v.err)[0]!;
    expect(best.err).toBeLessThan(5e-3);
  });
  test('argument checks', () => {
    expect(() => ef.image.adjustSaturation(ef.zeros([3]), 0.5)).toThrow(/adjustSaturation: image must be at least 3-D with 3 channels/);
    expect(() => ef.image.adjustSaturation(ef.zeros([1, 1, 3]), NaN)).toThrow(/adjustSaturation: saturationFactor must be a finite number, found NaN/);
    expect(() => ef.image.randomSaturation(ef.zeros([1, 1, 3]), -1, 1)).toThrow(/randomSaturation: lower must be >= 0, found -1/);
    expect(() => ef.image.randomSaturation(ef.zeros([1, 1, 3]), 1, 1)).toThrow(/randomSaturation: upper must be a finite number > lower/);
  });
});

describe('sampleDistortedBoundingBox', () => {
  const H = 60;
  const W = 80;
  const box = [0.1, 0.2, 0.6, 0.9]; // pixels y 6..36, x 16..72
  const boxPx = { y0: 6, x0: 16, y1: 36, x1: 72 };
  const covered = (b: number[], s: number[]) => {
    const iy = Math.max(0, Math.min(b[0]! + s[0]!, boxPx.y1) - Math.max(b[0]!, boxPx.y0));
    const ix = Math.max(0, Math.min(b[1]! + s[1]!, boxPx.x1) - Math.max(b[1]!, boxPx.x0));
    return (iy * ix) / ((boxPx.y1 - boxPx.y0) * (boxPx.x1 - boxPx.x0));
  };

  test('returns int32 begin/size and float32 bboxes, reproducibly after setRandomSeed', () => {
    const run = () => {
      ef.setRandomSeed(42);
      return ef.image.sampleDistortedBoundingBox([H, W, 3], [[box]], { seed: 7, minObjectCovered: 0.3 });
    };
    const a = run();
    expect(a.begin.dtype).toBe('int32');
    expect(a.size.dtype).toBe('int32');
    expect(a.bboxes.dtype).toBe('float32');
    expect(a.begin.shape).toEqual([3]);
    expect(a.size.shape).toEqual([3]);
    expect(a.bboxes.shape).toEqual([1, 1, 4]);
    const b = run();
    expect(vals(b.begin)).toEqual(vals(a.begin));
    expect(vals(b.size)).toEqual(vals(a.size));
    expect(vals(b.bboxes)).toEqual(vals(a.bboxes));
    const [y, x, z] = vals(a.begin);
    const [h, w, c] = vals(a.size);
    expect([z, c]).toEqual([0, -1]);
    expect(a.values).toEqual({ begin: [y, x, 0], size: [h, w, -1], bboxes: vals(a.bboxes) });
    expectClose(vals(a.bboxes), [y! / H, x! / W, (y! + h!) / H, (x! + w!) / W]);
    // A tensor imageSize / boxes give the same draw.
    ef.setRandomSeed(42);
    const t = ef.image.sampleDistortedBoundingBox(ef.tensor([H, W, 3], [3], 'int32'), ef.tensor([[box]]), { seed: 7, minObjectCovered: 0.3 });
    expect(t.values).toEqual(a.values);
    // Successive calls with the same seeds continue the sequence (as the random ops do).
    const seq = Array.from({ length: 5 }, () => JSON.stringify(ef.image.sampleDistortedBoundingBox([H, W, 3], [[box]], { seed: 7, minObjectCovered: 0.3 }).values));
    expect(new Set(seq).size).toBeGreaterThan(1);
  });

  test('over many seeds: covers minObjectCovered of the box, aspect ratio and area within range', () => {
    const aspectRatioRange = [0.5, 2];
    const areaRange = [0.1, 0.6];
    let fallbacks = 0;
    for (let seed = 0; seed < 200; seed++) {
      const r = ef.image.sampleDistortedBoundingBox([H, W, 3], [[box]], { seed, minObjectCovered: 0.5, aspectRatioRange, areaRange });
      const [y, x] = r.values.begin as [number, number];
      const [h, w] = r.values.size as [number, number];
      expect(y >= 0 && x >= 0 && y + h <= H && x + w <= W).toBe(true);
      if (h === H && w === W) {
        fallbacks++;
        continue;
      }
      expect(covered([y, x], [h, w])).toBeGreaterThanOrEqual(0.5);
      expect(h * w).toBeGreaterThanOrEqual(areaRange[0]! * H * W);
      expect(h * w).toBeLessThanOrEqual(areaRange[1]! * H * W);
      // width = round(height · aspect): within half a pixel of the range.
      expect(w).toBeGreaterThanOrEqual(aspectRatioRange[0]! * h - 0.5);
      expect(w).toBeLessThanOrEqual(aspectRatioRange[1]! * h + 0.5);
    }
    expect(fallbacks).toBeLessThan(10);
  });

  test('falls back to the whole image; no boxes with useImageIfNoBoundingBoxes', () => {
    const whole = (r: { values: { begin: number[]; size: number[]; bboxes: number[] } }) => {
      expect(r.values.begin).toEqual([0, 0, 0]);
      expect(r.values.size).toEqual([H, W, -1]);
      expect(r.values.bboxes).toEqual([0, 0, 1, 1]);
    };
    // A crop of at most half the image can never cover all of a whole-image box.
    whole(ef.image.sampleDistortedBoundingBox([H, W, 3], [[[0, 0, 1, 1]]], { seed: 1, minObjectCovered: 1, areaRange: [0.05, 0.5] }));
    // Boxes of zero pixels are never covered.
    whole(ef.image.sampleDistortedBoundingBox([H, W, 3], [[[0.5, 0.5, 0.5, 0.5]]], { seed: 1 }));
    whole(ef.image.sampleDistortedBoundingBox([H, W, 3], ef.zeros([1, 0, 4]), { seed: 2, useImageIfNoBoundingBoxes: true, areaRange: [1, 1], aspectRatioRange: [W / H, W / H] }));
    const r = ef.image.sampleDistortedBoundingBox([H, W, 3], [], { seed: 3, useImageIfNoBoundingBoxes: true });
    const [h, w] = r.values.size as [number, number];
    expect(h * w).toBeGreaterThanOrEqual(0.1 * H * W); // covers >= 0.1 of the whole image
    // Boxes of every batch entry count together: covering either one suffices.
    const cover = (b: number[], s: number[], q: { y0: number; x0: number; y1: number; x1: number }) =>
      (Math.max(0, Math.min(b[0]! + s[0]!, q.y1) - Math.max(b[0]!, q.y0)) * Math.max(0, Math.min(b[1]! + s[1]!, q.x1) - Math.max(b[1]!, q.x0))) / ((q.y1 - q.y0) * (q.x1 - q.x0));
    const A = { y0: 0, x0: 0, y1: 30, x1: 40 };
    const B = { y0: 30, x0: 40, y1: 60, x1: 80 };
    let onlyB = 0;
    for (let seed = 0; seed < 30; seed++) {
      const two = ef.image.sampleDistortedBoundingBox([H, W, 3], [[[0, 0, 0.5, 0.5]], [[0.5, 0.5, 1, 1]]], { seed, minObjectCovered: 0.6, areaRange: [0.1, 0.4] });
      const { begin, size } = two.values;
      const [a, b] = [cover(begin, size, A), cover(begin, size, B)];
      expect(Math.max(a, b)).toBeGreaterThanOrEqual(0.6);
      if (b >= 0.6 && a < 0.6) onlyB++;
    }
    expect(onlyB).toBeGreaterThan(0);
  });

  test('TensorFlow usage: slice the crop, draw the box', () => {
    const img = ef.reshape(ef.div(ef.range(H * W * 3), H * W * 3), [H, W, 3]);
    const r = ef.image.sampleDistortedBoundingBox([H, W, 3], [[box]], { seed: 12, minObjectCovered: 0.4 });
    const crop = ef.slice(img, r.values.begin, r.values.size);
    expect(crop.shape).toEqual([r.values.size[0], r.values.size[1], 3]);
    const [y, x] = r.values.begin as [number, number];
    expect(vals(crop)[0]).toBeCloseTo(vals(img)[(y * W + x) * 3]!, 6);
    const drawn = ef.image.drawBoundingBoxes(ef.expandDims(img, 0), r.bboxes);
    expect(drawn.shape).toEqual([1, H, W, 3]);
    // drawBoundingBoxes puts the top-left corner at trunc(v · (size - 1)) (float32), TensorFlow's rule.
    const [by, bx] = [Math.trunc(Math.fround(Math.fround(y / H) * (H - 1))), Math.trunc(Math.fround(Math.fround(x / W) * (W - 1)))];
    expect(vals(drawn).slice((by * W + bx) * 3, (by * W + bx) * 3 + 3)).toEqual([1, 1, 0]); // first default colour
  });

  test('argument checks', () => {
    const sdbb = ef.image.sampleDistortedBoundingBox;
    expect(() => sdbb([H, W, 3], [], { seed: 1 })).toThrow(/sampleDistortedBoundingBox: no bounding boxes given .*useImageIfNoBoundingBoxes: true/);
    expect(() => sdbb([H, W], [[box]])).toThrow(/imageSize must be 1-D \[height, width, channels\], found shape \[2\]/);
    expect(() => sdbb([0, W, 3], [[box]])).toThrow(/imageSize height and width must be positive/);
    expect(() => sdbb([H, W, 3], [box])).toThrow(/boundingBoxes must be 3-D \[batch, numBoxes, 4\], found shape \[1,4\]/);
    expect(() => sdbb([H, W, 3], [[[0, 0, 1.5, 1]]])).toThrow(/coordinates must be in \[0, 1\], found 1.5 \(box 0, coordinate 2\)/);
    expect(() => sdbb([H, W, 3], [[[0.5, 0, 0.2, 1]]])).toThrow(/yMin <= yMax/);
    expect(() => sdbb([H, W, 3], [[box]], { minObjectCovered: -0.1 })).toThrow(/minObjectCovered must be a finite number >= 0/);
    expect(() => sdbb([H, W, 3], [[box]], { areaRange: [0, 1] })).toThrow(/areaRange must be \[min, max\] with both in \(0, 1\]/);
    expect(() => sdbb([H, W, 3], [[box]], { areaRange: [0.8, 0.2] })).toThrow(/areaRange must have min <= max/);
    expect(() => sdbb([H, W, 3], [[box]], { aspectRatioRange: [-1, 1] })).toThrow(/aspectRatioRange must be \[min, max\] with both > 0/);
    expect(() => sdbb([H, W, 3], [[box]], { maxAttempts: 0 })).toThrow(/maxAttempts must be an integer >= 1, found 0/);
  });
});
