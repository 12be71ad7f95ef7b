/**
 * Random ops: counter-based (Philox 4x32-10, random/philox.ts), so every backend produces the same
 * numbers for the same attrs. `key` and `counter` are resolved by the public API from the seeds
 * (random/seed.ts); the reference is the JS Philox stream itself.
 */
import { OpError } from '../../errors.js';
import { assertValidShape, type Shape } from '../../shape.js';
import type { PhiloxStream } from '../../random/philox.js';

/** The Philox key (seed, seed2) and the counter words (c2, c3) = 64-bit call offset, all u32. */
export interface RandomStreamAttrs {
  key: readonly [number, number];
  counter: readonly [number, number];
}

export interface RandomNormalAttrs extends RandomStreamAttrs {
  shape: Shape;
  mean: number;
  stddev: number;
}

const isU32 = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;

export function checkStream(op: string, { key, counter }: RandomStreamAttrs): void {
  if (!Array.isArray(key) || key.length !== 2 || !key.every(isU32)) throw new OpError(op, `key must be two u32 words, found ${JSON.stringify(key)}`);
  if (!Array.isArray(counter) || counter.length !== 2 || !counter.every(isU32)) throw new OpError(op, `counter must be two u32 words, found ${JSON.stringify(counter)}`);
}

export function checkFinite(op: string, name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new OpError(op, `${name} must be a finite number, found ${v}`);
}

export const stream = (a: RandomStreamAttrs): PhiloxStream => ({ key: a.key, counter: a.counter });

export function checkNormal(op: string, a: RandomNormalAttrs): void {
  assertValidShape(op, a.shape);
  checkStream(op, a);
  checkFinite(op, 'mean', a.mean);
  checkFinite(op, 'stddev', a.stddev);
  if (a.stddev < 0) throw new OpError(op, `stddev must be >= 0, found ${a.stddev}`);
}

