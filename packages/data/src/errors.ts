/**
 * Error classes of the data package. They mirror TensorFlow's status codes so that callers can
 * catch the end of an input (`OutOfRangeError`) separately from corrupt data (`DataLossError`).
 */

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
