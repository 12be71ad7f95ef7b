// Table-driven bad-argument tests (packages/data and packages/io bad_arguments.test.ts): each case's
// call must throw or reject with the given error class, and its message must hold the given pieces
// (function, argument, expected, found) in order.
import { expect, test } from '@jest/globals';

/** The message must hold these pieces, in this order (matched literally). */
export function inOrder(parts: readonly string[]): RegExp {
  return new RegExp(parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*'), 's');
}

/** [what is wrong, call (sync throw or async rejection), error class, pieces of the message in order]. */
export type ErrorCase = [string, () => unknown, abstract new (...a: never[]) => Error, ...string[]];

/** One test per case. */
export function checkErrorCases(cases: readonly ErrorCase[]): void {
  test.each(cases.map((c) => [c[0], c] as const))('%s', async (_name, [, fn, cls, ...parts]) => {
    let err: unknown;
    try {
      await fn();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(cls);
    expect((err as Error).message).toMatch(inOrder(parts));
  });
}
