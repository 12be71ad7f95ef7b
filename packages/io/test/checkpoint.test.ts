import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import Long from 'long';
import * as io from '@eagerflow/io';
import { fx, nums, tempDir } from './helpers';
import { TFX } from './tfx_table';

const bytes = (p: string) => new Uint8Array(readFileSync(p));
let tmp: ReturnType<typeof tempDir>;
beforeAll(async () => {
  await ef.setBackend('cpu');
  tmp = tempDir();
});
afterAll(async () => {
  tmp.cleanup();
  await io.shutdownCrcWorkers();
});

describe('reading TensorFlow checkpoints', () => {
  test('tfx_estimator: all 60 tensors with names, dtypes, shapes, offsets, sizes and values', async () => {
    const r = await io.CheckpointReader.open(fx('checkpoint/tfx_estimator/model.ckpt-1000'));
    const list = await r.listVariables();
    expect(list.map((v) => v.name)).toEqual(TFX.map((t) => t[0]));
    const bundle = await r.reader();
    expect(bundle.header).toEqual({ numShards: 1, endianness: 'little', producer: 1, minConsumer: 0, badConsumers: [] });
    for (const [name, dtype, shape, offset, size, first] of TFX) {
      const info = list.find((v) => v.name === name)!;
      expect([info.dtype, info.shape]).toEqual([dtype, shape]);
      const e = bundle.entry(name);
      expect([e.offset, e.size, e.shardId]).toEqual([offset, size, 0]);
      const t = await r.getTensor(name);
      expect(t.dtype).toBe(dtype);
      expect(t.shape).toEqual(shape);
      const v = t.dataSync();
      if (dtype === 'int64') expect(v).toEqual(BigInt64Array.from([BigInt(first[0]!)]));
      else first.forEach((x, i) => expect((v as Float32Array)[i]).toBe(Math.fround(x)));
      t.dispose();
    }
    const lr = (await r.getRawTensor('training/Adagrad/learning_rate')).values as Float32Array;
    expect(new Uint32Array(lr.buffer, lr.byteOffset, 1)[0]).toBe(0x3a83126f);
    expect(bundle.entry('dnn/hiddenlayer_0/kernel').crc32c).toBe(0xe5e459d3);
    expect(await r.hasTensor('global_step')).toBe(true);
    expect(await r.hasTensor('nope')).toBe(false);
    await expect(r.getTensor('dnn/hiddenlayer_9/bias')).rejects.toThrow(/'dnn\/hiddenlayer_9\/bias' not found.*similar: dnn\/hiddenlayer_0\/bias/);
    await r.close();
  });

  test('half_plus_two (Snappy index): a=0.5 a2=0.5 b=2 c=3 c2=3 at offsets 0..16', async () => {
    const r = await io.CheckpointReader.open(fx('checkpoint/serving_saved_model_half_plus_two_cpu/variables'));
    const b = await r.reader();
    expect([...b.entries.keys()]).toEqual(['a', 'a2', 'b', 'c', 'c2']);
    const want: Record<string, [number, number, number]> = { a: [0.5, 0, 0x1f273806], a2: [0.5, 4, 0x1f273806], b: [2, 8, 0x4f78fd10], c: [3, 12, 0xc382d6ef], c2: [3, 16, 0xc382d6ef] };
    for (const [k, [v, off, crc]] of Object.entries(want)) {
      const e = b.entry(k);
      expect([e.dtype, e.shape, e.offset, e.size, e.crc32c]).toEqual(['float32', [], off, 4, crc]);
      const t = await r.getTensor(k);
      expect(t.shape).toEqual([]);
      expect(nums(t)).toEqual([v]);
    }
    await r.close();
  });

  test('half_plus_two TF2 (Snappy, string tensor stored after the floats)', async () => {
    const r = await io.CheckpointReader.open(fx('checkpoint/serving_saved_model_half_plus_two_tf2_cpu/variables'));
    const b = await r.reader();
    expect([...b.entries.keys()]).toEqual(['_CHECKPOINTABLE_OBJECT_GRAPH', 'a/.ATTRIBUTES/VARIABLE_VALUE', 'b/.ATTRIBUTES/VARIABLE_VALUE', 'c/.ATTRIBUTES/VARIABLE_VALUE']);
    const g = b.entry('_CHECKPOINTABLE_OBJECT_GRAPH');
    expect([g.dtype, g.shape, g.offset, g.size, g.crc32c]).toEqual(['string', [], 12, 619, 0x47b7d190]);
    const s = await r.getTensor('_CHECKPOINTABLE_OBJECT_GRAPH');
    expect(s.dtype).toBe('string');
    const el = (s.dataSync() as Uint8Array[])[0]!;
    expect(el.length).toBe(613);
    const data = bytes(fx('checkpoint/serving_saved_model_half_plus_two_tf2_cpu/variables.data-00000-of-00001'));
    expect(Buffer.from(el).equals(Buffer.from(data.subarray(12 + 6)))).toBe(true);
    expect(nums(await r.getTensor('a/.ATTRIBUTES/VARIABLE_VALUE'))).toEqual([0.5]);
    expect(nums(await r.getTensor('b/.ATTRIBUTES/VARIABLE_VALUE'))).toEqual([2]);
    expect(nums(await r.getTensor('c/.ATTRIBUTES/VARIABLE_VALUE'))).toEqual([3]);
    // Re-encoding the string tensor gives TF's exact bytes and CRC.
    const enc = io.encodeStrings([el]);
    expect(enc.crc).toBe(0x47b7d190);
    expect(Buffer.from(enc.bytes).equals(Buffer.from(data.subarray(12)))).toBe(true);
    await r.close();
  });
});

describe('writing checkpoints', () => {
  test('re-saving the 60 tfx_estimator tensors reproduces both files byte for byte', async () => {
    const src = fx('checkpoint/tfx_estimator/model.ckpt-1000');
    const r = await io.CheckpointReader.open(src);
    const w = new io.BundleWriter(join(tmp.dir, 'model.ckpt-1000'));
    for (const { name } of await r.listVariables()) await w.add(name, await r.getTensor(name));
    await w.finish();
    await r.close();
    for (const suffix of ['.index', '.data-00000-of-00001']) {
      expect(Buffer.from(bytes(join(tmp.dir, `model.ckpt-1000${suffix}`))).equals(Buffer.from(bytes(src + suffix)))).toBe(true);
    }
  });

  test('all dtypes round-trip exactly, raw and through tensors', async () => {
    const prefix = join(tmp.dir, 'dtypes');
    const f64 = Float64Array.from([Math.PI, -1e300, 5e-324]);
    const u8 = Uint8Array.from([0, 7, 255]);
    const i64 = BigInt64Array.from([-1n, 9007199254740993n, -(2n ** 63n)]);
    const half = Uint16Array.from([io.floatToHalf(1.5), io.floatToHalf(-65504), io.floatToHalf(5.960464477539063e-8)]);
    const bf16 = Uint16Array.from([0x3fc0, 0xc049]); // 1.5, -3.140625
    const raws: Record<string, io.TensorInput> = {
      f32: ef.tensor([[1.5, -2], [3, 4]]),
      i32: ef.tensor([1, -2, 2147483647], [3], 'int32'),
      b: ef.tensor([true, false, true]),
      s: ef.tensor(['', 'héllo', 'x'.repeat(300)]),
      step: ef.tensor([12345678901234n], [], 'int64'),
      f64: { dtype: 'float64', shape: [3], values: f64 },
      u8: { dtype: 'uint8', shape: [3, 1], values: u8 },
      i64: { dtype: 'int64', shape: [3], values: i64 },
      long: { dtype: 'int64', shape: [2], values: [Long.fromString('-5'), Long.fromString('1234567890123456789')] },
      half: { dtype: 'float16', shape: [3], values: half },
      bf16: { dtype: 'bfloat16', shape: [2], values: bf16 },
      i8: { dtype: 'int8', shape: [2], values: Int8Array.from([-128, 127]) },
      i16: { dtype: 'int16', shape: [2], values: Int16Array.from([-32768, 32767]) },
      u16: { dtype: 'uint16', shape: [1], values: Uint16Array.from([65535]) },
      u32: { dtype: 'uint32', shape: [1], values: Uint32Array.from([4294967295]) },
      u64: { dtype: 'uint64', shape: [1], values: BigUint64Array.from([2n ** 63n - 1n]) },
      empty: ef.tensor([], [0, 3], 'float32'),
    };
    await io.saveTensors(prefix, raws);
    const r = await io.CheckpointReader.open(prefix);
    const list = Object.fromEntries((await r.listVariables()).map((v) => [v.name, [v.dtype, v.shape]]));
    expect(list).toEqual({
      b: ['bool', [3]], bf16: ['bfloat16', [2]], empty: ['float32', [0, 3]], f32: ['float32', [2, 2]], f64: ['float64', [3]], half: ['float16', [3]],
      i16: ['int16', [2]], i32: ['int32', [3]], i64: ['int64', [3]], i8: ['int8', [2]], long: ['int64', [2]], s: ['string', [3]], step: ['int64', []],
      u16: ['uint16', [1]], u32: ['uint32', [1]], u64: ['uint64', [1]], u8: ['uint8', [3, 1]],
    });
    expect((await r.getRawTensor('f64')).values).toEqual(f64);
    expect((await r.getRawTensor('u8')).values).toEqual(u8);
    expect((await r.getRawTensor('i64')).values).toEqual(i64);
    expect((await r.getRawTensor('long')).values).toEqual(BigInt64Array.from([-5n, 1234567890123456789n]));
    expect(io.toLongs((await r.getRawTensor('i64')).values as BigInt64Array).map((l) => l.toString())).toEqual(['-1', '9007199254740993', '-9223372036854775808']);
    // conversions into core dtypes
    const f = await r.getTensor('f64');
    expect(f.dtype).toBe('float32');
    expect(nums(f)).toEqual(Array.from(f64, Math.fround));
    expect([(await r.getTensor('u8')).dtype, nums(await r.getTensor('u8'))]).toEqual(['int32', [0, 7, 255]]);
    expect(nums(await r.getTensor('half'))).toEqual([1.5, -65504, 5.960464477539063e-8]);
    expect(nums(await r.getTensor('bf16'))).toEqual([1.5, -3.140625]);
    expect(nums(await r.getTensor('i8'))).toEqual([-128, 127]);
    expect(nums(await r.getTensor('u32'))).toEqual([4294967295]);
    expect((await r.getTensor('u32')).dtype).toBe('int64');
    expect((await r.getTensor('step')).dataSync()).toEqual(BigInt64Array.from([12345678901234n]));
    expect((await r.getTensor('b')).dataSync()).toEqual(Uint8Array.from([1, 0, 1]));
    expect((await r.getTensor('s')).arraySync()).toEqual(['', 'héllo', 'x'.repeat(300)]);
    expect((await r.getTensor('empty')).shape).toEqual([0, 3]);
    expect((await r.reader()).entry('empty').crc32c).toBe(0xa282ead8);
    expect(nums(await r.getTensor('f32'))).toEqual([1.5, -2, 3, 4]);
    await r.close();
  });

  test('writer input errors', async () => {
    const w = new io.BundleWriter(join(tmp.dir, 'bad'));
    await expect(w.add('', ef.tensor([1]))).rejects.toThrow(/must not be empty/);
    await expect(w.add('x', { dtype: 'float64', shape: [2], values: new Float32Array(2) } as io.TensorInput)).rejects.toThrow(/float64 values must be a Float64Array/);
    await expect(w.add('x', { dtype: 'float32', shape: [3], values: new Float32Array(2) })).rejects.toThrow(/needs 3 values, got 2/);
    await w.add('x', ef.tensor([1]));
    await expect(w.add('x', ef.tensor([1]))).rejects.toThrow(/added twice/);
    await w.abort();
  });
});

describe('corrupt checkpoints give errors naming file, tensor and problem', () => {
  const src = fx('checkpoint/tfx_estimator/model.ckpt-1000');
  const copy = (name: string) => {
    const p = join(tmp.dir, name);
    copyFileSync(`${src}.index`, `${p}.index`);
    copyFileSync(`${src}.data-00000-of-00001`, `${p}.data-00000-of-00001`);
    return p;
  };

  test('bad tensor CRC', async () => {
    const p = copy('badcrc');
    const data = bytes(`${p}.data-00000-of-00001`);
    data[400 + 5] ^= 1; // inside dnn/hiddenlayer_0/kernel
    writeFileSync(`${p}.data-00000-of-00001`, data);
    const r = await io.CheckpointReader.open(p);
    await expect(r.getTensor('dnn/hiddenlayer_0/kernel')).rejects.toThrow(
      new RegExp(`badcrc\\.data-00000-of-00001: tensor 'dnn/hiddenlayer_0/kernel': crc32c mismatch: index has 0xe5e459d3`),
    );
    expect(nums(await r.getTensor('dnn/hiddenlayer_0/bias')).length).toBe(100);
    await r.close();
  });

  test('truncated data file', async () => {
    const p = copy('trunc');
    writeFileSync(`${p}.data-00000-of-00001`, bytes(`${p}.data-00000-of-00001`).subarray(0, 126000));
    const r = await io.CheckpointReader.open(p);
    await expect(r.getTensor('training/Ftrl/linear/linear_model/trip_start_month_xf/weights/linear')).rejects.toThrow(
      /trunc\.data-00000-of-00001: tensor 'training\/Ftrl\/linear\/linear_model\/trip_start_month_xf\/weights\/linear': bytes \[126168, 126216\) run past the end of the data file \(126000 bytes; truncated\?\)/,
    );
    await r.close();
  });

  test('wrong magic, truncated index, bad block CRC, missing files', async () => {
    const p = copy('magic');
    const idx = bytes(`${p}.index`);
    idx[idx.length - 3] ^= 0xff;
    writeFileSync(`${p}.index`, idx);
    await expect(io.CheckpointReader.open(p)).rejects.toThrow(/magic\.index: bad table magic/);
    writeFileSync(`${p}.index`, bytes(`${src}.index`).subarray(0, 2000));
    await expect(io.CheckpointReader.open(p)).rejects.toThrow(/magic\.index: bad table magic/);
    const flipped = bytes(`${src}.index`);
    flipped[50] ^= 4;
    writeFileSync(`${p}.index`, flipped);
    await expect(io.CheckpointReader.open(p)).rejects.toThrow(/magic\.index: checksum mismatch in data block at offset 0/);
    await expect(io.CheckpointReader.open(join(tmp.dir, 'nothing'))).rejects.toThrow(/nothing' not found: .*nothing\.index does not exist/);
    const q = copy('nodata');
    const { rmSync } = await import('node:fs');
    rmSync(`${q}.data-00000-of-00001`);
    const r = await io.CheckpointReader.open(q);
    await expect(r.getTensor('global_step')).rejects.toThrow(/data file .*nodata\.data-00000-of-00001 is missing/);
  });
});

describe('checkpoints on mem://', () => {
  test('save, list, read back', async () => {
    io.gfile.resetMemoryFileSystem();
    await io.gfile.makeDirs('mem://run/ckpt');
    await io.saveTensors('mem://run/ckpt/model', { w: ef.tensor([1, 2, 3]), step: ef.tensor([7n], [], 'int64') });
    expect(await io.gfile.listDirectory('mem://run/ckpt')).toEqual(['model.data-00000-of-00001', 'model.index']);
    const r = await io.CheckpointReader.open('mem://run/ckpt/model');
    expect(nums(await r.getTensor('w'))).toEqual([1, 2, 3]);
    expect((await r.getTensor('step')).dataSync()).toEqual(BigInt64Array.from([7n]));
    // the fixture copied onto mem:// reads the same
    for (const s of ['.index', '.data-00000-of-00001']) {
      await io.gfile.writeFile(`mem://fx/model.ckpt-1000${s}`, bytes(fx(`checkpoint/tfx_estimator/model.ckpt-1000${s}`)));
    }
    expect(nums(await io.loadVariable('mem://fx/model.ckpt-1000', 'dnn/logits/bias'))).toEqual([Math.fround(-0.0688979402)]);
  });
});

describe('large tensors (checksums on worker threads)', () => {
  afterAll(async () => {
    await io.shutdownCrcWorkers(); // so jest's worker process exits promptly
  });
  test('2 MiB tensors round-trip; their CRCs equal the synchronous ones; corruption is caught', async () => {
    io.setCrcWorkers(true); // the default in Node; stated for clarity
    const prefix = join(tmp.dir, 'large');
    const a = new Float32Array(600_000).map((_, i) => Math.sin(i));
    const ta = ef.makeTensor(a, [600_000], 'float32');
    const backing = new Float64Array(400_001).map((_, i) => i / 3);
    const view = backing.subarray(1); // a view into a larger buffer must not be detached
    await io.saveTensors(prefix, { a: ta, b: { dtype: 'float64', shape: [400_000], values: view } });
    expect(view[0]).toBe(1 / 3);
    const r = await io.CheckpointReader.open(prefix);
    const ea = (await r.reader()).entry('a');
    expect(ea.crc32c).toBe(io.maskCrc(io.crc32c(new Uint8Array(a.buffer))));
    expect((await r.reader()).entry('b').crc32c).toBe(io.maskCrc(io.crc32c(new Uint8Array(view.buffer, view.byteOffset, view.byteLength))));
    const same = (x: ArrayBufferView, y: ArrayBufferView) =>
      Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));
    expect(same((await r.getTensor('a')).dataSync() as Float32Array, a)).toBe(true);
    expect(same((await r.getRawTensor('b')).values as Float64Array, view)).toBe(true);
    await r.close();
    const data = bytes(`${prefix}.data-00000-of-00001`);
    data[1_000_000] ^= 0x10;
    writeFileSync(`${prefix}.data-00000-of-00001`, data);
    await expect(io.loadVariable(prefix, 'a')).rejects.toThrow(/large\.data-00000-of-00001: tensor 'a': crc32c mismatch/);
  });
});

describe('hand-built bundles', () => {
  test('big-endian bundle (header endianness BIG) is byte-swapped on read; unsupported dtypes and slices are named', async () => {
    const prefix = join(tmp.dir, 'bigendian');
    const data = new Uint8Array(8);
    const dv = new DataView(data.buffer);
    dv.setFloat32(0, 1.5, false);
    dv.setFloat32(4, -2, false);
    const t = new io.TableBuilder();
    t.add(new Uint8Array(0), Uint8Array.from([0x08, 0x01, 0x10, 0x01, 0x1a, 0x02, 0x08, 0x01])); // num_shards 1, BIG, producer 1
    const enc = (s: string) => new TextEncoder().encode(s);
    t.add(enc('c64'), io.encodeEntry({ tfDtype: 8, shape: [1], shardId: 0, offset: 0, size: 8, crc32c: io.maskCrc(io.crc32c(data)) }));
    t.add(enc('x'), io.encodeEntry({ tfDtype: 1, shape: [2], shardId: 0, offset: 0, size: 8, crc32c: io.maskCrc(io.crc32c(data)) }));
    writeFileSync(`${prefix}.index`, t.finish());
    writeFileSync(`${prefix}.data-00000-of-00001`, data);
    const r = await io.CheckpointReader.open(prefix);
    expect((await r.reader()).header.endianness).toBe('big');
    expect(nums(await r.getTensor('x'))).toEqual([1.5, -2]);
    expect((await r.listVariables()).find((v) => v.name === 'c64')!.dtype).toBe('complex64');
    await expect(r.getTensor('c64')).rejects.toThrow(/bigendian\.data-00000-of-00001: tensor 'c64': dtype complex64 is not supported/);
    await r.close();
  });
});
