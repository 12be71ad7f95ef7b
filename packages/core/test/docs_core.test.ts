// Runs every ```ts snippet of docs/core.md, so the documentation stays runnable.
import { describe, expect, jest, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';

const here = dirname(fileURLToPath(import.meta.url));
const doc = readFileSync(join(here, '../../../docs/core.md'), 'utf8');
const snippets = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;

describe('docs/core.md snippets run', () => {
  test('there are snippets', () => expect(snippets.length).toBeGreaterThan(8));
  snippets.forEach((src, i) => {
    const title = src.split('\n').find((l) => l.trim() && !l.startsWith('import'))!.slice(0, 60);
    test(`#${i}: ${title}`, async () => {
      const body = src.replace(/^import .*$/gm, '');
      const { code } = transformSync(body, { loader: 'ts', format: 'esm', target: 'node20', supported: { using: false } });
      const lines: string[] = [];
      const log = jest.spyOn(console, "log").mockImplementation((...a: unknown[]) => { lines.push(a.map((v) => (typeof v === "string" ? v : JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? `${x}n` : x)))).join(" ")); });
      try {
        await ef.setBackend('cpu');
        await new AsyncFunction('ef', code)(ef);
      } finally {
        log.mockRestore();
        if (process.env.SHOW_DOC_OUTPUT) process.stdout.write(`--- #${i}\n${lines.join("\n")}\n`);
      }
    });
  });
});
