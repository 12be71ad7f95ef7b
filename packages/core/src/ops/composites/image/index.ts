/**
 * Image ops (TensorFlow's tf.image.*) built from public ops only: no op definitions or kernels of
 * their own, so every backend runs them and gradients come from the ops they are made of
 * (resizes and cropAndResize are gathers plus lerps, differentiable through gather's gradient).
 *
 * Images are HWC (rank 3) or NHWC (rank 4) where TensorFlow accepts both. Integer images are
 * int32 holding uint8 values 0..255 (eagerflow has no uint8 dtype); float images are float32,
 * normally in [0, 1] (convertImageDtype maps between the two with TensorFlow's scaling).
 */
export { flipLeftRight, flipUpDown, transposeImage, randomFlipLeftRight, randomFlipUpDown } from './flip_transpose.js';
export { cropToBoundingBox, padToBoundingBox, centralCrop, resizeImageWithCropOrPad } from './crop_pad.js';
export { convertImageDtype } from './convert_dtype.js';
export { rgbToGrayscale, grayscaleToRgb, rgbToHsv, hsvToRgb } from './color.js';
export { adjustBrightness, adjustContrast, randomBrightness, randomContrast, perImageStandardization, perImageWhitening } from './adjust.js';
export { adjustHue, randomHue, adjustSaturation, randomSaturation } from './hue_saturation.js';
export type { ResizeOptions } from './resize_common.js';
export { resizeBilinear } from './resize_bilinear.js';
export { resizeNearestNeighbor } from './resize_nearest.js';
export { resizeBicubic } from './resize_bicubic.js';
export { resizeArea, type ResizeAreaOptions } from './resize_area.js';
export { resize, resizeImages, type ResizeMethod, type ResizeImagesOptions } from './resize.js';
export { cropAndResize, type CropAndResizeOptions } from './crop_and_resize.js';
export { drawBoundingBoxes } from './draw_bounding_boxes.js';
export { sampleDistortedBoundingBox, type SampleDistortedBoundingBoxOptions, type SampledBoundingBox } from './sample_distorted_bounding_box.js';
