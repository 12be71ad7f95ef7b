export { lenet5, lenet5Body, LeNet5, type LeNet5Options } from './lenet5.js';
export { resnetV1_50, resnetV1_50Body, ResNetV1_50, type ResNetOptions } from './resnet_v1.js';
