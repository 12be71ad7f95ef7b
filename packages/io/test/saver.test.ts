import { describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import * as io from '@eagerflow/io';
import { disposeAllVariables, fx, nums, saverSuite } from './helpers';
import { TFX } from './tfx_table';

const { fresh: dir } = saverSuite();

describe('Saver', () => {
  test('default varList is every global variable, trainable or not; restore brings values back', async () => {
    const d = await dir();
    const w = ef.variable(ef.tensor([[1, 2], [3, 4]]), { name: 'dense/kernel' });
    const mm = ef.variable(ef.tensor([0.5, 0.25]), { name: 'bn/moving_mean', trainable: false });
    const step = ef.variable(ef.tensor([0n], [], 'int64'), { name: 'global_step', trainable: false });
    const saver = new io.Saver();
    expect([...saver.variables.keys()].sort()).toEqual(['bn/moving_mean', 'dense/kernel', 'global_step']);
    step.assign(ef.tensor([1000n], [], 'int64'));
    const path = await saver.save(join(d, 'model.ckpt'), { globalStep: step });
    expect(path).toBe(join(d, 'model.ckpt-1000'));
    expect(readdirSync(d).sort()).toEqual(['checkpoint', 'model.ckpt-1000.data-00000-of-00001', 'model.ckpt-1000.index']);
    expect(readFileSync(join(d, 'checkpoint'), 'utf8')).toBe('model_checkpoint_path: "model.ckpt-1000"\nall_model_checkpoint_paths: "model.ckpt-1000"\n');
    w.assign(ef.tensor([[0, 0], [0, 0]]));
    mm.assign(ef.tensor([9, 9]));
    step.assign(ef.tensor([5n], [], 'int64'));
    await saver.restore(path);
    expect(nums(w)).toEqual([1, 2, 3, 4]);
    expect(nums(mm)).toEqual([0.5, 0.25]);
    expect(step.dataSync()).toEqual(BigInt64Array.from([1000n]));
    // a directory restores its latest checkpoint
    w.assign(ef.tensor([[0, 0], [0, 0]]));
    await saver.restore(d);
    expect(nums(w)).toEqual([1, 2, 3, 4]);
    expect(await io.latestCheckpoint(d)).toBe(path);
  });

  test('Saver over the tfx variables reproduces the TensorFlow checkpoint files byte for byte', async () => {
    const src = fx('checkpoint/tfx_estimator/model.ckpt-1000');
    const r = await io.CheckpointReader.open(src);
    // create variables in a scrambled order with zero values, restore, then save again
    for (const [name, dtype, shape] of [...TFX].reverse()) {
      const init = dtype === 'int64' ? ef.tensor([0n], shape, 'int64') : ef.zeros(shape);
      ef.variable(init, { name, trainable: dtype === 'float32' });
    }
    const saver = new io.Saver({ maxToKeep: 3 });
    await saver.restore(src);
    expect(nums(ef.findVariable('dnn/logits/bias')!)).toEqual([Math.fround(-0.0688979402)]);
    const d = await dir();
    const path = await saver.save(join(d, 'model.ckpt'), { globalStep: ef.findVariable('global_step')! });
    expect(path.endsWith('model.ckpt-1000')).toBe(true);
    for (const s of ['.index', '.data-00000-of-00001']) {
      expect(Buffer.from(readFileSync(path + s)).equals(readFileSync(src + s))).toBe(true);
    }
    await r.close();
  });

  test("TensorFlow's int64 global_step (the real tfx checkpoint) restores into eagerflow's int32 global step with allowDtypeConversion", async () => {
    const src = fx('checkpoint/tfx_estimator/model.ckpt-1000');
    ef.clearCollection(ef.GraphKeys.GLOBAL_STEP);
    try {
      const gs = ef.train.getOrCreateGlobalStep();
      expect(gs.dtype).toBe('int32');
      const bias = ef.variable(ef.zeros([1]), { name: 'dnn/logits/bias' });
      const saver = new io.Saver({ varList: [gs, bias] });
      const err = await saver.restore(src).catch((e: Error) => e);
      expect((err as Error).message).toMatch(
        /'global_step' \(variable 'global_step'\): dtype mismatch: checkpoint has int64, variable is int32 \(pass \{allowDtypeConversion: true\} to convert: values must fit int32\)/,
      );
      await saver.restore(src, { allowDtypeConversion: true });
      expect(gs.dataSync()).toEqual(Int32Array.of(1000));
      expect(nums(bias)).toEqual([Math.fround(-0.0688979402)]);
      // Training goes on from step 1000.
      new ef.train.GradientDescentOptimizer(0.1).minimize(() => ef.reduceSum(ef.square(bias)), { globalStep: gs });
      expect(gs.dataSync()).toEqual(Int32Array.of(1001));
      // int64 → float32 (Ftrl's int64 iteration count into a float variable).
      const iter = ef.variable(ef.zeros([]), { name: 'training/Ftrl/iter' });
      await new io.Saver({ varList: [iter] }).restore(src, { allowDtypeConversion: true });
      expect(nums(iter)).toEqual([1000]);
    } finally {
      ef.clearCollection(ef.GraphKeys.GLOBAL_STEP);
    }
  });

  test('allowDtypeConversion: an int64 value outside int32 fails naming the tensor, value and range; int32 → int64 is exact', async () => {
    const d = await dir();
    const prefix = join(d, 'model.ckpt-1');
    await io.saveTensors(prefix, { global_step: ef.tensor([5000000000n], [], 'int64'), ids: ef.tensor([-7, 2147483647], [2], 'int32'), w: ef.tensor([1, 2]) });
    const gs = ef.variable(ef.scalar(3, 'int32'), { name: 'global_step', trainable: false });
    const w = ef.variable(ef.zeros([2]), { name: 'w' });
    const err = await new io.Saver({ varList: [gs, w] }).restore(prefix, { allowDtypeConversion: true }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(io.CheckpointError);
    expect((err as Error).message).toMatch(/'global_step' \(variable 'global_step'\): int64 value 5000000000 \(flat index 0\) does not fit int32 \[-2147483648, 2147483647\]/);
    expect(nums(gs)).toEqual([3]);
    expect(nums(w)).toEqual([0, 0]); // all or nothing
    const wide = ef.variable(ef.tensor([0n, 0n], [2], 'int64'), { name: 'ids' });
    await new io.Saver({ varList: [wide] }).restore(prefix, { allowDtypeConversion: true });
    expect(wide.dataSync()).toEqual(BigInt64Array.of(-7n, 2147483647n));
    // Conversions stay limited to those that keep values: int32 does not restore into bool.
    const flag = ef.variable(ef.tensor([false, false]), { name: 'flag' });
    await expect(new io.Saver({ varList: { ids: flag } }).restore(prefix, { allowDtypeConversion: true })).rejects.toThrow(/dtype mismatch: checkpoint has int32, variable is bool/);
  });

  test('varList as a map renames; as a list keeps names', async () => {
    const d = await dir();
    const a = ef.variable(ef.tensor([1, 2]), { name: 'a' });
    const b = ef.variable(ef.tensor([3]), { name: 'b' });
    await new io.Saver({ varList: { 'old/a': a, 'old/b': b } }).save(join(d, 'm'));
    expect((await io.listVariables(join(d, 'm'))).map(([k]) => k)).toEqual(['old/a', 'old/b']);
    await new io.Saver({ varList: [a] }).save(join(d, 'n'));
    expect(await io.listVariables(join(d, 'n'))).toEqual([['a', [2]]]);
    a.assign(ef.tensor([0, 0]));
    await new io.Saver({ varList: new Map([['old/a', a]]) }).restore(join(d, 'm'));
    expect(nums(a)).toEqual([1, 2]);
    expect(() => new io.Saver({ varList: [] })).toThrow(/no variables/);
    expect(() => new io.Saver({ varList: { x: a, y: a, z: b, w: b } })).not.toThrow();
  });

  test('maxToKeep deletes the oldest after rewriting the state file', async () => {
    const d = await dir();
    const v = ef.variable(ef.tensor([0]), { name: 'v' });
    const saver = new io.Saver({ maxToKeep: 2 });
    for (let s = 1; s <= 4; s++) {
      v.assign(ef.tensor([s]));
      await saver.save(join(d, 'model.ckpt'), { globalStep: s });
    }
    expect(readdirSync(d).filter((f) => f.endsWith('.index')).sort()).toEqual(['model.ckpt-3.index', 'model.ckpt-4.index']);
    expect(readFileSync(join(d, 'checkpoint'), 'utf8')).toBe(
      'model_checkpoint_path: "model.ckpt-4"\nall_model_checkpoint_paths: "model.ckpt-3"\nall_model_checkpoint_paths: "model.ckpt-4"\n',
    );
    const st = (await io.getCheckpointState(d))!;
    expect(st.modelCheckpointPath).toBe(join(d, 'model.ckpt-4'));
    expect(st.allModelCheckpointPaths).toEqual([join(d, 'model.ckpt-3'), join(d, 'model.ckpt-4')]);
    expect(saver.lastCheckpoints).toEqual(st.allModelCheckpointPaths);
    // saving the same step again moves it to the end
    await saver.save(join(d, 'model.ckpt'), { globalStep: 3 });
    expect(saver.lastCheckpoints).toEqual([join(d, 'model.ckpt-4'), join(d, 'model.ckpt-3')]);
    // a later run takes over the previous checkpoints
    const s2 = new io.Saver({ maxToKeep: 2 });
    await s2.recoverLastCheckpoints(st.allModelCheckpointPaths);
    await s2.save(join(d, 'model.ckpt'), { globalStep: 9 });
    expect(readdirSync(d).filter((f) => f.endsWith('.index')).sort()).toEqual(['model.ckpt-4.index', 'model.ckpt-9.index']);
  });

  test('maxToKeep 0 keeps every checkpoint; keepCheckpointEveryNHours keeps one per period', async () => {
    const d = await dir();
    ef.variable(ef.tensor([0]), { name: 'v' });
    const all = new io.Saver({ maxToKeep: 0 });
    for (let s = 1; s <= 3; s++) await all.save(join(d, 'k'), { globalStep: s });
    expect(readdirSync(d).filter((f) => f.endsWith('.index')).length).toBe(3);
    expect(readFileSync(join(d, 'checkpoint'), 'utf8')).toBe('model_checkpoint_path: "k-3"\nall_model_checkpoint_paths: "k-3"\n');

    const d2 = await dir();
    const realNow = Date.now;
    let now = 1_000_000_000_000;
    Date.now = () => now;
    try {
      const hourly = new io.Saver({ maxToKeep: 1, keepCheckpointEveryNHours: 1 });
      for (let s = 1; s <= 6; s++) {
        await hourly.save(join(d2, 'h'), { globalStep: s });
        now += 25 * 60e3; // 25 minutes per step
      }
    } finally {
      Date.now = realNow;
    }
    // Saves at 0, 25, 50, 75, 100, 125 min. TF's rule: a checkpoint dropped from the list is kept when it
    // was saved after the next keep time (start + 1 h), which then advances by 1 h: h-4 (75 min) is kept,
    // h-5 (100 min < 120 min) is not; h-6 is the newest.
    expect(readdirSync(d2).filter((f) => f.endsWith('.index')).sort()).toEqual(['h-4.index', 'h-6.index']);
  });

  test('restore validates everything and changes nothing on any error', async () => {
    const d = await dir();
    const a = ef.variable(ef.tensor([1, 2]), { name: 'a' });
    const b = ef.variable(ef.tensor([[1]]), { name: 'b' });
    const c = ef.variable(ef.tensor([1], [1], 'int32'), { name: 'c' });
    await new io.Saver().save(join(d, 'm'));
    a.assign(ef.tensor([7, 7]));
    const extra = ef.variable(ef.tensor([0]), { name: 'missing' });
    const wrongShape = ef.variable(ef.tensor([0, 0, 0]), { name: 'b2' });
    const wrongType = ef.variable(ef.tensor([0]), { name: 'c2' });
    const s = new io.Saver({ varList: { a, missing: extra, b: wrongShape, c: wrongType } });
    const err = await s.restore(join(d, 'm')).catch((e: Error) => e);
    expect(err).toBeInstanceOf(io.CheckpointError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/no variable was changed\. 3 problem\(s\)/);
    expect(msg).toMatch(/'missing' \(variable 'missing'\): not found in the checkpoint/);
    expect(msg).toMatch(/'b' \(variable 'b2'\): shape mismatch: checkpoint has \[1, 1\], variable has \[3\]/);
    expect(msg).toMatch(/'c' \(variable 'c2'\): dtype mismatch: checkpoint has int32, variable is float32/);
    expect(nums(a)).toEqual([7, 7]); // untouched although 'a' itself was fine

    // a corrupt tensor is also caught before anything is assigned
    const data = readFileSync(join(d, 'm.data-00000-of-00001'));
    data[0] ^= 1; // first bytes belong to 'a'
    writeFileSync(join(d, 'm.data-00000-of-00001'), data);
    b.assign(ef.tensor([[5]]));
    const err2 = await new io.Saver({ varList: [a, b] }).restore(join(d, 'm')).catch((e: Error) => e);
    expect((err2 as Error).message).toMatch(/tensor 'a': crc32c mismatch/);
    expect(nums(b)).toEqual([5]);
    void c;
  });

  test('EMA restore: shadows load into plain variables', async () => {
    const d = await dir();
    const v = ef.variable(ef.tensor([10]), { name: 'v' });
    const ema = new ef.train.ExponentialMovingAverage(0.5);
    ema.apply([v]);
    v.assign(ef.tensor([20]));
    ema.apply([v]); // shadow = 10 - 0.5*(10-20) = 15
    await new io.Saver().save(join(d, 'ema'));
    expect((await io.listVariables(join(d, 'ema'))).map(([k]) => k)).toEqual(['v', 'v/ExponentialMovingAverage']);
    disposeAllVariables();
    const v2 = ef.variable(ef.tensor([0]), { name: 'v' });
    const ema2 = new ef.train.ExponentialMovingAverage(0.99);
    const map = ema2.variablesToRestore([v2]);
    expect(Object.keys(map)).toEqual(['v/ExponentialMovingAverage']);
    await new io.Saver({ varList: map }).restore(join(d, 'ema'));
    expect(nums(v2)).toEqual([15]);
  });

  test('save errors: missing directory; state file paths outside the directory stay absolute', async () => {
    ef.variable(ef.tensor([1]), { name: 'x' });
    const d = await dir();
    await expect(new io.Saver().save(join(d, 'nope', 'm'))).rejects.toThrow(/parent directory .*nope' .* does not exist/);
    expect(existsSync(join(d, 'nope'))).toBe(false);
  });
});

describe('checkpoint state', () => {
  test('fixture state files', async () => {
    const d = fx('checkpoint/tfx_estimator');
    const st = (await io.getCheckpointState(d))!;
    expect(st.modelCheckpointPath).toBe(join(d, 'model.ckpt-1000'));
    expect(st.allModelCheckpointPaths).toEqual(['model.ckpt-0', 'model.ckpt-999', 'model.ckpt-1000'].map((p) => join(d, p)));
    expect(await io.latestCheckpoint(d)).toBe(join(d, 'model.ckpt-1000'));
    const text = readFileSync(join(d, 'checkpoint'), 'utf8');
    const parsed = io.parseCheckpointState(text);
    expect(io.formatCheckpointState(parsed)).toBe(text);
    const bad = (await io.getCheckpointState(fx('checkpoint/serving_bad_half_plus_two_state')))!;
    expect(bad.modelCheckpointPath).toBe('/tmp/bad_half_plus_two/00000123/export');
    expect(bad.allModelCheckpointPaths).toEqual(['/tmp/bad_half_plus_two/00000123/export']);
    expect(await io.latestCheckpoint(fx('checkpoint/serving_bad_half_plus_two_state'))).toBeNull();
    expect(await io.getCheckpointState(await dir())).toBeNull();
  });

  test('escapes, timestamps and unknown fields', () => {
    const st = io.parseCheckpointState('model_checkpoint_path: "a\\"b\\303\\251"\nall_model_checkpoint_paths: "x"\nall_model_checkpoint_timestamps: 1646034700.123\nlast_preserved_timestamp: 1646034690.5\nfuture_field: 3\n');
    expect(st).toEqual({ modelCheckpointPath: 'a"bé', allModelCheckpointPaths: ['x'], allModelCheckpointTimestamps: [1646034700.123], lastPreservedTimestamp: 1646034690.5 });
    expect(io.formatCheckpointState({ ...st, allModelCheckpointTimestamps: [], lastPreservedTimestamp: undefined })).toBe('model_checkpoint_path: "a\\"b\\303\\251"\nall_model_checkpoint_paths: "x"\n');
    expect(() => io.parseCheckpointState('model_checkpoint_path "unterminated')).toThrow(/cannot parse text proto at line 1/);
  });
});

describe('initFromCheckpoint', () => {
  const src = fx('checkpoint/tfx_estimator/model.ckpt-1000');

  test("'scope/': 'scope/' maps every variable of the new scope; exclusions via getVariablesToRestore", async () => {
    const k0 = ef.variable(ef.zeros([3, 100]), { name: 'net/hiddenlayer_0/kernel' });
    const b0 = ef.variable(ef.zeros([100]), { name: 'net/hiddenlayer_0/bias' });
    const other = ef.variable(ef.zeros([1]), { name: 'other/x' });
    const pairs = await io.initFromCheckpoint(src, { 'dnn/': 'net/' });
    expect(pairs.map(([k, v]) => [k, v.name])).toEqual([
      ['dnn/hiddenlayer_0/bias', 'net/hiddenlayer_0/bias'],
      ['dnn/hiddenlayer_0/kernel', 'net/hiddenlayer_0/kernel'],
    ]);
    expect(nums(b0).slice(0, 2)).toEqual([Math.fround(-0.019179916), Math.fround(-0.0113077005)]);
    expect(nums(k0)[0]).toBe(Math.fround(-0.047309123));
    expect(nums(other)).toEqual([0]);
  });

  test("'/': 'scope/', single names, variables as values, exclude helper, errors", async () => {
    const gs = ef.variable(ef.tensor([0n], [], 'int64'), { name: 'restored/global_step' });
    await io.initFromCheckpoint(src, { '/': 'restored/' });
    expect(gs.dataSync()).toEqual(BigInt64Array.from([1000n]));
    disposeAllVariables();

    const logits = ef.variable(ef.zeros([1]), { name: 'dnn/logits/bias' });
    const step = ef.variable(ef.tensor([0n], [], 'int64'), { name: 'global_step' });
    const lr = ef.variable(ef.zeros([]), { name: 'lr' });
    const keep = io.getVariablesToRestore({ exclude: ['dnn/logits', 'global_step'] });
    expect(keep.map((v) => v.name)).toEqual(['lr']);
    await io.initFromCheckpoint(src, { 'training/Adagrad/learning_rate': lr, 'dnn/logits/bias': 'dnn/logits/bias' });
    expect(nums(lr)).toEqual([Math.fround(0.001)]);
    expect(nums(logits)).toEqual([Math.fround(-0.0688979402)]);
    expect(step.dataSync()).toEqual(BigInt64Array.from([0n]));
    expect(io.variablesByName([lr, step])).toEqual({ lr, global_step: step });

    lr.assign(ef.zeros([]));
    const err = await io.initFromCheckpoint(src, { 'training/Adagrad/learning_rate': lr, 'nope/x': lr, 'dnn/': 'dnn' }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/2 problem\(s\)/);
    expect((err as Error).message).toMatch(/tensor 'nope\/x' \(for variable 'lr'\) is not in checkpoint/);
    expect((err as Error).message).toMatch(/scope mappings must be 'scope\/': 'other_scope\/'/);
    expect(nums(lr)).toEqual([0]);
    const wrong = ef.variable(ef.zeros([2]), { name: 'w2' });
    await expect(io.initFromCheckpoint(src, { 'dnn/logits/bias': wrong })).rejects.toThrow(/shape mismatch: checkpoint has \[1\], variable has \[2\]/);
  });
});
