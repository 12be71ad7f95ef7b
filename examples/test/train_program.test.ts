import { describe, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeGraphDef, readEventFile, scalarValue, type SummaryEvent } from '@eagerflow/data';
import { FLAGS, main } from '../src/train.js';
import { FlagError, helpText, parseFlags } from '../src/train/flags.js';
import { renderSvg } from '../src/train/plot.js';

describe('flags', () => {
  test('defaults, --name value, --name=value, booleans, --help', () => {
    const d = parseFlags(FLAGS, [])!;
    expect(d).toMatchObject({ model: 'lenet5', dataset: 'fashion-mnist', epochs: 5, batchSize: 128, optimizer: 'adam', learningRate: 0.001, backend: 'auto', emaDecay: 0.99, checkpointDir: null });
    const o = parseFlags(FLAGS, ['--epochs', '2', '--learning-rate=0.01', '--ema-decay', '0', '--quiet', '--backend', 'cpu', '--json-out', 'x.json'])!;
    expect(o).toMatchObject({ epochs: 2, learningRate: 0.01, emaDecay: 0, quiet: true, backend: 'cpu', jsonOut: 'x.json' });
    expect(parseFlags(FLAGS, ['--quiet', '--no-quiet'])!.quiet).toBe(false);
    expect(parseFlags(FLAGS, ['--help'])).toBeNull();
    expect(helpText('train', 'd', FLAGS)).toContain('--batch-size <int>');
  });

  test('clear errors', () => {
    expect(() => parseFlags(FLAGS, ['--epochs', 'two'])).toThrow(/--epochs expects a number/);
    expect(() => parseFlags(FLAGS, ['--epochs', '1.5'])).toThrow(/integer/);
    expect(() => parseFlags(FLAGS, ['--optimizer', 'lbfgs'])).toThrow(/must be one of adam/);
    expect(() => parseFlags(FLAGS, ['--epoch', '2'])).toThrow(FlagError);
    expect(() => parseFlags(FLAGS, ['--epoch', '2'])).toThrow(/unknown flag --epoch \(did you mean --epochs\?\)/);
    expect(() => parseFlags(FLAGS, ['--batch-size'])).toThrow(/needs a value/);
  });
});

test('plot: an SVG with the loss line and accuracy points', () => {
  const svg = renderSvg({ title: 't', loss: [[10, 1.2], [20, 0.8]], accuracy: [[20, 0.85]] });
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg).toContain('<polyline');
  expect(svg).toContain('85.00%');
});

const DATA = '/usr/share/datasets/fashion-mnist';
(existsSync(DATA) ? test : test.skip)('a quick run on Fashion-MNIST writes the JSON summary and the plot', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ef-train-'));
  const summary = await main([
    '--backend', 'cpu', '--epochs', '1', '--limit-train', '512', '--limit-test', '200', '--batch-size', '64',
    '--ema-decay', '0.9', '--quiet', '--json-out', join(dir, 's.json'), '--plot-out', join(dir, 'p.svg'), '--checkpoint-dir', join(dir, 'ckpt'),
    '--logdir', join(dir, 'tb'),
  ]);
  expect(summary!.steps).toBe(8);
  expect(summary!.epochs[0]!.testAccuracy).toBeGreaterThan(0.3);
  const json = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8'));
  expect(json.backend).toBe('cpu');
  expect(json.epochs).toHaveLength(1);
  expect(json.epochs[0]).toHaveProperty('imagesPerSec');
  expect(readFileSync(join(dir, 'p.svg'), 'utf8')).toContain('<svg');
  expect(existsSync(join(dir, 'ckpt', 'checkpoint'))).toBe(true);
  expect(summary!.checkpoint).toMatch(/model\.ckpt-8$/);
  const [events] = readdirSync(join(dir, 'tb'));
  expect(events).toMatch(/^events\.out\.tfevents\..*\.v2$/);
  const ev: SummaryEvent[] = [];
  for await (const e of readEventFile(join(dir, 'tb', events!))) ev.push(e);
  expect(ev[0]!.fileVersion).toBe('brain.Event:2');
  // The model's forward graph (TensorBoard's Graphs tab), then the scalars.
  const graph = decodeGraphDef(ev[1]!.graphDef!);
  expect(graph.filter((n) => n.op === 'VariableV2').map((n) => n.name)).toContain('LeNet5/conv1/weights');
  expect(graph.map((n) => n.op)).toEqual(expect.arrayContaining(['fused_conv2d', 'max_pool', 'fused_matmul']));
  expect(ev.slice(2).map((e) => [e.summary[0]!.tag, e.step])).toEqual([['train/loss', 8], ['train/accuracy', 8], ['test/accuracy', 8]]);
  expect(scalarValue(ev[4]!.summary[0]!)).toBe(Math.fround(summary!.epochs[0]!.testAccuracy));
}, 120000);
