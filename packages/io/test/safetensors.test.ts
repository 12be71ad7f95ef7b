import { beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import * as io from '@eagerflow/io';
import { fx, nums } from './helpers';

beforeAll(async () => {
  await ef.setBackend('cpu');
});

const bytes = (p: string) => new Uint8Array(readFileSync(fx(`safetensors/${p}`)));
const headerLen = (b: Uint8Array) => Number(new DataView(b.buffer, b.byteOffset).getBigUint64(0, true));

describe('safetensors fixtures', () => {
  test('burn/boolean, integer, buffer', async () => {
    const b = await io.loadSafetensors(fx('safetensors/burn/boolean.safetensors'));
    expect(b.metadata).toBeNull();
    const bb = b.tensors.get('buffer')!;
    expect([bb.dtype, bb.shape, Array.from(bb.dataSync() as Uint8Array)]).toEqual(['bool', [3], [1, 0, 1]]);
    const i = (await io.loadSafetensors(fx('safetensors/burn/integer.safetensors'))).tensors.get('buffer')!;
    expect([i.dtype, i.shape]).toEqual(['int64', [3]]);
    expect(i.dataSync()).toEqual(BigInt64Array.from([1n, 2n, 3n]));
    const f = (await io.loadSafetensors(fx('safetensors/burn/buffer.safetensors'))).tensors.get('buffer')!;
    expect([f.dtype, f.shape, nums(f)]).toEqual(['float32', [3, 3], Array(9).fill(1)]);
    for (const name of ['boolean', 'integer', 'buffer']) expect(headerLen(bytes(`burn/${name}.safetensors`))).toBe(64);
  });

  test('burn/linear values', async () => {
    const { tensors } = await io.loadSafetensors(fx('safetensors/burn/linear.safetensors'));
    expect([...tensors.keys()].sort()).toEqual(['fc1.bias', 'fc1.weight', 'fc2.weight']);
    const f = (n: number[]) => n.map(Math.fround);
    expect(nums(tensors.get('fc1.bias')!)).toEqual(f([-0.1454697549343109, 0.35973623394966125, 0.09829985350370407]));
    expect(tensors.get('fc1.weight')!.shape).toEqual([3, 2]);
    expect(nums(tensors.get('fc1.weight')!)).toEqual(f([0.36434608697891235, -0.3121015429496765, -0.13708077371120453, 0.3318939507007599, -0.665696382522583, 0.42406412959098816]));
    expect(tensors.get('fc2.weight')!.shape).toEqual([4, 3]);
    expect(nums(tensors.get('fc2.weight')!)).toEqual(
      f([-0.07069316506385803, 0.16013438999652863, 0.02848171815276146, 0.2108645886182785, -0.2249939739704132, -0.04209389165043831, -0.05197730287909508, 0.08368343114852905, -0.0023064117413014174, 0.5047003626823425, 0.1796656996011734, -0.21500883996486664]),
    );
    expect(headerLen(bytes('burn/linear.safetensors'))).toBe(200);
  });

  test('burn/multi_layer: 0-d I64 first in the buffer, header order and offsets', async () => {
    const raw = await io.loadSafetensorsRaw(fx('safetensors/burn/multi_layer.safetensors'));
    expect(raw.headerLength).toBe(648);
    expect([...raw.header.keys()]).toEqual(['norm1.num_batches_tracked', 'conv1.bias', 'conv1.weight', 'fc1.bias', 'fc1.weight', 'norm1.bias', 'norm1.running_mean', 'norm1.running_var', 'norm1.weight']);
    const h = (k: string) => raw.header.get(k)!;
    expect(h('norm1.num_batches_tracked')).toEqual({ dtype: 'I64', shape: [], dataOffsets: [0, 8] });
    expect(h('conv1.bias')).toEqual({ dtype: 'F32', shape: [4], dataOffsets: [8, 24] });
    expect(h('conv1.weight')).toEqual({ dtype: 'F32', shape: [4, 3, 3, 3], dataOffsets: [24, 456] });
    expect(h('fc1.bias').dataOffsets).toEqual([456, 520]);
    expect(h('fc1.weight')).toEqual({ dtype: 'F32', shape: [16, 256], dataOffsets: [520, 16904] });
    expect(h('norm1.weight').dataOffsets).toEqual([16952, 16968]);
    const { tensors } = await io.loadSafetensors(fx('safetensors/burn/multi_layer.safetensors'));
    const step = tensors.get('norm1.num_batches_tracked')!;
    expect([step.dtype, step.shape, step.dataSync()]).toEqual(['int64', [], BigInt64Array.from([1n])]);
    expect(nums(tensors.get('norm1.weight')!)).toEqual([1, 1, 1, 1]);
    expect(nums(tensors.get('norm1.bias')!)).toEqual([0, 0, 0, 0]);
    expect(nums(tensors.get('conv1.bias')!)[0]).toBeCloseTo(0.13191646, 7);
  });

  test('mlverse/hello and the unaligned swift file', async () => {
    const { tensors } = await io.loadSafetensors(fx('safetensors/mlverse/hello.safetensors'));
    expect([tensors.get('hello')!.shape, nums(tensors.get('hello')!)]).toEqual([[10, 10], Array(100).fill(1)]);
    expect([tensors.get('world')!.shape, nums(tensors.get('world')!)]).toEqual([[5, 10], Array(50).fill(0)]);
    const raw = await io.loadSafetensorsRaw(fx('safetensors/swift_safetensors/data.safetensors'));
    expect(raw.headerLength).toBe(60);
    const t = raw.tensors.get('test')!;
    expect([t.dtype, t.shape, Array.from(t.values as Int32Array)]).toEqual(['int32', [2, 2], [0, 0, 0, 0]]);
  });

  test('re-serialising reproduces every padded fixture byte for byte; the unpadded swift file gains padding', async () => {
    for (const name of ['burn/boolean', 'burn/integer', 'burn/buffer', 'burn/linear', 'burn/multi_layer', 'mlverse/hello']) {
      const file = bytes(`${name}.safetensors`);
      const raw = io.parseSafetensors(file, name);
      const out = await io.serializeSafetensors(raw.tensors, raw.metadata);
      expect([name, Buffer.from(out).equals(Buffer.from(file))]).toEqual([name, true]);
    }
    const swift = bytes('swift_safetensors/data.safetensors');
    const out = await io.serializeSafetensors(io.parseSafetensors(swift).tensors);
    expect(headerLen(out)).toBe(64);
    expect(Buffer.from(out.subarray(8 + 64)).equals(Buffer.from(swift.subarray(8 + 60)))).toBe(true);
  });

  test('reference serialisation vectors (formats.md §5)', async () => {
    const out = await io.serializeSafetensors({ 'attn.0': ef.tensor([0, 1, 2, 3, 4, 5], [1, 2, 3]) });
    expect(headerLen(out)).toBe(64);
    expect(new TextDecoder().decode(out.subarray(8, 72))).toBe('{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}');
    expect(Array.from(out.subarray(72, 80))).toEqual([0, 0, 0, 0, 0, 0, 0x80, 0x3f]);
    const meta = await io.serializeSafetensors({}, { framework: 'pt' });
    expect(headerLen(meta)).toBe(40);
    expect(new TextDecoder().decode(meta.subarray(8))).toBe('{"__metadata__":{"framework":"pt"}}     ');
  });

  test('save/load round trip with metadata on disk and mem://', async () => {
    const { tempDir } = await import('./helpers');
    const tmp = tempDir();
    for (const path of ['mem://st/a.safetensors', `${tmp.dir}/a.safetensors`]) {
      await io.saveSafetensors(path, { w: ef.tensor([[1, 2]]), n: ef.tensor([5n], [], 'int64'), d: { dtype: 'float64', shape: [1], values: Float64Array.from([0.1]) } }, { format: 'pt' });
      const raw = await io.loadSafetensorsRaw(path);
      expect(raw.metadata).toEqual({ format: 'pt' });
      expect([...raw.header.keys()]).toEqual(['n', 'd', 'w']); // I64 before F64 (alignment enum order), then F32
      expect(raw.tensors.get('d')!.values).toEqual(Float64Array.from([0.1]));
    }
    tmp.cleanup();
  });
});

describe('safetensors validation', () => {
  const make = (header: object, dataLen: number, pad = true) => {
    let h = JSON.stringify(header);
    if (pad) while (h.length % 8) h += ' ';
    const out = new Uint8Array(8 + h.length + dataLen);
    new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
    out.set(new TextEncoder().encode(h), 8);
    return out;
  };
  const T = (o: [number, number], shape = [1]) => ({ dtype: 'F32', shape, data_offsets: o });

  test('overlap, hole, out of range, size mismatch, trailing bytes, bad header', () => {
    expect(() => io.parseSafetensors(make({ a: T([0, 4]), b: T([2, 6]) }, 6), 'f')).toThrow(/f: tensor 'b': data_offsets \[2, 6\] overlap tensor 'a' \(which ends at 4\)/);
    expect(() => io.parseSafetensors(make({ a: T([0, 4]), b: T([8, 12]) }, 12), 'f')).toThrow(/tensor 'b': data_offsets begin at 8, leaving a hole after byte 4/);
    expect(() => io.parseSafetensors(make({ a: T([0, 4]), b: T([4, 8]) }, 6), 'f')).toThrow(/tensor 'b': data_offsets \[4, 8\] out of range: the data buffer has 6 bytes/);
    expect(() => io.parseSafetensors(make({ a: T([0, 8]) }, 8), 'f')).toThrow(/F32 shape \[1\] needs 4 bytes, data_offsets give 8/);
    expect(() => io.parseSafetensors(make({ a: T([0, 4]) }, 5), 'f')).toThrow(/buffer has 5 bytes but tensors cover 4/);
    expect(() => io.parseSafetensors(make({ a: T([4, 0]) }, 4), 'f')).toThrow(/end before they begin/);
    expect(() => io.parseSafetensors(make({ a: { dtype: 'Q9', shape: [1], data_offsets: [0, 1] } }, 1), 'f')).toThrow(/dtype Q9 is unknown/);
    expect(() => io.parseSafetensors(make({ a: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } }, 1), 'f')).toThrow(/not supported/);
    expect(() => io.parseSafetensors(make({ __metadata__: { a: 1 } }, 0), 'f')).toThrow(/__metadata__ value for 'a' is not a string/);
    const dup = new TextEncoder().encode('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}');
    const f = new Uint8Array(8 + dup.length + 4);
    new DataView(f.buffer).setBigUint64(0, BigInt(dup.length), true);
    f.set(dup, 8);
    expect(() => io.parseSafetensors(f, 'f')).toThrow(/duplicate key "a"/);
    const big = new Uint8Array(16);
    new DataView(big.buffer).setBigUint64(0, 1000n, true);
    expect(() => io.parseSafetensors(big, 'f')).toThrow(/header length 1000 runs past the end of the 16-byte file/);
    new DataView(big.buffer).setBigUint64(0, 2n ** 40n, true);
    expect(() => io.parseSafetensors(big, 'f')).toThrow(/exceeds the limit/);
    expect(() => io.parseSafetensors(new Uint8Array(3), 'f')).toThrow(/too short/);
  });

  test('writer rejects strings and reserved names', async () => {
    await expect(io.serializeSafetensors({ s: ef.tensor(['a']) })).rejects.toThrow(/dtype string has no safetensors equivalent/);
    await expect(io.serializeSafetensors({ __metadata__: ef.tensor([1]) })).rejects.toThrow(/reserved/);
  });
});
