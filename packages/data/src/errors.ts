/**
 * Error classes of the data package. They mirror TensorFlow's status codes so that callers can
 * catch the end of an input (`OutOfRangeError`) separately from corrupt data (`DataLossError`).
 */
import { describeValue } from '@eagerflow/io';

// One value printer for the messages of io and data.
export { describeValue };

/** Corrupt or truncated input (TensorFlow's DataLoss). Carries the file and byte offset. */
export class DataLossError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'DataLossError';
  }
}

/** End of a sequence: iterator exhausted, or queue closed and empty (TensorFlow's OutOfRange). */
export class OutOfRangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutOfRangeError';
  }
}

/** An operation that was cancelled, e.g. an enqueue blocked on a queue closed with cancelPendingEnqueues. */
export class CancelledError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CancelledError';
  }
}

/** Bad argument or data that does not match the parsing spec (TensorFlow's InvalidArgument). */
export class InvalidArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidArgumentError';
  }
}

export function isOutOfRange(e: unknown): e is OutOfRangeError {
  return e instanceof OutOfRangeError;
}

/** `${op}: ${arg} must be a positive integer` unless n is one. */
export function checkPositive(n: unknown, op: string, arg: string): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${op}: ${arg} must be a positive integer; found ${describeValue(n)}`);
  return n;
}

/**
 * An element count where -1 (any negative) means "all / forever", as in TF: any integer, or
 * Infinity (what `cardinality` reports for an infinite dataset).
 */
export function checkCount(n: unknown, op: string, arg: string, negative: string): number {
  if (typeof n !== 'number' || !(Number.isInteger(n) || n === Infinity)) throw new InvalidArgumentError(`${op}: ${arg} must be an integer (${negative}); found ${describeValue(n)}`);
  return n;
}

/** Glob patterns given as one string or a list of strings (non-empty unless `allowEmpty`). */
export function checkPatterns(pattern: unknown, op: string, allowEmpty = false): string[] {
  const patterns = typeof pattern === 'string' ? [pattern] : Array.isArray(pattern) ? [...(pattern as unknown[])] : undefined;
  const bad = patterns === undefined || (patterns.length === 0 && !allowEmpty) ? pattern : patterns.find((p) => typeof p !== 'string');
  if (patterns === undefined || bad !== undefined || (patterns.length === 0 && !allowEmpty)) {
    throw new InvalidArgumentError(`${op}: pattern must be a glob string or a ${allowEmpty ? '' : 'non-empty '}list of them; found ${describeValue(bad)}`);
  }
  return patterns as string[];
}

/** `${op}: ${arg} must be a function` unless fn is one. */
export function checkFunction(fn: unknown, op: string, arg: string): void {
  if (typeof fn !== 'function') throw new InvalidArgumentError(`${op}: ${arg} must be a function; found ${describeValue(fn)}`);
}
