import type { DType, DataValues } from '../dtype.js';
import type { Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';

/** Shape and dtype of a tensor, without its data. */
export interface TensorInfo {
  readonly shape: Shape;
  readonly dtype: DType;
}

/** Host values as the conformance references see them (float64 math, any dtype). */
export interface HostTensor {
  readonly shape: Shape;
  readonly dtype: DType;
  readonly values: ArrayLike<number> | DataValues;
}

export interface VjpContext<A> {
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  readonly attrs: A;
  /** Upstream gradients, one per output (zeros where an output received none). */
  readonly dys: readonly Tensor[];
  /** Which inputs need a gradient (absent: all); a vjp may return null for the others to skip work. */
  readonly needsGrad?: readonly boolean[];
  /** Which outputs received an upstream gradient (absent: all); the others' dys are zeros. */
  readonly hasDy?: readonly boolean[];
}

/** One conformance case: input shapes (values drawn in `range`) or explicit inputs, plus attrs. */
export interface OpSample<A> {
  readonly name?: string;
  readonly inputs: readonly (HostTensor | { shape: Shape; dtype?: DType; range?: [number, number] })[];
  readonly attrs: A;
  /** Expected outputs where a hand-computed value documents the semantics. */
  readonly expected?: readonly HostTensor[];
  /** Skip the finite-difference check (non-differentiable points, integer ops). */
  readonly noGrad?: boolean;
}

export type DtypeClass = 'float' | 'numeric' | 'bool' | 'any';

/** A scalar formula that generates both the JS loop and the WGSL kernel (see elementwise.ts). */
export interface ElementwiseSpec {
  readonly arity: 1 | 2 | 3;
  /** Expression over a, b, c and the scalar attrs; functions from the shared prelude. */
  readonly expr: string;
  /** Expression used when the inputs are int32 (e.g. floor division). */
  readonly intExpr?: string;
  /** Names of numeric attrs the expression reads (uniforms on the GPU). */
  readonly scalarAttrs?: readonly string[];
  readonly inputs: DtypeClass;
  /** For where(): the first input is bool, the others follow `inputs`. */
  readonly firstInputBool?: boolean;
  readonly output: 'same' | 'bool';
}

export interface OpDef<A = Record<string, never>> {
  /** The op id: file name in core and in each backend. */
  readonly id: string;
  /** Shape/dtype inference and validation; throws OpError with expected vs found. */
  infer(inputs: readonly TensorInfo[], attrs: A): TensorInfo[];
  /** Straightforward float64 implementation used by the conformance suite. */
  reference?(inputs: readonly HostTensor[], attrs: A): HostTensor[];
  /** Gradients of the inputs, written with public ops so higher-order gradients work. */
  vjp?(ctx: VjpContext<A>): (Tensor | null)[];
  readonly samples?: readonly OpSample<A>[];
  readonly elementwise?: ElementwiseSpec;
  /** Output 0 shares input 0's storage (reshape): no kernel runs. */
  readonly aliasesInput?: boolean;
  /** Per-op tolerance overrides (relative+absolute) for forward and gradient checks. */
  readonly tolerance?: { forward?: number; grad?: number };
  /** Random ops: conformance compares with the reference exactly (same counter-based stream). */
  readonly random?: boolean;
}

export function defineOp<A>(def: OpDef<A>): OpDef<A> {
  return def;
}
