/** Sequential: modules (or plain functions) applied in order. */
import { OpError, describeValue } from '../errors.js';
import type { Tensor } from '../tensor.js';
import type { Variable } from '../variable.js';
import { Module, type CallOptions } from './module.js';
import { Lambda } from './objects.js';

export type LayerLike = Module | ((x: Tensor, o: CallOptions) => Tensor);

export class Sequential extends Module {
  readonly layers: Module[] = [];

  constructor(layers: readonly LayerLike[] = [], options: { name?: string } = {}) {
    super(options.name);
    for (const l of layers) this.add(l);
  }

  add(layer: LayerLike): this {
    if (!(layer instanceof Module) && typeof layer !== 'function') {
      throw new OpError('Sequential', `layer ${this.layers.length} must be a Module or a function (x, options) => Tensor, found ${describeValue(layer)}`);
    }
    this.layers.push(layer instanceof Module ? layer : new Lambda(layer));
    return this;
  }

  call(x: Tensor, options: CallOptions = {}): Tensor {
    let y = x;
    for (const l of this.layers) y = l.apply(y, options);
    return y;
  }

  /** Layers keep their own scopes, so the model's variables are theirs. */
  override get variables(): Variable[] {
    return [...new Set(this.layers.flatMap((l) => l.variables))];
  }

  override summary(print: (line: string) => void = console.log): string {
    const rows = this.layers.map((l) => [l.scopeName, l.constructor.name, l.lastOutputShape ? `[${l.lastOutputShape.join(',')}]` : '?', String(l.countParams())]);
    const out = this.summaryTable(['Layer', 'Type', 'Output shape', 'Params'], rows, 3);
    print(out);
    return out;
  }
}
