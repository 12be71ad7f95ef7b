// ef.image.resizeBicubic / resizeArea / resizeImages (TensorFlow 1's resize_images) against
// independent float64 implementations of TensorFlow's ResizeBicubic and ResizeArea.
import { beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import { expectClose, vals } from './helpers.js';

beforeAll(async () => {
  await ef.setBackend('cpu');
});

type Opts = { alignCorners?: boolean; halfPixelCenters?: boolean };

/** Deterministic pseudo-random pixel values. */
const pixels = (n: number, seed = 0) => Array.from({ length: n }, (_, i) => Math.sin(i * 1.37 + seed * 2.1) * 0.5 + 0.5);

/** TensorFlow's CalculateResizeScale (float32). */
const scaleOf = (inSize: number, outSize: number, alignCorners: boolean) =>
  alignCorners && outSize > 1 ? Math.fround((inSize - 1) / (outSize - 1)) : Math.fround(inSize / outSize);

/** Round half to even (lrintf). */
const rintEven = (x: number) => {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

/** The cubic convolution kernel K(t) with parameter a, in float64. */
function cubicKernel(t: number, a: number): number {
  const x = Math.abs(t);
  if (x <= 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  return 0;
}

/**
 * Float64 ResizeBicubic on [N, H, W, C] values: for each output pixel a direct 4×4 sum over source
 * pixels at distance d ∈ {-1, 0, 1, 2} from floor(position), the fractional part rounded to 1/1024
 * (TensorFlow's table). Legacy: a = -0.75, clamped indices. Half-pixel: a = -0.5, out-of-range taps
 * dropped and the 1-D weights renormalised.
 */
function refBicubic(x: number[], shape: number[], outH: number, outW: number, o: Opts): number[] {
  const [N, H, W, C] = shape as [number, number, number, number];
  const a = o.halfPixelCenters ? -0.5 : -0.75;
  const taps = (inSize: number, outSize: number, i: number) => {
    const s = scaleOf(inSize, outSize, o.alignCorners ?? false);
    const pos = o.halfPixelCenters ? Math.fround(Math.fround((i + 0.5) * s) - 0.5) : Math.fround(i * s);
    const base = Math.floor(pos);
    const frac = rintEven(Math.fround((pos - base) * 1024)) / 1024;
    let list = [-1, 0, 1, 2].map((d) => ({ src: base + d, w: cubicKernel(d - frac, a) }));
    if (o.halfPixelCenters) {
      list = list.filter((t) => t.src >= 0 && t.src < inSize);
      const sum = list.reduce((acc, t) => acc + t.w, 0);
      list = list.map((t) => ({ src: t.src, w: t.w / sum }));
    }
    return list.map((t) => ({ src: Math.min(inSize - 1, Math.max(0, t.src)), w: t.w }));
  };
  const out: number[] = [];
  for (let n = 0; n < N; n++)
    for (let y = 0; y < outH; y++)
      for (let xo = 0; xo < outW; xo++)
        for (let c = 0; c < C; c++) {
          let s = 0;
          for (const ty of taps(H, outH, y)) for (const tx of taps(W, outW, xo)) s += ty.w * tx.w * x[((n * H + ty.src) * W + tx.src) * C + c]!;
          out.push(s);
        }
  return out;
}

/**
 * Float64 ResizeArea on [N, H, W, C] values: output (y, x) covers the box
 * [y·sy, (y+1)·sy) × [x·sx, (x+1)·sx); each input pixel contributes its overlap area (cells past
 * the last row/column read the last one), and the sum is divided by sy·sx.
 */
function refArea(x: number[], shape: number[], outH: number, outW: number, alignCorners: boolean): number[] {
  const [N, H, W, C] = shape as [number, number, number, number];
  const sy = scaleOf(H, outH, alignCorners);
  const sx = scaleOf(W, outW, alignCorners);
  const overlap = (lo: number, hi: number, j: number) => Math.max(0, Math.min(j + 1, hi) - Math.max(j, lo));
  const out: number[] = [];
  for (let n = 0; n < N; n++)
    for (let y = 0; y < outH; y++)
      for (let xo = 0; xo < outW; xo++)
        for (let c = 0; c < C; c++) {
          const [y0, y1] = [Math.fround(y * sy), Math.fround((y + 1) * sy)];
          const [x0, x1] = [Math.fround(xo * sx), Math.fround((xo + 1) * sx)];
          let s = 0;
          for (let i = Math.floor(y0); i < Math.ceil(y1); i++)
            for (let j = Math.floor(x0); j < Math.ceil(x1); j++) {
              s += overlap(y0, y1, i) * overlap(x0, x1, j) * x[((n * H + Math.min(i, H - 1)) * W + Math.min(j, W - 1)) * C + c]!;
            }
          out.push(s / (sy * sx));
        }
  return out;
}

/** Central finite differences of a scalar function of one tensor. */
function finiteDiff(f: (t: ef.Tensor) => ef.Tensor, base: number[], shape: number[], eps = 1e-2): number[] {
  return base.map((_, i) => {
    const plus = base.slice();
    const minus = base.slice();
    plus[i]! += eps;
    minus[i]! -= eps;
    return (vals(f(ef.tensor(plus, shape)))[0]! - vals(f(ef.tensor(minus, shape)))[0]!) / (2 * eps);
  });
}

const SHAPE_CASES: [number[], [number, number]][] = [
  [[1, 3, 4, 1], [7, 5]], // up, non-integer ratios
  [[2, 6, 5, 2], [4, 3]], // down, non-integer ratios, batch and channels
  [[1, 2, 3, 3], [6, 9]], // integer up
  [[1, 8, 8, 1], [3, 5]], // down by 8/3 and 8/5
  [[1, 5, 5, 1], [5, 5]], // same size
  [[1, 1, 4, 1], [3, 2]], // a single row
];

describe('resizeBicubic (TensorFlow ResizeBicubic)', () => {
  const modes: Opts[] = [{}, { alignCorners: true }, { halfPixelCenters: true }];
  test.each(modes.flatMap((o) => SHAPE_CASES.map(([s, size]) => [JSON.stringify(o), s, size, o] as const)))(
    '%s %j → %j matches the float64 reference',
    (_name, shape, size, o) => {
      const n = shape.reduce((a, b) => a * b, 1);
      const x = pixels(n, shape[1]!);
      const y = ef.image.resizeBicubic(ef.tensor(x, shape), size, o);
      expect(y.shape).toEqual([shape[0], size[0], size[1], shape[3]]);
      expect(y.dtype).toBe('float32');
      expectClose(vals(y), refBicubic(x, shape, size[0], size[1], o), 2e-5);
    },
  );
  test('HWC input, int32 input, constant images stay constant', () => {
    const x = pixels(12, 3);
    const hwc = ef.image.resizeBicubic(ef.tensor(x, [3, 4, 1]), [5, 7]);
    expect(hwc.shape).toEqual([5, 7, 1]);
    expectClose(vals(hwc), refBicubic(x, [1, 3, 4, 1], 5, 7, {}), 2e-5);
    const ints = ef.image.resizeBicubic(ef.tensor([0, 255, 128, 7], [2, 2, 1], 'int32'), [3, 3]);
    expect(ints.dtype).toBe('float32');
    expectClose(vals(ints), refBicubic([0, 255, 128, 7], [1, 2, 2, 1], 3, 3, {}), 2e-5);
    for (const o of modes) {
      expectClose(vals(ef.image.resizeBicubic(ef.fill([1, 3, 5, 2], 0.7), [7, 4], o)), new Array(7 * 4 * 2).fill(0.7), 1e-6);
    }
  });
  test('integer-aligned upsampling reproduces the input pixels it lands on', () => {
    const x = pixels(9, 1);
    // Legacy 3 → 6: output 2i samples input i exactly (weights [0, 1, 0, 0]).
    const up = vals(ef.image.resizeBicubic(ef.tensor(x, [3, 3, 1]), [6, 6]));
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(up[2 * i * 6 + 2 * j]).toBeCloseTo(x[i * 3 + j]!, 6);
    // alignCorners 3 → 5: output 2i samples input i.
    const al = vals(ef.image.resizeBicubic(ef.tensor(x, [3, 3, 1]), [5, 5], { alignCorners: true }));
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(al[2 * i * 5 + 2 * j]).toBeCloseTo(x[i * 3 + j]!, 6);
    // Same size is the identity in every mode.
    for (const o of modes) expectClose(vals(ef.image.resizeBicubic(ef.tensor(x, [3, 3, 1]), [3, 3], o)), x, 1e-6);
  });
  test('hand-checked 1-D legacy weights: 2 → 4 midpoint uses K(±0.5), K(1.5) with a = -0.75', () => {
    // Output 1 sits at 0.5: taps at -1 (clamped to 0), 0, 1, 2 (clamped to 1).
    const k05 = ((-0.75 + 2) * 0.5 - (-0.75 + 3)) * 0.25 + 1; // 0.59375
    const k15 = ((-0.75 * 1.5 + 3.75) * 1.5 - 6) * 1.5 + 3; // -0.09375
    const y = vals(ef.image.resizeBicubic(ef.tensor([10, 20], [1, 2, 1]), [1, 4]));
    expectClose(y.slice(0, 2), [10, (k15 + k05) * 10 + (k05 + k15) * 20]); // 15
    // Output 3 sits at 1.5: taps 0, 1, 2 → 1, 3 → 1.
    expectClose(y.slice(3), [k15 * 10 + (k05 + k05 + k15) * 20]); // 20.9375
    expect(y[3]).toBeCloseTo(20.9375, 5);
  });
  test('gradient matches central finite differences', () => {
    for (const o of modes) {
      const shape = [1, 3, 4, 2];
      const base = pixels(24, 5);
      const w = ef.tensor(pixels(5 * 3 * 2, 9).map((v) => v - 0.4), [1, 5, 3, 2]);
      const f = (t: ef.Tensor) => ef.reduceSum(ef.mul(ef.image.resizeBicubic(t, [5, 3], o), w));
      expectClose(vals(ef.grad(f)(ef.tensor(base, shape))), finiteDiff(f, base, shape), 2e-3);
    }
  });
  test('clear errors', () => {
    expect(() => ef.image.resizeBicubic(ef.ones([2, 2]), [4, 4])).toThrow(/resizeBicubic: images must be 3-D .* found shape \[2,2\]/);
    expect(() => ef.image.resizeBicubic(ef.ones([2, 2, 1]), [4, 0])).toThrow(/resizeBicubic: size must hold two positive integers, found \[4,0\]/);
    expect(() => ef.image.resizeBicubic(ef.ones([2, 2, 1]), [4, 4], { alignCorners: true, halfPixelCenters: true })).toThrow(/resizeBicubic: alignCorners and halfPixelCenters cannot both be true/);
  });
});

describe('resizeArea (TensorFlow ResizeArea)', () => {
  // (alignCorners with a one-pixel side is checked separately: TensorFlow's 0 · 1/0.)
  test.each([false, true].flatMap((ac) => SHAPE_CASES.filter(([s]) => !ac || (s[1]! > 1 && s[2]! > 1)).map(([s, size]) => [ac, s, size] as const)))(
    'alignCorners %s %j → %j matches the float64 reference',
    (ac, shape, size) => {
      const n = shape.reduce((a, b) => a * b, 1);
      const x = pixels(n, shape[2]!);
      const y = ef.image.resizeArea(ef.tensor(x, shape), size, { alignCorners: ac });
      expect(y.shape).toEqual([shape[0], size[0], size[1], shape[3]]);
      expect(y.dtype).toBe('float32');
      expectClose(vals(y), refArea(x, shape, size[0], size[1], ac), 2e-5);
    },
  );
  test('4×4 → 2×2 gives 2×2 block means; 2 → 4 repeats pixels; constant stays constant', () => {
    const x = ef.reshape(ef.range(16), [4, 4, 1]);
    const y = ef.image.resizeArea(x, [2, 2]);
    expect(y.shape).toEqual([2, 2, 1]);
    expectClose(vals(y), [(0 + 1 + 4 + 5) / 4, (2 + 3 + 6 + 7) / 4, (8 + 9 + 12 + 13) / 4, (10 + 11 + 14 + 15) / 4]);
    // Integer input, batch of two with two channels.
    const b = ef.image.resizeArea(ef.reshape(ef.range(32, undefined, undefined, 'int32'), [2, 2, 4, 2]), [1, 2]);
    expect(b.shape).toEqual([2, 1, 2, 2]);
    expectClose(vals(b), [5, 6, 9, 10, 21, 22, 25, 26]);
    expectClose(vals(ef.image.resizeArea(ef.tensor([1, 2], [1, 2, 1]), [1, 4])), [1, 1, 2, 2]);
    // 3 → 2: footprints [0, 1.5) and [1.5, 3).
    expectClose(vals(ef.image.resizeArea(ef.tensor([3, 6, 9], [1, 3, 1]), [1, 2])), [(3 + 3) / 1.5, (3 + 9) / 1.5]);
    expectClose(vals(ef.image.resizeArea(ef.fill([1, 5, 3, 1], 0.3), [2, 7])), new Array(14).fill(0.3), 1e-6);
    // alignCorners, one row → three: the row repeated (TensorFlow: NaN); the width still area-resized.
    const row = ef.image.resizeArea(ef.tensor([1, 2, 3, 4], [1, 4, 1]), [3, 2], { alignCorners: true });
    expectClose(vals(row), [1, 1, 1].flatMap(() => refArea([1, 2, 3, 4], [1, 1, 4, 1], 1, 2, true)));
  });
  test('gradient matches central finite differences', () => {
    for (const [size, ac] of [[[2, 3], false], [[5, 2], false], [[2, 3], true]] as const) {
      const shape = [1, 4, 5, 2];
      const base = pixels(40, 2);
      const w = ef.tensor(pixels(size[0] * size[1] * 2, 4), [1, size[0], size[1], 2]);
      const f = (t: ef.Tensor) => ef.reduceSum(ef.mul(ef.image.resizeArea(t, [...size], { alignCorners: ac }), w));
      expectClose(vals(ef.grad(f)(ef.tensor(base, shape))), finiteDiff(f, base, shape), 2e-3);
    }
  });
  test('clear errors', () => {
    expect(() => ef.image.resizeArea(ef.ones([2, 2, 2, 2, 1]), [1, 1])).toThrow(/resizeArea: images must be 3-D .* found shape \[2,2,2,2,1\]/);
    expect(() => ef.image.resizeArea(ef.ones([2, 2, 1]), [1.5, 1])).toThrow(/resizeArea: size must hold two positive integers/);
    expect(() => ef.image.resizeArea(ef.ones([2, 2, 1]), [1, 1], { halfPixelCenters: true } as ef.image.ResizeAreaOptions)).toThrow(/resizeArea: halfPixelCenters is not supported/);
    expect(() => ef.image.resizeArea(ef.ones([2, 2, 1], 'bool'), [1, 1])).toThrow(/resizeArea: images must be float32 or int32/);
  });
});

describe('resize (TensorFlow 2 tf.image.resize) takes bicubic and area too', () => {
  test('bicubic is resizeBicubic with half-pixel centres; area is resizeArea', () => {
    const x = ef.tensor(pixels(5 * 7 * 2, 4), [5, 7, 2]);
    expectClose(vals(ef.image.resize(x, [8, 4], 'bicubic')), vals(ef.image.resizeBicubic(x, [8, 4], { halfPixelCenters: true })), 0);
    expectClose(vals(ef.image.resize(x, [3, 4], 'area')), vals(ef.image.resizeArea(x, [3, 4])), 0);
    x.dispose();
  });
});

describe('resizeImages (TensorFlow 1 resize_images)', () => {
  const x = () => ef.tensor(pixels(2 * 3 * 4 * 2, 7), [2, 3, 4, 2]);
  test('methods 0..3 and their names dispatch to the four resizes', () => {
    const size = [5, 3];
    const direct = [
      ef.image.resizeBilinear(x(), size),
      ef.image.resizeNearestNeighbor(x(), size),
      ef.image.resizeBicubic(x(), size),
      ef.image.resizeArea(x(), size),
    ];
    const names = ['bilinear', 'nearest', 'bicubic', 'area'] as const;
    for (let m = 0; m < 4; m++) {
      expect(vals(ef.image.resizeImages(x(), size, m as 0 | 1 | 2 | 3))).toEqual(vals(direct[m]));
      expect(vals(ef.image.resizeImages(x(), size, names[m]))).toEqual(vals(direct[m]));
    }
    expect(vals(ef.image.resizeImages(x(), size))).toEqual(vals(direct[0])); // default: bilinear
    // Options pass through; HWC works.
    const hwc = ef.tensor(pixels(12, 1), [3, 4, 1]);
    expect(vals(ef.image.resizeImages(hwc, [6, 2], 2, { alignCorners: true }))).toEqual(vals(ef.image.resizeBicubic(hwc, [6, 2], { alignCorners: true })));
    expect(vals(ef.image.resizeImages(hwc, [6, 2], 'bicubic', { halfPixelCenters: true }))).toEqual(vals(ef.image.resizeBicubic(hwc, [6, 2], { halfPixelCenters: true })));
    expect(vals(ef.image.resizeImages(hwc, [2, 7], 3, { alignCorners: true }))).toEqual(vals(ef.image.resizeArea(hwc, [2, 7], { alignCorners: true })));
    expect(ef.image.resizeImages(hwc, [6, 2], 1).shape).toEqual([6, 2, 1]);
  });
  test('dtypes; the target size returns the images unchanged (as TF1)', () => {
    const ints = ef.tensor([1, 2, 3, 4], [2, 2, 1], 'int32');
    expect(ef.image.resizeImages(ints, [3, 3], 1).dtype).toBe('int32');
    for (const m of [0, 2, 3] as const) expect(ef.image.resizeImages(ints, [3, 3], m).dtype).toBe('float32');
    const same = ef.image.resizeImages(ints, [2, 2], 2);
    expect(same.dtype).toBe('int32');
    expect(vals(same)).toEqual([1, 2, 3, 4]);
  });
  test('preserveAspectRatio fits within size keeping the ratio', () => {
    const img = ef.ones([4, 8, 1]);
    expect(ef.image.resizeImages(img, [6, 6], 0, { preserveAspectRatio: true }).shape).toEqual([3, 6, 1]);
    expect(ef.image.resizeImages(img, [10, 24], 3, { preserveAspectRatio: true }).shape).toEqual([10, 20, 1]);
    expect(ef.image.resizeImages(ef.ones([2, 4, 8, 1]), [8, 100], 2, { preserveAspectRatio: true }).shape).toEqual([2, 8, 16, 1]);
  });
  test('clear errors for an unknown method and bad options', () => {
    expect(() => ef.image.resizeImages(x(), [2, 2], 4 as 0)).toThrow(/resizeImages: method must be 0 \| 1 \| 2 \| 3 or 'bilinear' \| 'nearest' \| 'bicubic' \| 'area' \(TensorFlow's ResizeMethod\), found 4/);
    expect(() => ef.image.resizeImages(x(), [2, 2], 'lanczos3' as 'area')).toThrow(/resizeImages: method must be .* found 'lanczos3'/);
    expect(() => ef.image.resizeImages(x(), [2, 2], 1.5 as 1)).toThrow(/found 1\.5/);
    expect(() => ef.image.resizeImages(x(), [2, 2], 3, { halfPixelCenters: true })).toThrow(/resizeImages: halfPixelCenters is not supported by method 'area'/);
    expect(() => ef.image.resizeImages(x(), [3, 4], 0, { alignCorners: true, halfPixelCenters: true })).toThrow(/cannot both be true/);
    expect(() => ef.image.resizeImages(ef.ones([3, 4]), [2, 2])).toThrow(/resizeImages: images must be 3-D/);
  });
  test('perImageWhitening is perImageStandardization', () => {
    const img = ef.tensor([1, 2, 3, 4], [2, 2, 1]);
    expect(ef.image.perImageWhitening).toBe(ef.image.perImageStandardization);
    expectClose(vals(ef.image.perImageWhitening(img)), [-1.341641, -0.447214, 0.447214, 1.341641]);
  });
  test('no tensors leak', () => {
    const img = ef.ones([1, 3, 5, 2]);
    const before = ef.memory().numTensors;
    const ys = [
      ef.image.resizeBicubic(img, [4, 7]),
      ef.image.resizeBicubic(img, [2, 2], { halfPixelCenters: true }),
      ef.image.resizeArea(img, [2, 3]),
      ef.image.resizeArea(ef.ones([3, 3, 1]), [5, 2], { alignCorners: true }),
      ef.image.resizeImages(img, [3, 5], 2),
      ef.image.resizeImages(img, [6, 6], 3, { preserveAspectRatio: true }),
    ];
    expect(ef.memory().numTensors).toBe(before + ys.length + 1);
  });
});
