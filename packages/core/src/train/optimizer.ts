/**
 * The optimizer base (tf.train.Optimizer, eagerly). Subclasses give the per-variable update as
 * new values; the base computes every new value first, checks them, and only then assigns, so a
 * failed step (shape mismatch, non-finite gradient, kernel error) leaves the variables unchanged.
 * All work happens inside tidy(): a training loop's live-tensor count stays flat.
 */
import { noGrad } from '../autograd/api.js';
import { GradientTape } from '../autograd/tape.js';
import { engine } from '../engine.js';
import { OpError, describeValue, fmtShape } from '../errors.js';
import { cast } from '../ops/api/cast.js';
import { add, mul } from '../ops/api/elementwise.js';
import { fill } from '../ops/api/creation.js';
import { reduceSum } from '../ops/api/reduce.js';
import { concat } from '../ops/api/array_ops.js';
import { reshape } from '../ops/api/shape_ops.js';
import { shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { Variable, trainableVariables, variable } from '../variable.js';

/** A learning rate: a number, a scalar tensor, or a function of nothing (a schedule). */
export type LearningRate = number | Tensor | (() => number | Tensor);
export type GradAndVar = [Tensor | null, Variable];
export type GradsAndVars = GradAndVar[] & { loss?: Tensor };

export interface OptimizerOptions {
  /**
   * Check that the gradients are finite before assigning (one scalar read per step). Default:
   * on when the backend reads synchronously (CPU), off otherwise (a GPU sync per step).
   */
  checkNumerics?: boolean;
  /** Prefix for slot variables (TensorFlow's `name`). */
  name?: string;
}

export interface MinimizeOptions {
  varList?: Variable[];
  /** Incremented by one after the update (tf.train minimize's global_step). */
  globalStep?: Variable;
}

export interface ApplyOptions {
  globalStep?: Variable;
}

/** One pending assignment. */
export type Update = [Variable, Tensor];

export abstract class Optimizer {
  readonly name: string;
  protected readonly checkNumerics: boolean | undefined;
  private readonly slots = new Map<string, Map<Variable, Variable>>();
  private readonly nonSlot = new Map<string, Variable>();

  constructor(name: string, options: OptimizerOptions = {}) {
    this.name = options.name ?? name;
    this.checkNumerics = options.checkNumerics;
  }

  /** Loss and d loss / d var for each variable (null when the loss does not depend on it). */
  computeGradients(lossFn: () => Tensor, options: { varList?: Variable[] } = {}): GradsAndVars {
    if (typeof lossFn !== 'function') throw new OpError('computeGradients', 'pass the loss as a function, e.g. () => ef.losses.meanSquaredError(y, model(x))');
    let vars: Variable[] = [];
    const { loss, grads } = engine.tidy(() => {
      const tape = new GradientTape({ watchAccessedVariables: true });
      if (options.varList) tape.watch(...options.varList);
      let loss: Tensor;
      try {
        loss = tape.record(lossFn);
        if (!(loss instanceof Tensor)) throw new OpError('computeGradients', 'the loss function must return a Tensor');
        if (loss.size !== 1) throw new OpError('computeGradients', `the loss must be a scalar, found shape ${fmtShape(loss.shape)}`);
      } catch (e) {
        tape.dispose(); // let go of the saved tensors, or a failed step would leak them
        throw e;
      }
      vars = options.varList ?? trainableVariables();
      const grads = tape.gradient(loss, vars, { unconnected: 'none' });
      return { loss, grads };
    });
    const out = vars.map((v, i): GradAndVar => [grads[i] ?? null, v]) as GradsAndVars;
    out.loss = loss;
    return out;
  }

  /** Applies the gradients; returns nothing (the variables are updated in place). */
  applyGradients(gradsAndVars: readonly GradAndVar[], options: ApplyOptions = {}): void {
    if (!Array.isArray(gradsAndVars)) throw new OpError('applyGradients', `gradsAndVars must be a list of [gradient, Variable] pairs, found ${describeValue(gradsAndVars)}`);
    // A null (or undefined) gradient is skipped, as TensorFlow skips None.
    const pairs = gradsAndVars.filter(([g]) => g !== null && g !== undefined) as [Tensor, Variable][];
    if (pairs.length === 0) {
      throw new OpError('applyGradients', `no gradients provided for any variable: [${gradsAndVars.map(([, v]) => v.name).join(', ')}]; does the loss depend on them?`);
    }
    const seen = new Set<Variable>();
    for (const [g, v] of pairs) {
      if (!(v instanceof Variable)) throw new OpError('applyGradients', 'each pair must be [gradient, Variable]');
      if (v.released) throw new OpError('applyGradients', `variable '${v.name}' was disposed`);
      if (!(g instanceof Tensor)) throw new OpError('applyGradients', `the gradient of '${v.name}' must be a Tensor or null, found ${describeValue(g)}`);
      if (g.released) throw new OpError('applyGradients', `the gradient of '${v.name}' was disposed`);
      if (seen.has(v)) throw new OpError('applyGradients', `variable '${v.name}' appears twice`);
      seen.add(v);
      if (!shapesEqual(g.shape, v.shape)) throw new OpError('applyGradients', `gradient of '${v.name}' has shape ${fmtShape(g.shape)}, variable has shape ${fmtShape(v.shape)}`);
      if (v.dtype !== 'float32' || g.dtype !== 'float32') throw new OpError('applyGradients', `variable '${v.name}' and its gradient must be float32 (found ${v.dtype}, ${g.dtype})`);
    }
    if (options.globalStep?.released) throw new OpError('applyGradients', 'globalStep was disposed');
    if (options.globalStep?.dtype === 'int64') {
      throw new OpError(
        'applyGradients',
        `globalStep '${options.globalStep.name}' is int64, which has no math here; use the int32 ef.train.getOrCreateGlobalStep() ` +
          `(a TensorFlow checkpoint's int64 global_step restores into it with io.Saver#restore(path, {allowDtypeConversion: true}))`,
      );
    }
    engine.tidy(() =>
      noGrad(() => {
        this.createSlots(pairs.map(([, v]) => v));
        if (this.shouldCheck(pairs[0]![0])) this.assertFinite(pairs);
        const lr = this.learningRateTensor();
        const updates: Update[] = [];
        for (const [g, v] of pairs) updates.push(...this.applyDense(g, v, lr));
        updates.push(...this.finish(lr));
        const gs = options.globalStep;
        if (gs) updates.push([gs, add(gs, 1)]);
        for (const [target, value] of updates) {
          if (!shapesEqual(target.shape, value.shape) || target.dtype !== value.dtype) {
            throw new OpError('applyGradients', `internal: update of '${target.name}' has shape ${fmtShape(value.shape)} ${value.dtype}`);
          }
        }
        for (const [target, value] of updates) target.assign(value);
      }),
    );
  }

  /** computeGradients + applyGradients; returns the loss (a scalar the caller owns). */
  minimize(lossFn: () => Tensor, options: MinimizeOptions = {}): Tensor {
    return engine.tidy(() => {
      const gv = this.computeGradients(lossFn, { varList: options.varList });
      this.applyGradients(gv, { globalStep: options.globalStep });
      return gv.loss!;
    });
  }

  /** Creates the slot (and non-slot) variables for `vars` now, e.g. before restoring a checkpoint. */
  build(vars: readonly Variable[] = trainableVariables()): void {
    this.createSlots([...vars]);
  }

  /** The slot variable `name` of `v` (e.g. getSlot(w, 'm') → 'w/Adam'). */
  getSlot(v: Variable, name: string): Variable | undefined {
    return this.slots.get(name)?.get(v);
  }

  getSlotNames(): string[] {
    return [...this.slots.keys()];
  }

  /** Every variable the optimizer made (slots and non-slot variables such as beta1_power). */
  variables(): Variable[] {
    const out: Variable[] = [...this.nonSlot.values()];
    for (const m of this.slots.values()) out.push(...m.values());
    return out.filter((v) => !v.released);
  }

  /** Disposes the optimizer's variables. */
  dispose(): void {
    for (const v of this.variables()) v.dispose();
    this.slots.clear();
    this.nonSlot.clear();
  }

  // ---- for subclasses ---------------------------------------------------------------------

  protected abstract learningRateTensor(): Tensor;
  /** New values for `v` and its slots. */
  protected abstract applyDense(grad: Tensor, v: Variable, lr: Tensor): Update[];
  /** Slots for every variable; called before each step (create only what is missing). */
  protected abstract createSlots(vars: Variable[]): void;
  /** Updates after all variables (Adam's beta powers). */
  protected finish(_lr: Tensor): Update[] {
    return [];
  }

  /** Makes `v/<name>` (TensorFlow's slot naming; '_1', '_2' … for later slots). */
  protected slotFor(v: Variable, slotName: string, init: number): Variable {
    let m = this.slots.get(slotName);
    if (!m) this.slots.set(slotName, (m = new Map()));
    let s = m.get(v);
    if (!s || s.released) {
      s = engine.tidy(() => variable(fill(v.shape, init, v.dtype), { name: `${v.name}/${this.name}`, trainable: false }));
      m.set(v, s);
    }
    return s;
  }

  protected nonSlotVariable(name: string, init: number): Variable {
    let s = this.nonSlot.get(name);
    if (!s || s.released) {
      s = engine.tidy(() => variable(fill([], init, 'float32'), { name, trainable: false }));
      this.nonSlot.set(name, s);
    }
    return s;
  }

  protected resolve(lr: LearningRate, what = 'learning rate'): Tensor {
    const value = typeof lr === 'function' ? lr() : lr;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new OpError(this.name, `${what} must be finite, found ${value}`);
      return fill([], value, 'float32');
    }
    if (!(value instanceof Tensor)) throw new OpError(this.name, `${what} must be a number, a scalar Tensor or a function returning one, found ${describeValue(value)}`);
    if (value.size !== 1) throw new OpError(this.name, `${what} must be a scalar, found shape ${fmtShape(value.shape)}`);
    // TensorFlow casts the learning rate to the variables' dtype.
    if (value.dtype === 'int32' || value.dtype === 'int64') return cast(value, 'float32');
    if (value.dtype !== 'float32') throw new OpError(this.name, `${what} must be float32 (or an integer type), found ${value.dtype}`);
    return value;
  }

  private shouldCheck(sample: Tensor): boolean {
    return this.checkNumerics ?? typeof sample.backend.readSync === 'function';
  }

  private assertFinite(pairs: [Tensor, Variable][]): void {
    // Σ g·0 is 0 when every element is finite and NaN otherwise (no overflow false alarms).
    // One pass over all gradients (concat of the flat views: 3 ops, not 3 per variable) and one
    // read per step; only a failed check looks at the variables one by one to name them.
    const flat = pairs.length === 1 ? reshape(pairs[0]![0], [-1]) : concat(pairs.map(([g]) => reshape(g, [-1])), 0);
    if (Number(reduceSum(mul(flat, 0)).dataSync()[0]) === 0) return;
    const bad = pairs.filter(([g]) => Number(reduceSum(mul(g, 0)).dataSync()[0]) !== 0).map(([, v]) => v.name);
    throw new OpError('applyGradients', `non-finite gradient (NaN or Inf) for [${bad.join(', ')}]; no variable was changed`);
  }
}

/** lr · x as a tensor helper. */
export const scaled = (lr: Tensor, x: Tensor): Tensor => mul(lr, x);
