/**
 * Module: the base class for layers and models. A module owns one variable scope (its unique
 * name, fixed at construction: 'dense', 'dense_1', …); apply() runs call() in that scope with
 * reuse 'auto', so variables are made on the first call and found on the next ones.
 */
import { absoluteScope, getVariables, scopedName } from '../framework/variable_scope.js';
import { fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import type { Variable } from '../variable.js';

export interface CallOptions {
  training?: boolean;
}

const taken = new Map<string, number>();

function uniqueModuleName(base: string): string {
  const full = scopedName(base);
  const n = taken.get(full) ?? 0;
  taken.set(full, n + 1);
  return n === 0 ? full : `${full}_${n}`;
}

/** CamelCase → snake_case as Keras does ('BatchNormalization' → 'batch_normalization', 'Conv2D' → 'conv2d'). */
export function snakeCase(s: string): string {
  return s.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

export abstract class Module {
  /** The module's variable scope (absolute). */
  readonly scopeName: string;
  /** Output shape of the last call (for summary()). */
  lastOutputShape?: readonly number[];

  constructor(name?: string) {
    this.scopeName = name !== undefined ? scopedName(name) : uniqueModuleName(snakeCase(this.constructor.name));
  }

  get name(): string {
    return this.scopeName;
  }

  /** The computation; make variables with ef.getVariable / functional layers (relative names). */
  abstract call(x: Tensor, options?: CallOptions): Tensor;

  /** Runs call() in the module's scope (reuse 'auto'). */
  apply(x: Tensor, options: CallOptions = {}): Tensor {
    const y = absoluteScope(this.scopeName, { reuse: 'auto' }, () => this.call(x, options));
    this.lastOutputShape = y.shape;
    return y;
  }

  /** Every variable under the module's scope (after the first call). */
  get variables(): Variable[] {
    return getVariables(this.scopeName);
  }

  get trainableVariables(): Variable[] {
    return this.variables.filter((v) => v.trainable);
  }

  get nonTrainableVariables(): Variable[] {
    return this.variables.filter((v) => !v.trainable);
  }

  /** Number of parameters (elements of all variables). */
  countParams(): number {
    return this.variables.reduce((n, v) => n + v.size, 0);
  }

  /** A table of the variables: name, shape, parameters; totals at the end. */
  summary(print: (line: string) => void = console.log): string {
    const rows = this.variables.map((v) => [v.name, fmtShape(v.shape), String(v.size), v.trainable ? '' : '(non-trainable)']);
    const out = this.summaryTable(['Variable', 'Shape', 'Params', ''], rows, 2, this.lastOutputShape ? [`Output shape: ${fmtShape(this.lastOutputShape)}`] : []);
    print(out);
    return out;
  }

  /** The summary layout shared by every container: a column table, then the parameter totals. */
  protected summaryTable(head: string[], rows: string[][], numericColumn: number, trailer: string[] = []): string {
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (r: string[]) => r.map((c, i) => (i === numericColumn ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
    const sep = '-'.repeat(widths.reduce((a, b) => a + b + 2, 0));
    const total = this.countParams();
    const trainable = this.trainableVariables.reduce((n, v) => n + v.size, 0);
    return [
      `Model: ${this.scopeName}`,
      sep,
      line(head),
      sep,
      ...rows.map(line),
      sep,
      `Total params: ${total.toLocaleString('en-US')} (${(total * 4).toLocaleString('en-US')} bytes)`,
      `Trainable params: ${trainable.toLocaleString('en-US')}`,
      `Non-trainable params: ${(total - trainable).toLocaleString('en-US')}`,
      ...trailer,
    ].join('\n');
  }
}
