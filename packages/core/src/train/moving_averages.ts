/**
 * tf.train.ExponentialMovingAverage, eagerly. Shadow variables are named
 * 'v/ExponentialMovingAverage', start at the variable's value, and follow
 *   shadow -= (1 − decay) · (shadow − v),  decay = min(decay, (1 + n)/(10 + n)) when numUpdates n is given.
 */
import { noGrad } from '../autograd/api.js';
import { engine } from '../engine.js';
import { OpError } from '../errors.js';
import { GraphKeys, addToCollection, getCollection } from '../framework/collections.js';
import { cast } from '../ops/api/cast.js';
import { fill } from '../ops/api/creation.js';
import { add, div, minimum, mul, sub } from '../ops/api/elementwise.js';
import { Tensor } from '../tensor.js';
import { Variable, globalVariables, trainableVariables, variable } from '../variable.js';

export interface EMAOptions {
  /** The update count (usually the global step): a variable, tensor, number or function. */
  numUpdates?: Tensor | number | (() => Tensor | number);
  name?: string;
}

export class ExponentialMovingAverage {
  readonly name: string;
  private readonly shadows = new Map<Variable, Variable>();

  constructor(
    readonly decay: number,
    private readonly options: EMAOptions = {},
  ) {
    if (!(decay >= 0 && decay <= 1)) throw new OpError('ExponentialMovingAverage', `decay must be in [0, 1], found ${decay}`);
    this.name = options.name ?? 'ExponentialMovingAverage';
  }

  /** The decay used by the next apply() (a scalar tensor). */
  decayTensor(): Tensor {
    const nu = this.options.numUpdates;
    if (nu === undefined) return fill([], this.decay);
    const n0 = typeof nu === 'function' ? nu() : nu;
    const n = typeof n0 === 'number' ? fill([], n0) : cast(n0, 'float32');
    return minimum(this.decay, div(add(n, 1), add(n, 10)));
  }

  /** Creates missing shadows (equal to the variable) and updates all of `vars`' shadows. */
  apply(vars: readonly Variable[] = trainableVariables()): void {
    for (const v of vars) {
      if (!(v instanceof Variable)) throw new OpError('ExponentialMovingAverage.apply', 'expects variables');
      if (v.dtype !== 'float32') throw new OpError('ExponentialMovingAverage.apply', `variable '${v.name}' must be float32, found ${v.dtype}`);
    }
    const fresh = vars.filter((v) => !this.shadows.has(v) || this.shadows.get(v)!.released);
    for (const v of fresh) {
      // Storage is immutable (assign repoints), so the shadow can start by sharing v's value.
      this.shadows.set(v, variable(v, { name: this.averageName(v), trainable: false }));
      if (!getCollection(GraphKeys.MOVING_AVERAGE_VARIABLES).includes(v)) addToCollection(GraphKeys.MOVING_AVERAGE_VARIABLES, v);
    }
    engine.tidy(() =>
      noGrad(() => {
        const oneMinus = sub(1, this.decayTensor());
        const updates = vars.map((v): [Variable, Tensor] => {
          const s = this.shadows.get(v)!;
          return [s, sub(s, mul(oneMinus, sub(s, v)))];
        });
        for (const [s, value] of updates) s.assign(value);
      }),
    );
  }

  /** The shadow variable of `v` (undefined before apply()). */
  average(v: Variable): Variable | undefined {
    const s = this.shadows.get(v);
    return s && !s.released ? s : undefined;
  }

  /** 'v/ExponentialMovingAverage'. */
  averageName(v: Variable): string {
    return `${v.name}/${this.name}`;
  }

  /** Every shadow variable. */
  variables(): Variable[] {
    return [...this.shadows.values()].filter((s) => !s.released);
  }

  /**
   * Checkpoint name → variable to load into (TensorFlow's variables_to_restore): averaged
   * variables are read from their shadow's name; every other global variable from its own.
   */
  variablesToRestore(movingAvgVariables?: readonly Variable[]): Record<string, Variable> {
    const avg = movingAvgVariables ?? [...trainableVariables(), ...getCollection<Variable>(GraphKeys.MOVING_AVERAGE_VARIABLES)];
    const map: Record<string, Variable> = {};
    const avgNames = new Set<string>();
    for (const v of avg) {
      map[this.averageName(v)] = v;
      avgNames.add(v.name);
    }
    for (const v of globalVariables()) if (!avgNames.has(v.name) && !(v.name in map)) map[v.name] = v;
    return map;
  }

  /**
   * Runs `fn` with each averaged variable holding its shadow value, then puts the trained
   * values back (also when fn throws; after the promise settles when fn is async).
   */
  withAverages<T>(fn: () => T, vars?: readonly Variable[]): T {
    const targets = (vars ?? [...this.shadows.keys()]).filter((v) => this.average(v) && !v.released);
    const backups = targets.map((v) => engine.keep(engine.makeTensor(v.shape, v.dtype, v.storage, v.backend)));
    for (const v of targets) v.assign(this.shadows.get(v)!);
    const restore = () => {
      targets.forEach((v, i) => {
        if (!v.released) v.assign(backups[i]!);
        backups[i]!.dispose();
      });
    };
    let out: T;
    try {
      out = fn();
    } catch (e) {
      restore();
      throw e;
    }
    if (out instanceof Promise) return out.finally(restore) as T;
    restore();
    return out;
  }

  dispose(): void {
    for (const s of this.variables()) s.dispose();
    this.shadows.clear();
  }
}
