/**
 * IDX files (MNIST, Fashion-MNIST; formats.md §6): big-endian header `0 0 type ndim`, ndim u32 BE
 * sizes, then C-order data. Gzip-compressed files (the usual `.gz` downloads) are inflated first.
 */
import type { DType, Tensor } from '@eagerflow/core';
import { Dataset } from './dataset.js';
import { describeValue, InvalidArgumentError } from './errors.js';
import { concatBytes, getCompressionCodec, getFileSystem, type DataFileSystem } from './fs.js';

export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
const TYPES: Record<number, { type: IdxType; size: number }> = {
  0x08: { type: 'uint8', size: 1 },
  0x09: { type: 'int8', size: 1 },
  0x0b: { type: 'int16', size: 2 },
  0x0c: { type: 'int32', size: 4 },
  0x0d: { type: 'float32', size: 4 },
  0x0e: { type: 'float64', size: 8 },
};

export interface IdxArray {
  shape: number[];
  /** Element type stored in the file. */
  dtype: IdxType;
  /** Values in native typed arrays (uint8 stays a Uint8Array view of the file bytes). */
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

export class IdxError extends Error {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
    this.name = 'IdxError';
  }
}

/** Decodes an IDX image held in memory (already inflated). */
export function decodeIdx(bytes: Uint8Array, file = '<memory>'): IdxArray {
  if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError(`decodeIdx: bytes must be a Uint8Array (an IDX file's contents, inflated); found ${describeValue(bytes)}`);
  if (typeof file !== 'string') throw new InvalidArgumentError(`decodeIdx: file must be a string (a name for messages); found ${describeValue(file)}`);
  if (bytes.length < 4) throw new IdxError(`${file}: not an IDX file (${bytes.length} bytes; the header needs at least 4)`, file);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const hint = bytes[0] === 0x1f && bytes[1] === 0x8b ? ' (it is gzip-compressed; readIdx inflates .gz files, or pass {gzip: true})' : '';
    throw new IdxError(`${file}: bad IDX magic ${[...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}: the first two bytes must be 0${hint}`, file);
  }
  const t = TYPES[bytes[2]!];
  if (!t) throw new IdxError(`${file}: unknown IDX element type 0x${bytes[2]!.toString(16)}`, file);
  const ndim = bytes[3]!;
  const header = 4 + 4 * ndim;
  if (bytes.length < header) throw new IdxError(`${file}: truncated IDX header (${ndim} dimensions need ${header} bytes, the file has ${bytes.length})`, file);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < ndim; i++) shape.push(dv.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const need = header + count * t.size;
  if (bytes.length < need) throw new IdxError(`${file}: truncated IDX data: shape [${shape}] of ${t.type} needs ${need} bytes, the file has ${bytes.length}`, file);
  if (bytes.length > need) throw new IdxError(`${file}: ${bytes.length - need} unexpected bytes after the IDX data (shape [${shape}] of ${t.type})`, file);
  let data: IdxArray['data'];
  switch (t.type) {
    case 'uint8':
      data = bytes.subarray(header, need);
      break;
    case 'int8':
      data = new Int8Array(bytes.buffer, bytes.byteOffset + header, count);
      break;
    case 'int16':
      data = Int16Array.from({ length: count }, (_, i) => dv.getInt16(header + 2 * i, false));
      break;
    case 'int32':
      data = Int32Array.from({ length: count }, (_, i) => dv.getInt32(header + 4 * i, false));
      break;
    case 'float32':
      data = Float32Array.from({ length: count }, (_, i) => dv.getFloat32(header + 4 * i, false));
      break;
    case 'float64':
      data = Float64Array.from({ length: count }, (_, i) => dv.getFloat64(header + 8 * i, false));
      break;
  }
  return { shape, dtype: t.type, data };
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export interface IdxReadOptions {
  /** Force gzip on/off; by default detected from the magic bytes 1f 8b. */
  gzip?: boolean;
  fs?: DataFileSystem;
}

const INSTALL_HINT = 'install the data with `apt-get install dataset-fashion-mnist` (files in /usr/share/datasets/fashion-mnist) or point to a directory holding them with --data-dir';

/** Reads an IDX file (plain or gzip) synchronously (Node, or an injected fs with readFileSync). */
export function readIdx(path: string, options: IdxReadOptions = {}): IdxArray {
  const fs = options.fs ?? getFileSystem();
  if (!fs.readFileSync) throw new Error('readIdx: the installed file system has no readFileSync; use readIdxAsync');
  if (fs.existsSync && !fs.existsSync(path)) throw new IdxError(`${path}: no such file`, path);
  return decodeIdxBytes(fs.readFileSync(path), path, options);
}

/** Reads an IDX file (plain or gzip) through the async file system. */
export async function readIdxAsync(path: string, options: IdxReadOptions = {}): Promise<IdxArray> {
  const fs = options.fs ?? getFileSystem();
  if (!(await fs.exists(path))) throw new IdxError(`${path}: no such file`, path);
  const bytes = await fs.readFile(path);
  const codec = getCompressionCodec();
  if (codec.decompressSync || !(options.gzip ?? isGzip(bytes))) return decodeIdxBytes(bytes, path, options);
  const parts: Uint8Array[] = [];
  try {
    for await (const c of codec.decompress('GZIP', (async function* () {
      yield bytes;
    })()))
      parts.push(c);
  } catch (e) {
    throw corruptGzip(path, e);
  }
  return decodeIdx(concatBytes(parts), path);
}

const corruptGzip = (path: string, e: unknown): IdxError => new IdxError(`${path}: gzip data is corrupt: ${(e as Error).message}`, path);

function decodeIdxBytes(raw: Uint8Array, path: string, options: IdxReadOptions): IdxArray {
  let bytes = raw;
  if (options.gzip ?? isGzip(bytes)) {
    const codec = getCompressionCodec();
    if (!codec.decompressSync) throw new Error('readIdx: the compression codec cannot inflate synchronously; use readIdxAsync');
    try {
      bytes = codec.decompressSync('GZIP', bytes);
    } catch (e) {
      throw corruptGzip(path, e);
    }
  }
  return decodeIdx(bytes, path);
}

export interface MnistData {
  /** N·rows·cols pixels, 0 = background; row-major per image. */
  images: Uint8Array;
  /** N labels 0..9. */
  labels: Uint8Array;
  count: number;
  rows: number;
  cols: number;
}

export const DEFAULT_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

function splitFiles(dir: string, split: 'train' | 'test'): { images: string[]; labels: string[] } {
  const prefix = split === 'train' ? 'train' : 't10k';
  const base = dir.replace(/\/+$/, '');
  return {
    images: [`${base}/${prefix}-images-idx3-ubyte.gz`, `${base}/${prefix}-images-idx3-ubyte`],
    labels: [`${base}/${prefix}-labels-idx1-ubyte.gz`, `${base}/${prefix}-labels-idx1-ubyte`],
  };
}

function firstExisting(paths: string[], fs: DataFileSystem, what: string, dir: string): string {
  for (const p of paths) if (fs.existsSync ? fs.existsSync(p) : true) return p;
  throw new IdxError(`Fashion-MNIST ${what} not found: looked for ${paths.join(' and ')} in ${dir}; ${INSTALL_HINT}`, paths[0]!);
}

/**
 * Loads MNIST-format image/label files (Fashion-MNIST by default) synchronously. Looks for
 * `{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]` in `dir`.
 */
export function loadFashionMnist(dir: string = DEFAULT_FASHION_MNIST_DIR, options: { split?: 'train' | 'test'; fs?: DataFileSystem } = {}): MnistData {
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'test') throw new Error(`loadFashionMnist: split must be 'train' or 'test'; found ${JSON.stringify(split)}`);
  const fs = options.fs ?? getFileSystem();
  const files = splitFiles(dir, split);
  const imgPath = firstExisting(files.images, fs, `${split} images`, dir);
  const lblPath = firstExisting(files.labels, fs, `${split} labels`, dir);
  const img = readIdx(imgPath, { fs });
  const lbl = readIdx(lblPath, { fs });
  if (img.dtype !== 'uint8' || img.shape.length !== 3) throw new IdxError(`${imgPath}: expected uint8 images of shape [N, rows, cols], found ${img.dtype} [${img.shape}]`, imgPath);
  if (lbl.dtype !== 'uint8' || lbl.shape.length !== 1) throw new IdxError(`${lblPath}: expected uint8 labels of shape [N], found ${lbl.dtype} [${lbl.shape}]`, lblPath);
  if (img.shape[0] !== lbl.shape[0]) throw new IdxError(`${imgPath} has ${img.shape[0]} images but ${lblPath} has ${lbl.shape[0]} labels`, imgPath);
  for (let i = 0; i < lbl.data.length; i++) {
    if (lbl.data[i]! > 9) throw new IdxError(`${lblPath}: label ${i} is ${lbl.data[i]}, expected 0..9`, lblPath);
  }
  return { images: img.data as Uint8Array, labels: lbl.data as Uint8Array, count: img.shape[0]!, rows: img.shape[1]!, cols: img.shape[2]! };
}

/** Alias for MNIST itself (same file names). */
export const loadMnist = loadFashionMnist;

export interface IdxDatasetOptions {
  split?: 'train' | 'test';
  /** 'float32' scales pixels to [0, 1]; 'int32' keeps 0..255 (default float32). */
  imageDtype?: 'float32' | 'int32';
  /** Flatten images to [rows·cols] instead of [rows, cols, 1]. */
  flatten?: boolean;
  fs?: DataFileSystem;
}

/**
 * MNIST-format files as a Dataset of {image, label}: image float32 [rows, cols, 1] in [0, 1] (or
 * flattened / int32), label int32 scalar.
 */
export function idxDataset(dir: string = DEFAULT_FASHION_MNIST_DIR, options: IdxDatasetOptions = {}): Dataset<{ image: Tensor; label: Tensor }> {
  const m = loadFashionMnist(dir, { split: options.split, fs: options.fs });
  return mnistToDataset(m, options);
}

/** Dataset of {image, label} from loaded MNIST arrays. */
export function mnistToDataset(m: MnistData, options: Omit<IdxDatasetOptions, 'split' | 'fs'> = {}): Dataset<{ image: Tensor; label: Tensor }> {
  checkMnistData(m);
  if (options.imageDtype !== undefined && options.imageDtype !== 'float32' && options.imageDtype !== 'int32') {
    throw new InvalidArgumentError(`mnistToDataset: options.imageDtype must be 'float32' or 'int32'; found ${describeValue(options.imageDtype)}`);
  }
  const px = m.rows * m.cols;
  const dtype: DType = options.imageDtype ?? 'float32';
  const shape = options.flatten ? [px] : [m.rows, m.cols, 1];
  const images = dtype === 'float32' ? new Float32Array(m.images.length) : new Int32Array(m.images.length);
  const scale = dtype === 'float32' ? 1 / 255 : 1;
  const src = m.images;
  for (let i = 0; i < src.length; i++) images[i] = src[i]! * scale;
  return Dataset.fromHostSlices<{ image: Tensor; label: Tensor }>({
    image: { dtype, shape: [m.count, ...shape], values: images },
    label: { dtype: 'int32', shape: [m.count], values: new Int32Array(m.labels) },
  });
}

/** `m` has MnistData's fields with consistent sizes, or an error naming mnistToDataset. */
function checkMnistData(m: MnistData): void {
  const what = 'mnistToDataset: m must be MnistData {images, labels, count, rows, cols} (e.g. from loadMnist)';
  if (typeof m !== 'object' || m === null) throw new InvalidArgumentError(`${what}; found ${describeValue(m)}`);
  for (const k of ['images', 'labels'] as const) {
    if (!(m[k] instanceof Uint8Array)) throw new InvalidArgumentError(`${what}: m.${k} must be a Uint8Array; found ${describeValue(m[k])}`);
  }
  for (const k of ['count', 'rows', 'cols'] as const) {
    if (!Number.isInteger(m[k]) || m[k] < 0) throw new InvalidArgumentError(`${what}: m.${k} must be a non-negative integer; found ${describeValue(m[k])}`);
  }
  if (m.images.length !== m.count * m.rows * m.cols || m.labels.length !== m.count) {
    throw new InvalidArgumentError(`${what}: count·rows·cols = ${m.count}·${m.rows}·${m.cols} needs ${m.count * m.rows * m.cols} pixels and ${m.count} labels; found ${m.images.length} and ${m.labels.length}`);
  }
}
