// Runs every ```ts snippet of docs/io.md (in order, sharing mem://), so the documentation stays runnable.
import { describe, expect, jest, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import * as io from '@eagerflow/io';

const here = dirname(fileURLToPath(import.meta.url));
const doc = readFileSync(join(here, '../../../docs/io.md'), 'utf8');
const snippets = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!.replace(/^import .*$/gm, '')).filter((s) => s.trim());
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;

describe('docs/io.md snippets run', () => {
  test('there are snippets', () => expect(snippets.length).toBeGreaterThanOrEqual(6));
  const outputs: string[][] = [];
  snippets.forEach((body, i) => {
    const title = body.split('\n').find((l) => l.trim())!.slice(0, 60);
    test(`#${i}: ${title}`, async () => {
      const { code } = transformSync(body, { loader: 'ts', format: 'esm', target: 'node20' });
      const lines: string[] = [];
      const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
        lines.push(a.map((v) => (typeof v === 'string' ? v : JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : ArrayBuffer.isView(x) ? Array.from(x as unknown as ArrayLike<unknown>) : x)))).join(' '));
      });
      try {
        await ef.setBackend('cpu');
        await new AsyncFunction('ef', 'io', code)(ef, io);
      } finally {
        log.mockRestore();
      }
      outputs[i] = lines;
      if (process.env.SHOW_DOC_OUTPUT) process.stdout.write(`--- #${i}\n${lines.join('\n')}\n`);
    });
  });
  test('printed values match the comments', () => {
    const all = outputs.flat().join('\n');
    expect(all).toContain('model_checkpoint_path: "model.ckpt-300"\nall_model_checkpoint_paths: "model.ckpt-200"\nall_model_checkpoint_paths: "model.ckpt-300"');
    expect(all).toContain('[[1,2],[3,4]]');
    expect(all).toContain('[15]'); // EMA shadow
    expect(all).toContain('[[1,2]] [3] [9]');
    expect(all).toContain('["student/dense/kernel","student/dense/bias"]');
    expect(all).toContain('true [1.5,-2]');
    expect(all).toContain('["1000n"]');
    expect(all).toContain('[3.141592653589793,1e-300]');
    expect(all).toContain('{"format":"pt"} ["bn.num_batches_tracked","fc.bias64","fc.weight"]');
    expect(all).toContain('{"dtype":"F64","shape":[2],"dataOffsets":[8,24]}');
    expect(all).toContain('true hello');
    expect(all).toContain('["mem://docs/files/a/y.bin"]');
    expect(all).toContain('line 2\n');
    expect(all).toContain('[1,2,3]\n'); // FastGFile 'rb'
    expect(all).toContain('["mlp/hidden/kernel","mlp/hidden/bias","mlp/logits/kernel","mlp/logits/bias"]\ntrue\n4 weights loaded');
  });
});
