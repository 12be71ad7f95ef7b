/** Object layers (Keras-style classes over the functional bodies). Variables are made on the first apply(). */
import type { Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import type { Initializer } from '../initializers/initializers.js';
import type { Regularizer } from '../regularizers/regularizers.js';
import { activate, type Activation } from './activations.js';
import * as F from './functional.js';
import { Module, type CallOptions } from './module.js';

type NoName<T> = Omit<T, 'name' | 'reuse'> & { name?: string };

export class Dense extends Module {
  constructor(
    readonly units: number,
    readonly options: NoName<F.DenseOptions> = {},
  ) {
    super(options.name);
  }
  call(x: Tensor): Tensor {
    return F.denseBody(x, this.units, this.options);
  }
}

export class Conv2D extends Module {
  constructor(
    readonly filters: number,
    readonly kernelSize: number | readonly number[],
    readonly options: NoName<F.Conv2DOptions> = {},
  ) {
    super(options.name);
  }
  call(x: Tensor): Tensor {
    return F.conv2dBody(x, this.filters, this.kernelSize, this.options);
  }
}

/** The pooling layers' shared arguments (window, strides defaulting to it, padding and name). */
abstract class Pooling2D extends Module {
  constructor(
    readonly poolSize: number | readonly number[] = 2,
    readonly strides: number | readonly number[] = poolSize,
    readonly options: F.PoolOptions = {},
  ) {
    super(options.name);
  }
}

export class MaxPooling2D extends Pooling2D {
  call(x: Tensor): Tensor {
    return F.maxPooling2d(x, this.poolSize, this.strides, this.options);
  }
}

export class AveragePooling2D extends Pooling2D {
  call(x: Tensor): Tensor {
    return F.averagePooling2d(x, this.poolSize, this.strides, this.options);
  }
}

export class BatchNormalization extends Module {
  constructor(readonly options: NoName<Omit<F.BatchNormOptions, 'training'>> = {}) {
    super(options.name);
  }
  call(x: Tensor, o: CallOptions = {}): Tensor {
    return F.batchNormBody(x, { ...this.options, training: o.training ?? false });
  }
}

export class Dropout extends Module {
  constructor(
    readonly rate = 0.5,
    readonly options: { noiseShape?: Shape; seed?: number; name?: string } = {},
  ) {
    super(options.name);
  }
  call(x: Tensor, o: CallOptions = {}): Tensor {
    return F.dropout(x, { rate: this.rate, noiseShape: this.options.noiseShape, seed: this.options.seed, training: o.training });
  }
}

export class Flatten extends Module {
  constructor(options: { name?: string } = {}) {
    super(options.name);
  }
  call(x: Tensor): Tensor {
    return F.flatten(x);
  }
}

export class Embedding extends Module {
  constructor(
    readonly inputDim: number,
    readonly outputDim: number,
    readonly options: { initializer?: Initializer; regularizer?: Regularizer; trainable?: boolean; name?: string } = {},
  ) {
    super(options.name);
  }
  call(ids: Tensor): Tensor {
    return F.embeddingBody(ids, this.inputDim, this.outputDim, this.options);
  }
}

/** A function as a layer (e.g. an activation). */
export class Lambda extends Module {
  constructor(
    readonly fn: (x: Tensor, o: CallOptions) => Tensor,
    options: { name?: string } = {},
  ) {
    super(options.name);
  }
  call(x: Tensor, o: CallOptions = {}): Tensor {
    return this.fn(x, o);
  }
}

export class Activate extends Module {
  constructor(
    readonly activation: Activation,
    options: { name?: string } = {},
  ) {
    super(options.name);
  }
  call(x: Tensor): Tensor {
    return activate(x, this.activation);
  }
}
