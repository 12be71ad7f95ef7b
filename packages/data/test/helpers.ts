import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ef from '@eagerflow/core';

/** ../shared/fixtures relative to the repository root (CI clones elsewhere with shared/ beside). */
export const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/fixtures');
export const TFR = `${FIXTURES}/tfrecord`;
export const IRIS = `${TFR}/spotify_iris/part-00000-of-00003.tfrecords`;
export const RUST = `${TFR}/tensorflow_rust/expected.tfrecord`;
export const PENGUIN_TRAIN = `${TFR}/tfx_penguin/Split-train/data_tfrecord-00000-of-00001.gz`;
export const PENGUIN_EVAL = `${TFR}/tfx_penguin/Split-eval/data_tfrecord-00000-of-00001.gz`;
export const PENGUIN_CSV = `${TFR}/tfx_penguin/penguins_processed.csv`;
export const SEQUENCE = `${TFR}/tfx_sequence/Split-eval/data_tfrecord_eval.gz`;

export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'eagerflow-data-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const te = new TextEncoder();
export const td = new TextDecoder();

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** CSV rows of the penguin fixture as numbers. */
export function penguinRows(): number[][] {
  const lines = readFileSync(PENGUIN_CSV, 'utf8').trim().split('\n').slice(1);
  return lines.map((l) => l.split(',').map(Number));
}

export const EVAL_ROWS = [
  5, 6, 8, 16, 21, 24, 26, 27, 30, 33, 34, 37, 42, 45, 46, 49, 50, 51, 53, 57, 58, 63, 64, 71, 75, 78, 80, 86, 90, 93, 94, 97, 98, 103, 106, 108, 109, 111, 114, 115, 121, 125, 126, 127, 130, 136,
  140, 148, 150, 154, 158, 161, 168, 174, 175, 176, 181, 183, 185, 187, 189, 190, 192, 193, 194, 200, 203, 207, 212, 242, 243, 250, 253, 260, 266, 268, 271, 278, 280, 285, 286, 288, 293, 294, 296, 300,
  303, 304, 309, 311, 317, 318, 320, 322, 325, 327, 329, 331, 332, 333,
];

/** An element (tensors, lists, dicts) as plain JS values; int64 scalars as numbers. */
export function toJs(e: unknown): unknown {
  if (e instanceof ef.Tensor) {
    const v = e.arraySync();
    return typeof v === 'bigint' ? Number(v) : v;
  }
  if (Array.isArray(e)) return e.map(toJs);
  if (e && typeof e === 'object') return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, toJs(v)]));
  return e;
}
