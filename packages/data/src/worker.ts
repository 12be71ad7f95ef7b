/**
 * Worker-thread execution of map functions. A function can run in a worker when it lives in a module
 * the worker can import: `workerFunction(moduleUrlOrPath, exportName)`. It receives the element as a
 * host structure (HostTensor {dtype, shape, values} leaves, typed arrays) and returns one (HostTensor,
 * HostSparse, or plain arrays/numbers); the main thread turns the result back into tensors.
 *
 * Node: `worker_threads` (the bootstrap is inline, so only the user module must be loadable by Node:
 * .js/.mjs, or a bundle). Browser: module `Worker`s from a Blob bootstrap. Fallback: where neither
 * exists, or with `{useWorkers: false}`, the module is imported on the main thread and the function
 * runs there (same results, no parallelism).
 */

export class WorkerFunction {
  constructor(
    /** Absolute path, file: URL or URL of an ES module. */
    readonly module: string | URL,
    /** Name of the exported function (default 'default'). */
    readonly exportName = 'default',
  ) {}
  toString(): string {
    return `WorkerFunction(${String(this.module)}#${this.exportName})`;
  }
}

/** Marks `module#exportName` as a map function that may run in worker threads. */
export function workerFunction(module: string | URL, exportName = 'default'): WorkerFunction {
  return new WorkerFunction(module, exportName);
}

interface ProcessLike {
  getBuiltinModule?(id: string): unknown;
}
function nodeModule<T>(id: string): T | undefined {
  return (globalThis as { process?: ProcessLike }).process?.getBuiltinModule?.(id) as T | undefined;
}

function moduleUrl(m: string | URL): string {
  if (m instanceof URL) return m.href;
  if (/^[a-z][a-z0-9+.-]*:/i.test(m)) return m; // already a URL
  const url = nodeModule<typeof import('node:url')>('node:url');
  if (url) return url.pathToFileURL(m).href;
  return m;
}

type Job = { resolve: (v: unknown) => void; reject: (e: unknown) => void };

interface WorkerHandle {
  post(msg: unknown): void;
  terminate(): Promise<unknown> | void;
}

const NODE_BOOTSTRAP = `
const { parentPort, workerData } = require('node:worker_threads');
const fnP = import(workerData.url).then((m) => {
  const f = m[workerData.name];
  if (typeof f !== 'function') throw new Error(workerData.url + ' has no exported function ' + JSON.stringify(workerData.name));
  return f;
});
fnP.catch(() => {});
parentPort.on('message', async ({ id, input }) => {
  try {
    const fn = await fnP;
    const out = await fn(input);
    parentPort.postMessage({ id, ok: true, out });
  } catch (e) {
    parentPort.postMessage({ id, ok: false, error: (e && e.stack) || String(e) });
  }
});
`;

const WEB_BOOTSTRAP = (url: string, name: string): string => `
const fnP = import(${JSON.stringify(url)}).then((m) => {
  const f = m[${JSON.stringify(name)}];
  if (typeof f !== 'function') throw new Error(${JSON.stringify(url)} + ' has no exported function ' + ${JSON.stringify(JSON.stringify(name))});
  return f;
});
fnP.catch(() => {});
self.onmessage = async ({ data: { id, input } }) => {
  try {
    const fn = await fnP;
    const out = await fn(input);
    self.postMessage({ id, ok: true, out });
  } catch (e) {
    self.postMessage({ id, ok: false, error: (e && e.stack) || String(e) });
  }
};
`;

/** True where map() can use real worker threads. */
export function workersAvailable(): boolean {
  return !!nodeModule('node:worker_threads') || typeof (globalThis as { Worker?: unknown }).Worker === 'function';
}

/** A pool of workers running one WorkerFunction; `run` returns results in call order per call. */
export class WorkerPool {
  private workers: WorkerHandle[] = [];
  private jobs = new Map<number, Job>();
  private nextId = 0;
  private rr = 0;
  private inline: Promise<(x: unknown) => unknown> | undefined;
  readonly usesWorkers: boolean;

  constructor(
    readonly fn: WorkerFunction,
    size: number,
    useWorkers = true,
  ) {
    const url = moduleUrl(fn.module);
    const wt = nodeModule<typeof import('node:worker_threads')>('node:worker_threads');
    const WebWorker = (globalThis as { Worker?: new (u: string, o: { type: string }) => { postMessage(m: unknown): void; terminate(): void; onmessage: ((e: { data: unknown }) => void) | null; onerror: ((e: unknown) => void) | null } }).Worker;
    this.usesWorkers = useWorkers && size > 0 && (!!wt || typeof WebWorker === 'function');
    if (!this.usesWorkers) {
      this.inline = import(/* @vite-ignore */ url).then((m: Record<string, unknown>) => {
        const f = m[fn.exportName];
        if (typeof f !== 'function') throw new Error(`${url} has no exported function '${fn.exportName}'`);
        return f as (x: unknown) => unknown;
      });
      return;
    }
    for (let i = 0; i < size; i++) {
      if (wt) {
        const w = new wt.Worker(NODE_BOOTSTRAP, { eval: true, workerData: { url, name: fn.exportName } });
        w.unref();
        w.on('message', (m) => this.onMessage(m as Reply));
        w.on('error', (e) => this.failAll(e));
        w.on('exit', (code) => {
          if (code !== 0 && this.jobs.size) this.failAll(new Error(`${fn}: worker exited with code ${code}`));
        });
        this.workers.push({ post: (m) => w.postMessage(m), terminate: () => w.terminate() });
      } else {
        const blob = new Blob([WEB_BOOTSTRAP(url, fn.exportName)], { type: 'text/javascript' });
        const w = new WebWorker!(URL.createObjectURL(blob), { type: 'module' });
        w.onmessage = (e) => this.onMessage(e.data as Reply);
        w.onerror = (e) => this.failAll(e);
        this.workers.push({ post: (m) => w.postMessage(m), terminate: () => w.terminate() });
      }
    }
  }

  private onMessage(m: Reply): void {
    const job = this.jobs.get(m.id);
    if (!job) return;
    this.jobs.delete(m.id);
    if (m.ok) job.resolve(m.out);
    else job.reject(new Error(`${this.fn} failed in a worker: ${m.error}`));
  }

  private failAll(e: unknown): void {
    const err = e instanceof Error ? e : new Error(String((e as { message?: string })?.message ?? e));
    for (const j of this.jobs.values()) j.reject(err);
    this.jobs.clear();
  }

  run(input: unknown): Promise<unknown> {
    if (this.inline) return this.inline.then((f) => f(input));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.jobs.set(id, { resolve, reject });
      const w = this.workers[this.rr++ % this.workers.length]!;
      try {
        w.post({ id, input });
      } catch (e) {
        this.jobs.delete(id);
        reject(e);
      }
    });
  }

  async close(): Promise<void> {
    const ws = this.workers;
    this.workers = [];
    await Promise.all(ws.map((w) => w.terminate()));
  }
}

interface Reply {
  id: number;
  ok: boolean;
  out?: unknown;
  error?: string;
}
