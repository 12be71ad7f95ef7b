/** An error raised by an op's validation: names the op, the argument, expected vs found. */
export class OpError extends Error {
  constructor(
    readonly op: string,
    message: string,
  ) {
    super(`${op}: ${message}`);
    this.name = 'OpError';
  }
}

export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/** What a JS value is, for messages: 'null', 'undefined', 'number', or an object's class name. */
export function describeValue(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'an object';
  return typeof x;
}
