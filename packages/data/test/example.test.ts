import { beforeAll, describe, expect, test } from '@jest/globals';
import Long from 'long';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import * as d from '@eagerflow/data';
import { collect, EVAL_ROWS, IRIS, PENGUIN_EVAL, PENGUIN_TRAIN, penguinRows, SEQUENCE, td, te } from './helpers.js';

beforeAll(async () => {
  await ef.setBackend('cpu');
});

const f32 = (x: number): number => Math.fround(x);
const floats = (f: d.Feature): number[] => (f.kind === 'floatList' ? Array.from(f.value) : []);

describe('Example fixtures', () => {
  test('iris: the exact float values and one-hot keys of fixtures/README.md §2.2', async () => {
    const expected = [
      [-0.90068119764328, 0.8006542325019836, -1.2844066619873047, -1.3129767179489136, 'class_name_Iris_setosa'],
      [-1.0218490362167358, -1.7447783946990967, -0.2608240246772766, -0.2611929774284363, 'class_name_Iris_versicolor'],
      [-1.5065205097198486, 0.8006542325019836, -1.3412723541259766, -1.1815037727355957, 'class_name_Iris_setosa'],
      [-0.41600969433784485, -1.0505694150924683, 0.36469870805740356, 0.0017529729520902038, 'class_name_Iris_versicolor'],
      [-0.17367394268512726, -0.1249575987458229, 0.2509672939777374, 0.0017529729520902038, 'class_name_Iris_versicolor'],
      [2.249683380126953, 1.7262661457061768, 1.6726099252700806, 1.316482663154602, 'class_name_Iris_virginica'],
    ] as const;
    const recs = await collect(d.readTFRecords(IRIS));
    recs.forEach((r, i) => {
      const ex = d.decodeExample(r);
      const [pl, pw, sl, sw, hot] = expected[i]!;
      expect(Object.keys(ex.features).sort()).toEqual([hot, 'petal_length', 'petal_width', 'sepal_length', 'sepal_width'].sort());
      expect(floats(ex.features.petal_length!)).toEqual([pl]);
      expect(floats(ex.features.petal_width!)).toEqual([pw]);
      expect(floats(ex.features.sepal_length!)).toEqual([sl]);
      expect(floats(ex.features.sepal_width!)).toEqual([sw]);
      expect(floats(ex.features[hot]!)).toEqual([1]);
    });
  });

  test('penguin: first train record is byte-for-byte as formats.md §2.2 and equals CSV row 0', async () => {
    const [first] = await collect(d.readTFRecords(PENGUIN_TRAIN, { compression: 'GZIP' }));
    expect(first!.length).toBe(136);
    expect([...first!.subarray(0, 3)]).toEqual([0x0a, 0x85, 0x01]);
    const hex = Buffer.from(first!).toString('hex');
    expect(hex).toContain('0a1d0a11' + Buffer.from('flipper_length_mm').toString('hex') + '1208120' + '60a0411341c3e');
    expect(hex).toContain('0a100a07' + Buffer.from('species').toString('hex') + '12051a030a0100');
    const ex = d.decodeExample(first!);
    const sp = ex.features.species!;
    expect(sp.kind).toBe('int64List');
    expect(sp.kind === 'int64List' && sp.value.map(String)).toEqual(['0']);
    expect(floats(ex.features.flipper_length_mm!)).toEqual([f32(0.15254237288135594)]);
    expect(floats(ex.features.culmen_length_mm!)).toEqual([f32(0.2545454545454545)]);
  });

  test('penguin: train ∪ eval is exactly the CSV in order, eval rows as listed, species counts', async () => {
    const rows = penguinRows();
    expect(rows).toHaveLength(334);
    const spec = {
      species: d.FixedLenFeature([], 'int64'),
      culmen_length_mm: d.FixedLenFeature([], 'float32'),
      culmen_depth_mm: d.FixedLenFeature([], 'float32'),
      flipper_length_mm: d.FixedLenFeature([], 'float32'),
      body_mass_g: d.FixedLenFeature([], 'float32'),
    };
    const asRows = async (file: string): Promise<number[][]> => {
      const out: number[][] = [];
      for await (const r of d.readTFRecords(file, { compression: 'GZIP' })) {
        expect(Object.keys(d.decodeExample(r).features)).toHaveLength(5);
        const p = d.parseSingleExampleHost(r, spec);
        out.push(['species', 'culmen_length_mm', 'culmen_depth_mm', 'flipper_length_mm', 'body_mass_g'].map((k) => Number((p[k] as d.HostTensor).values[0])));
      }
      return out;
    };
    const train = await asRows(PENGUIN_TRAIN);
    const evalRows = await asRows(PENGUIN_EVAL);
    expect(train).toHaveLength(234);
    expect(evalRows).toHaveLength(100);
    const evalSet = new Set(EVAL_ROWS);
    const rounded = rows.map((r) => [r[0]!, ...r.slice(1).map(f32)]);
    expect(evalRows).toEqual(EVAL_ROWS.map((i) => rounded[i]));
    expect(train).toEqual(rounded.filter((_, i) => !evalSet.has(i)));
    const counts = (rs: number[][]) => rs.reduce<Record<number, number>>((c, r) => ((c[r[0]!] = (c[r[0]!] ?? 0) + 1), c), {});
    expect(counts(train)).toEqual({ 0: 99, 1: 46, 2: 89 });
    expect(counts(evalRows)).toEqual({ 0: 47, 1: 22, 2: 31 });
  });

  test('tfx_sequence: 4500 SequenceExamples, k = 10500 + j, empty context when k % 10 == 0', async () => {
    let j = 0;
    const bad: string[] = [];
    let empty = 0;
    for await (const r of d.readTFRecords(SEQUENCE, { compression: 'GZIP' })) {
      const k = 10500 + j;
      const seq = d.decodeSequenceExample(r);
      const i = seq.context.i!;
      const f = seq.context.f!;
      const ctx = i.kind === 'none' && f.kind === 'none' ? 'empty' : i.kind === 'int64List' && f.kind === 'floatList' ? `${i.value.map(String)}|${Array.from(f.value)}` : 'other';
      const want = k % 10 === 0 ? 'empty' : `${k}|${k}`;
      if (ctx === 'empty') empty++;
      const s = seq.featureLists.s!.map((x) => (x.kind === 'bytesList' ? x.value.map((b) => td.decode(b)).join(',') : x.kind)).join(';');
      if (ctx !== want || s !== `${k};${k + 1}` || Object.keys(seq.featureLists).length !== 1) bad.push(`record ${j}: context ${ctx}, s ${s}`);
      j++;
    }
    expect(bad).toEqual([]);
    expect(j).toBe(4500);
    expect(empty).toBe(450);
  });

  test('tfx_sequence through parseSingleSequenceExample (defaults for the empty context)', async () => {
    const recs = (await collect(d.readTFRecords(SEQUENCE, { compression: 'GZIP' }))).slice(0, 12);
    const ctx = { i: d.FixedLenFeature([], 'int64', -1), f: d.FixedLenFeature([], 'float32', -1) };
    const seqSpec = { s: d.FixedLenSequenceFeature([], 'string') };
    const p10 = d.parseSingleSequenceExample(recs[10]!, ctx, seqSpec);
    expect((p10.context.i as ef.Tensor).dataSync()).toEqual(BigInt64Array.of(-1n));
    expect(((p10.sequence.s as ef.Tensor).arraySync() as string[])).toEqual(['10510', '10511']);
    const p11 = d.parseSingleSequenceExample(recs[11]!, ctx, { s: d.VarLenFeature('string') });
    expect((p11.context.i as ef.Tensor).dataSync()).toEqual(BigInt64Array.of(10511n));
    expect((p11.context.f as ef.Tensor).dataSync()).toEqual(Float32Array.of(10511));
    const sp = p11.sequence.s as d.SparseTensor;
    expect(sp.indices.arraySync()).toEqual([[0n, 0n], [1n, 0n]]);
    expect(sp.shapeSync()).toEqual([2, 1]);
    expect(() => d.parseSingleSequenceExample(recs[10]!, { i: d.FixedLenFeature([], 'int64') })).toThrow(/context feature 'i' is required but missing/);
  });
});

describe('Example encode/decode', () => {
  test('round trip of all kinds, including the no-kind feature and empty lists', () => {
    const bytes = d.encodeExample({
      features: {
        img: d.bytesFeature([new Uint8Array([0, 1, 255]), 'text']),
        x: d.floatFeature([1.5, -2, 3.25]),
        n: d.int64Feature([0, -1, 2n ** 62n, '-9223372036854775808', Long.MAX_VALUE]),
        none: { kind: 'none' },
        emptyF: d.floatFeature([]),
      },
    });
    const ex = d.decodeExample(bytes);
    expect(ex.features.img).toEqual({ kind: 'bytesList', value: [new Uint8Array([0, 1, 255]), te.encode('text')] });
    expect(ex.features.x).toEqual({ kind: 'floatList', value: Float32Array.of(1.5, -2, 3.25) });
    const n = ex.features.n!;
    expect(n.kind === 'int64List' && n.value.map(String)).toEqual(['0', '-1', String(2n ** 62n), '-9223372036854775808', '9223372036854775807']);
    expect(ex.features.none).toEqual({ kind: 'none' });
    expect(ex.features.emptyF).toEqual({ kind: 'floatList', value: new Float32Array(0) });
  });

  test('negative int64 is a 10-byte varint: Int64List [-1] = 0a 0a ff×9 01', () => {
    const b = d.encodeExample({ features: { v: d.int64Feature(-1) } });
    expect(Buffer.from(b).toString('hex')).toContain('1a0c0a0affffffffffffffffff01');
  });

  test('int64 beyond 2^53 is exact; unsafe JS numbers are refused', () => {
    const big = 9007199254740993n; // 2^53 + 1
    const b = d.encodeExample({ features: { v: d.int64Feature([big, -big]) } });
    const parsed = d.parseSingleExample(b, { v: d.FixedLenFeature([2], 'int64') });
    expect((parsed.v as ef.Tensor).dataSync()).toEqual(BigInt64Array.of(big, -big));
    expect(() => d.encodeExample({ features: { v: d.int64Feature(2 ** 60) } })).toThrow(/beyond 2\^53/);
  });

  test('unpacked repeated floats/int64s and repeated packed chunks are accepted', () => {
    // Feature{float_list{value: 1.0 (unpacked), value: 2.0 (unpacked)}} and int64 [5, 6] as two unpacked + one packed [7]
    const floatList = [0x0d, ...new Uint8Array(Float32Array.of(1).buffer), 0x0d, ...new Uint8Array(Float32Array.of(2).buffer)];
    const feature = [0x12, floatList.length, ...floatList];
    const int64List = [0x08, 5, 0x08, 6, 0x0a, 1, 7];
    const feature2 = [0x1a, int64List.length, ...int64List];
    const entry = (key: string, val: number[]) => {
      const k = [...te.encode(key)];
      const body = [0x0a, k.length, ...k, 0x12, val.length, ...val];
      return [0x0a, body.length, ...body];
    };
    const features = [...entry('f', feature), ...entry('i', feature2)];
    const ex = new Uint8Array([0x0a, features.length, ...features]);
    const dec = d.decodeExample(ex);
    expect(floats(dec.features.f!)).toEqual([1, 2]);
    const i = dec.features.i!;
    expect(i.kind === 'int64List' && i.value.map(Number)).toEqual([5, 6, 7]);
    const p = d.parseSingleExample(ex, { f: d.FixedLenFeature([2], 'float32'), i: d.FixedLenFeature([3], 'int32') });
    expect(Array.from((p.f as ef.Tensor).dataSync() as Float32Array)).toEqual([1, 2]);
    expect(Array.from((p.i as ef.Tensor).dataSync() as Int32Array)).toEqual([5, 6, 7]);
    expect((p.i as ef.Tensor).dtype).toBe('int32');
  });

  test('duplicate map keys: the last wins; malformed bytes are clear errors', () => {
    const a = d.encodeExample({ features: { k: d.floatFeature(1) } });
    const b = d.encodeExample({ features: { k: d.floatFeature(2) } });
    const both = new Uint8Array([...a, ...b]); // two Features fields merge
    expect(floats(d.decodeExample(both).features.k!)).toEqual([2]);
    expect(() => d.parseSingleExample(a.subarray(0, a.length - 2), { k: d.FixedLenFeature([], 'float32') })).toThrow(/could not parse serialized example/);
  });

  test('SequenceExample encode/decode round trip', () => {
    const b = d.encodeSequenceExample({
      context: { id: d.int64Feature(7) },
      featureLists: { tok: [d.bytesFeature('a'), d.bytesFeature(['b', 'c'])], w: [d.floatFeature([0.5, 1]), d.floatFeature([2, 3])] },
    });
    const s = d.decodeSequenceExample(b);
    expect(s.context.id!.kind === 'int64List' && s.context.id!.value.map(Number)).toEqual([7]);
    expect(s.featureLists.tok!.map((f) => (f.kind === 'bytesList' ? f.value.map((x) => td.decode(x)) : []))).toEqual([['a'], ['b', 'c']]);
    const p = d.parseSingleSequenceExample(b, { id: d.FixedLenFeature([], 'int64') }, { w: d.FixedLenSequenceFeature([2], 'float32') });
    expect((p.sequence.w as ef.Tensor).shape).toEqual([2, 2]);
    expect((p.sequence.w as ef.Tensor).arraySync()).toEqual([[0.5, 1], [2, 3]]);
  });
});

describe('parseSingleExample / parseExample', () => {
  const mk = (label: number | bigint, img: number[], tags?: string[]) =>
    d.encodeExample({
      features: {
        label: d.int64Feature(label),
        img: d.bytesFeature(new Uint8Array(img)),
        ...(tags ? { tags: d.bytesFeature(tags) } : {}),
      },
    });

  test('the notes’ flow: FixedLenFeature([], int64 / string), decodeRaw uint8, cast label', () => {
    const ex = mk(3, [0, 128, 255, 7]);
    const f = d.parseSingleExample(ex, { img: d.FixedLenFeature([], 'string'), label: d.FixedLenFeature([], 'int64') });
    const img = d.decodeRaw(f.img as ef.Tensor, 'uint8');
    expect(img.shape).toEqual([4]);
    expect(Array.from(img.dataSync() as Int32Array) /* decodeRaw uint8 → int32 */).toEqual([0, 128, 255, 7]);
    expect((f.label as ef.Tensor).dtype).toBe('int64');
    expect((f.label as ef.Tensor).dataSync()).toEqual(BigInt64Array.of(3n));
    const label32 = d.parseSingleExample(ex, { label: d.FixedLenFeature([], 'int32') }).label as ef.Tensor;
    expect(label32.dtype).toBe('int32');
    expect(Array.from(label32.dataSync() as Int32Array)).toEqual([3]);
  });

  test('FixedLenFeature shapes, defaults, and errors that name the feature', () => {
    const ex = d.encodeExample({ features: { m: d.floatFeature([1, 2, 3, 4, 5, 6]), s: d.bytesFeature(['x']), big: d.int64Feature(2n ** 40n) } });
    const p = d.parseSingleExample(ex, {
      m: d.FixedLenFeature([2, 3], 'float32'),
      missing: d.FixedLenFeature([2], 'float32', [7, 8]),
      missingScalarDefault: d.FixedLenFeature([3], 'int64', 5),
    });
    expect((p.m as ef.Tensor).arraySync()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(Array.from((p.missing as ef.Tensor).dataSync() as Float32Array)).toEqual([7, 8]);
    expect((p.missingScalarDefault as ef.Tensor).dataSync()).toEqual(BigInt64Array.of(5n, 5n, 5n));
    expect(() => d.parseSingleExample(ex, { nope: d.FixedLenFeature([], 'float32') })).toThrow(/feature 'nope' is required but missing/);
    expect(() => d.parseSingleExample(ex, { m: d.FixedLenFeature([4], 'float32') })).toThrow(/feature 'm': FixedLenFeature of shape \[4\] needs 4 values, found 6/);
    expect(() => d.parseSingleExample(ex, { m: d.FixedLenFeature([6], 'int64') })).toThrow(/feature 'm': data is a float_list but the spec asks for int64/);
    expect(() => d.parseSingleExample(ex, { s: d.FixedLenFeature([], 'float32') })).toThrow(/feature 's': data is a bytes_list/);
    expect(() => d.parseSingleExample(ex, { big: d.FixedLenFeature([], 'int32') })).toThrow(/feature 'big': int64 value 1099511627776 does not fit in int32/);
    expect(() => d.FixedLenFeature([2], 'float64' as never)).toThrow(/dtype must be one of/);
    expect(() => d.parseSingleExample(ex, { m: d.FixedLenFeature([1], 'float32', [1, 2]) })).toThrow(/feature 'm': default value has 2 elements but shape \[1\] needs 1/);
  });

  test('VarLenFeature → SparseTensor; parseExample batches dense and sparse', () => {
    const exs = [mk(1, [1, 2], ['a', 'b', 'c']), mk(2, [3, 4]), mk(-5, [5, 6], ['d'])];
    const single = d.parseSingleExample(exs[0]!, { tags: d.VarLenFeature('string') });
    const st = single.tags as d.SparseTensor;
    expect(st).toBeInstanceOf(d.SparseTensor);
    expect(st.indices.arraySync()).toEqual([[0n], [1n], [2n]]);
    expect(st.values.arraySync()).toEqual(['a', 'b', 'c']);
    expect(st.shapeSync()).toEqual([3]);

    const p = d.parseExample(exs, { label: d.FixedLenFeature([], 'int64'), img: d.FixedLenFeature([], 'string'), tags: d.VarLenFeature('string') });
    expect((p.label as ef.Tensor).shape).toEqual([3]);
    expect((p.label as ef.Tensor).dataSync()).toEqual(BigInt64Array.of(1n, 2n, -5n));
    const tags = p.tags as d.SparseTensor;
    expect(tags.indices.arraySync()).toEqual([[0n, 0n], [0n, 1n], [0n, 2n], [2n, 0n]]);
    expect(tags.values.arraySync()).toEqual(['a', 'b', 'c', 'd']);
    expect(tags.shapeSync()).toEqual([3, 3]);
    const img = d.decodeRaw(p.img as ef.Tensor, 'uint8');
    expect(img.arraySync()).toEqual([[1, 2], [3, 4], [5, 6]]);
    // also from a 1-D string tensor, with an error naming the example index
    const t = ef.tensor(exs, [3], 'string');
    expect(((d.parseExample(t, { label: d.FixedLenFeature([], 'int32') }).label as ef.Tensor).dataSync())).toEqual(Int32Array.of(1, 2, -5));
    expect(() => d.parseExample([exs[0]!, d.encodeExample({ features: {} })], { label: d.FixedLenFeature([], 'int64') })).toThrow(/example 1: feature 'label' is required/);
  });

  test('decodeRaw: little/big endian, float32, int16, shape errors', () => {
    const f = new Uint8Array(Float32Array.of(1.5, -2).buffer);
    expect(Array.from(d.decodeRaw(f, 'float32').dataSync() as Float32Array)).toEqual([1.5, -2]);
    expect(Array.from(d.decodeRaw(new Uint8Array([0x01, 0x02]), 'int16').dataSync() as Int32Array)).toEqual([0x0201]);
    expect(Array.from(d.decodeRaw(new Uint8Array([0x01, 0x02]), 'int16', { littleEndian: false }).dataSync() as Int32Array)).toEqual([0x0102]);
    expect(Array.from(d.decodeRaw(new Uint8Array([0xff]), 'int8').dataSync() as Int32Array)).toEqual([-1]);
    expect(d.decodeRaw(new Uint8Array(16), 'int64').dtype).toBe('int64');
    expect(() => d.decodeRaw(new Uint8Array(3), 'float32')).toThrow(/3 bytes is not a multiple of 4/);
    const t = ef.tensor([new Uint8Array([1, 2]), new Uint8Array([3])], [2], 'string');
    expect(() => d.decodeRaw(t, 'uint8')).toThrow(/element 1 has 1 values but element 0 has 2/);
  });
});
