// Runs the ```ts snippets of docs/webgpu.md in order (the second on the 'webgpu' backend: SwiftShader
// without a GPU, see jest.config.mjs), so the documentation stays runnable.
import { afterAll, expect, test } from '@jest/globals';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ef from '@eagerflow/core';
import * as cpu from '@eagerflow/cpu-backend';
import * as webgpu from '@eagerflow/webgpu-backend';
import { describeDocSnippets } from '../../../tools/test/doc_snippets.js';

afterAll(() => ef.disposeBackend());

const doc = describeDocSnippets(join(dirname(fileURLToPath(import.meta.url)), '../../../docs/webgpu.md'), {
  minSnippets: 2,
  modules: { '@eagerflow/core': ef, '@eagerflow/cpu-backend': cpu, '@eagerflow/webgpu-backend': webgpu },
  globals: { ef },
});

test('docs/webgpu.md: printed values match the comments', () => {
  expect(doc.result('ef.ready()').printed).toEqual(['512']);
  expect(doc.result('ef.ready()').info.join('\n')).toMatch(/^eagerflow: using backend '(webgpu|cpu)'/); // "says which and why"
  expect(doc.result('hostOps').printed).toEqual(['1']); // hostOps: the tiny mul ran on the host
});
