import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ef from '@eagerflow/core';
import * as io from '@eagerflow/io';

/** ../shared/fixtures relative to the repository root. */
export const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/fixtures');
export const fx = (p: string): string => join(FIXTURES, p);

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ef-io-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function disposeAllVariables(): void {
  for (const v of ef.globalVariables()) v.dispose();
}

export const nums = (t: ef.Tensor): number[] => Array.from(t.dataSync() as ArrayLike<number | bigint>, Number);

/**
 * A Saver suite's setup: the CPU backend, one temp dir for the file (removed after it), every
 * variable disposed after each test; `fresh(prefix)` makes a new empty directory inside.
 */
export function saverSuite(): { fresh: (prefix?: string) => Promise<string> } {
  let tmp: ReturnType<typeof tempDir>;
  let n = 0;
  beforeAll(async () => {
    await ef.setBackend('cpu');
    tmp = tempDir();
  });
  afterAll(() => tmp.cleanup());
  afterEach(disposeAllVariables);
  return {
    fresh: async (prefix = 'd') => {
      const d = join(tmp.dir, `${prefix}${n++}`);
      await io.gfile.makeDirs(d);
      return d;
    },
  };
}
