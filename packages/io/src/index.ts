/**
 * @eagerflow/io: TensorFlow-compatible checkpoints (TensorBundle V2), Saver, safetensors and
 * gfile file systems (local, mem://, indexeddb://, http(s)://). See docs/io.md.
 */
export * as gfile from './gfile/index.js';
export { GFile, FastGFile, type GFileMode } from './gfile/index.js';
export { describeValue } from './gfile/types.js';
export { crc32c, crc32cExtend, maskCrc, unmaskCrc, maskedCrc32c } from './crc32c.js';
export { crc32cOffThread, setCrcWorkers, shutdownCrcWorkers, OFF_THREAD_MIN_BYTES } from './crc_pool.js';
export { snappyDecompress, snappyUncompressedLength, SnappyError } from './snappy.js';
export { ProtoReader, ProtoWriter, ProtoError, readMessage, WIRE_VARINT, WIRE_I64, WIRE_LEN, WIRE_I32 } from './proto.js';
export { TableReader, TableBuilder, TableError, type BlockHandle, type TableBuilderOptions } from './table.js';
export {
  BundleReader,
  BundleWriter,
  CheckpointError,
  saveTensors,
  dataFileName,
  indexFileName,
  encodeEntry,
  encodeHeader,
  encodeStrings,
  parseEntry,
  parseHeader,
  type BundleEntry,
  type BundleHeader,
  type BundleReaderOptions,
  type BundleWriterOptions,
} from './bundle.js';
export {
  TF_DTYPE,
  dtypeFromTF,
  tfDtypeName,
  coreDtypeFor,
  rawToTensor,
  toRaw,
  toLongs,
  halfToFloat,
  floatToHalf,
  type StorageDType,
  type RawTensor,
  type RawValues,
  type TensorInput,
} from './dtypes.js';
export { CheckpointReader, loadCheckpoint, listVariables, loadVariable, resolvePrefix, type VariableInfo } from './checkpoint_reader.js';
export {
  getCheckpointState,
  latestCheckpoint,
  updateCheckpointState,
  parseCheckpointState,
  formatCheckpointState,
  type CheckpointState,
} from './checkpoint_state.js';
export {
  Saver,
  initFromCheckpoint,
  getVariablesToRestore,
  variablesByName,
  removeCheckpoint,
  checkpointExists,
  type SaverOptions,
  type SaveOptions,
  type RestoreOptions,
  type AssignmentTarget,
} from './saver.js';
export {
  saveSafetensors,
  loadSafetensors,
  loadSafetensorsRaw,
  serializeSafetensors,
  parseSafetensors,
  SafetensorsError,
  type RawSafetensors,
  type SafetensorsInfo,
} from './safetensors.js';
