import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ef from '@eagerflow/core';

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
