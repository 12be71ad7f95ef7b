import { engine, type OpRecorder, type RecordedOp } from '../engine.js';
import { OpError, fmtShape } from '../errors.js';
import { shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { Variable } from '../variable.js';
import { add } from '../ops/api/elementwise.js';
import { onesLike, zerosLike } from '../ops/api/creation.js';
import { sumToShape } from '../ops/api/reduce.js';

export interface TapeOptions {
  /** Allow several gradient() calls (TensorFlow's persistent tape). */
  persistent?: boolean;
  /** Trainable variables read inside the tape are watched without watch() (TensorFlow's default). */
  watchAccessedVariables?: boolean;
}

export interface GradientOptions {
  /** Gradient of the target (default: ones). */
  outputGradient?: Tensor;
  /** What an unconnected source gets: null (TensorFlow's NONE) or zeros. */
  unconnected?: 'none' | 'zero';
}

/** Records ops on watched tensors for reverse-mode differentiation (TensorFlow's GradientTape). */
export class GradientTape implements OpRecorder {
  private readonly nodes: RecordedOp[] = [];
  private readonly watched = new Set<number>();
  private readonly held: Tensor[] = [];
  private used = false;
  private disposed = false;
  readonly persistent: boolean;
  readonly watchAccessedVariables: boolean;

  constructor(options: TapeOptions = {}) {
    this.persistent = options.persistent ?? false;
    this.watchAccessedVariables = options.watchAccessedVariables ?? true;
  }

  watch(...tensors: Tensor[]): void {
    for (const t of tensors) this.watched.add(t.id);
  }

  watches(t: Tensor): boolean {
    if (t.dtype !== 'float32') return false;
    return this.watched.has(t.id) || (this.watchAccessedVariables && t instanceof Variable && t.trainable);
  }

  /** @internal called by dispatch */
  recordOp(node: RecordedOp): void {
    this.nodes.push(node);
    for (const t of [...node.inputs, ...node.outputs]) {
      t.tapeHolds++;
      this.held.push(t);
    }
    for (const o of node.outputs) if (o.dtype === 'float32') this.watched.add(o.id);
  }

  /** Runs `fn` with this tape recording. */
  record<T>(fn: () => T): T {
    if (this.disposed) throw new Error('GradientTape: record() after dispose()');
    engine.recorders.push(this);
    try {
      return fn();
    } finally {
      const i = engine.recorders.lastIndexOf(this);
      if (i >= 0) engine.recorders.splice(i, 1);
    }
  }

  /** d target / d sources. Outer tapes still record, so gradients of gradients work. */
  gradient(target: Tensor, sources: readonly Tensor[], options: GradientOptions = {}): (Tensor | null)[] {
    if (this.disposed) throw new Error('GradientTape: gradient() after dispose()');
    if (this.used && !this.persistent) throw new Error('GradientTape: gradient() called twice on a non-persistent tape; pass {persistent: true}');
    this.used = true;
    if (options.outputGradient && !shapesEqual(options.outputGradient.shape, target.shape)) {
      throw new OpError('gradient', `outputGradient shape ${fmtShape(options.outputGradient.shape)} does not match target shape ${fmtShape(target.shape)}`);
    }
    const self = engine.recorders.indexOf(this);
    if (self >= 0) engine.recorders.splice(self, 1);
    try {
      const result = engine.tidy(() => this.backward(target, sources, options));
      return result;
    } finally {
      if (self >= 0) engine.recorders.splice(self, 0, this);
      if (!this.persistent) this.dispose();
    }
  }

  private backward(target: Tensor, sources: readonly Tensor[], options: GradientOptions): (Tensor | null)[] {
    // Only nodes on a path from a source to the target matter.
    const fromSources = new Set(sources.map((s) => s.id));
    const forward: boolean[] = this.nodes.map((n) => {
      const reached = n.inputs.some((t) => fromSources.has(t.id));
      if (reached) for (const o of n.outputs) fromSources.add(o.id);
      return reached;
    });
    const toTarget = new Set([target.id]);
    const relevant: RecordedOp[] = [];
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const n = this.nodes[i]!;
      if (!forward[i] || !n.outputs.some((o) => toTarget.has(o.id))) continue;
      relevant.push(n);
      for (const t of n.inputs) toTarget.add(t.id);
    }

    const grads = new Map<number, Tensor>();
    grads.set(target.id, options.outputGradient ?? onesLike(target));
    for (const node of relevant) {
      const got = node.outputs.map((o) => grads.get(o.id));
      if (got.every((g) => g === undefined)) continue;
      const dys = got.map((g, i) => g ?? zerosLike(node.outputs[i]!));
      const dxs = node.def.vjp!({ inputs: node.inputs, outputs: node.outputs, attrs: node.attrs, dys });
      node.inputs.forEach((x, i) => {
        let dx = dxs[i];
        if (!dx || x.dtype !== 'float32' || !fromSources.has(x.id)) return;
        if (!shapesEqual(dx.shape, x.shape)) dx = sumToShape(dx, x.shape);
        const prev = grads.get(x.id);
        grads.set(x.id, prev ? add(prev, dx) : dx);
      });
    }
    return sources.map((s) => {
      const g = grads.get(s.id);
      if (g) return g;
      return options.unconnected === 'zero' ? zerosLike(s) : null;
    });
  }

  /** Lets go of the tensors saved for backward. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const i = engine.recorders.indexOf(this);
    if (i >= 0) engine.recorders.splice(i, 1);
    for (const t of this.held) engine.releaseHold(t);
    this.held.length = 0;
    this.nodes.length = 0;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}
