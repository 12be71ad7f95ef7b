import { afterAll, describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import * as d from '@eagerflow/data';
import { collect, FIXTURES, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const TF2 = `${FIXTURES}/events/go_tensorboard_tf2_scalars/events.out.tfevents.1585499054.Jaakkos-Mac-mini.local.11684.5.v2`;
const LEGACY = `${FIXTURES}/events/tensorboard_reducer_strict_run_1/events.out.tfevents.1622543341.janoshs-mbp.lan.86862.0`;

const f32 = (x: number): number => Math.fround(x);
function f32le(x: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, x, true);
  return b;
}

/** The structure of a decoded event: which fields are present, with values replaced by their kind. */
function layout(x: unknown): unknown {
  if (x instanceof Uint8Array) return `bytes`;
  if (Array.isArray(x)) return x.map(layout);
  if (x && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(x).sort()) out[k] = layout((x as Record<string, unknown>)[k]);
    return out;
  }
  return typeof x;
}

describe('reading event files (fixtures §3)', () => {
  test('TF2 tensor scalars: go_tensorboard_tf2_scalars', async () => {
    const ev = await collect(d.readEventFile(TF2));
    expect(ev.length).toBe(101);
    expect(ev[0]).toEqual({ wallTime: 1585499054.0, step: 0, fileVersion: 'brain.Event:2', summary: [] });
    let prev = 0;
    for (let i = 1; i <= 100; i++) {
      const e = ev[i]!;
      const step = i - 1;
      expect(e.step).toBe(step);
      expect(e.fileVersion).toBeUndefined();
      expect(e.summary.length).toBe(1);
      const v = e.summary[0]!;
      expect(v.tag).toBe('my_metric');
      expect(v.simpleValue).toBeUndefined();
      expect(v.tensor!.dtype).toBe(d.DT_FLOAT);
      expect(v.tensor!.shape).toEqual([]);
      expect(v.tensor!.tensorContent).toEqual(f32le(0.5 * step));
      expect(d.scalarValue(v)).toBe(f32(0.5 * step));
      expect(v.metadata).toEqual({ pluginName: 'scalars' });
      expect(e.wallTime).toBeGreaterThan(prev);
      prev = e.wallTime;
    }
    expect(ev[1]!.wallTime).toBeCloseTo(1585499054.13341, 5);
    expect(ev[100]!.wallTime).toBeCloseTo(1585499054.156347, 5);
    for (const e of ev.slice(1)) {
      expect(e.wallTime).toBeGreaterThanOrEqual(1585499054.1334);
      expect(e.wallTime).toBeLessThanOrEqual(1585499054.15635);
    }
    // step 0 is encoded by omitting the field: the raw record 1 has no field-2 tag right after wall_time
    const recs = await collect(d.readTFRecords(TF2));
    expect(recs[1]![9]).toBe(0x2a); // field 5 (summary), LEN
    expect(recs[2]![9]).toBe(0x10); // field 2 (step), VARINT
  });

  test('legacy simple_value scalars: tensorboard_reducer_strict_run_1', async () => {
    const ev = await collect(d.readEventFile(LEGACY));
    expect(ev.length).toBe(101);
    expect(ev[0]!.fileVersion).toBe('brain.Event:2');
    expect(ev[0]!.wallTime).toBeCloseTo(1622543341.75773, 5);
    expect(ev[0]!.summary).toEqual([]);
    const values: number[] = [];
    for (let i = 1; i <= 100; i++) {
      const e = ev[i]!;
      expect(e.step).toBe(5 * (i - 1));
      expect(e.summary.length).toBe(1);
      const v = e.summary[0]!;
      expect(v.tag).toBe('strict/foo');
      expect(v.tensor).toBeUndefined();
      expect(v.simpleValue).toBeGreaterThanOrEqual(1);
      expect(v.simpleValue).toBeLessThan(2);
      expect(d.scalarValue(v)).toBe(v.simpleValue);
      expect(e.wallTime).toBeGreaterThanOrEqual(ev[0]!.wallTime);
      values.push(v.simpleValue!);
    }
    expect(values[0]).toBe(1.4962565898895264);
    expect(values[99]).toBe(1.212090253829956);
    const mean = values.reduce((s, x) => s + x, 0) / values.length;
    expect(Math.abs(mean - 1.4884195291996003)).toBeLessThan(1e-12);
    expect(mean).toBeCloseTo(1.488, 3);
  });
});

describe('SummaryWriter', () => {
  test('file name, file_version record, TF2 scalars read back', async () => {
    const dir = join(tmp.dir, 'run1');
    const w = await d.createFileWriter(dir);
    for (let s = 0; s < 5; s++) await w.scalar('loss', 1 / (s + 1), s);
    await w.flush();
    await w.close();
    const files = readdirSync(dir);
    expect(files.length).toBe(1);
    expect(files[0]).toMatch(/^events\.out\.tfevents\.\d{10}\..+\.\d+\.\d+\.v2$/);
    const ev = await collect(d.readEventFile(join(dir, files[0]!)));
    expect(ev.length).toBe(6);
    expect(ev[0]!.fileVersion).toBe('brain.Event:2');
    expect(Math.abs(ev[0]!.wallTime - Date.now() / 1000)).toBeLessThan(60);
    expect(ev[0]!.summary).toEqual([]);
    for (let s = 0; s < 5; s++) {
      const e = ev[s + 1]!;
      expect(e.step).toBe(s);
      expect(e.summary[0]!.tag).toBe('loss');
      expect(d.scalarValue(e.summary[0]!)).toBe(f32(1 / (s + 1)));
      expect(e.summary[0]!.metadata!.pluginName).toBe('scalars');
    }
  });

  test('our TF2 scalar records have the same layout (and bytes, wall_time aside) as the TF2 fixture', async () => {
    const fixture = await collect(d.readEventFile(TF2));
    const fixtureRecs = await collect(d.readTFRecords(TF2));
    const times = fixture.map((e) => e.wallTime);
    let i = 0;
    const path = join(tmp.dir, 'same.v2');
    const w = new d.SummaryWriter(path, { now: () => times[i++]! });
    for (let s = 0; s < 100; s++) await w.scalar('my_metric', 0.5 * s, s);
    await w.close();
    const ours = await collect(d.readEventFile(path));
    const ourRecs = await collect(d.readTFRecords(path));
    expect(ours.length).toBe(101);
    for (let k = 0; k < 101; k++) {
      expect(layout(ours[k])).toEqual(layout(fixture[k]));
      expect(ours[k]).toEqual(fixture[k]);
      expect(ourRecs[k]).toEqual(fixtureRecs[k]); // byte-identical given the same wall_time
    }
    expect(readFileSync(path)).toEqual(readFileSync(TF2));
  });

  test('legacy scalars (simple_value) match the legacy fixture layout', async () => {
    const fixture = await collect(d.readEventFile(LEGACY));
    const path = join(tmp.dir, 'legacy.0');
    const w = new d.SummaryWriter(path, { legacyScalars: true });
    for (let s = 0; s < 3; s++) await w.scalar('strict/foo', 1.25 + s, 5 * s);
    await w.close();
    const ours = await collect(d.readEventFile(path));
    expect(ours.length).toBe(4);
    for (let k = 1; k < 4; k++) {
      expect(layout(ours[k])).toEqual(layout(fixture[k]));
      expect(ours[k]!.step).toBe(5 * (k - 1));
      expect(ours[k]!.summary[0]!.simpleValue).toBe(1.25 + (k - 1));
    }
  });

  test('histograms: TF default buckets, read back', async () => {
    const limits = d.defaultHistogramBucketLimits();
    expect(limits[0]).toBe(-Number.MAX_VALUE);
    expect(limits[limits.length - 1]).toBe(Number.MAX_VALUE);
    expect(limits.length % 2).toBe(1);
    const mid = (limits.length - 1) / 2;
    expect(limits[mid]).toBe(0);
    expect(limits[mid + 1]).toBe(1e-12);
    expect(limits[mid + 2]).toBe(1e-12 * 1.1);
    expect(limits[mid - 1]).toBe(-1e-12);
    expect(limits[limits.length - 2]).toBeGreaterThanOrEqual(1e20 / 1.1);
    expect(limits[limits.length - 2]).toBeLessThan(1e20);
    for (let k = 1; k < limits.length; k++) expect(limits[k]!).toBeGreaterThan(limits[k - 1]!);

    const values = [0, 1, 1, 2.5, -3, 100];
    const h = d.computeHistogram(values);
    expect(h.min).toBe(-3);
    expect(h.max).toBe(100);
    expect(h.num).toBe(6);
    expect(h.sum).toBe(101.5);
    expect(h.sumSquares).toBe(0 + 1 + 1 + 6.25 + 9 + 10000);
    expect(h.bucket.reduce((s, x) => s + x, 0)).toBe(6);
    expect(h.bucket.length).toBe(h.bucketLimit.length);
    // each nonempty bucket i counts values in [limit[j-1], limit[j]) of the full limit list
    for (let k = 0; k < h.bucket.length; k++) {
      const j = limits.indexOf(h.bucketLimit[k]!);
      expect(j).toBeGreaterThanOrEqual(0);
      const lo = j > 0 ? limits[j - 1]! : -Infinity;
      const n = values.filter((v) => v >= lo && v < h.bucketLimit[k]!).length;
      if (h.bucket[k]! > 0) expect(h.bucket[k]).toBe(n);
      else expect(n).toBe(0);
    }
    // zero lands in the bucket right after limit 0 (upper_bound), i.e. with limit 1e-12
    expect(h.bucket[h.bucketLimit.indexOf(1e-12)]).toBe(1);
    const empty = d.computeHistogram([]);
    expect(empty.bucketLimit).toEqual([Number.MAX_VALUE]);
    expect(empty.bucket).toEqual([0]);

    const path = join(tmp.dir, 'histo.v2');
    const w = new d.SummaryWriter(path);
    await w.histogram('weights', values, 7);
    await w.histogram('weights', new Float32Array([0.5, 0.25]), 8);
    await w.close();
    const ev = await collect(d.readEventFile(path));
    expect(ev.length).toBe(3);
    expect(ev[1]!.step).toBe(7);
    expect(ev[1]!.summary[0]!.tag).toBe('weights');
    expect(ev[1]!.summary[0]!.histo).toEqual(h);
    expect(ev[2]!.summary[0]!.histo).toEqual(d.computeHistogram([0.5, 0.25]));
  });

  test('text and image read back', async () => {
    const path = join(tmp.dir, 'text.v2');
    const w = new d.SummaryWriter(path);
    await w.text('notes', 'héllo **world**', 3);
    const px = Uint8Array.from({ length: 2 * 3 * 3 }, (_, i) => i * 13);
    await w.image('img', px, [2, 3, 3], 4);
    await w.close();
    const ev = await collect(d.readEventFile(path));
    expect(ev.length).toBe(3);
    const t = ev[1]!.summary[0]!;
    expect(ev[1]!.step).toBe(3);
    expect(t.tag).toBe('notes');
    expect(t.tensor!.dtype).toBe(d.DT_STRING);
    expect(t.tensor!.shape).toEqual([]);
    expect(new TextDecoder().decode(t.tensor!.stringVal![0]!)).toBe('héllo **world**');
    expect(t.metadata!.pluginName).toBe('text');

    const im = ev[2]!.summary[0]!.image!;
    expect(ev[2]!.summary[0]!.tag).toBe('img');
    expect([im.height, im.width, im.colorspace]).toEqual([2, 3, 3]);
    const png = im.encodedImageString;
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // IHDR then IDAT: inflate the IDAT and strip the filter bytes
    const dv = new DataView(png.buffer, png.byteOffset, png.length);
    expect(dv.getUint32(16)).toBe(3);
    expect(dv.getUint32(20)).toBe(2);
    const idatLen = dv.getUint32(33);
    expect(new TextDecoder().decode(png.subarray(37, 41))).toBe('IDAT');
    const raw = new Uint8Array(inflateSync(png.subarray(41, 41 + idatLen)));
    const rows = [raw.subarray(1, 10), raw.subarray(11, 20)];
    expect(raw[0]).toBe(0);
    expect([...rows[0]!, ...rows[1]!]).toEqual([...px]);
    // PNG chunk CRC (IEND's is the well-known ae426082)
    expect([...png.subarray(png.length - 4)]).toEqual([0xae, 0x42, 0x60, 0x82]);
  });

  test('write after close throws; memory file system works', async () => {
    const mem = d.memoryFileSystem();
    const w = await d.createFileWriter('/logs', { fs: mem, now: () => 1000 });
    await w.scalar('a', 1, 1);
    await w.close();
    expect(() => w.scalar('a', 2, 2)).toThrow(/after close/);
    const [file] = await mem.glob('/logs/events.out.tfevents.1000.*');
    expect(file).toBeDefined();
    const recs = await collect(d.readTFRecords(file!, { fs: mem }));
    expect(recs.map((r) => d.decodeEvent(r).step)).toEqual([0, 1]);
    expect(d.decodeEvent(recs[0]!).wallTime).toBe(1000);
  });
});
