/**
 * What fused_matmul and fused_conv2d share (TensorFlow's _FusedMatMul / _FusedConv2D, tfjs's
 * tf.fused): the epilogue y = act(z + bias) applied to the GEMM result z, and its vjp.
 * Every activation's derivative is written in terms of the output y, so the fused op keeps no
 * pre-activation tensor alive for the backward pass.
 */
import { OpError, fmtShape } from '../../errors.js';
import type { Tensor } from '../../tensor.js';
import { cast } from '../api/cast.js';
import { onesLike } from '../api/creation.js';
import * as E from '../api/elementwise.js';
import { reduceSum } from '../api/reduce.js';
import type { HostTensor, OpDef, OpSample, TensorInfo, VjpContext } from '../op_def.js';
import { num } from '../reference_util.js';
import { compileScalar } from '../scalar_expr.js';
import { ELEMENTWISE, defineElementwise } from './elementwise.js';

export const FUSED_ACTIVATIONS = ['linear', 'relu', 'relu6', 'elu', 'selu', 'sigmoid', 'tanh', 'softplus'] as const;
export type FusedActivation = (typeof FUSED_ACTIVATIONS)[number];

export interface FusedAttrs {
  activation: FusedActivation;
}

/**
 * The epilogue as an elementwise row over a = z and b = bias (broadcast along the last axis):
 * the activation row's own expression with a → (a + b), so its meaning is exactly that op's.
 * Not public ops: backends run them where the GEMM cannot apply the epilogue in its store.
 */
export const EPILOGUES: Readonly<Record<FusedActivation, OpDef<Record<string, number>>>> = Object.fromEntries(
  FUSED_ACTIVATIONS.map((act) => [
    act,
    defineElementwise(`fused_epilogue_${act}`, {
      arity: 2,
      expr: act === 'linear' ? 'a + b' : ELEMENTWISE[act].elementwise!.expr.replace(/\ba\b/g, '(a + b)'),
      inputs: 'float',
    }),
  ]),
) as Record<FusedActivation, OpDef<Record<string, number>>>;

/** `activation` as a fused activation, or an error naming the ones there are. */
export function checkActivation(op: string, activation: string): FusedActivation {
  if (!(FUSED_ACTIVATIONS as readonly string[]).includes(activation)) {
    throw new OpError(op, `activation must be one of ${FUSED_ACTIVATIONS.join(', ')}; found '${String(activation)}'`);
  }
  return activation as FusedActivation;
}

/** Validates the activation attr and a bias of shape [channels] for an output of shape `out`. */
function checkEpilogue(op: string, bias: TensorInfo | undefined, out: readonly number[], attrs: FusedAttrs): void {
  checkActivation(op, attrs.activation);
  if (!bias) throw new OpError(op, 'expected 3 inputs (the third is the bias)');
  const c = out[out.length - 1]!;
  if (bias.shape.length !== 1 || bias.shape[0] !== c) {
    throw new OpError(op, `bias must have shape [${c}] (the output's last dimension, output ${fmtShape(out)}), found ${fmtShape(bias.shape)}`);
  }
  if (bias.dtype !== 'float32') throw new OpError(op, `bias must be float32, found ${bias.dtype}`);
}

/** Float64 reference of the epilogue on a GEMM reference output. */
function referenceEpilogue(z: HostTensor, bias: HostTensor, act: FusedActivation): HostTensor {
  const f = compileScalar(EPILOGUES[act].elementwise!.expr)({});
  const zv = num(z);
  const bv = num(bias);
  const c = bv.length;
  const values = zv.map((v, i) => f(v, bv[i % c]!, 0));
  return { shape: z.shape, dtype: 'float32', values };
}

/** dL/dz from the output y and dL/dy: each activation's derivative written in terms of y. */
function activationGrad(act: FusedActivation, y: Tensor, dy: Tensor): Tensor {
  switch (act) {
    case 'linear':
      return dy;
    case 'relu':
      return E.reluGrad(dy, y);
    case 'relu6':
      return E.mul(dy, cast(E.logicalAnd(E.greater(y, 0), E.less(y, 6)), 'float32'));
    case 'elu':
      return E.mul(dy, E.where(E.greater(y, 0), onesLike(y), E.add(y, 1)));
    case 'selu': // λ·α·eˣ = y + λ·α below zero
      return E.mul(dy, E.where(E.greater(y, 0), E.mul(onesLike(y), 1.0507009873554805), E.add(y, 1.7580993408473766)));
    case 'sigmoid':
      return E.mul(dy, E.mul(y, E.sub(1, y)));
    case 'tanh':
      return E.mul(dy, E.sub(1, E.square(y)));
    case 'softplus': // σ(x) = 1 − e^(−y)
      return E.mul(dy, E.neg(E.expm1(E.neg(y))));
  }
}

/**
 * The fused form of a two-input GEMM op `base` (inputs [x, y, bias]): base's shape rule plus the
 * bias check; base's reference plus the epilogue; the vjp takes dz from the activation, sums it
 * over all but the last axis for the bias, and hands it to base's own vjp for x and y.
 */
export function defineFused<A>(id: string, base: OpDef<A>, samples: readonly OpSample<A & FusedAttrs>[]): OpDef<A & FusedAttrs> {
  return {
    id,
    infer([x, y, bias], attrs) {
      const [out] = base.infer([x!, y!], attrs);
      checkEpilogue(id, bias, out!.shape, attrs);
      return [out!];
    },
    reference([x, y, bias], attrs) {
      const [z] = base.reference!.call(base, [x!, y!], attrs);
      return [referenceEpilogue(z!, bias!, attrs.activation)];
    },
    vjp(ctx: VjpContext<A & FusedAttrs>) {
      const dz = activationGrad(ctx.attrs.activation, ctx.outputs[0]!, ctx.dys[0]!);
      const needs = ctx.needsGrad;
      const [dx = null, dy = null] = needs?.[0] === false && needs?.[1] === false ? [] : base.vjp!({ ...ctx, inputs: ctx.inputs.slice(0, 2), dys: [dz], needsGrad: needs?.slice(0, 2) });
      const axes = Array.from({ length: dz.rank - 1 }, (_, i) => i);
      return [dx, dy, needs?.[2] === false ? null : reduceSum(dz, axes)];
    },
    samples,
  };
}

/**
 * A float32 sample input of small integers (−2…2) for the kink activations (relu, relu6): with
 * a bias of ±0.5 every pre-activation value is an integer ± 0.5, far from the kinks at 0 and 6
 * for the finite-difference check.
 */
export function integerSample(shape: number[], seed: number): HostTensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, dtype: 'float32', values: Float64Array.from({ length: n }, (_, i) => ((i * 7 + seed * 3) % 5) - 2) };
}

/** A bias of alternating ±0.5 (see integerSample). */
export function halfBias(c: number): HostTensor {
  return { shape: [c], dtype: 'float32', values: Float64Array.from({ length: c }, (_, i) => (i % 2 ? -0.5 : 0.5)) };
}
