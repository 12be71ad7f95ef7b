/**
 * TFRecord suite: write, then read-and-parse 100,000 tf.train.Examples (a 784-byte image as
 * bytes_list + an int64 label), with every CRC checked, beside the raw read speed of the same file and
 * the CRC-32C throughput, all in the same run on one core.
 *
 *   npm run bench -- --suite tfrecord              (through the harness)
 *   node dist/tfrecord_bench.mjs [--quick]         (standalone, after `npm run build` here)
 *
 * Rows (impl): crc32c (64 MiB buffer), write (frame + CRC + file), raw_read (file chunks, no parsing),
 * read_crc (framing + both CRCs), read_nocrc (framing only), read_parse_host (framing + CRC +
 * parseSingleExampleHost to typed arrays), read_parse_tensors (same, to eagerflow tensors),
 * dataset_parse_batch (TFRecordDataset → map(parseSingleExample) → batch(256)) and
 * dataset_batch_parse (TFRecordDataset → batch(256) → map(parseExample), TF's recommended order).
 * Times are the best of 5 runs (the file is in the OS page cache after the write), as wall time and
 * as this process's CPU time (user + system; the stable figure on a shared machine).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import * as data from '@eagerflow/data';
import { BenchContext } from './harness.js';

const now = (): number => performance.now();

export async function run(ctx: BenchContext): Promise<void> {
  if (!ctx.wants('tfrecord')) return;
  const n = ctx.quick ? 10_000 : 100_000;
  const reps = ctx.quick ? 1 : 5;
  await ef.setBackend('cpu');
  const dir = mkdtempSync(join(process.env.TFRECORD_BENCH_DIR ?? tmpdir(), 'ef-tfrecord-bench-'));
  const file = join(dir, 'examples.tfrecord');
  /**
   * Rates from wall time (`ms`, `MBps`, `records_per_s`) and from this process's CPU time (`cpu_ms`,
   * `MBps_cpu`, `records_per_s_cpu`): on a busy machine the CPU-time figures are the stable ones.
   */
  const report = (impl: string, t: { wall: number; cpu: number }, bytes: number, records: number | undefined, extra: Record<string, unknown> = {}): void => {
    const p = (x: number): number => Number(x.toPrecision(4));
    const r: Record<string, unknown> = { ms: p(t.wall), cpu_ms: p(t.cpu), MBps: p(bytes / 1e6 / (t.wall / 1000)), MBps_cpu: p(bytes / 1e6 / (t.cpu / 1000)) };
    if (records !== undefined) {
      r.records = records;
      r.records_per_s = Math.round(records / (t.wall / 1000));
      r.records_per_s_cpu = Math.round(records / (t.cpu / 1000));
    }
    ctx.report({ bench: 'tfrecord', impl, backend: 'cpu', ms: r.ms as number, ...r, samples: reps, ...extra });
  };
  /** Best (minimum) wall and CPU time over `reps` runs. */
  const best = async (fn: () => Promise<void> | void): Promise<{ wall: number; cpu: number }> => {
    let wall = Infinity;
    let cpu = Infinity;
    for (let i = 0; i < reps; i++) {
      const c0 = process.cpuUsage();
      const t0 = now();
      await fn();
      wall = Math.min(wall, now() - t0);
      const c = process.cpuUsage(c0);
      cpu = Math.min(cpu, (c.user + c.system) / 1000);
    }
    return { wall, cpu };
  };
  try {
    // CRC-32C on one 64 MiB buffer.
    const big = new Uint8Array(64 << 20);
    for (let i = 0; i < big.length; i++) big[i] = (i * 2654435761) >>> 24;
    data.crc32c(big.subarray(0, 1 << 20)); // warm-up
    const crcMs = await best(() => void data.crc32c(big));
    report('crc32c', crcMs, big.length, undefined);

    // The examples (serialized once; encoding is not part of the write timing).
    const image = new Uint8Array(784);
    const serialized: Uint8Array[] = [];
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < 784; k++) image[k] = (i * 31 + k * 7) & 255;
      serialized.push(data.encodeExample({ features: { image: data.bytesFeature(image.slice()), label: data.int64Feature(i % 10) } }));
    }
    const payloadBytes = serialized.reduce((s, b) => s + b.length, 0);

    const writeMs = await best(async () => {
      const w = new data.TFRecordWriter(file, { bufferSize: 4 << 20 });
      for (const s of serialized) await w.write(s);
      await w.close();
    });
    const fileBytes = statSync(file).size;
    report('write', writeMs, fileBytes, n, { file_MB: Number((fileBytes / 1e6).toFixed(1)), example_bytes: serialized[0]!.length });

    const fs = data.getFileSystem();
    const rawMs = await best(async () => {
      let total = 0;
      for await (const c of fs.readChunks(file, 1 << 20)) total += c.length;
      if (total !== fileBytes) throw new Error('short read');
    });
    report('raw_read', rawMs, fileBytes, undefined);

    const readFraming = async (verifyChecksums: boolean): Promise<{ wall: number; cpu: number }> =>
      best(async () => {
        let k = 0;
        for await (const g of data.readTFRecords(file, { verifyChecksums }).batches()) k += g.length;
        if (k !== n) throw new Error(`read ${k} records`);
      });
    report('read_crc', await readFraming(true), fileBytes, n);
    report('read_nocrc', await readFraming(false), fileBytes, n);

    const spec = { image: data.FixedLenFeature([], 'string'), label: data.FixedLenFeature([], 'int64') };
    const parseHostMs = await best(async () => {
      let sum = 0n;
      for await (const g of data.readTFRecords(file).batches()) {
        for (const r of g) {
          const p = data.parseSingleExampleHost(r, spec);
          sum += (p.label as data.HostTensor).values[0] as bigint;
        }
      }
      if (sum !== BigInt(Array.from({ length: n }, (_, i) => i % 10).reduce((a, b) => a + b, 0))) throw new Error('bad labels');
    });
    report('read_parse_host', parseHostMs, fileBytes, n);

    const parseTensorMs = await best(async () => {
      let k = 0;
      for await (const g of data.readTFRecords(file).batches()) {
        for (const r of g) {
          const p = data.parseSingleExample(r, spec);
          (p.image as ef.Tensor).dispose();
          (p.label as ef.Tensor).dispose();
          k++;
        }
      }
      if (k !== n) throw new Error('count');
    });
    report('read_parse_tensors', parseTensorMs, fileBytes, n);

    const datasetMs = await best(async () => {
      let k = 0;
      const ds = data.Dataset.TFRecordDataset(file)
        .map((r: ef.Tensor) => data.parseSingleExample(r, spec))
        .batch(256);
      for await (const b of ds) {
        k += (b as Record<string, ef.Tensor>).label!.shape[0]!;
        data.disposeElement(b);
      }
      if (k !== n) throw new Error('count');
    });
    report('dataset_parse_batch', datasetMs, fileBytes, n);

    // TF's recommended order: batch the serialized records, then parse each batch at once.
    const vectorMs = await best(async () => {
      let k = 0;
      const ds = data.Dataset.TFRecordDataset(file)
        .batch(256)
        .map((r: ef.Tensor) => data.parseExample(r, spec));
      for await (const b of ds) {
        k += (b as Record<string, ef.Tensor>).label!.shape[0]!;
        data.disposeElement(b);
      }
      if (k !== n) throw new Error('count');
    });
    report('dataset_batch_parse', vectorMs, fileBytes, n);
    ctx.log(`tfrecord: ${n} examples, ${(fileBytes / 1e6).toFixed(1)} MB file, payload ${(payloadBytes / 1e6).toFixed(1)} MB, best of ${reps}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const ctx = new BenchContext({ backend: 'cpu', budgetMs: 0, quick: process.argv.includes('--quick'), emit: (l) => console.log(l) });
  await run(ctx);
}
