/** TensorFlow's CheckpointReader (tf.train.load_checkpoint / NewCheckpointReader). */
import type * as ef from '@eagerflow/core';
import { BundleReader, CheckpointError, indexFileName, type BundleEntry, type BundleReaderOptions } from './bundle.js';
import { latestCheckpoint } from './checkpoint_state.js';
import { rawToTensor, tfDtypeName, type RawTensor, type StorageDType } from './dtypes.js';
import * as gfile from './gfile/index.js';

export interface VariableInfo {
  name: string;
  shape: number[];
  /** Storage dtype in the file ('float32', 'int64', 'float64', ...; a TF name for unsupported ones). */
  dtype: StorageDType | string;
}

/**
 * Reads tensors from a checkpoint prefix (or a directory: its latest checkpoint).
 * Methods are async because files may live on any gfile backend.
 */
export class CheckpointReader {
  private bundle: Promise<BundleReader> | undefined;

  constructor(
    readonly prefix: string,
    private readonly options: BundleReaderOptions = {},
  ) {}

  /** Opens and validates the index now (instead of on first use). */
  static async open(prefix: string, options: BundleReaderOptions = {}): Promise<CheckpointReader> {
    const r = new CheckpointReader(prefix, options);
    await r.reader();
    return r;
  }

  /** @internal */
  reader(): Promise<BundleReader> {
    if (!this.bundle) {
      this.bundle = resolvePrefix(this.prefix).then((p) => BundleReader.open(p, this.options));
      this.bundle.catch(() => {
        this.bundle = undefined;
      });
    }
    return this.bundle;
  }

  /** [{name, shape, dtype}] sorted by name (TF's tf.train.list_variables plus dtype). */
  async listVariables(): Promise<VariableInfo[]> {
    const r = await this.reader();
    return [...r.entries.values()].map(info);
  }

  async hasTensor(name: string): Promise<boolean> {
    return (await this.reader()).has(name);
  }

  /** name → shape (TF's get_variable_to_shape_map). */
  async getVariableToShapeMap(): Promise<Map<string, number[]>> {
    return new Map((await this.listVariables()).map((v) => [v.name, v.shape]));
  }

  async getVariableToDtypeMap(): Promise<Map<string, string>> {
    return new Map((await this.listVariables()).map((v) => [v.name, v.dtype]));
  }

  /**
   * The tensor as an eagerflow tensor. float64/float16/bfloat16 become float32 (float64 loses
   * precision beyond float32), int8/int16/uint8/uint16 become int32, uint32/uint64 become int64.
   * Use getRawTensor for the exact stored values.
   */
  async getTensor(name: string): Promise<ef.Tensor> {
    const raw = await this.getRawTensor(name);
    return rawToTensor(raw, `tensor '${name}' of ${this.prefix}`);
  }

  /** The exact stored values as a typed array (Float64Array for float64, Uint8Array for uint8, ...). */
  async getRawTensor(name: string): Promise<RawTensor> {
    return (await this.reader()).readRaw(name);
  }

  /** @internal */
  async entry(name: string): Promise<BundleEntry> {
    return (await this.reader()).entry(name);
  }

  async close(): Promise<void> {
    if (this.bundle) await (await this.bundle).close();
    this.bundle = undefined;
  }
}

function info(e: BundleEntry): VariableInfo {
  return { name: e.name, shape: [...e.shape], dtype: e.dtype ?? tfDtypeName(e.tfDtype) };
}

/** A prefix, or a directory whose latest checkpoint is used (as TF's load_checkpoint does). */
export async function resolvePrefix(prefixOrDir: string): Promise<string> {
  if (await gfile.exists(indexFileName(prefixOrDir))) return prefixOrDir;
  if ((await gfile.exists(prefixOrDir)) && (await gfile.stat(prefixOrDir)).isDirectory) {
    const latest = await latestCheckpoint(prefixOrDir);
    if (!latest) throw new CheckpointError(`no checkpoint found in directory '${prefixOrDir}' (no usable 'checkpoint' state file)`);
    return latest;
  }
  return prefixOrDir;
}

/** Opens a checkpoint (tf.train.load_checkpoint). */
export const loadCheckpoint = (prefixOrDir: string): Promise<CheckpointReader> => CheckpointReader.open(prefixOrDir);

/** [[name, shape]] of a checkpoint (tf.train.list_variables). */
export async function listVariables(prefixOrDir: string): Promise<[string, number[]][]> {
  const r = await CheckpointReader.open(prefixOrDir);
  try {
    return (await r.listVariables()).map((v) => [v.name, v.shape]);
  } finally {
    await r.close();
  }
}

/** One tensor of a checkpoint (tf.train.load_variable). */
export async function loadVariable(prefixOrDir: string, name: string): Promise<ef.Tensor> {
  const r = await CheckpointReader.open(prefixOrDir);
  try {
    return await r.getTensor(name);
  } finally {
    await r.close();
  }
}
