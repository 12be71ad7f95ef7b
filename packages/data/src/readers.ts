/**
 * TF1's readers over a filename queue: TFRecordReader (one record per read) and WholeFileReader (one
 * whole file per read).
 */
import * as ef from '@eagerflow/core';
import type { Tensor } from '@eagerflow/core';
import { gfile } from '@eagerflow/io';
import { checkPositive, describeValue, InvalidArgumentError, OutOfRangeError } from './errors.js';
import type { InputSource } from './queues.js';
import { isTensor } from './structure.js';
import { readTFRecords, type TFRecordReadOptions } from './tfrecord.js';

/**
 * TF1's tf.TFRecordReader: `read(filenameQueue)` returns the next record as {key, value}, taking the
 * next file name from the queue when the current file is done (key is "file:recordIndex").
 * When the queue is closed and drained it throws OutOfRangeError.
 */
export class TFRecordReader {
  private current: { name: string; it: AsyncIterator<Uint8Array>; index: number } | undefined;
  constructor(private readonly options: TFRecordReadOptions = {}) {}

  async read(filenameQueue: InputSource<unknown>): Promise<{ key: string; value: Uint8Array }> {
    for (;;) {
      if (!this.current) {
        const name = await nextFileName(filenameQueue);
        this.current = { name, it: readTFRecords(name, this.options)[Symbol.asyncIterator](), index: 0 };
      }
      const r = await this.current.it.next();
      if (!r.done) return { key: `${this.current.name}:${this.current.index++}`, value: r.value };
      this.current = undefined;
    }
  }

  /** Up to `n` records (fewer only at the end of all input). */
  readUpTo(filenameQueue: InputSource<unknown>, n: number): Promise<{ keys: string[]; values: Uint8Array[] }> {
    return readUpTo(() => this.read(filenameQueue), n);
  }

  /** Records produced so far from the current file. */
  get numRecordsProduced(): number {
    return this.current?.index ?? 0;
  }
}

/**
 * A reader's read_up_to: up to `n` records (fewer only at the end of all input); on another error
 * the records read so far are handed to `release` and the error is rethrown.
 */
async function readUpTo<V>(read: () => Promise<{ key: string; value: V }>, n: number, release: (values: V[]) => void = () => {}): Promise<{ keys: string[]; values: V[] }> {
  checkPositive(n, 'readUpTo', 'numRecords');
  const keys: string[] = [];
  const values: V[] = [];
  while (keys.length < n) {
    try {
      const { key, value } = await read();
      keys.push(key);
      values.push(value);
    } catch (e) {
      if (e instanceof OutOfRangeError && keys.length) break;
      release(values);
      throw e;
    }
  }
  return { keys, values };
}

/** The next file name from a filename queue (a scalar string tensor or a JS string). */
async function nextFileName(filenameQueue: InputSource<unknown>): Promise<string> {
  if (typeof filenameQueue?.dequeue !== 'function') throw new InvalidArgumentError(`reader.read: filenameQueue must be a queue (with dequeue()), e.g. stringInputProducer(files); found ${describeValue(filenameQueue)}`);
  const f = await filenameQueue.dequeue();
  if (!isTensor(f)) return f instanceof Uint8Array ? new TextDecoder().decode(f) : String(f);
  try {
    if (f.dtype !== 'string' || f.size !== 1) throw new InvalidArgumentError(`reader: the filename queue must hand out scalar string tensors, found a ${f.dtype} tensor of shape [${f.shape.join(',')}]`);
    return new TextDecoder().decode((f.dataSync() as Uint8Array[])[0]!);
  } finally {
    f.dispose();
  }
}

/**
 * TF1's tf.WholeFileReader: `read(filenameQueue)` takes the next file name from the queue and returns
 * {key: the file name, value: the whole file's bytes as a scalar 'string' tensor} (feed it to
 * decodeImage / decodeJpeg / decodePng). Files are read with gfile, so local paths, `mem://`,
 * `indexeddb://` and `http(s)://` work. When the queue is closed and drained it throws OutOfRangeError;
 * a missing file throws a GFileError naming the path.
 */
export class WholeFileReader {
  private produced = 0;

  async read(filenameQueue: InputSource<unknown>): Promise<{ key: string; value: Tensor }> {
    const name = await nextFileName(filenameQueue);
    const bytes = await gfile.readFile(name);
    this.produced++;
    return { key: name, value: ef.makeTensor([bytes], [], 'string') };
  }

  /** Up to `n` files (fewer only at the end of all input); `values` are scalar 'string' tensors. */
  readUpTo(filenameQueue: InputSource<unknown>, n: number): Promise<{ keys: string[]; values: Tensor[] }> {
    return readUpTo(() => this.read(filenameQueue), n, (values) => ef.dispose(values));
  }

  /** Files read so far (TF's num_records_produced; one record per file). */
  get numRecordsProduced(): number {
    return this.produced;
  }
  /** Files finished so far (TF's num_work_units_completed). */
  get numWorkUnitsCompleted(): number {
    return this.produced;
  }
  /** Restarts the counts (TF's reset). */
  reset(): void {
    this.produced = 0;
  }
}
