/** ef.layers: functional (tf.layers) and object (Keras-style) layers, Module and Sequential. */
export { dense, conv2d, maxPooling2d, averagePooling2d, batchNormalization, dropout, flatten, embedding, embeddingLookup } from './functional.js';
export type { DenseOptions, Conv2DOptions, PoolOptions, BatchNormOptions, DropoutOptions, EmbeddingOptions, LayerCommon } from './functional.js';
export { Dense, Conv2D, MaxPooling2D, AveragePooling2D, BatchNormalization, Dropout, Flatten, Embedding, Lambda, Activate } from './objects.js';
export { Module, type CallOptions } from './module.js';
export { Sequential, type LayerLike } from './sequential.js';
export { activate, type Activation } from './activations.js';
