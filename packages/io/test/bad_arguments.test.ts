// Bad arguments across the public API of @eagerflow/io: each case must throw (or reject with) the
// package's error class (CheckpointError, SafetensorsError, GFileError), with a message that names
// the function and argument and states what was expected and what was found. Corrupt files are
// covered by fuzz_readers.test.ts; this is about calls.
import { beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import * as io from '@eagerflow/io';
import { checkErrorCases as check, inOrder } from '../../../tools/test/error_cases.js';

const { gfile } = io;
const any = <T>(v: unknown) => v as T;
const CE = io.CheckpointError;
const GE = io.gfile.GFileError;
const SE = io.SafetensorsError;
const disposed = () => {
  const t = ef.ones([2]);
  t.dispose();
  return t;
};
let n = 0;
const v = (shape: number[] = [2]) => ef.variable(ef.zeros(shape), { name: `bad_args_${n++}` });


const a = v();
const b = v([3]);
const ROOT = 'mem://bad_args';
beforeAll(async () => {
  await ef.setBackend('cpu');
  await gfile.makeDirs(`${ROOT}/empty`);
  a.assign(ef.tensor([1, 2]));
  b.assign(ef.tensor([3, 4, 5]));
  await new io.Saver({ varList: { a, b } }).save(`${ROOT}/good`);
  await gfile.writeFile(`${ROOT}/file.txt`, 'hello');
});

describe('Saver', () => {
  const s = () => new io.Saver({ varList: [a, b] });
  check([
    ['a tensor in varList', () => new io.Saver({ varList: any([a, ef.ones([2])]) }), CE, 'Saver', "varList entry '[1]'", 'must be an ef.Variable', 'found Tensor'],
    ['null in varList', () => new io.Saver({ varList: any([null]) }), CE, 'Saver', "'[0]'", 'found null'],
    ['a number in a named varList', () => new io.Saver({ varList: any({ w: 5 }) }), CE, 'Saver', "varList entry 'w'", 'found 5'],
    ['varList 5', () => new io.Saver({ varList: any(5) }), CE, 'Saver', 'varList must be a list of variables or a map', 'found 5'],
    ['an empty varList', () => new io.Saver({ varList: [] }), CE, 'Saver', 'no variables to save'],
    ['maxToKeep -1 (looped forever in save)', () => new io.Saver({ varList: [a], maxToKeep: -1 }), CE, 'Saver', 'maxToKeep must be a non-negative integer', '0 or null keeps all', 'found -1'],
    ['maxToKeep 1.5', () => new io.Saver({ varList: [a], maxToKeep: 1.5 }), CE, 'Saver', 'maxToKeep', 'found 1.5'],
    ['keepCheckpointEveryNHours -1', () => new io.Saver({ varList: [a], keepCheckpointEveryNHours: -1 }), CE, 'Saver', 'keepCheckpointEveryNHours must be a positive number', 'found -1'],
    ['save: parent directory missing (as TF)', () => s().save(`${ROOT}/nope/dir/model.ckpt`), CE, 'Saver.save', `parent directory '${ROOT}/nope/dir'`, 'does not exist'],
    ['save(undefined)', () => s().save(any(undefined)), CE, 'Saver.save', 'prefix must be a non-empty string', 'found undefined'],
    ["save('')", () => s().save(''), CE, 'Saver.save', 'found ""'],
    ['save: globalStep 1.5', () => s().save(`${ROOT}/m`, { globalStep: 1.5 }), CE, 'Saver.save', 'globalStep must be an integer', '1.5'],
    ['save: globalStep "x"', () => s().save(`${ROOT}/m`, { globalStep: any('x') }), CE, 'Saver.save', 'globalStep must be a number, bigint or a numeric scalar tensor', 'found "x"'],
    ['save: a string globalStep tensor (wrote prefix-NaN)', () => s().save(`${ROOT}/m`, { globalStep: ef.makeTensor(['x'], [], 'string') }), CE, 'Saver.save', 'globalStep', 'found a string tensor'],
    ['save: a disposed globalStep', () => s().save(`${ROOT}/m`, { globalStep: any(disposed()) }), CE, 'Saver.save', 'globalStep', 'found a disposed tensor'],
    ['save: a vector globalStep', () => s().save(`${ROOT}/m`, { globalStep: ef.ones([2]) }), CE, 'Saver.save', 'globalStep must be a scalar', 'shape [2]'],
    ['save: a disposed variable', async () => { const c = v(); const sc = new io.Saver({ varList: [c] }); c.dispose(); await sc.save(`${ROOT}/d`); }, CE, 'Saver.save', "variable 'bad_args_", 'was disposed'],
    ['restore(undefined)', () => s().restore(any(undefined)), CE, 'Saver.restore', 'prefix must be a non-empty string', 'found undefined'],
    ['restore: missing prefix lists what exists', () => s().restore(`${ROOT}/nothere`), CE, `checkpoint '${ROOT}/nothere' not found`, `${ROOT}/nothere.index does not exist`, `checkpoints in '${ROOT}': good`],
    ['restore: missing directory', () => s().restore(`${ROOT}/nodir/model`), CE, 'not found', `directory '${ROOT}/nodir' does not exist`],
    ['restore: directory without a state file', () => s().restore(`${ROOT}/empty`), CE, `no checkpoint found in directory '${ROOT}/empty'`],
    ['recoverLastCheckpoints(undefined)', () => s().recoverLastCheckpoints(any(undefined)), CE, 'Saver.recoverLastCheckpoints', 'list of checkpoint prefixes', 'found undefined'],
  ]);

  test('restore with a shape mismatch names the variable and both shapes and changes no variable', async () => {
    const a2 = v();
    const wrong = v([4]);
    a2.assign(ef.tensor([7, 7]));
    const err = await new io.Saver({ varList: { a: a2, b: wrong } }).restore(`${ROOT}/good`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CE);
    expect((err as Error).message).toMatch(inOrder(['Saver.restore', 'no variable was changed', "'b' (variable 'bad_args_", 'shape mismatch: checkpoint has [3], variable has [4]']));
    expect(Array.from(a2.dataSync() as Float32Array)).toEqual([7, 7]);
    expect(Array.from(wrong.dataSync() as Float32Array)).toEqual([0, 0, 0, 0]);
  });
});

describe('checkpoint reading, state, initFromCheckpoint, bundles', () => {
  check([
    ['getTensor of a missing key', async () => (await io.loadCheckpoint(`${ROOT}/good`)).getTensor('c'), CE, "tensor 'c' not found in checkpoint", `'${ROOT}/good'`, '(2 tensors'],
    ['getTensor(undefined)', async () => (await io.loadCheckpoint(`${ROOT}/good`)).getTensor(any(undefined)), CE, `checkpoint '${ROOT}/good'`, 'tensor name must be a string', 'found undefined'],
    ['loadVariable of a missing key', () => io.loadVariable(`${ROOT}/good`, 'zz'), CE, "tensor 'zz' not found"],
    ['CheckpointReader.open of a missing prefix', () => io.CheckpointReader.open(`${ROOT}/none`), CE, `checkpoint '${ROOT}/none' not found`, 'checkpoints in', 'good'],
    ['listVariables of an empty directory', () => io.listVariables(`${ROOT}/empty/x`), CE, 'not found', `'${ROOT}/empty' holds no checkpoint`],
    ['latestCheckpoint(undefined)', () => io.latestCheckpoint(any(undefined)), CE, 'getCheckpointState', 'dir must be a string', 'found undefined'],
    ['initFromCheckpoint(undefined map)', () => io.initFromCheckpoint(`${ROOT}/good`, any(undefined)), CE, 'initFromCheckpoint', 'assignmentMap must be an object or Map', 'found undefined'],
    ['initFromCheckpoint(undefined prefix)', () => io.initFromCheckpoint(any(undefined), {}), CE, 'initFromCheckpoint', 'prefix must be a non-empty string', 'found undefined'],
    ['initFromCheckpoint: a missing key', () => io.initFromCheckpoint(`${ROOT}/good`, { zz: a.name }), CE, 'initFromCheckpoint', "tensor 'zz'", 'is not in checkpoint'],
    ['saveTensors(prefix, undefined)', () => io.saveTensors(`${ROOT}/t`, any(undefined)), CE, `saveTensors('${ROOT}/t')`, 'tensors must be an object or Map', 'found undefined'],
    ['saveTensors: a disposed tensor', () => io.saveTensors(`${ROOT}/t`, { t: disposed() }), CE, `BundleWriter('${ROOT}/t').add`, "tensor 't' was disposed"],
    ['saveTensors: a string value', () => io.saveTensors(`${ROOT}/t`, any({ t: 'abc' })), CE, 'add', "tensor 't'", 'expected an ef.Tensor or {dtype, shape, values}'],
    ['BundleWriter.add twice', async () => { const w = new io.BundleWriter(`${ROOT}/bw`); try { await w.add('t', ef.ones([2])); await w.add('t', ef.ones([2])); } finally { await w.abort(); } }, CE, "tensor 't' was added twice", `'${ROOT}/bw'`],
    ['snappyDecompress(undefined)', () => io.snappyDecompress(any(undefined)), io.SnappyError, 'snappyDecompress', 'src must be a Uint8Array', 'found undefined'],
    ['snappyDecompress of a string', () => io.snappyDecompress(any('abc')), io.SnappyError, 'snappyDecompress', 'src must be a Uint8Array', 'found "abc"'],
    ['snappyUncompressedLength(5)', () => io.snappyUncompressedLength(any(5)), io.SnappyError, 'snappyUncompressedLength', 'src must be a Uint8Array', 'found 5'],
  ]);

  test('latestCheckpoint of a missing directory is null, as in TF', async () => {
    expect(await io.latestCheckpoint(`${ROOT}/nodir`)).toBeNull();
  });
});

describe('safetensors', () => {
  check([
    ['saveSafetensors of a disposed tensor', () => io.saveSafetensors(`${ROOT}/x.st`, { t: disposed() }), SE, `saveSafetensors('${ROOT}/x.st')`, "tensor 't' was disposed"],
    ['saveSafetensors of a string tensor', () => io.saveSafetensors(`${ROOT}/x.st`, { t: ef.makeTensor(['a'], [1], 'string') }), SE, 'saveSafetensors', "tensor 't'", 'dtype string has no safetensors equivalent'],
    ['saveSafetensors(path, undefined)', () => io.saveSafetensors(`${ROOT}/x.st`, any(undefined)), SE, 'saveSafetensors', 'tensors must be an object or Map', 'found undefined'],
    ['serializeSafetensors of null', () => io.serializeSafetensors(any({ t: null })), SE, 'serializeSafetensors', "tensor 't'", 'expected an ef.Tensor'],
    ['a non-string metadata value', () => io.saveSafetensors(`${ROOT}/x.st`, { t: ef.ones([1]) }, any({ a: 5 })), SE, "metadata value for 'a' must be a string"],
    ['parseSafetensors(undefined)', () => io.parseSafetensors(any(undefined)), SE, 'parseSafetensors', 'bytes must be a Uint8Array', 'found undefined'],
    ['loadSafetensors of a missing file', () => io.loadSafetensors(`${ROOT}/none.st`), GE, `'${ROOT}/none.st'`, 'no such file'],
  ]);
});

describe('gfile', () => {
  const f1 = `${ROOT}/file.txt`;
  check([
    ['readFile(undefined)', () => gfile.readFile(any(undefined)), GE, 'path must be a string', 'found undefined'],
    ['readFile(5)', () => gfile.readFile(any(5)), GE, 'path must be a string', 'found 5'],
    ['an unknown scheme', () => gfile.readFile('s3://b/k'), GE, "no file system registered for scheme 's3://'", "'s3://b/k'"],
    ['open with mode x', () => gfile.open(f1, any('x')), GE, `open '${f1}'`, "unsupported mode 'x'", "'r', 'w', 'a', 'rb', 'wb' or 'ab'"],
    ['open a missing file', () => gfile.open(`${ROOT}/missing`), GE, `'${ROOT}/missing'`, 'no such file'],
    ['writeFile(path, undefined)', () => gfile.writeFile(`${ROOT}/w`, any(undefined)), GE, `writeFile '${ROOT}/w'`, 'data must be a Uint8Array or a string', 'found undefined'],
    ['writeFile(path, 5)', () => gfile.writeFile(`${ROOT}/w`, any(5)), GE, 'data must be', 'found 5'],
    ['writeFile onto a directory', () => gfile.writeFile(ROOT, 'x'), GE, `'${ROOT}'`, 'is a directory'],
    ['listDirectory of a file', () => gfile.listDirectory(f1), GE, `listDirectory '${f1}'`, 'not a directory'],
    ['listDirectory of a missing directory', () => gfile.listDirectory(`${ROOT}/nodir`), GE, 'no such directory'],
    ['rename {overwrite: false} onto an existing file', () => gfile.rename(f1, `${ROOT}/empty`, { overwrite: false }), GE, 'destination exists'],
    ['glob(undefined)', () => gfile.glob(any(undefined)), GE, 'glob', 'pattern must be a string', 'found undefined'],
    ['GFile.read after close', async () => { const f = await gfile.open(f1); await f.close(); await f.read(); }, GE, `'${f1}' is closed`],
    ['GFile.write on a file open for reading', async () => { const f = await gfile.open(f1); await f.write('x'); }, GE, `'${f1}' is open for reading, not writing`],
    ['GFile.seek(-1)', async () => (await gfile.open(f1)).seek(-1), GE, `seek '${f1}'`, 'non-negative integer', 'found -1'],
    ['GFile.seek(1.5)', async () => (await gfile.open(f1)).seek(1.5), GE, 'seek', 'found 1.5'],
    ['GFile.read(-1)', async () => (await gfile.open(f1)).read(-1), GE, `read '${f1}'`, 'n must be a non-negative integer', 'found -1'],
    ['GFile.write(5)', async () => { const f = await gfile.open(`${ROOT}/w2`, 'w'); try { await f.write(any(5)); } finally { await f.close(); } }, GE, `write '${ROOT}/w2'`, 'data must be', 'found 5'],
    ['GFile.chunks(0)', async () => { for await (const c of (await gfile.open(f1)).chunks(0)) return c; }, GE, 'chunks', 'chunkSize must be a positive integer', 'found 0'],
  ]);
});
