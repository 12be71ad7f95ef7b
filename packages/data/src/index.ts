/**
 * @eagerflow/data: TFRecord files, tf.train.Example, tf.data-style Datasets, TF1 queues and
 * coordinators, IDX (MNIST / Fashion-MNIST) loading and image file codecs. See docs/data.md.
 */
export { DataLossError, OutOfRangeError, CancelledError, InvalidArgumentError, isOutOfRange } from './errors.js';
// One CRC-32C for the whole project lives in @eagerflow/io; re-exported for TFRecord users.
export { crc32c, crc32cExtend, maskCrc, unmaskCrc, maskedCrc32c } from '@eagerflow/io';
export {
  type DataFileSystem,
  type WritableFile,
  type CompressionCodec,
  type Compression,
  type CompressionType,
  nodeFileSystem,
  memoryFileSystem,
  nodeCodec,
  webCodec,
  setFileSystem,
  getFileSystem,
  setCompressionCodec,
  getCompressionCodec,
  globComponentToRegExp,
} from './fs.js';
export {
  TFRecordWriter,
  TFRecordParser,
  readTFRecords,
  encodeTFRecords,
  decodeTFRecords,
  frameRecord,
  type TFRecordReadOptions,
  type TFRecordWriterOptions,
  type TFRecordStats,
  type TFRecordIterable,
} from './tfrecord.js';
export {
  encodeExample,
  decodeExample,
  encodeSequenceExample,
  decodeSequenceExample,
  bytesFeature,
  floatFeature,
  int64Feature,
  featureValues,
  bytesToString,
  toLong,
  type Feature,
  type FeatureInit,
  type Example,
  type ExampleInit,
  type SequenceExample,
  type SequenceExampleInit,
  type Int64Like,
} from './example.js';
export { ProtoError } from '@eagerflow/io';
export {
  FixedLenFeature,
  VarLenFeature,
  FixedLenSequenceFeature,
  parseSingleExample,
  parseExample,
  parseSingleSequenceExample,
  parseSingleExampleHost,
  parseExampleHost,
  parseSingleSequenceExampleHost,
  decodeRaw,
  decodeRawHost,
  RAW_DTYPE,
  type FeatureSpec,
  type SequenceFeatureSpec,
  type FixedLenFeatureSpec,
  type VarLenFeatureSpec,
  type FixedLenSequenceFeatureSpec,
  type FeatureDType,
  type Parsed,
  type ParsedHost,
  type RawType,
} from './parse.js';
export {
  SparseTensor,
  TensorSpec,
  SparseTensorSpec,
  specToString,
  disposeElement,
  type Spec,
  type HostTensor,
  type HostSparse,
  type Element,
} from './structure.js';
export { Dataset } from './dataset.js';
export { DatasetIterator, InitializableIterator, ReinitializableIterator } from './dataset_iterators.js';
export { AUTOTUNE } from './dataset_parallel.js';
export { type MapOptions } from './dataset_map.js';
export { type ShuffleOptions } from './dataset_order.js';
export { type PaddedBatchOptions } from './dataset_batching.js';
export { type TFRecordDatasetOptions } from './dataset_sources.js';
export { CACHE_FORMAT_VERSION, type CacheFileOptions, type CacheSpec } from './cache_file.js';
export { WorkerFunction, workerFunction, workersAvailable } from './worker.js';
export { FIFOQueue, PaddingFIFOQueue, RandomShuffleQueue, type InputSource, type QueueOptions } from './queues.js';
export { Coordinator, CoordinatedThread } from './coordinator.js';
export { QueueRunner, addQueueRunner, queueRunners, clearQueueRunners, startQueueRunners, QUEUE_RUNNERS, type EnqueueOp } from './queue_runner.js';
export { stringInputProducer, rangeInputProducer, sliceInputProducer, type ProducerOptions } from './input_producers.js';
export { batch, shuffleBatch, type BatchOptions } from './queue_batching.js';
export { TFRecordReader, WholeFileReader } from './readers.js';
export {
  readIdx,
  readIdxAsync,
  decodeIdx,
  loadFashionMnist,
  loadMnist,
  idxDataset,
  mnistToDataset,
  IdxError,
  DEFAULT_FASHION_MNIST_DIR,
  type IdxArray,
  type IdxType,
  type MnistData,
  type IdxDatasetOptions,
} from './idx.js';

import { Dataset as DatasetClass } from './dataset.js';
import { getFileSystem as currentFileSystem } from './fs.js';
import { checkPatterns } from './errors.js';
/** TF's tf.data.TFRecordDataset as a free function. */
export const TFRecordDataset = DatasetClass.TFRecordDataset;
/** TF's tf.train.match_filenames_once / tf.io.matching_files (sorted). */
export async function matchFilenamesOnce(pattern: string | readonly string[]): Promise<string[]> {
  const patterns = checkPatterns(pattern, 'matchFilenamesOnce', true);
  const fs = currentFileSystem();
  const out = new Set<string>();
  for (const p of patterns) for (const f of await fs.glob(p)) out.add(f);
  return [...out].sort();
}
export {
  SummaryWriter,
  createFileWriter,
  readEventFile,
  decodeEvent,
  decodeTensorProto,
  scalarValue,
  computeHistogram,
  defaultHistogramBucketLimits,
  DT_FLOAT,
  DT_DOUBLE,
  DT_INT32,
  DT_INT64,
  DT_STRING,
  DATA_CLASS_SCALAR,
  DATA_CLASS_TENSOR,
  DATA_CLASS_BLOB_SEQUENCE,
  type SummaryWriterOptions,
  type SummaryEvent,
  type SummaryValue,
  type SummaryTensor,
  type SummaryHistogram,
  type SummaryImage,
  type SummaryMetadata,
} from './summary.js';
export { traceGraph, encodeGraphDef, decodeGraphDef, type GraphNode } from './graph_summary.js';
// Image files (tf.image.decode_* / encode_*).
export {
  decodeJpeg,
  decodePng,
  decodeImage,
  encodeJpeg,
  encodePng,
  encodePngPixels,
  type ImageBytes,
  type DecodeImageOptions,
  type EncodePngOptions,
  type EncodeJpegOptions,
} from './image_codecs.js';
