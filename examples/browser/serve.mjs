#!/usr/bin/env node
/**
 * A tiny static server for the browser demo, on the loopback interface only: the page
 * (index.html), the bundle (dist/main.js, built by build.mjs) and the four Fashion-MNIST IDX .gz
 * files (as they are: the page inflates them with DecompressionStream).
 *
 * Usage: node browser/serve.mjs [--port 8080] [--host 127.0.0.1] [--data-dir DIR] [--lifetime SECONDS]
 * (from examples/: `npm run demo` builds first, then serves and prints the URL).
 * Tests import `startServer()` (ephemeral port, bounded lifetime, `close()`).
 */
import { createServer } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const HERE = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_DATA_DIR = '/usr/share/datasets/fashion-mnist';
const DATA_FILES = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.map': 'application/json', '.gz': 'application/gzip' };

/**
 * Starts the server. `port: 0` picks a free port. `lifetimeMs > 0` closes it after that long (a
 * safety net for tests; the timer never keeps the process alive). Resolves to
 * `{ url, port, close() }`.
 */
export async function startServer({ port = 8080, host = '127.0.0.1', dataDir = DEFAULT_DATA_DIR, lifetimeMs = 0, quiet = true } = {}) {
  if (!LOOPBACK.has(host)) throw new Error(`serve: refusing to listen on ${host}; the demo server is for localhost only (127.0.0.1, ::1, localhost)`);
  const routes = new Map([
    ['/', join(HERE, 'index.html')],
    ['/index.html', join(HERE, 'index.html')],
    ['/dist/main.js', join(HERE, 'dist', 'main.js')],
    ['/dist/main.js.map', join(HERE, 'dist', 'main.js.map')],
    ...DATA_FILES.map((f) => [`/data/${f}`, join(dataDir, f)]),
  ]);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const file = routes.get(path);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (!file || !existsSync(file)) {
      const hint = path.startsWith('/data/')
        ? `Fashion-MNIST file not found in ${dataDir} (apt-get install dataset-fashion-mnist, or --data-dir DIR)`
        : path === '/dist/main.js'
          ? 'bundle not built: run `npm run demo:build` in examples/'
          : 'not found';
      if (!quiet) console.warn(`serve: 404 ${path}: ${hint}`);
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${path}: ${hint}\n`);
      return;
    }
    const ext = file.slice(file.lastIndexOf('.'));
    res.writeHead(200, {
      'Content-Type': TYPES[ext] ?? 'application/octet-stream',
      'Content-Length': statSync(file).size,
      'Cache-Control': 'no-store',
      // Cross-origin isolation: SharedArrayBuffer and precise timers in the page.
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(undefined));
  });
  const addr = server.address();
  const actualPort = typeof addr === 'object' && addr ? addr.port : port;
  const urlHost = host === '::1' ? '[::1]' : host === '127.0.0.1' ? 'localhost' : host;
  let closed = false;
  let timer;
  const close = () =>
    new Promise((resolve) => {
      if (closed) return resolve(undefined);
      closed = true;
      if (timer) clearTimeout(timer);
      server.close(() => resolve(undefined));
      server.closeAllConnections(); // the browser keeps connections alive
    });
  if (lifetimeMs > 0) {
    timer = setTimeout(() => {
      if (!quiet) console.log(`serve: lifetime of ${lifetimeMs / 1000} s reached, closing`);
      void close();
    }, lifetimeMs);
    timer.unref();
  }
  return { url: `http://${urlHost}:${actualPort}/`, port: actualPort, close, server };
}

function parseArgs(argv) {
  const o = { port: 8080, host: '127.0.0.1', dataDir: DEFAULT_DATA_DIR, lifetimeMs: 0 };
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (name === '--port') o.port = Number(value());
    else if (name === '--host') o.host = value();
    else if (name === '--data-dir') o.dataDir = value();
    else if (name === '--lifetime') o.lifetimeMs = Number(value()) * 1000;
    else if (name === '--help' || name === '-h') {
      console.log('usage: node browser/serve.mjs [--port 8080] [--host 127.0.0.1] [--data-dir DIR] [--lifetime SECONDS]');
      process.exit(0);
    } else throw new Error(`unknown flag ${argv[i]} (see --help)`);
  }
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) throw new Error('--port must be an integer in 0..65535');
  if (!(o.lifetimeMs >= 0)) throw new Error('--lifetime must be a number of seconds ≥ 0');
  return o;
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  try {
    const o = parseArgs(process.argv.slice(2));
    if (!existsSync(join(HERE, 'dist', 'main.js'))) console.warn('serve: dist/main.js is missing; run `npm run demo:build` first (or `npm run demo`)');
    const missing = DATA_FILES.filter((f) => !existsSync(join(o.dataDir, f)));
    if (missing.length) console.warn(`serve: missing in ${o.dataDir}: ${missing.join(', ')} (apt-get install dataset-fashion-mnist, or --data-dir DIR)`);
    const s = await startServer({ ...o, quiet: false });
    console.log(`eagerflow browser demo: ${s.url}  (open it in Chrome/Edge ≥ 113 for WebGPU; Ctrl-C stops)`);
    const stop = () => void s.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    s.server.on('close', () => process.exit(0));
  } catch (e) {
    console.error(`serve: ${e.message}`);
    process.exit(1);
  }
}
