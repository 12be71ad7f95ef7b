import { OpError, fmtShape } from '../../errors.js';
import { shapesEqual, sizeOf } from '../../shape.js';
import type { OpDef, TensorInfo } from '../op_def.js';
import { num } from '../reference_util.js';

export interface ApplyAdamAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
}

const NAMES = ['var', 'm', 'v', 'grad'] as const;

/**
 * TensorFlow's ApplyAdam as one kernel: from var, m, v, grad and the step's lr_t (a scalar),
 *   m' = β₁·m + (1 − β₁)·g,  v' = β₂·v + (1 − β₂)·g²,  var' = var − lr_t · m' / (√v' + ε)
 * — outputs [var', m', v'], each rounded to float32 as the separate ops would (on the CPU the
 * results equal theirs bit for bit). Four dispatches per variable become one. Not differentiable.
 */
export const applyAdamDef: OpDef<ApplyAdamAttrs> = {
  id: 'apply_adam',
  infer(inputs, { beta1, beta2, epsilon }) {
    if (inputs.length !== 5) throw new OpError('applyAdam', `expected 5 inputs (var, m, v, grad, lr_t), found ${inputs.length}`);
    const [v] = inputs as TensorInfo[];
    NAMES.forEach((name, i) => {
      const t = inputs[i]!;
      if (t.dtype !== 'float32') throw new OpError('applyAdam', `${name} must be float32, found ${t.dtype}`);
      if (!shapesEqual(t.shape, v!.shape)) throw new OpError('applyAdam', `${name} has shape ${fmtShape(t.shape)}, var has shape ${fmtShape(v!.shape)}`);
    });
    const lr = inputs[4]!;
    if (lr.dtype !== 'float32' || sizeOf(lr.shape) !== 1) throw new OpError('applyAdam', `lr_t must be a float32 scalar, found ${lr.dtype} ${fmtShape(lr.shape)}`);
    for (const [n, x] of [['beta1', beta1], ['beta2', beta2], ['epsilon', epsilon]] as const) {
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new OpError('applyAdam', `${n} must be a finite number, found ${String(x)}`);
    }
    return [0, 1, 2].map(() => ({ shape: [...v!.shape], dtype: 'float32' as const }));
  },
  reference(inputs, attrs) {
    const [w, m, s, g] = inputs.slice(0, 4).map(num);
    const lrT = num(inputs[4]!)[0]!;
    const n = w!.length;
    const out = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
    for (let i = 0; i < n; i++) {
      const mi = attrs.beta1 * m![i]! + (1 - attrs.beta1) * g![i]!;
      const vi = attrs.beta2 * s![i]! + (1 - attrs.beta2) * g![i]! * g![i]!;
      out[0]![i] = w![i]! - (lrT * mi) / (Math.sqrt(vi) + attrs.epsilon);
      out[1]![i] = mi;
      out[2]![i] = vi;
    }
    return out.map((values) => ({ shape: [...inputs[0]!.shape], dtype: 'float32' as const, values }));
  },
  samples: [
    {
      inputs: [{ shape: [3, 4] }, { shape: [3, 4] }, { shape: [3, 4], range: [0, 1] }, { shape: [3, 4] }, { shape: [], range: [0.001, 0.1] }],
      attrs: { beta1: 0.9, beta2: 0.999, epsilon: 1e-3 },
      noGrad: true,
    },
    {
      name: 'odd size, first step (zero slots)',
      inputs: [
        { shape: [7] },
        { shape: [7], dtype: 'float32', values: [0, 0, 0, 0, 0, 0, 0] },
        { shape: [7], dtype: 'float32', values: [0, 0, 0, 0, 0, 0, 0] },
        { shape: [7] },
        { shape: [1], dtype: 'float32', values: [0.01] },
      ],
      attrs: { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
      noGrad: true,
    },
    {
      name: 'hand-computed',
      inputs: [
        { shape: [2], dtype: 'float32', values: [1, -1] },
        { shape: [2], dtype: 'float32', values: [0, 1] },
        { shape: [2], dtype: 'float32', values: [0, 4] },
        { shape: [2], dtype: 'float32', values: [2, 1] },
        { shape: [], dtype: 'float32', values: [0.5] },
      ],
      attrs: { beta1: 0.5, beta2: 0.75, epsilon: 0 },
      // m' = [1, 1], v' = [1, 3.25], var' = [1 − 0.5·1/1, −1 − 0.5·1/√3.25]
      expected: [
        { shape: [2], dtype: 'float32', values: [0.5, -1 - 0.5 / Math.sqrt(3.25)] },
        { shape: [2], dtype: 'float32', values: [1, 1] },
        { shape: [2], dtype: 'float32', values: [1, 3.25] },
      ],
      noGrad: true,
    },
  ],
};
