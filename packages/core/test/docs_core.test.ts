// Runs every ```ts snippet of docs/core.md, so the documentation stays runnable, and checks what the
// comments say they print.
import { expect, test } from '@jest/globals';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ef from '@eagerflow/core';
import * as cpu from '@eagerflow/cpu-backend';
import { describeDocSnippets } from '../../../tools/test/doc_snippets.js';

const doc = describeDocSnippets(join(dirname(fileURLToPath(import.meta.url)), '../../../docs/core.md'), {
  minSnippets: 9,
  modules: { '@eagerflow/core': ef, '@eagerflow/cpu-backend': cpu },
  globals: { ef },
  beforeEach: () => ef.setBackend('cpu'),
});

test('docs/core.md: printed values match the comments', () => {
  const printed = (text: string) => doc.result(text).printed;
  expect(printed('console.log(x.toString())')).toEqual(['Tensor(shape=[2,2], dtype=float32, backend=cpu)\n[[1, 2], [3, 4]]']);
  expect(printed('ef.tensor([[1, 2], [3]])')[1]).toBe('tensor: ragged nested array at values[1]: dimension 1 expected length 2, found length 1');
  expect(printed('await t.array()')).toEqual(['[[1,2.5],[0.3333333432674408,-4]]', '3', 'Tensor(shape=[2,2], dtype=float32, backend=cpu)\n[[1, 2.5], [0.333333, -4]]']);
  expect(printed('y.arraySync()); // [7, 12]')).toEqual(['[7,12]', '[2,3]']);
  expect(printed("activation: 'relu'")).toEqual(['[[5.5,0]]', '[[5.5,-6.5]]', '[1,4,4,2] [9,4]']);
  expect(printed('d2x.arraySync()').slice(0, 2)).toEqual(['[3,12,27]', '[6,12,18]']);
  const tape = printed('outer.gradient(dydx, x)');
  expect(JSON.parse(tape[0]!)).toEqual([expect.closeTo(-0.479426, 6), expect.closeTo(-0.997495, 6)]);
  expect(tape[1]).toBe('[2,4] [1,2]');
  const variables = printed("includes 'w', not 'step'");
  expect(variables[0]).toMatch(/^\[\[1\.0*\d*\],\[[12]\.\d+\]\] 100$/);
  expect(JSON.parse(variables[1]!)).toContain('w');
  expect(JSON.parse(variables[1]!)).not.toContain('step');
  expect(variables[2]).toBe("assign: variable 'w' has shape [2,1], value has shape [2]");
  expect(printed('ef.memory().numTensors === before')[1]).toBe('true');
  expect(printed("registeredBackends().includes('cpu')")).toEqual(['cpu true', 'cpu']);
  expect(printed('kernelMs! <= wallMs')).toEqual(['["matmul","relu"] true']);
  expect(printed('softsign(t)')).toEqual(['[1,8,27]', '[3,12,27]', '[1,0.25]']);
  expect(printed('ef.customOpAsync(')).toEqual(['[2,4]']);
  const image = printed('resizeBilinear(img, [4, 4]');
  expect(image.slice(0, 6)).toEqual(['[[1,1.25,1.75,2],[1.5,1.75,2.25,2.5],[2.5,2.75,3.25,3.5],[3,3.25,3.75,4]]', '[[1,1.5,2],[2,2.5,3],[3,3.5,4]]',
    '[[1,1,2],[1,1,2],[3,3,4]]', '[[2.5,4.5],[10.5,12.5]]', '[4,4,1]', '[[2,3],[5,6]]']);
  expect(JSON.parse(image[6]!)[0][0][0]).toBeCloseTo(0.2989, 6);
  expect(JSON.parse(image[7]!)).toEqual([-1.3416, -0.4472, 0.4472, 1.3416].map((v) => expect.closeTo(v, 4)));
  expect(JSON.parse(image[8]!).flat(2)).toEqual([2.4, 1, 3, 5.4, 4, 6, 8.4, 7, 9, 11.4, 10, 12].map((v) => expect.closeTo(v, 5)));
  expect(JSON.parse(image[9]!).flat(2)).toEqual([2, 2.5, 3, 5, 5.5, 6, 8, 8.5, 9, 11, 11.5, 12].map((v) => expect.closeTo(v, 5)));
  expect(image.slice(10)).toEqual(['[[[0,1,0]]]', expect.stringMatching(/^\[\d+,\d+,3\] \[1,60,80,3\]$/), '[4,4,4,4]']); // the crop: [57,64,3] in a fresh program
});
