// Runs every ```ts snippet of docs/io.md (in order, sharing mem://), so the documentation stays runnable.
import { expect, test } from '@jest/globals';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ef from '@eagerflow/core';
import * as cpu from '@eagerflow/cpu-backend';
import * as io from '@eagerflow/io';
import { describeDocSnippets } from '../../../tools/test/doc_snippets.js';

const here = dirname(fileURLToPath(import.meta.url));

const doc = describeDocSnippets(join(here, '../../../docs/io.md'), {
  minSnippets: 6,
  modules: { '@eagerflow/core': ef, '@eagerflow/cpu-backend': cpu, '@eagerflow/io': io },
  globals: { ef, io },
  beforeEach: () => ef.setBackend('cpu'),
});

test('docs/io.md: printed values match the comments', () => {
  const all = doc.printed();
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
