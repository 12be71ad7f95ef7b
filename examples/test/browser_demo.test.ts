/**
 * The browser demo end to end: bundle it (esbuild), serve it on an ephemeral localhost port, open
 * it in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) and train.
 *
 * - WebGPU: Chromium exposes navigator.gpu with `--enable-unsafe-webgpu` (on Linux, headless, with
 *   no GPU, the adapter is SwiftShader: vendor google, architecture swiftshader). The page must be
 *   a secure context: http://localhost is one. The test checks that requestAdapter() is non-null,
 *   that the demo runs on 'webgpu', that the loss falls, and what the page shows.
 * - CPU: the same page with navigator.gpu hidden falls back to the CPU backend and says so; with
 *   backend=webgpu forced it reports the error instead.
 *
 * Screenshots go to a temporary directory (removed afterwards), or to $EF_DEMO_SCREENSHOTS if set.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildDemo } from '../browser/build.mjs';
import { startServer, DEFAULT_DATA_DIR } from '../browser/serve.mjs';

const CHROMIUM = '/usr/bin/chromium';
/** Headless Chromium with WebGPU (see shared/docs/webgpu-environments.md). playwright gives every
 *  launch a fresh temporary profile (its own --user-data-dir), deleted on close. */
const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const DATA_FILES = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];

const missing = [
  ...(existsSync(CHROMIUM) ? [] : [`${CHROMIUM} (apt-get install chromium)`]),
  ...DATA_FILES.filter((f) => !existsSync(join(DEFAULT_DATA_DIR, f))).map((f) => `${DEFAULT_DATA_DIR}/${f} (apt-get install dataset-fashion-mnist)`),
];
if (missing.length) console.warn(`browser demo test skipped: missing ${missing.join(', ')}`);

/** What window.efDemo holds (the subset the test reads). */
interface DemoState {
  phase: string;
  backend: string | null;
  fallbackReason: string | null;
  adapter: { vendor: string; architecture: string } | null;
  step: number;
  losses: number[];
  testAccuracy: [number, number][];
  imagesPerSec: number;
  predictions: { index: number; label: number; predicted: number }[];
  liveTensors: number;
  error: string | null;
}

const mean = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length;

(missing.length ? describe.skip : describe)('browser demo (headless Chromium)', () => {
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  let browser: Browser | undefined;
  let shots = '';
  let keepShots = false;

  beforeAll(async () => {
    keepShots = !!process.env['EF_DEMO_SCREENSHOTS'];
    shots = keepShots ? process.env['EF_DEMO_SCREENSHOTS']! : mkdtempSync(join(tmpdir(), 'ef-demo-'));
    mkdirSync(shots, { recursive: true });
    await buildDemo();
    // Bounded lifetime: even if afterAll never ran, the server closes itself (and never holds jest open).
    server = await startServer({ port: 0, lifetimeMs: 170_000 });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await server?.close();
    if (shots && !keepShots) rmSync(shots, { recursive: true, force: true });
  });

  /** Opens the demo with URL parameters; collects page errors and failed requests. */
  async function open(query: string, init?: () => void): Promise<{ page: Page; problems: string[] }> {
    const page = await browser!.newPage({ viewport: { width: 1100, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`);
    });
    if (init) await page.addInitScript(init);
    await page.goto(`${server!.url}?${query}`);
    return { page, problems };
  }

  async function finish(page: Page, timeout: number): Promise<DemoState> {
    try {
      await page.waitForFunction(() => ['done', 'error'].includes((window as unknown as { efDemo?: DemoState }).efDemo?.phase ?? ''), null, { timeout });
    } catch (e) {
      const st = await page.evaluate(() => (window as unknown as { efDemo?: DemoState }).efDemo).catch(() => undefined);
      throw new Error(`the demo did not finish in ${timeout / 1000} s: ${(e as Error).message}; state ${JSON.stringify(st)?.slice(0, 800)}`);
    }
    return page.evaluate(() => (window as unknown as { efDemo: DemoState }).efDemo);
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    const file = join(shots, name);
    await page.screenshot({ path: file, fullPage: true });
    const png = readFileSync(file);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.length).toBeGreaterThan(20_000); // a blank page is a few KiB
  }

  /** Non-white pixels of the chart canvas: the curves were drawn. */
  const chartInk = (page: Page): Promise<number> =>
    page.evaluate(() => {
      const c = document.getElementById('chart') as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
      return n;
    });

  test('WebGPU: the page gets an adapter, trains on webgpu, and the loss falls', async () => {
    const steps = 20;
    const { page, problems } = await open(`backend=webgpu&model=mlp&batch=32&steps=${steps}&train=2000&test=250&evalEvery=1000&autostart=1`);
    try {
      const adapter = await page.evaluate(async () => {
        if (!('gpu' in navigator) || !navigator.gpu) return { error: `no navigator.gpu (isSecureContext ${isSecureContext})` };
        const a = await navigator.gpu.requestAdapter();
        return a ? { vendor: a.info.vendor, architecture: a.info.architecture } : { error: 'requestAdapter() returned null' };
      });
      if ('error' in adapter) {
        throw new Error(`headless Chromium gave no WebGPU adapter (${adapter.error}) with ${CHROMIUM_ARGS.join(' ')}; see shared/docs/webgpu-environments.md`);
      }
      const st = await finish(page, 90_000);
      expect(st.error).toBeNull();
      expect(st.phase).toBe('done');
      expect(st.backend).toBe('webgpu');
      expect(st.adapter).not.toBeNull();
      expect(st.step).toBe(steps);
      expect(st.losses).toHaveLength(steps);
      expect(st.losses.every(Number.isFinite)).toBe(true);
      const first = mean(st.losses.slice(0, 5)), last = mean(st.losses.slice(-5));
      expect(first).toBeGreaterThan(1.5); // ~ln 10 for an untrained 10-way classifier
      expect(last).toBeLessThan(first - 0.4);
      expect(st.imagesPerSec).toBeGreaterThan(0);
      expect(st.liveTensors).toBe(0); // no leak across steps
      const acc = st.testAccuracy[st.testAccuracy.length - 1]![1];
      expect(acc).toBeGreaterThan(0.4); // chance is 0.1
      expect(st.predictions).toHaveLength(12);

      // What the page shows.
      await expect(page.locator('#backend').textContent()).resolves.toMatch(/^WebGPU \(adapter: /);
      expect(await page.locator('#backend').getAttribute('data-backend')).toBe('webgpu');
      expect(await page.locator('#loss').textContent()).toBe(st.losses[steps - 1]!.toFixed(4));
      expect(await page.locator('#step').textContent()).toMatch(new RegExp(`^${steps} / ${steps}`));
      expect(await page.locator('#ips').textContent()).toMatch(/^\d+ images\/s \(webgpu\)/);
      expect(await page.locator('#testacc').textContent()).toMatch(/^\d+\.\d% \(250 images, step 20\)/);
      expect(await page.locator('#predictions figure').count()).toBe(12);
      expect(await page.locator('#log').textContent()).toContain('done: 20 steps, loss');
      expect(await chartInk(page)).toBeGreaterThan(2000);
      await screenshot(page, 'demo-webgpu.png');
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);

  test('without navigator.gpu the page falls back to the CPU and says so; backend=webgpu reports the error', async () => {
    const hideGpu = (): void => {
      Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true });
    };
    const steps = 20;
    const { page, problems } = await open(`backend=auto&model=cnn&batch=32&steps=${steps}&train=2000&test=250&evalEvery=10&autostart=1`, hideGpu);
    try {
      const st = await finish(page, 60_000);
      expect(st.error).toBeNull();
      expect(st.backend).toBe('cpu');
      expect(st.fallbackReason).toMatch(/navigator\.gpu is not available/);
      expect(st.step).toBe(steps);
      expect(mean(st.losses.slice(-5))).toBeLessThan(mean(st.losses.slice(0, 5)) - 0.3);
      expect(st.testAccuracy.map(([s]) => s)).toEqual([0, 10, 20]);
      expect(await page.locator('#backend').textContent()).toBe('CPU — WebGPU not used: navigator.gpu is not available in this browser');
      expect(await page.locator('#ips').textContent()).toMatch(/images\/s \(cpu\)/);
      expect(await chartInk(page)).toBeGreaterThan(2000);
      await screenshot(page, 'demo-cpu-fallback.png');
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }

    const forced = await open('backend=webgpu&autostart=1', hideGpu);
    try {
      const st = await finish(forced.page, 30_000);
      expect(st.phase).toBe('error');
      expect(st.error).toMatch(/WebGPU was requested \(backend=webgpu\) but could not start: navigator\.gpu is not available/);
      expect(await forced.page.locator('#error').textContent()).toContain('WebGPU was requested');
    } finally {
      await forced.page.close();
    }
  }, 120_000);
});
