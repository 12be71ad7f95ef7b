// Saver.restore(..., {reshape: true}): TF's Saver(reshape=True).
import { describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import * as io from '@eagerflow/io';
import { disposeAllVariables, nums, saverSuite } from './helpers';

const { fresh } = saverSuite();

/** Saves w = [[1,2,3],[4,5,6]] (shape [2,3]) and b = [1,2] under 'w' and 'b'; returns the prefix. */
async function saveReference(): Promise<string> {
  const d = await fresh('r');
  const w = ef.variable(ef.tensor([[1, 2, 3], [4, 5, 6]]), { name: 'w' });
  const b = ef.variable(ef.tensor([1, 2], [2], 'int32'), { name: 'b' });
  const path = await new io.Saver({ varList: { w, b } }).save(join(d, 'model.ckpt'), { globalStep: 1 });
  disposeAllVariables();
  return path;
}

describe('Saver reshape', () => {
  test('a [2,3] checkpoint tensor restores into [3,2] and [6] variables with {reshape: true}, row-major', async () => {
    const path = await saveReference();
    const w32 = ef.variable(ef.zeros([3, 2]), { name: 'w32' });
    const b = ef.variable(ef.tensor([0, 0], [2], 'int32'), { name: 'b' });
    await new io.Saver({ varList: { w: w32, b } }).restore(path, { reshape: true });
    expect(w32.shape).toEqual([3, 2]);
    expect(nums(w32)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(nums(b)).toEqual([1, 2]); // same shape: unaffected by reshape
    const w6 = ef.variable(ef.zeros([6]), { name: 'w6' });
    // a directory works too (its latest checkpoint), and the Saver-level option is the default
    await new io.Saver({ varList: { w: w6 }, reshape: true }).restore(join(path, '..'));
    expect(w6.shape).toEqual([6]);
    expect(nums(w6)).toEqual([1, 2, 3, 4, 5, 6]);
    const w1 = ef.variable(ef.zeros([1, 6, 1]), { name: 'w1' });
    await new io.Saver({ varList: { w: w1 } }).restore(path, { reshape: true });
    expect(nums(w1)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test('without reshape a different shape is an error that suggests it; nothing is changed', async () => {
    const path = await saveReference();
    const w32 = ef.variable(ef.zeros([3, 2]), { name: 'w32' });
    const b = ef.variable(ef.tensor([7, 7], [2], 'int32'), { name: 'b' });
    const saver = new io.Saver({ varList: { w: w32, b } });
    await expect(saver.restore(path)).rejects.toThrow(/'w' \(variable 'w32.*shape mismatch: checkpoint has \[2, 3\], variable has \[3, 2\] \(same number of elements: pass \{reshape: true\}/);
    // an explicit reshape: false overrides a Saver built with reshape: true
    await expect(new io.Saver({ varList: { w: w32 }, reshape: true }).restore(path, { reshape: false })).rejects.toThrow(/shape mismatch/);
    expect(nums(w32)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(nums(b)).toEqual([7, 7]); // all-or-nothing: b was not restored either
  });

  test('reshape still needs the same number of elements; dtype checks still apply', async () => {
    const path = await saveReference();
    const w4 = ef.variable(ef.zeros([2, 2]), { name: 'w4' });
    const b = ef.variable(ef.tensor([7, 7], [2], 'int32'), { name: 'b' });
    await expect(new io.Saver({ varList: { w: w4, b } }).restore(path, { reshape: true })).rejects.toThrow(
      /shape mismatch: checkpoint has \[2, 3\], variable has \[2, 2\] \(6 vs 4 elements: reshape needs the same number of elements\)/,
    );
    expect(nums(w4)).toEqual([0, 0, 0, 0]);
    expect(nums(b)).toEqual([7, 7]);
    const wi = ef.variable(ef.tensor([0, 0, 0, 0, 0, 0], [6], 'int32'), { name: 'wi' });
    await expect(new io.Saver({ varList: { w: wi } }).restore(path, { reshape: true })).rejects.toThrow(/dtype mismatch: checkpoint has float32, variable is int32/);
  });

  test('initFromCheckpoint accepts {reshape: true} as well', async () => {
    const path = await saveReference();
    const v = ef.variable(ef.zeros([6]), { name: 'net/w' });
    await io.initFromCheckpoint(path, { w: v }, { reshape: true });
    expect(nums(v)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
