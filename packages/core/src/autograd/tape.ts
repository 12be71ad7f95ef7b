import { engine, type OpRecorder, type RecordedOp, type TensorHolder } from '../engine.js';
import { OpError, fmtShape } from '../errors.js';
import { shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { Variable } from '../variable.js';
import { add } from '../ops/api/elementwise.js';
import { onesLike, zerosLike } from '../ops/api/creation.js';
import { makeTensor } from '../ops/create_values.js';
import { sumToShape } from '../ops/api/reduce.js';

export interface TapeOptions {
  /** Allow several gradient() calls (TensorFlow's persistent tape); dispose() it when done. */
  persistent?: boolean;
  /** Trainable variables read inside the tape are watched without watch() (TensorFlow's default). */
  watchAccessedVariables?: boolean;
}

export interface GradientOptions {
  /** Gradient of the target (default: ones). */
  outputGradient?: Tensor;
  /** What an unconnected source gets: null (TensorFlow's NONE, the default) or zeros. */
  unconnected?: 'none' | 'zero';
}

/**
 * Records ops on watched tensors for reverse-mode differentiation (TensorFlow's GradientTape).
 *
 *   const tape = new ef.GradientTape();
 *   tape.watch(x);
 *   const y = tape.record(() => ef.mul(x, x));
 *   const [dx] = tape.gradient(y, [x]);
 *
 * The tape keeps the tensors it recorded alive (dispose() on them is deferred) until it is
 * disposed: after gradient() on a non-persistent tape, or by dispose() / `using`.
 * Tapes nest: while an outer tape records, an inner tape's gradient() ops are recorded by the
 * outer one, which gives gradients of gradients.
 */
export class GradientTape implements OpRecorder, TensorHolder {
  private readonly nodes: RecordedOp[] = [];
  private readonly watched = new Set<number>();
  private readonly held: Tensor[] = [];
  /** Snapshot tensor id → the id of the variable it stands for (see snapshotVariable). */
  private readonly aliases = new Map<number, number>();
  private used = false;
  private disposed = false;
  readonly persistent: boolean;
  readonly watchAccessedVariables: boolean;

  constructor(options: TapeOptions = {}) {
    this.persistent = options.persistent ?? false;
    this.watchAccessedVariables = options.watchAccessedVariables ?? true;
  }

  private key(t: Tensor): number {
    return this.aliases.get(t.id) ?? t.id;
  }

  /** Watches tensors so ops on them are recorded (non-float tensors are never differentiated). */
  watch(...tensors: Tensor[]): void {
    if (this.disposed) throw new OpError('GradientTape', 'watch() after dispose()');
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new OpError('GradientTape.watch', `argument ${i} must be a Tensor, found ${typeof t}`);
      this.watched.add(this.key(t));
    });
  }

  /** Whether ops on `t` are recorded by this tape. */
  watches(t: Tensor): boolean {
    if (t.dtype !== 'float32' || this.disposed) return false;
    return this.watched.has(this.key(t)) || (this.watchAccessedVariables && t instanceof Variable && t.trainable);
  }

  /** @internal called by dispatch */
  recordOp(node: RecordedOp): void {
    if (this.disposed) return;
    this.nodes.push(node);
    for (const t of [...node.inputs, ...node.outputs]) {
      t.tapeHolds++;
      this.held.push(t);
    }
    for (const o of node.outputs) if (o.dtype === 'float32') this.watched.add(o.id);
    engine.liveTapes.add(this);
  }

  /**
   * @internal Variable.assign calls this before changing `v`'s value: the recorded ops that read
   * `v` are pointed at a snapshot of the value they saw, so later gradients use that value.
   */
  snapshotVariable(v: Tensor): void {
    let snap: Tensor | undefined;
    for (const node of this.nodes) {
      const ins = node.inputs as Tensor[];
      for (let i = 0; i < ins.length; i++) {
        if (ins[i] !== v) continue;
        snap ??= engine.snapshotForTape(v);
        ins[i] = snap;
      }
    }
    if (!snap) return;
    let count = 0;
    for (let i = 0; i < this.held.length; i++) {
      if (this.held[i] !== v) continue;
      this.held[i] = snap;
      count++;
    }
    snap.tapeHolds += count;
    for (let i = 0; i < count; i++) engine.releaseHold(v);
    this.aliases.set(snap.id, this.key(v));
  }

  /** Runs `fn` with this tape recording (the tape records only during synchronous code). */
  record<T>(fn: () => T): T {
    if (this.disposed) throw new OpError('GradientTape', 'record() after dispose()');
    if (engine.recorders.includes(this)) return fn();
    engine.recorders.push(this);
    try {
      return fn();
    } finally {
      const i = engine.recorders.lastIndexOf(this);
      if (i >= 0) engine.recorders.splice(i, 1);
    }
  }

  /**
   * d target / d sources (summed over the target's elements, or weighted by `outputGradient`).
   * A source the target does not depend on, or a non-float source, gets null (or zeros with
   * `{unconnected: 'zero'}`). Outer tapes still record, so gradients of gradients work.
   */
  gradient(target: Tensor, source: Tensor, options?: GradientOptions): Tensor | null;
  gradient(target: Tensor, sources: readonly Tensor[], options?: GradientOptions): (Tensor | null)[];
  gradient(target: Tensor, sources: Tensor | readonly Tensor[], options: GradientOptions = {}): Tensor | null | (Tensor | null)[] {
    if (this.disposed) throw new OpError('GradientTape', 'gradient() after dispose() (a non-persistent tape is disposed by its first gradient() call)');
    if (this.used && !this.persistent) throw new OpError('GradientTape', 'gradient() called twice on a non-persistent tape; pass {persistent: true}');
    if (!(target instanceof Tensor)) throw new OpError('gradient', `target must be a Tensor, found ${typeof target}`);
    const single = sources instanceof Tensor;
    const list: readonly Tensor[] = single ? [sources] : sources;
    if (!Array.isArray(list)) throw new OpError('gradient', `sources must be a Tensor or an array of Tensors, found ${typeof sources}`);
    list.forEach((s, i) => {
      if (!(s instanceof Tensor)) throw new OpError('gradient', `sources[${i}] must be a Tensor, found ${typeof s}`);
    });
    const dy = options.outputGradient;
    if (dy && !shapesEqual(dy.shape, target.shape)) {
      throw new OpError('gradient', `outputGradient shape ${fmtShape(dy.shape)} does not match target shape ${fmtShape(target.shape)}`);
    }
    if (dy && dy.dtype !== target.dtype) throw new OpError('gradient', `outputGradient dtype ${dy.dtype} does not match target dtype ${target.dtype}`);
    this.used = true;
    const self = engine.recorders.indexOf(this);
    if (self >= 0) engine.recorders.splice(self, 1);
    engine.backwardDepth++;
    try {
      const result = engine.tidy(() => this.backward(target, list, options));
      return single ? result[0]! : result;
    } finally {
      engine.backwardDepth--;
      if (self >= 0) engine.recorders.splice(self, 0, this);
      if (!this.persistent) this.dispose();
    }
  }

  private backward(target: Tensor, sources: readonly Tensor[], options: GradientOptions): (Tensor | null)[] {
    const key = (t: Tensor) => this.key(t);
    // Only nodes on a path from a watched (float) source to the target matter.
    const fromSources = new Set(sources.filter((s) => this.watches(s)).map(key));
    const forward: boolean[] = this.nodes.map((n) => {
      const reached = n.inputs.some((t) => fromSources.has(key(t)));
      if (reached) for (const o of n.outputs) fromSources.add(key(o));
      return reached;
    });
    const toTarget = new Set([key(target)]);
    const relevant: RecordedOp[] = [];
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const n = this.nodes[i]!;
      if (!forward[i] || !n.outputs.some((o) => toTarget.has(key(o)))) continue;
      relevant.push(n);
      for (const t of n.inputs) toTarget.add(key(t));
    }

    const grads = new Map<number, Tensor>();
    if (fromSources.has(key(target))) grads.set(key(target), options.outputGradient ?? seedGradient(target));
    for (const node of relevant) {
      const got = node.outputs.map((o) => grads.get(key(o)));
      if (got.every((g) => g === undefined)) continue;
      const dys = lazyDys(got, node.outputs);
      const needsGrad = node.inputs.map((x) => x.dtype === 'float32' && fromSources.has(key(x)));
      const hasDy = got.map((g) => g !== undefined && g !== null);
      const dxs = node.def.vjp!({ inputs: node.inputs, outputs: node.outputs, attrs: node.attrs, dys, needsGrad, hasDy });
      node.inputs.forEach((x, i) => {
        let dx = dxs[i];
        const k = key(x);
        if (!dx || x.dtype !== 'float32' || !fromSources.has(k)) return;
        if (!shapesEqual(dx.shape, x.shape)) dx = sumToShape(dx, x.shape);
        const prev = grads.get(k);
        grads.set(k, prev ? add(prev, dx) : dx);
      });
    }
    return sources.map((s) => {
      const g = fromSources.has(key(s)) ? grads.get(key(s)) : undefined;
      if (g) return g;
      return options.unconnected === 'zero' ? zerosLike(s) : null;
    });
  }

  /** Lets go of the tensors saved for backward (those disposed meanwhile are freed now). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const i = engine.recorders.indexOf(this);
    if (i >= 0) engine.recorders.splice(i, 1);
    engine.liveTapes.delete(this);
    const held = this.held.splice(0);
    this.nodes.length = 0;
    this.aliases.clear();
    for (const t of held) engine.releaseHold(t);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

/**
 * The seed dy = 1 for a target; a scalar loss's seed is written from the host (on a GPU backend
 * it stays a host value, so the first steps of backward need no kernel).
 */
function seedGradient(target: Tensor): Tensor {
  if (target.size === 1 && target.dtype === 'float32') return makeTensor(Float32Array.of(1), target.shape, 'float32');
  return onesLike(target);
}

/** The dys of a node: zeros for outputs without a gradient, made only if the vjp reads them. */
function lazyDys(got: readonly (Tensor | undefined)[], outputs: readonly Tensor[]): Tensor[] {
  const dys: Tensor[] = [];
  got.forEach((g, i) => {
    if (g) dys[i] = g;
    else {
      let zeros: Tensor | undefined;
      Object.defineProperty(dys, i, { get: () => (zeros ??= zerosLike(outputs[i]!)), enumerable: true, configurable: true });
    }
  });
  return dys;
}
