/**
 * The browser training demo: a small convnet (or an MLP) learns Fashion-MNIST in the page, on the
 * WebGPU backend when `navigator.gpu` gives an adapter, else on the CPU backend (the page says why).
 * Live loss / accuracy chart, images/s, and test images with the predicted labels.
 *
 * Bundled by `build.mjs` (esbuild, browser platform); served with the data by `serve.mjs`.
 * URL parameters (all optional; the form on the page sets them):
 *   backend=auto|webgpu|cpu   model=cnn|mlp   batch=64   lr=0.002   steps=N (stop after N steps)
 *   train=N (decode only the first N training images)   test=N (test images to evaluate)
 *   evalEvery=N (test accuracy every N steps)   seed=1   autostart=1
 * `window.efDemo` holds the state (phase, backend, losses, …) for tests and the console.
 */
import * as ef from '@eagerflow/core';
import '@eagerflow/webgpu-backend';
import '@eagerflow/cpu-backend';
import { decodeIdx, type IdxArray } from '@eagerflow/data';

const CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
const MEAN = 0.286;
const STD = 0.353;
const SHOWN_TEST_IMAGES = 12;

// ---- options -------------------------------------------------------------------------------

interface Options {
  backend: 'auto' | 'webgpu' | 'cpu';
  model: 'cnn' | 'mlp';
  batch: number;
  lr: number;
  steps: number;
  train: number;
  test: number;
  evalEvery: number;
  seed: number;
  autostart: boolean;
}

function readOptions(): Options {
  const q = new URLSearchParams(location.search);
  const int = (name: string, def: number, min: number, max: number): number => {
    const v = Number(q.get(name) ?? def);
    return Number.isFinite(v) ? Math.min(max, Math.max(min, Math.round(v))) : def;
  };
  const pick = <T extends string>(name: string, choices: readonly T[], def: T): T => {
    const v = q.get(name);
    return choices.includes(v as T) ? (v as T) : def;
  };
  const lr = Number(q.get('lr') ?? 0.002);
  return {
    backend: pick('backend', ['auto', 'webgpu', 'cpu'] as const, 'auto'),
    model: pick('model', ['cnn', 'mlp'] as const, 'cnn'),
    batch: int('batch', 64, 1, 1024),
    lr: Number.isFinite(lr) && lr > 0 ? lr : 0.002,
    steps: int('steps', 2000, 1, 1_000_000),
    train: int('train', 60000, 100, 60000),
    test: int('test', 1000, SHOWN_TEST_IMAGES, 10000),
    evalEvery: int('evalEvery', 100, 1, 1_000_000),
    seed: int('seed', 1, 0, 2 ** 31 - 1),
    autostart: q.get('autostart') === '1' || q.get('autostart') === 'true',
  };
}

// ---- state shared with tests -----------------------------------------------------------------

interface Prediction {
  index: number;
  label: number;
  predicted: number;
}

export interface DemoState {
  phase: 'starting' | 'loading' | 'ready' | 'training' | 'stopped' | 'done' | 'error';
  options: Options;
  /** Backend in use ('webgpu' or 'cpu'); null before it started. */
  backend: string | null;
  /** Why WebGPU is not used (null when it is). */
  fallbackReason: string | null;
  /** The WebGPU adapter the page got (null on the CPU). */
  adapter: { vendor: string; architecture: string; description: string; software: boolean } | null;
  step: number;
  /** Per-step training loss and batch accuracy. */
  losses: number[];
  accuracies: number[];
  /** [step, accuracy] after each evaluation on the test images. */
  testAccuracy: [number, number][];
  /** Images per second over the last steps, and over the whole run. */
  imagesPerSec: number;
  imagesPerSecOverall: number;
  predictions: Prediction[];
  parameters: number;
  liveTensors: number;
  error: string | null;
  log: string[];
}

const state: DemoState = {
  phase: 'starting',
  options: readOptions(),
  backend: null,
  fallbackReason: null,
  adapter: null,
  step: 0,
  losses: [],
  accuracies: [],
  testAccuracy: [],
  imagesPerSec: 0,
  imagesPerSecOverall: 0,
  predictions: [],
  parameters: 0,
  liveTensors: 0,
  error: null,
  log: [],
};
(globalThis as unknown as { efDemo: DemoState }).efDemo = state;

// ---- DOM helpers -------------------------------------------------------------------------------

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`index.html has no #${id}`);
  return el as T;
};

function setPhase(p: DemoState['phase']): void {
  state.phase = p;
  document.body.dataset['phase'] = p;
  $('phase').textContent = p;
  const btn = $<HTMLButtonElement>('start');
  btn.disabled = p === 'starting' || p === 'loading' || p === 'error' || p === 'done';
  btn.textContent = p === 'training' ? 'Pause' : p === 'done' ? 'Finished' : state.step > 0 ? 'Resume' : 'Start training';
}

function log(msg: string): void {
  state.log.push(msg);
  const el = $('log');
  el.textContent = state.log.slice(-8).join('\n');
}

function fail(e: unknown): void {
  const msg = e instanceof Error ? e.message : String(e);
  state.error = msg;
  $('error').textContent = `Error: ${msg}`;
  $('error').hidden = false;
  setPhase('error');
  console.error(e);
}

// ---- data --------------------------------------------------------------------------------------

/**
 * Fetches an IDX .gz file, inflates it with the browser's DecompressionStream while it downloads,
 * stops after `maxItems` items, and parses it with @eagerflow/data's `decodeIdx`.
 */
async function fetchIdx(url: string, maxItems: number): Promise<IdxArray> {
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`${url}: HTTP ${res.status} ${res.statusText} (is serve.mjs running with the Fashion-MNIST files?)`);
  const reader = res.body.pipeThrough(new DecompressionStream('gzip')).getReader();
  const parts: Uint8Array[] = [];
  let have = 0;
  let need = Infinity;
  let header = 0;
  while (have < need) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    have += value.length;
    if (need === Infinity && have >= 4) {
      const head = concat(parts, have);
      const ndim = head[3]!;
      header = 4 + 4 * ndim;
      if (have >= header) {
        const dv = new DataView(head.buffer, head.byteOffset, header);
        const dims = Array.from({ length: ndim }, (_, i) => dv.getUint32(4 + 4 * i, false));
        const itemBytes = dims.slice(1).reduce((a, b) => a * b, 1); // uint8 files
        need = header + Math.min(dims[0]!, maxItems) * itemBytes;
      }
    }
  }
  await reader.cancel().catch(() => undefined);
  let bytes = concat(parts, have);
  if (Number.isFinite(need) && bytes.length > need) bytes = bytes.slice(0, need);
  if (Number.isFinite(need) && bytes.length === need) {
    // Fewer items than the file holds: patch the first dimension so the header matches the data.
    const dv = new DataView(bytes.buffer, bytes.byteOffset, header);
    const dims = Array.from({ length: bytes[3]! }, (_, i) => dv.getUint32(4 + 4 * i, false));
    const itemBytes = dims.slice(1).reduce((a, b) => a * b, 1);
    dv.setUint32(4, (need - header) / itemBytes, false);
  }
  return decodeIdx(bytes, url); // a truncated or corrupt file: decodeIdx says what is wrong
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  parts.length = 0;
  parts.push(out);
  return out;
}

interface Split {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

async function loadSplit(prefix: 'train' | 't10k', maxItems: number): Promise<Split> {
  const [img, lbl] = await Promise.all([fetchIdx(`data/${prefix}-images-idx3-ubyte.gz`, maxItems), fetchIdx(`data/${prefix}-labels-idx1-ubyte.gz`, maxItems)]);
  if (img.dtype !== 'uint8' || img.shape.length !== 3 || img.shape[1] !== 28 || img.shape[2] !== 28) throw new Error(`${prefix} images: expected uint8 [N, 28, 28], found ${img.dtype} [${img.shape}]`);
  const count = Math.min(img.shape[0]!, lbl.shape[0]!);
  return { images: img.data as Uint8Array, labels: lbl.data as Uint8Array, count };
}

function batchTensors(d: Split, indices: ArrayLike<number>): { x: ef.Tensor; y: ef.Tensor } {
  const b = indices.length;
  const xs = new Float32Array(b * 784);
  const ys = new Int32Array(b);
  const scale = 1 / (255 * STD);
  const shift = MEAN / STD;
  for (let i = 0; i < b; i++) {
    const src = indices[i]! * 784;
    for (let p = 0; p < 784; p++) xs[i * 784 + p] = d.images[src + p]! * scale - shift;
    ys[i] = d.labels[indices[i]!]!;
  }
  return { x: ef.tensor(xs, [b, 28, 28, 1]), y: ef.tensor(ys, [b], 'int32') };
}

// ---- backend -----------------------------------------------------------------------------------

async function startBackend(choice: Options['backend']): Promise<void> {
  const hasGpu = typeof navigator !== 'undefined' && 'gpu' in navigator && !!navigator.gpu;
  if (choice === 'cpu') {
    state.fallbackReason = 'the CPU backend was chosen (backend=cpu)';
    await ef.setBackend('cpu');
  } else {
    try {
      if (!hasGpu) throw new Error(window.isSecureContext ? 'navigator.gpu is not available in this browser' : 'navigator.gpu needs a secure context (https or localhost)');
      await ef.setBackend('webgpu');
    } catch (e) {
      const why = (e as Error).message.replace(/^eagerflow: backend 'webgpu' failed to start: /, '');
      if (choice === 'webgpu') throw new Error(`WebGPU was requested (backend=webgpu) but could not start: ${why}`);
      state.fallbackReason = why;
      await ef.setBackend('cpu');
    }
  }
  state.backend = ef.getBackend();
  if (state.backend === 'webgpu') {
    const a = await navigator.gpu.requestAdapter();
    const info = (a as { info?: GPUAdapterInfo } | null)?.info;
    const software = /swiftshader|llvmpipe|lavapipe|softpipe/i.test(`${info?.vendor} ${info?.architecture} ${info?.description}`) || !!(info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter;
    state.adapter = { vendor: info?.vendor ?? '', architecture: info?.architecture ?? '', description: info?.description ?? '', software };
  }
  const el = $('backend');
  el.dataset['backend'] = state.backend;
  if (state.backend === 'webgpu') {
    const a = state.adapter!;
    el.textContent = `WebGPU (adapter: ${[a.vendor, a.architecture, a.description].filter(Boolean).join(' / ') || 'unnamed'})`;
    if (a.software) el.textContent += ' — a software adapter (the CPU emulating a GPU): exact but slow; backend=cpu is faster here';
    el.className = 'ok';
  } else {
    el.textContent = `CPU — WebGPU not used: ${state.fallbackReason}`;
    el.className = 'warn';
  }
  log(`backend: ${state.backend}${state.fallbackReason ? ` (${state.fallbackReason})` : ''}`);
}

// ---- model ---------------------------------------------------------------------------------------

function makeModel(kind: Options['model']): ef.layers.Sequential {
  const L = ef.layers;
  if (kind === 'mlp') return new L.Sequential([new L.Flatten(), new L.Dense(128, { activation: 'relu' }), new L.Dense(10)], { name: 'mlp' });
  return new L.Sequential(
    [
      new L.Conv2D(8, 3, { padding: 'same', activation: 'relu' }),
      new L.MaxPooling2D(2),
      new L.Conv2D(16, 3, { padding: 'same', activation: 'relu' }),
      new L.MaxPooling2D(2),
      new L.Flatten(),
      new L.Dense(64, { activation: 'relu' }),
      new L.Dense(10),
    ],
    { name: 'convnet' },
  );
}

// ---- chart -------------------------------------------------------------------------------------

function drawChart(): void {
  const canvas = $<HTMLCanvasElement>('chart');
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth, h = canvas.clientHeight;
  if (canvas.width !== Math.round(w * dpr)) canvas.width = Math.round(w * dpr);
  if (canvas.height !== Math.round(h * dpr)) canvas.height = Math.round(h * dpr);
  const g = canvas.getContext('2d')!;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, w, h);
  const pad = { l: 44, r: 44, t: 12, b: 26 };
  const pw = w - pad.l - pad.r, ph = h - pad.t - pad.b;
  const n = state.losses.length;
  const xMax = Math.max(10, n);
  const lossMax = Math.max(0.4, Math.ceil(Math.max(...state.losses.slice(0, 50), 0) / 0.4) * 0.4);
  const X = (s: number): number => pad.l + (s / xMax) * pw;
  const YL = (v: number): number => pad.t + ph - (Math.min(v, lossMax) / lossMax) * ph;
  const YA = (v: number): number => pad.t + ph - v * ph;
  // grid and axes
  g.strokeStyle = '#e3e3e3';
  g.lineWidth = 1;
  g.font = '11px system-ui, sans-serif';
  g.fillStyle = '#555';
  for (let i = 0; i <= 4; i++) {
    const y = pad.t + (ph * i) / 4;
    g.beginPath();
    g.moveTo(pad.l, y);
    g.lineTo(pad.l + pw, y);
    g.stroke();
    g.textAlign = 'right';
    g.fillStyle = '#c0392b';
    g.fillText((lossMax * (1 - i / 4)).toFixed(2), pad.l - 4, y + 4);
    g.textAlign = 'left';
    g.fillStyle = '#2166ac';
    g.fillText(`${100 - 25 * i}%`, pad.l + pw + 4, y + 4);
  }
  g.fillStyle = '#555';
  g.textAlign = 'center';
  g.fillText(`step (${n})`, pad.l + pw / 2, h - 6);
  const smooth = (arr: number[], k: number): number[] =>
    arr.map((_, i) => {
      const s = Math.max(0, i - k + 1);
      let t = 0;
      for (let j = s; j <= i; j++) t += arr[j]!;
      return t / (i - s + 1);
    });
  const line = (vals: number[], Y: (v: number) => number, color: string, width: number): void => {
    if (vals.length === 0) return;
    g.strokeStyle = color;
    g.lineWidth = width;
    g.beginPath();
    vals.forEach((v, i) => (i === 0 ? g.moveTo(X(i + 1), Y(v)) : g.lineTo(X(i + 1), Y(v))));
    g.stroke();
  };
  const k = Math.max(1, Math.round(n / 50));
  line(state.losses, YL, 'rgba(192,57,43,0.25)', 1);
  line(smooth(state.losses, k), YL, '#c0392b', 2);
  line(smooth(state.accuracies, k), YA, '#2166ac', 2);
  g.fillStyle = '#1a9850';
  for (const [s, a] of state.testAccuracy) {
    g.beginPath();
    g.arc(X(s), YA(a), 4, 0, 2 * Math.PI);
    g.fill();
  }
}

// ---- test images -----------------------------------------------------------------------------

function drawPredictions(test: Split): void {
  const host = $('predictions');
  host.textContent = '';
  for (const p of state.predictions) {
    const fig = document.createElement('figure');
    const c = document.createElement('canvas');
    c.width = c.height = 28;
    const g = c.getContext('2d')!;
    const img = g.createImageData(28, 28);
    for (let i = 0; i < 784; i++) {
      const v = 255 - test.images[p.index * 784 + i]!;
      img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = v;
      img.data[4 * i + 3] = 255;
    }
    g.putImageData(img, 0, 0);
    const cap = document.createElement('figcaption');
    const ok = p.predicted === p.label;
    cap.className = ok ? 'right' : 'wrong';
    cap.textContent = CLASSES[p.predicted]!;
    cap.title = `true label: ${CLASSES[p.label]}`;
    if (!ok) {
      const t = document.createElement('small');
      t.textContent = `(is ${CLASSES[p.label]})`;
      cap.append(document.createElement('br'), t);
    }
    fig.append(c, cap);
    host.append(fig);
  }
}

// ---- training --------------------------------------------------------------------------------

async function main(): Promise<void> {
  const o = state.options;
  for (const [k, v] of Object.entries(o)) {
    const el = document.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${k}"]`);
    if (el && k !== 'autostart') el.value = String(v);
  }
  setPhase('starting');
  await startBackend(o.backend);
  setPhase('loading');
  log(`loading Fashion-MNIST (${o.train} training, ${o.test} test images)…`);
  const t0 = performance.now();
  const [train, test] = await Promise.all([loadSplit('train', o.train), loadSplit('t10k', o.test)]);
  log(`data: ${train.count} training / ${test.count} test images in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  ef.setRandomSeed(o.seed); // reproducible initial weights
  const rng = new ef.initializers.HostRandom(o.seed); // shuffling (the project's Philox stream)
  const model = makeModel(o.model);
  const optimizer = new ef.train.AdamOptimizer(o.lr);
  ef.tidy(() => void model.apply(ef.zeros([1, 28, 28, 1])));
  optimizer.build(model.trainableVariables); // the Adam slots now, so the live-tensor count stays flat
  state.parameters = model.countParams();
  log(`model: ${o.model} (${state.parameters.toLocaleString('en-US')} parameters), Adam lr ${o.lr}, batch ${o.batch}`);
  $('model').textContent = `${o.model === 'cnn' ? 'convnet (conv 8 → pool → conv 16 → pool → dense 64 → 10)' : 'MLP (784 → 128 → 10)'}, ${state.parameters.toLocaleString('en-US')} parameters`;

  // One test image of each class first, then the next ones in file order.
  const shown: number[] = [];
  for (let c = 0; c < 10; c++) {
    const i = test.labels.subarray(0, test.count).indexOf(c);
    if (i >= 0) shown.push(i);
  }
  for (let i = 0; shown.length < SHOWN_TEST_IMAGES && i < test.count; i++) if (!shown.includes(i)) shown.push(i);
  const evaluate = async (): Promise<void> => {
    let correct = 0;
    const preds = new Int32Array(test.count);
    for (let s = 0; s < test.count; s += 250) {
      const idx = Array.from({ length: Math.min(250, test.count - s) }, (_, i) => s + i);
      const { x, y } = batchTensors(test, idx);
      const p = ef.tidy(() => ef.cast(ef.argMax(model.apply(x, { training: false }), 1), 'int32'));
      const pv = await p.data();
      ef.dispose([x, y, p]);
      for (let i = 0; i < pv.length; i++) {
        preds[s + i] = Number(pv[i]);
        if (preds[s + i] === test.labels[s + i]) correct++;
      }
    }
    const acc = correct / test.count;
    state.testAccuracy.push([state.step, acc]);
    state.predictions = shown.map((index) => ({ index, label: test.labels[index]!, predicted: preds[index]! }));
    $('testacc').textContent = `${(100 * acc).toFixed(1)}% (${test.count} images, step ${state.step})`;
    drawPredictions(test);
    drawChart();
  };
  await evaluate(); // the untrained model's guesses

  let order = new Uint32Array(0);
  let cursor = Infinity;
  const nextBatch = (): number[] => {
    if (cursor + o.batch > train.count) {
      order = new Uint32Array(train.count);
      for (let i = 0; i < order.length; i++) order[i] = i;
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rng.next() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      cursor = 0;
    }
    const b = Array.from(order.subarray(cursor, cursor + o.batch));
    cursor += o.batch;
    return b;
  };

  let running = false;
  let trainSeconds = 0;
  const recent: { t: number; n: number }[] = [];
  const baseTensors = ef.memory().numTensors;
  const loop = async (): Promise<void> => {
    setPhase('training');
    while (running && state.step < o.steps) {
      const ts = performance.now();
      const { x, y } = batchTensors(train, nextBatch());
      let acc: ef.Tensor | undefined;
      const loss = optimizer.minimize(() => {
        const logits = model.apply(x, { training: true });
        acc = ef.keep(ef.noGrad(() => ef.metrics.accuracy(y, logits)));
        return ef.losses.sparseSoftmaxCrossEntropy(y, logits);
      });
      const [lv, av] = await Promise.all([loss.data(), acc!.data()]);
      ef.dispose([x, y, loss, acc!]);
      const dt = (performance.now() - ts) / 1000;
      const l = Number(lv[0]);
      if (!Number.isFinite(l)) throw new Error(`the loss became ${l} at step ${state.step + 1}; lower lr`);
      state.step++;
      state.losses.push(l);
      state.accuracies.push(Number(av[0]));
      trainSeconds += dt;
      recent.push({ t: dt, n: o.batch });
      if (recent.length > 20) recent.shift();
      state.imagesPerSec = recent.reduce((s, r) => s + r.n, 0) / recent.reduce((s, r) => s + r.t, 0);
      state.imagesPerSecOverall = (state.step * o.batch) / trainSeconds;
      state.liveTensors = ef.memory().numTensors - baseTensors;
      $('step').textContent = `${state.step} / ${o.steps} (epoch ${((state.step * o.batch) / train.count).toFixed(2)})`;
      $('loss').textContent = l.toFixed(4);
      $('loss').dataset['first'] = state.losses[0]!.toFixed(4);
      $('trainacc').textContent = `${(100 * state.accuracies[state.accuracies.length - 1]!).toFixed(1)}%`;
      $('ips').textContent = `${Math.round(state.imagesPerSec)} images/s (${state.backend}), overall ${Math.round(state.imagesPerSecOverall)}`;
      drawChart();
      if (state.step % o.evalEvery === 0 && state.step < o.steps) await evaluate();
    }
    if (state.step >= o.steps) {
      await evaluate();
      const first = state.losses.slice(0, 5), last = state.losses.slice(-5);
      const mean = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length;
      log(`done: ${state.step} steps, loss ${mean(first).toFixed(3)} → ${mean(last).toFixed(3)} (mean of the first / last 5), test accuracy ${(100 * state.testAccuracy[state.testAccuracy.length - 1]![1]).toFixed(1)}%`);
      setPhase('done');
    } else setPhase('stopped');
  };

  const btn = $<HTMLButtonElement>('start');
  btn.onclick = () => {
    if (running) {
      running = false; // the loop stops after the current step
      return;
    }
    running = true;
    loop().catch((e: unknown) => {
      running = false;
      fail(e);
    });
  };
  setPhase('ready');
  if (o.autostart) btn.click();
}

window.addEventListener('error', (e) => fail(e.error ?? e.message));
window.addEventListener('unhandledrejection', (e) => fail(e.reason));
window.addEventListener('resize', () => drawChart());
main().catch(fail);
