// packages/core/src/dtype.ts
var DTYPES = ["float32", "int32", "bool", "int64", "string"];
function isNumeric(dtype) {
  return dtype === "float32" || dtype === "int32" || dtype === "bool";
}
function bytesPerElement(dtype) {
  switch (dtype) {
    case "float32":
    case "int32":
      return 4;
    case "bool":
      return 1;
    case "int64":
      return 8;
    case "string":
      return 0;
  }
}
function allocArray(dtype, size) {
  switch (dtype) {
    case "float32":
      return new Float32Array(size);
    case "int32":
      return new Int32Array(size);
    case "bool":
      return new Uint8Array(size);
    case "int64":
      return new BigInt64Array(size);
    case "string":
      return Array.from({ length: size }, () => new Uint8Array(0));
  }
}
function isTypedArray(x2) {
  return x2 instanceof Float32Array || x2 instanceof Int32Array || x2 instanceof Uint8Array || x2 instanceof BigInt64Array;
}
function toTypedArray(values, dtype) {
  const n = values.length;
  const out = allocArray(dtype, n);
  if (dtype === "string") throw new Error("toTypedArray: string tensors take Uint8Array[] or string[] values");
  if (out instanceof BigInt64Array) {
    for (let i = 0; i < n; i++) out[i] = BigInt(values[i]);
  } else if (dtype === "bool") {
    for (let i = 0; i < n; i++) out[i] = values[i] ? 1 : 0;
  } else {
    const o = out;
    for (let i = 0; i < n; i++) o[i] = Number(values[i]);
  }
  return out;
}
function dataByteLength(values) {
  if (Array.isArray(values)) return values.reduce((s, v) => s + v.byteLength, 0);
  return values.byteLength;
}

// packages/core/src/errors.ts
var OpError = class extends Error {
  constructor(op, message) {
    super(`${op}: ${message}`);
    this.op = op;
    this.name = "OpError";
  }
  op;
};
function fmtShape(shape) {
  return `[${shape.join(",")}]`;
}

// packages/core/src/shape.ts
function sizeOf(shape) {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
function stridesOf(shape) {
  const s = new Array(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}
function shapesEqual(a2, b2) {
  return a2.length === b2.length && a2.every((d, i) => d === b2[i]);
}
function broadcastShapes(op, ...shapes) {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = new Array(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = rank - s.length + i;
      const d = s[i];
      if (d === out[o] || d === 1) continue;
      if (out[o] === 1) out[o] = d;
      else throw new OpError(op, `shapes ${shapes.map(fmtShape).join(" and ")} cannot be broadcast (dimension ${o}: ${out[o]} vs ${d})`);
    }
  }
  return out;
}
function broadcastStrides(shape, outShape) {
  const rank = outShape.length;
  const own = stridesOf(shape);
  const out = new Array(rank).fill(0);
  for (let i = 0; i < shape.length; i++) {
    const o = rank - shape.length + i;
    out[o] = shape[i] === 1 && outShape[o] !== 1 ? 0 : own[i];
  }
  return out;
}
function normAxis(op, axis, rank, arg = "axis") {
  if (!Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    throw new OpError(op, `${arg} ${axis} is out of range for rank ${rank} (expected in [${-rank}, ${rank - 1}])`);
  }
  return axis < 0 ? axis + rank : axis;
}
function normAxes(op, axes, rank) {
  if (axes === void 0 || axes === null) return Array.from({ length: rank }, (_, i) => i);
  const list = (typeof axes === "number" ? [axes] : [...axes]).map((a2) => normAxis(op, a2, rank));
  if (new Set(list).size !== list.length) throw new OpError(op, `axis ${JSON.stringify(axes)} has duplicates`);
  return list.sort((a2, b2) => a2 - b2);
}
function reductionAxesFor(from, to) {
  const axes = [];
  const lead = from.length - to.length;
  for (let i = 0; i < from.length; i++) {
    if (i < lead) axes.push(i);
    else if (to[i - lead] === 1 && from[i] !== 1) axes.push(i);
  }
  return axes;
}
function assertValidShape(op, shape, arg = "shape") {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new OpError(op, `${arg} ${fmtShape(shape)} must hold non-negative integers`);
  }
}

// packages/core/src/tensor.ts
var host;
function setTensorHost(h) {
  host = h;
}
function theHost() {
  if (!host) throw new Error("eagerflow: engine not initialised");
  return host;
}
var nextTensorId = 0;
var Tensor = class {
  constructor(shape, dtype, storage, backend) {
    this.dtype = dtype;
    this.shape = Object.freeze([...shape]);
    this.size = sizeOf(shape);
    this.storage = storage;
    this.backend = backend;
  }
  dtype;
  id = nextTensorId++;
  shape;
  size;
  /** @internal backend storage handle; replaced when a variable is assigned or data moves */
  storage;
  /** @internal */
  backend;
  /** @internal excluded from tidy() disposal */
  kept = false;
  /** @internal number of gradient tapes holding this tensor for backward */
  tapeHolds = 0;
  /** @internal dispose() was called while a tape held the tensor */
  disposePending = false;
  /** @internal storage released */
  released = false;
  get rank() {
    return this.shape.length;
  }
  get isDisposed() {
    return this.released || this.disposePending;
  }
  /** Flat values (copied to the host). */
  data() {
    return theHost().read(this);
  }
  /** Flat values, synchronously; only on backends that can read synchronously (CPU). */
  dataSync() {
    return theHost().readSync(this);
  }
  async array() {
    return toNested(await this.data(), this.shape);
  }
  arraySync() {
    return toNested(this.dataSync(), this.shape);
  }
  /** First element as a JS number (for scalars such as a loss). */
  async item() {
    const d = await this.data();
    if (this.size !== 1) throw new Error(`item: tensor has ${this.size} elements, expected 1`);
    return Number(Array.isArray(d) ? NaN : d[0]);
  }
  toString() {
    const head = `Tensor(shape=[${this.shape.join(",")}], dtype=${this.dtype}, backend=${this.backend.name})`;
    if (this.released) return `${head} <disposed>`;
    if (!this.backend.readSync) return `${head} <values on '${this.backend.name}': use await t.array()>`;
    const values = toNested(this.backend.readSync(this.storage, this), this.shape);
    return `${head}
${formatNested(values, this.dtype === "bool")}`;
  }
  print() {
    console.log(this.toString());
  }
  dispose() {
    theHost().dispose(this);
  }
  [Symbol.dispose]() {
    this.dispose();
  }
};
function toNested(values, shape) {
  const read = (i) => {
    const v = values[i];
    return v instanceof Uint8Array ? new TextDecoder().decode(v) : v;
  };
  if (shape.length === 0) return read(0);
  const build = (dim, offset) => {
    const n = shape[dim];
    const inner = sizeOf(shape.slice(dim + 1));
    const out = [];
    for (let i = 0; i < n; i++) {
      out.push(dim === shape.length - 1 ? read(offset + i) : build(dim + 1, offset + i * inner));
    }
    return out;
  };
  return build(0, 0);
}
function formatNumber(v) {
  if (Number.isInteger(v) && Math.abs(v) < 1e21) return String(v);
  if (!Number.isFinite(v)) return String(v);
  const p = v.toPrecision(6);
  const [mant, exp2] = p.split("e");
  const trimmed = mant.includes(".") ? mant.replace(/\.?0+$/, "") : mant;
  return exp2 === void 0 ? trimmed : `${trimmed}e${exp2}`;
}
function formatNested(x2, bool = false) {
  const fmt = (v) => {
    if (Array.isArray(v)) return `[${v.map(fmt).join(", ")}]`;
    if (typeof v === "number") return bool ? String(v !== 0) : formatNumber(v);
    return typeof v === "string" ? JSON.stringify(v) : String(v);
  };
  const s = fmt(x2);
  return s.length > 2e3 ? `${s.slice(0, 2e3)} \u2026` : s;
}
function inferShape(x2) {
  const shape = [];
  let cur = x2;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  const at = (path) => path.length ? ` at values${path.map((i) => `[${i}]`).join("")}` : "";
  const check = (v, dim, path) => {
    if (dim === shape.length) {
      if (Array.isArray(v)) throw new Error(`tensor: ragged nested array${at(path)}: expected a scalar (rank ${shape.length}), found an array of length ${v.length}`);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      throw new Error(`tensor: ragged nested array${at(path)}: dimension ${dim} expected length ${shape[dim]}, found ${Array.isArray(v) ? `length ${v.length}` : "a scalar"}`);
    }
    if (dim === shape.length - 1) {
      for (let i = 0; i < v.length; i++) if (Array.isArray(v[i])) check(v[i], dim + 1, [...path, i]);
      return;
    }
    for (let i = 0; i < v.length; i++) {
      path.push(i);
      check(v[i], dim + 1, path);
      path.pop();
    }
  };
  check(x2, 0, []);
  return shape;
}
function flattenNested(x2, out = []) {
  if (Array.isArray(x2)) for (const e of x2) flattenNested(e, out);
  else out.push(x2);
  return out;
}

// packages/core/src/engine.ts
var Engine = class {
  factories = /* @__PURE__ */ new Map();
  instances = /* @__PURE__ */ new Map();
  current = null;
  announced = false;
  storage = /* @__PURE__ */ new Map();
  liveByBackend = /* @__PURE__ */ new Map();
  numLive = 0;
  scopes = [];
  recorders = [];
  /** Tapes that hold tensors (recorded and not yet disposed). */
  liveTapes = /* @__PURE__ */ new Set();
  noGradDepth = 0;
  /** > 0 while a tape runs vjps: saved tensors whose dispose() is pending stay usable then. */
  backwardDepth = 0;
  starting = /* @__PURE__ */ new Map();
  placement = [];
  config = { logDevicePlacement: false, gpuMemoryLimit: null, gpuAllowGrowth: true };
  warnedFallback = /* @__PURE__ */ new Set();
  registerBackend(factory) {
    this.factories.set(factory.name, factory);
  }
  backendNames() {
    return [...this.factories.keys()];
  }
  async setBackend(name) {
    this.current = await this.instance(name);
    this.announced = true;
  }
  /** Picks the highest-priority backend that starts; names it once. */
  async ready() {
    if (this.current) return this.current;
    const ordered = [...this.factories.values()].sort((a2, b2) => b2.priority - a2.priority);
    const failures = [];
    for (const f of ordered) {
      try {
        this.current = await this.instance(f.name);
        this.announce(failures);
        return this.current;
      } catch (e) {
        failures.push(e.message.replace(/^eagerflow: backend /, ""));
      }
    }
    throw new Error(`eagerflow: no backend could start (${failures.join("; ") || "none registered: import @eagerflow/cpu-backend or @eagerflow/webgpu-backend"})`);
  }
  announce(failures) {
    if (this.announced || !this.current) return;
    this.announced = true;
    const skipped = failures.length ? ` (skipped ${failures.join("; ")})` : "";
    console.info(`eagerflow: using backend '${this.current.name}'${skipped}`);
  }
  async instance(name) {
    const existing = this.instances.get(name);
    if (existing) return existing;
    const f = this.factories.get(name);
    if (!f) throw new Error(`eagerflow: backend '${name}' is not registered (registered: ${this.backendNames().join(", ") || "none"}); import @eagerflow/${name}-backend`);
    let pending = this.starting.get(name);
    if (!pending) {
      pending = f.create().then(
        (b2) => {
          this.starting.delete(name);
          const raced = this.instances.get(name);
          if (raced) return raced;
          b2.configure?.(this.config);
          this.instances.set(name, b2);
          return b2;
        },
        (e) => {
          this.starting.delete(name);
          throw new Error(`eagerflow: backend '${name}' failed to start: ${e?.message ?? String(e)}`);
        }
      );
      this.starting.set(name, pending);
    }
    return pending;
  }
  /** Applies config changes; backends that care (GPU memory) are told. */
  configure(options) {
    Object.assign(this.config, options);
    for (const b2 of this.instances.values()) b2.configure?.(this.config);
    return this.config;
  }
  /** Moves a tensor's storage to backend `name` (starting it if needed); GPU→CPU reads asynchronously. */
  async moveTo(t, name) {
    this.assertLive(t, "toBackend");
    const to = await this.instance(name);
    if (t.backend === to) return t;
    const values = await t.backend.read(t.storage, t);
    this.assertLive(t, "toBackend");
    this.rehome(t, values, to);
    return t;
  }
  /** The backend ops run on now; without a choice, a backend that starts synchronously. */
  backend() {
    const placed = this.placement[this.placement.length - 1];
    if (placed !== void 0) {
      const b3 = this.syncInstance(placed);
      if (!b3) throw new Error(`withDevice('${placed}'): backend not started; await ef.setBackend('${placed}') or ef.ready() first`);
      return b3;
    }
    if (this.current) return this.current;
    const syncFactory = [...this.factories.values()].filter((f) => "createSync" in f).sort((a2, b3) => b3.priority - a2.priority)[0];
    if (!syncFactory) throw new Error("eagerflow: no backend ready; import @eagerflow/cpu-backend, or await ef.setBackend(...) / ef.ready() before running ops");
    const b2 = syncFactory.createSync();
    b2.configure?.(this.config);
    this.instances.set(syncFactory.name, b2);
    this.current = b2;
    this.announce([]);
    return b2;
  }
  activeBackendName() {
    return this.current?.name ?? null;
  }
  startedBackend(name) {
    return this.instances.get(name);
  }
  /** The backend `name`, started now if its factory can start synchronously (the CPU can). */
  syncInstance(name) {
    const existing = this.instances.get(name);
    if (existing) return existing;
    const f = this.factories.get(name);
    if (!f?.createSync) return void 0;
    const b2 = f.createSync();
    b2.configure?.(this.config);
    this.instances.set(name, b2);
    return b2;
  }
  warnFallbackOnce(op, from, to) {
    const key = `${op}@${from}`;
    if (this.warnedFallback.has(key)) return;
    this.warnedFallback.add(key);
    console.warn(`eagerflow: op '${op}' has no kernel on '${from}'; running it on '${to}' (soft placement)`);
  }
  // ---- tensors and storage -------------------------------------------------------------
  /** Wraps backend storage in a tensor (one more reference to the storage). */
  makeTensor(shape, dtype, storage, backend, bytes) {
    let rec = this.storage.get(storage);
    if (!rec) {
      rec = { backend, bytes: bytes ?? byteSize(shape, dtype), refs: 0 };
      this.storage.set(storage, rec);
    }
    rec.refs++;
    const t = new Tensor(shape, dtype, storage, backend);
    this.numLive++;
    this.liveByBackend.set(backend.name, (this.liveByBackend.get(backend.name) ?? 0) + 1);
    this.track(t);
    return t;
  }
  fromValues(values, shape, dtype, backend = this.backend()) {
    const storage = backend.write(values, { shape, dtype });
    return this.makeTensor(shape, dtype, storage, backend, dtype === "string" ? dataByteLength(values) : void 0);
  }
  /** Drops one reference to `storage`; releases it on the backend at zero. */
  releaseStorage(storage) {
    const rec = this.storage.get(storage);
    if (!rec) return;
    if (--rec.refs === 0) {
      this.storage.delete(storage);
      rec.backend.release(storage);
    }
  }
  retainStorage(storage) {
    const rec = this.storage.get(storage);
    if (rec) rec.refs++;
  }
  /** Counts a tensor built outside makeTensor (a variable): one more storage reference, no scope. */
  adopt(t) {
    this.retainStorage(t.storage);
    this.numLive++;
    this.liveByBackend.set(t.backend.name, (this.liveByBackend.get(t.backend.name) ?? 0) + 1);
  }
  /**
   * A new tensor sharing `t`'s current storage, owned by a tape: untracked by tidy and already
   * "disposed", so it is freed when the last tape holding it lets go.
   */
  snapshotForTape(t) {
    const s = this.makeTensor(t.shape, t.dtype, t.storage, t.backend);
    this.untrack(s);
    s.disposePending = true;
    return s;
  }
  /** Points a tensor (a variable being assigned) at other storage. */
  repoint(t, storage, backend) {
    this.retainStorage(storage);
    this.releaseStorage(t.storage);
    if (backend !== t.backend) {
      this.liveByBackend.set(t.backend.name, (this.liveByBackend.get(t.backend.name) ?? 1) - 1);
      this.liveByBackend.set(backend.name, (this.liveByBackend.get(backend.name) ?? 0) + 1);
    }
    t.storage = storage;
    t.backend = backend;
  }
  disposeTensor(t) {
    if (t.released || t.disposePending) return;
    if (t.tapeHolds > 0) {
      t.disposePending = true;
      return;
    }
    this.free(t);
  }
  /** Called by a tape when it lets go of a tensor it saved. */
  releaseHold(t) {
    t.tapeHolds--;
    if (t.tapeHolds === 0 && t.disposePending) this.free(t);
  }
  free(t) {
    t.released = true;
    t.disposePending = false;
    this.numLive--;
    this.liveByBackend.set(t.backend.name, (this.liveByBackend.get(t.backend.name) ?? 1) - 1);
    this.releaseStorage(t.storage);
  }
  /** Moves a tensor's storage to another backend (for a variable, or an op placed elsewhere). */
  moveStorage(t, to) {
    if (t.backend === to) return;
    if (!t.backend.readSync) {
      throw new Error(`eagerflow: a ${t.dtype} tensor on '${t.backend.name}' is needed on '${to.name}'; move it first with await ef.toBackend(t, '${to.name}')`);
    }
    const values = t.backend.readSync(t.storage, t);
    this.rehome(t, values, to);
  }
  rehome(t, values, to) {
    const storage = to.write(values, t);
    this.releaseStorage(t.storage);
    this.liveByBackend.set(t.backend.name, (this.liveByBackend.get(t.backend.name) ?? 1) - 1);
    this.liveByBackend.set(to.name, (this.liveByBackend.get(to.name) ?? 0) + 1);
    this.storage.set(storage, { backend: to, bytes: t.dtype === "string" ? dataByteLength(values) : byteSize(t.shape, t.dtype), refs: 1 });
    t.storage = storage;
    t.backend = to;
  }
  read(t) {
    this.assertLive(t, "data");
    return t.backend.read(t.storage, t);
  }
  readSync(t) {
    this.assertLive(t, "dataSync");
    if (!t.backend.readSync) {
      throw new Error(`dataSync: tensors on '${t.backend.name}' can only be read asynchronously; use await t.data()`);
    }
    return t.backend.readSync(t.storage, t);
  }
  /** Throws when `t` was disposed (a tape's saved tensors stay usable while it runs backward). */
  assertLive(t, op, arg) {
    if (t.released || t.disposePending && this.backwardDepth === 0) {
      const what = arg === void 0 ? `tensor ${t.id}` : /^\w+$/.test(arg) ? `argument '${arg}'` : arg;
      throw new Error(`${op}: ${what} (shape [${t.shape.join(",")}], ${t.dtype}) was disposed`);
    }
  }
  // ---- scopes --------------------------------------------------------------------------
  track(t) {
    const scope = this.scopes[this.scopes.length - 1];
    if (scope) scope.add(t);
  }
  untrack(t) {
    for (const s of this.scopes) s.delete(t);
  }
  tidy(fn) {
    this.scopes.push(/* @__PURE__ */ new Set());
    let result;
    try {
      result = fn();
      if (result instanceof Promise) throw new Error("tidy: the function returned a Promise; tidy() is synchronous");
    } catch (e) {
      this.endScope(void 0);
      throw e;
    }
    this.endScope(result);
    return result;
  }
  endScope(result) {
    const scope = this.scopes.pop();
    const keep = /* @__PURE__ */ new Set();
    collectTensors(result, keep);
    const parent = this.scopes[this.scopes.length - 1];
    for (const t of scope) {
      if (keep.has(t) || t.kept) {
        if (parent && !t.kept) parent.add(t);
      } else {
        this.disposeTensor(t);
      }
    }
  }
  keep(t) {
    t.kept = true;
    return t;
  }
  memory() {
    const backends = {};
    for (const [name, b2] of this.instances) {
      backends[name] = { tensors: this.liveByBackend.get(name) ?? 0, bytes: 0, ...b2.memoryInfo?.() ?? {} };
    }
    let numBytes = 0;
    for (const rec of this.storage.values()) {
      numBytes += rec.bytes;
      const entry = backends[rec.backend.name];
      if (entry) entry.bytes += rec.bytes;
    }
    return { numTensors: this.numLive, numBytes, backends };
  }
  /** Frees a backend and forgets it (its tensors become unusable). */
  disposeBackend(name) {
    const names = name ? [name] : [...this.instances.keys()];
    for (const n of names) {
      const b2 = this.instances.get(n);
      if (!b2) continue;
      for (const [s, rec] of this.storage) if (rec.backend === b2) this.storage.delete(s);
      b2.dispose();
      this.instances.delete(n);
      this.numLive -= this.liveByBackend.get(n) ?? 0;
      this.liveByBackend.delete(n);
      if (this.current === b2) this.current = null;
    }
  }
};
function byteSize(shape, dtype) {
  let n = 1;
  for (const d of shape) n *= d;
  return n * bytesPerElement(dtype);
}
function collectTensors(x2, out) {
  if (x2 instanceof Tensor) out.add(x2);
  else if (Array.isArray(x2)) for (const e of x2) collectTensors(e, out);
  else if (x2 && typeof x2 === "object") for (const v of Object.values(x2)) collectTensors(v, out);
}
var engine = new Engine();
setTensorHost({
  read: (t) => engine.read(t),
  readSync: (t) => engine.readSync(t),
  dispose: (t) => engine.disposeTensor(t)
});

// packages/core/src/ops/create_values.ts
function makeTensor(values, shape, dtype, backend) {
  assertValidShape("tensor", shape);
  const n = sizeOf(shape);
  let data;
  if (dtype === "string") {
    const arr = values;
    data = Array.from({ length: arr.length }, (_, i) => {
      const v = arr[i];
      return v instanceof Uint8Array ? v : new TextEncoder().encode(String(v));
    });
  } else if (isTypedArray(values) && matches(values, dtype)) {
    data = values.slice();
    if (dtype === "bool") {
      const b2 = data;
      for (let i = 0; i < b2.length; i++) if (b2[i] > 1) b2[i] = 1;
    }
  } else {
    data = toTypedArray(values, dtype);
  }
  if (data.length !== n) {
    if (data.length === 1 && n !== 1) {
      const filled = allocArray(dtype, n);
      for (let i = 0; i < n; i++) filled[i] = data[0];
      data = filled;
    } else {
      throw new OpError("tensor", `values hold ${data.length} elements but shape ${fmtShape(shape)} needs ${n}`);
    }
  }
  return engine.fromValues(data, shape, dtype, backend);
}
function matches(values, dtype) {
  return dtype === "float32" && values instanceof Float32Array || dtype === "int32" && values instanceof Int32Array || dtype === "bool" && values instanceof Uint8Array || dtype === "int64" && values instanceof BigInt64Array;
}
function isArrayView(x2) {
  return ArrayBuffer.isView(x2) && !(x2 instanceof DataView);
}
function dtypeOfArrayView(x2) {
  if (x2 instanceof Float32Array || x2 instanceof Float64Array) return "float32";
  if (x2 instanceof BigInt64Array || x2 instanceof BigUint64Array) return "int64";
  return "int32";
}
function defaultDtype(flat, values) {
  if (isArrayView(values)) return dtypeOfArrayView(values);
  const first = flat[0];
  if (typeof first === "boolean") return "bool";
  if (typeof first === "string" || first instanceof Uint8Array) return "string";
  if (typeof first === "bigint") return "int64";
  return "float32";
}
function describe(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return v.constructor?.name ?? "an object";
  return typeof v === "string" ? `string ${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}\u2026` : v)}` : `${typeof v} ${String(v)}`;
}
function checkElements(flat, dtype) {
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    const t = typeof v;
    const ok = dtype === "string" ? t === "string" || v instanceof Uint8Array : dtype === "int64" ? t === "bigint" || t === "number" && Number.isInteger(v) || t === "boolean" : t === "number" || t === "boolean" || t === "bigint";
    if (!ok) {
      const expected = dtype === "string" ? "a string or Uint8Array" : dtype === "int64" ? "a bigint or an integer" : "a number, boolean or bigint";
      throw new OpError("tensor", `element ${i} (flat index) is ${describe(v)}; ${/^[aeiou]/.test(dtype) ? "an" : "a"} ${dtype} tensor needs ${expected}`);
    }
  }
}
function tensor(values, shape, dtype) {
  if (values instanceof Tensor) {
    engine.assertLive(values, "tensor", "values");
    if (dtype && dtype !== values.dtype || shape && fmtShape(shape) !== fmtShape(values.shape)) {
      throw new OpError("tensor", `values is already a ${values.dtype} tensor of shape ${fmtShape(values.shape)}; use ef.cast / ef.reshape to change it`);
    }
    return values;
  }
  if (dtype !== void 0 && !DTYPES.includes(dtype)) throw new OpError("tensor", `dtype must be one of ${DTYPES.join(", ")}, found ${String(dtype)}`);
  if (shape !== void 0) {
    if (!Array.isArray(shape)) throw new OpError("tensor", `shape must be an array of dimensions, found ${describe(shape)}`);
    assertValidShape("tensor", shape);
  }
  let flat;
  let inferred;
  if (isArrayView(values)) {
    flat = values;
    inferred = [values.length];
  } else if (Array.isArray(values)) {
    inferred = inferShape(values);
    flat = flattenNested(values);
  } else if (["number", "boolean", "string", "bigint"].includes(typeof values) || values instanceof Uint8Array) {
    flat = [values];
    inferred = [];
  } else {
    throw new OpError("tensor", `values must be a number, boolean, string, bigint, a (nested) array or a typed array; found ${describe(values)}`);
  }
  const dt = dtype ?? defaultDtype(flat, values);
  if (!isArrayView(values)) checkElements(flat, dt);
  else if (dt === "string") throw new OpError("tensor", `a ${values.constructor.name} cannot become a string tensor`);
  if (shape && flat.length !== sizeOf(shape) && flat.length !== 1) {
    throw new OpError("tensor", `values have shape ${fmtShape(inferred)} (${flat.length} elements) but shape ${fmtShape(shape)} (${sizeOf(shape)} elements) was given`);
  }
  const src = isTypedArray(values) ? values : Array.isArray(flat) ? flat : Array.from(flat);
  return makeTensor(src, shape ?? inferred, dt);
}

// packages/core/src/ops/convert.ts
function describe2(x2) {
  if (x2 === null) return "null";
  if (typeof x2 === "object") return x2.constructor?.name ?? "an object";
  return typeof x2;
}
function convert(x2, arg, op, dtypeHint) {
  if (x2 instanceof Tensor) {
    engine.assertLive(x2, op, arg);
    return x2;
  }
  const hint = dtypeHint && dtypeHint !== "string" && dtypeHint !== "int64" ? dtypeHint : void 0;
  if (typeof x2 === "number") {
    if (hint === "int32" && !Number.isInteger(x2)) {
      throw new OpError(op, `argument '${arg}' is ${x2}, which is not an integer, but the other operand is int32; cast it first (ef.cast(t, 'float32'))`);
    }
    return makeTensor([x2], [], hint ?? "float32");
  }
  if (typeof x2 === "boolean") return makeTensor([x2 ? 1 : 0], [], "bool");
  if (isArrayView(x2)) return makeTensor(x2, [x2.length], dtypeOfArrayView(x2));
  if (Array.isArray(x2)) {
    let shape;
    try {
      shape = inferShape(x2);
    } catch (e) {
      throw new OpError(op, `argument '${arg}': ${e.message.replace(/^tensor: /, "")}`);
    }
    const flat = flattenNested(x2);
    const bad = flat.findIndex((v) => typeof v !== "number" && typeof v !== "boolean");
    if (bad >= 0) throw new OpError(op, `argument '${arg}' element ${bad} (flat index) is ${describe2(flat[bad])}; expected a number or boolean`);
    const dtype = typeof flat[0] === "boolean" ? "bool" : hint ?? "float32";
    if (dtype === "int32") {
      const frac = flat.findIndex((v) => typeof v === "number" && !Number.isInteger(v));
      if (frac >= 0) throw new OpError(op, `argument '${arg}' element ${frac} is ${String(flat[frac])}, which is not an integer, but the other operand is int32; cast it first`);
    }
    return makeTensor(flat, shape, dtype);
  }
  if (x2 === void 0) throw new OpError(op, `argument '${arg}' is missing (undefined); expected a Tensor, number, boolean or array`);
  throw new OpError(op, `argument '${arg}' must be a Tensor, number, boolean or array; found ${describe2(x2)}`);
}
function convertPair(a2, b2, op) {
  if (a2 instanceof Tensor) return [convert(a2, "a", op), convert(b2, "b", op, a2.dtype)];
  const tb = convert(b2, "b", op);
  try {
    return [convert(a2, "a", op, tb.dtype), tb];
  } catch (e) {
    if (!(b2 instanceof Tensor)) tb.dispose();
    throw e;
  }
}

// packages/core/src/ops/reference_util.ts
function num(t) {
  const v = t.values;
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = Number(v[i]);
  return out;
}
function broadcastMap(inputs, outShape, fn) {
  const n = sizeOf(outShape);
  const rank = outShape.length;
  const vals = inputs.map(num);
  const strides = inputs.map((t) => broadcastStrides(t.shape, outShape));
  const outStrides = stridesOf(outShape);
  const out = new Float64Array(n);
  const args = new Array(inputs.length);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < inputs.length; k++) {
      let off = 0;
      let rem = i;
      for (let d = 0; d < rank; d++) {
        const idx = Math.floor(rem / outStrides[d]);
        rem -= idx * outStrides[d];
        off += idx * strides[k][d];
      }
      args[k] = vals[k][off];
    }
    out[i] = fn(...args);
  }
  return out;
}
function unravel(i, shape) {
  const idx = new Array(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    const s = shape[d];
    idx[d] = s === 0 ? 0 : i % s;
    i = s === 0 ? 0 : Math.floor(i / s);
  }
  return idx;
}
function ravel(idx, shape) {
  let off = 0;
  for (let d = 0; d < shape.length; d++) off = off * shape[d] + idx[d];
  return off;
}

// packages/core/src/ops/defs/cast.ts
var castDef = {
  id: "cast",
  infer([x2], { dtype }) {
    if (!isNumeric(x2.dtype) || !isNumeric(dtype)) throw new OpError("cast", `can cast between float32, int32 and bool only; found ${x2.dtype} \u2192 ${dtype}`);
    return [{ shape: x2.shape, dtype }];
  },
  reference([x2], { dtype }) {
    const v = num(x2);
    const out = v.map((e) => dtype === "bool" ? e !== 0 ? 1 : 0 : dtype === "int32" ? Math.trunc(e) : Math.fround(e));
    return [{ shape: x2.shape, dtype, values: out }];
  },
  vjp: ({ inputs: [x2], dys: [dy] }) => [x2.dtype === "float32" && dy.dtype === "float32" ? dy : null],
  samples: [
    { inputs: [{ shape: [2, 3], range: [-3, 3] }], attrs: { dtype: "int32" }, noGrad: true },
    { inputs: [{ shape: [4], dtype: "int32", range: [-3, 3] }], attrs: { dtype: "float32" }, noGrad: true },
    { inputs: [{ shape: [4], range: [-1, 1] }], attrs: { dtype: "bool" }, noGrad: true },
    { inputs: [{ shape: [3], dtype: "bool" }], attrs: { dtype: "float32" }, noGrad: true },
    { inputs: [{ shape: [2, 2] }], attrs: { dtype: "float32" } },
    {
      name: "truncates toward zero",
      inputs: [{ shape: [4], dtype: "float32", values: [-1.7, -0.2, 0.9, 2.5] }],
      attrs: { dtype: "int32" },
      expected: [{ shape: [4], dtype: "int32", values: [-1, 0, 0, 2] }],
      noGrad: true
    }
  ]
};

// packages/core/src/ops/dispatch.ts
function apply(def, inputs, attrs) {
  for (let i = 0; i < inputs.length; i++) engine.assertLive(inputs[i], def.id, `input ${i}`);
  const outInfos = def.infer(inputs, attrs);
  let backend = engine.backend();
  if (!def.aliasesInput && !backend.hasKernel(def)) {
    const fallback = engine.syncInstance("cpu");
    if (!fallback || !fallback.hasKernel(def)) throw new OpError(def.id, `no kernel on backend '${backend.name}' and no CPU backend to fall back to`);
    engine.warnFallbackOnce(def.id, backend.name, fallback.name);
    backend = fallback;
  }
  if (engine.config.logDevicePlacement) console.log(`eagerflow: ${def.id} -> ${backend.name}`);
  let outputs;
  if (def.aliasesInput) {
    const src = inputs[0];
    outputs = [engine.makeTensor(outInfos[0].shape, outInfos[0].dtype, src.storage, src.backend)];
  } else {
    const kernelInputs = inputs.map((t) => {
      if (t.backend !== backend) engine.moveStorage(t, backend);
      return { shape: t.shape, dtype: t.dtype, data: t.storage };
    });
    const storages = backend.run(def, kernelInputs, attrs, outInfos);
    outputs = storages.map((s, i) => engine.makeTensor(outInfos[i].shape, outInfos[i].dtype, s, backend));
  }
  recordOp(def, inputs, outputs, attrs);
  return outputs;
}
function recordOp(def, inputs, outputs, attrs) {
  if (!def.vjp || engine.noGradDepth !== 0 || engine.recorders.length === 0) return;
  for (const rec of engine.recorders) {
    if (inputs.some((t) => rec.watches(t))) rec.recordOp({ def, inputs: [...inputs], outputs: [...outputs], attrs });
  }
}
function apply1(def, inputs, attrs) {
  return apply(def, inputs, attrs)[0];
}

// packages/core/src/ops/api/cast.ts
function cast(x2, dtype) {
  const t = convert(x2, "x", "cast");
  return t.dtype === dtype ? t : apply1(castDef, [t], { dtype });
}

// packages/core/src/ops/defs/fill.ts
var fillDef = {
  id: "fill",
  infer(_inputs, { shape, dtype, value }) {
    assertValidShape("fill", shape);
    if (!isNumeric(dtype)) throw new OpError("fill", `dtype must be float32, int32 or bool, found ${dtype}`);
    if (typeof value !== "number" || dtype !== "float32" && !Number.isInteger(value)) throw new OpError("fill", `value ${value} does not fit dtype ${dtype}`);
    return [{ shape, dtype }];
  },
  reference(_inputs, { shape, dtype, value }) {
    return [{ shape, dtype, values: new Float64Array(sizeOf(shape)).fill(dtype === "bool" ? value ? 1 : 0 : value) }];
  },
  samples: [
    { inputs: [], attrs: { shape: [2, 3], value: 1.5, dtype: "float32" }, noGrad: true },
    { inputs: [], attrs: { shape: [4], value: -3, dtype: "int32" }, noGrad: true },
    { inputs: [], attrs: { shape: [], value: 1, dtype: "bool" }, noGrad: true }
  ]
};

// packages/core/src/ops/api/creation.ts
function fill(shape, value, dtype = "float32") {
  return apply1(fillDef, [], { shape: [...shape], value, dtype });
}
var ones = (shape, dtype = "float32") => fill(shape, 1, dtype);
var zerosLike = (t) => fill(t.shape, 0, t.dtype);
var onesLike = (t) => fill(t.shape, 1, t.dtype);
function range(start, limit, delta = 1, dtype = "float32") {
  if (limit === void 0) [start, limit] = [0, start];
  if (delta === 0) throw new OpError("range", "delta must not be 0");
  const n = Math.max(0, Math.ceil((limit - start) / delta));
  return makeTensor(Array.from({ length: n }, (_, i) => start + i * delta), [n], dtype);
}

// packages/core/src/ops/scalar_expr.ts
var SCALAR_FUNCTIONS = [
  "exp",
  "log",
  "sqrt",
  "rsqrt",
  "abs",
  "floor",
  "ceil",
  "round",
  "sign",
  "sin",
  "cos",
  "tanh",
  "sigmoid",
  "pow",
  "min",
  "max",
  "log1p",
  "expm1",
  "select",
  "floordiv",
  "fmod"
];
var JS_SCALAR_PRELUDE = `
const exp = Math.exp, log = Math.log, sqrt = Math.sqrt, abs = Math.abs, floor = Math.floor,
  ceil = Math.ceil, sin = Math.sin, cos = Math.cos, tanh = Math.tanh, pow = Math.pow,
  min = Math.min, max = Math.max, log1p = Math.log1p, expm1 = Math.expm1;
const sign = (x) => (x > 0 ? 1 : x < 0 ? -1 : 0);
const rsqrt = (x) => 1 / Math.sqrt(x);
const sigmoid = (x) => 1 / (1 + Math.exp(-x));
const round = (x) => { const r = Math.round(x); return (r - x === 0.5 && r % 2 !== 0) ? r - 1 : r; };
const select = (c, t, f) => (c ? t : f);
const floordiv = (a, b) => Math.floor(a / b);
const fmod = (a, b) => a - b * Math.floor(a / b);
`;
var cache = /* @__PURE__ */ new Map();
function compileScalar(expr, scalarAttrs = []) {
  const key = `${expr}|${scalarAttrs.join(",")}`;
  let make = cache.get(key);
  if (!make) {
    const attrLines = scalarAttrs.map((n) => `const ${n} = +attrs.${n};`).join("\n");
    make = new Function("attrs", `${JS_SCALAR_PRELUDE}
${attrLines}
return (a, b, c) => +(${expr});`);
    cache.set(key, make);
  }
  return make;
}

// packages/core/src/ops/defs/elementwise.ts
function dtypeAllowed(cls, dtype) {
  switch (cls) {
    case "float":
      return dtype === "float32";
    case "numeric":
      return dtype === "float32" || dtype === "int32";
    case "bool":
      return dtype === "bool";
    case "any":
      return dtype === "float32" || dtype === "int32" || dtype === "bool";
  }
}
var CLASS_TEXT = {
  float: "float32",
  numeric: "float32 or int32",
  bool: "bool",
  any: "float32, int32 or bool"
};
function samplesFor(row) {
  const attrs = row.sampleAttrs ?? {};
  const dtype = row.inputs === "bool" ? "bool" : "float32";
  const range2 = row.range ?? [-2, 2];
  const noGrad2 = !row.grad || dtype !== "float32";
  const inp = (shape) => ({ shape, dtype, range: range2 });
  const cond = (shape) => ({ shape, dtype: "bool" });
  const samples = [];
  if (row.arity === 1) {
    samples.push({ inputs: [inp([2, 3])], attrs, noGrad: noGrad2 }, { inputs: [inp([])], attrs, noGrad: noGrad2 }, { inputs: [inp([3, 1, 4])], attrs, noGrad: noGrad2 });
    if (row.inputs === "numeric" || row.inputs === "any") samples.push({ name: "int32", inputs: [{ shape: [5], dtype: "int32", range: [-5, 5] }], attrs, noGrad: true });
  } else if (row.arity === 2) {
    samples.push(
      { inputs: [inp([2, 3]), inp([2, 3])], attrs, noGrad: noGrad2 },
      { name: "broadcast row", inputs: [inp([2, 3]), inp([3])], attrs, noGrad: noGrad2 },
      { name: "broadcast both", inputs: [inp([4, 1]), inp([1, 3])], attrs, noGrad: noGrad2 },
      { name: "scalar", inputs: [inp([]), inp([2, 2])], attrs, noGrad: noGrad2 }
    );
    if (row.inputs === "numeric" || row.inputs === "any") {
      samples.push({ name: "int32", inputs: [{ shape: [6], dtype: "int32", range: [-6, 6] }, { shape: [6], dtype: "int32", range: [1, 4] }], attrs, noGrad: true });
    }
  } else {
    samples.push(
      { inputs: [cond([2, 3]), inp([2, 3]), inp([2, 3])], attrs, noGrad: noGrad2 },
      { name: "broadcast", inputs: [cond([2, 1]), inp([3]), inp([2, 3])], attrs, noGrad: noGrad2 }
    );
  }
  return samples;
}
function defineElementwise(id, row) {
  const spec = {
    arity: row.arity,
    expr: row.expr,
    intExpr: row.intExpr,
    scalarAttrs: row.scalarAttrs,
    inputs: row.inputs,
    firstInputBool: row.firstInputBool,
    output: row.output ?? "same"
  };
  const attrNames = row.scalarAttrs ?? [];
  return {
    id,
    elementwise: spec,
    tolerance: row.tolerance,
    infer(inputs, attrs) {
      if (inputs.length !== row.arity) throw new OpError(id, `expected ${row.arity} inputs, found ${inputs.length}`);
      for (const n of attrNames) {
        if (typeof attrs[n] !== "number" || Number.isNaN(attrs[n])) throw new OpError(id, `attribute '${n}' must be a number, found ${String(attrs[n])}`);
      }
      const values = row.firstInputBool ? inputs.slice(1) : inputs;
      if (row.firstInputBool && inputs[0].dtype !== "bool") throw new OpError(id, `condition must be bool, found ${inputs[0].dtype}`);
      const cls = row.firstInputBool ? "any" : row.inputs;
      values.forEach((t, i) => {
        if (!dtypeAllowed(cls, t.dtype)) throw new OpError(id, `input ${i} must be ${CLASS_TEXT[cls]}, found ${t.dtype}`);
        if (t.dtype !== values[0].dtype) throw new OpError(id, `inputs have different dtypes ${values[0].dtype} and ${t.dtype}; cast one first`);
      });
      const shape = broadcastShapes(id, ...inputs.map((t) => t.shape));
      return [{ shape, dtype: spec.output === "bool" ? "bool" : values[0].dtype }];
    },
    reference(inputs, attrs) {
      const [out] = this.infer(inputs, attrs);
      const isInt = (row.firstInputBool ? inputs[1] : inputs[0]).dtype === "int32";
      const f = compileScalar(isInt && row.intExpr ? row.intExpr : row.expr, attrNames)(attrs);
      const values = broadcastMap(inputs, out.shape, (a2 = 0, b2 = 0, c = 0) => f(a2, b2, c));
      if (out.dtype === "int32") for (let i = 0; i < values.length; i++) values[i] = values[i] | 0;
      return [{ ...out, values }];
    },
    vjp: row.grad ? (ctx) => row.grad(ctx.inputs, ctx.outputs[0], ctx.dys[0], ctx.attrs) : void 0,
    samples: samplesFor(row)
  };
}
var f32 = (x2) => cast(x2, "float32");
var ELEMENTWISE = {
  // ---- unary ----
  neg: defineElementwise("neg", { arity: 1, expr: "-a", inputs: "numeric", grad: (_x, _y, dy) => [neg(dy)] }),
  abs: defineElementwise("abs", { arity: 1, expr: "abs(a)", inputs: "numeric", grad: ([x2], _y, dy) => [mul(dy, sign(x2))] }),
  exp: defineElementwise("exp", { arity: 1, expr: "exp(a)", inputs: "float", grad: (_x, y3, dy) => [mul(dy, y3)] }),
  log: defineElementwise("log", { arity: 1, expr: "log(a)", inputs: "float", range: [0.2, 3], grad: ([x2], _y, dy) => [div(dy, x2)] }),
  log1p: defineElementwise("log1p", { arity: 1, expr: "log1p(a)", inputs: "float", range: [-0.5, 3], grad: ([x2], _y, dy) => [div(dy, add(x2, 1))] }),
  expm1: defineElementwise("expm1", { arity: 1, expr: "expm1(a)", inputs: "float", grad: ([x2], _y, dy) => [mul(dy, exp(x2))] }),
  sqrt: defineElementwise("sqrt", { arity: 1, expr: "sqrt(a)", inputs: "float", range: [0.2, 3], grad: (_x, y3, dy) => [div(dy, mul(y3, 2))] }),
  rsqrt: defineElementwise("rsqrt", { arity: 1, expr: "rsqrt(a)", inputs: "float", range: [0.3, 3], grad: (_x, y3, dy) => [mul(dy, mul(mul(y3, square(y3)), -0.5))] }),
  square: defineElementwise("square", { arity: 1, expr: "a * a", inputs: "numeric", grad: ([x2], _y, dy) => [mul(dy, mul(x2, 2))] }),
  reciprocal: defineElementwise("reciprocal", { arity: 1, expr: "1.0 / a", inputs: "float", range: [0.3, 3], grad: (_x, y3, dy) => [neg(mul(dy, square(y3)))] }),
  sigmoid: defineElementwise("sigmoid", { arity: 1, expr: "sigmoid(a)", inputs: "float", grad: (_x, y3, dy) => [mul(dy, mul(y3, sub(1, y3)))] }),
  tanh: defineElementwise("tanh", { arity: 1, expr: "tanh(a)", inputs: "float", grad: (_x, y3, dy) => [mul(dy, sub(1, square(y3)))] }),
  relu: defineElementwise("relu", { arity: 1, expr: "max(a, 0.0)", intExpr: "max(a, 0)", inputs: "numeric", grad: ([x2], _y, dy) => [mul(dy, f32(greater(x2, 0)))] }),
  relu6: defineElementwise("relu6", {
    arity: 1,
    expr: "min(max(a, 0.0), 6.0)",
    intExpr: "min(max(a, 0), 6)",
    inputs: "numeric",
    range: [-3, 9],
    grad: ([x2], _y, dy) => [mul(dy, f32(logicalAnd(greater(x2, 0), less(x2, 6))))]
  }),
  elu: defineElementwise("elu", { arity: 1, expr: "select(a > 0.0, a, expm1(a))", inputs: "float", grad: ([x2], y3, dy) => [mul(dy, where(greater(x2, 0), onesLike(y3), add(y3, 1)))] }),
  selu: defineElementwise("selu", {
    arity: 1,
    expr: "select(a > 0.0, 1.0507009873554805 * a, 1.7580993408473766 * expm1(a))",
    inputs: "float",
    grad: ([x2], y3, dy) => [mul(dy, where(greater(x2, 0), mul(onesLike(y3), 1.0507009873554805), add(y3, 1.7580993408473766)))]
  }),
  leakyRelu: defineElementwise("leakyRelu", {
    arity: 1,
    expr: "select(a > 0.0, a, alpha * a)",
    inputs: "float",
    scalarAttrs: ["alpha"],
    sampleAttrs: { alpha: 0.2 },
    grad: ([x2], _y, dy, { alpha }) => [mul(dy, where(greater(x2, 0), onesLike(x2), mul(onesLike(x2), alpha)))]
  }),
  softplus: defineElementwise("softplus", { arity: 1, expr: "select(a > 20.0, a, log1p(exp(a)))", inputs: "float", grad: ([x2], _y, dy) => [mul(dy, sigmoid(x2))] }),
  sin: defineElementwise("sin", { arity: 1, expr: "sin(a)", inputs: "float", grad: ([x2], _y, dy) => [mul(dy, cos(x2))] }),
  cos: defineElementwise("cos", { arity: 1, expr: "cos(a)", inputs: "float", grad: ([x2], _y, dy) => [neg(mul(dy, sin(x2)))] }),
  floor: defineElementwise("floor", { arity: 1, expr: "floor(a)", inputs: "float" }),
  ceil: defineElementwise("ceil", { arity: 1, expr: "ceil(a)", inputs: "float" }),
  round: defineElementwise("round", { arity: 1, expr: "round(a)", inputs: "float" }),
  sign: defineElementwise("sign", { arity: 1, expr: "sign(a)", inputs: "numeric" }),
  logicalNot: defineElementwise("logicalNot", { arity: 1, expr: "!a", inputs: "bool" }),
  clipByValue: defineElementwise("clipByValue", {
    arity: 1,
    expr: "min(max(a, clipMin), clipMax)",
    inputs: "numeric",
    scalarAttrs: ["clipMin", "clipMax"],
    sampleAttrs: { clipMin: -1, clipMax: 1 },
    grad: ([x2], _y, dy, { clipMin, clipMax }) => [mul(dy, f32(logicalAnd(greaterEqual(x2, clipMin), lessEqual(x2, clipMax))))]
  }),
  // ---- binary ----
  add: defineElementwise("add", { arity: 2, expr: "a + b", inputs: "numeric", grad: (_x, _y, dy) => [dy, dy] }),
  sub: defineElementwise("sub", { arity: 2, expr: "a - b", inputs: "numeric", grad: (_x, _y, dy) => [dy, neg(dy)] }),
  mul: defineElementwise("mul", { arity: 2, expr: "a * b", inputs: "numeric", grad: ([a2, b2], _y, dy) => [mul(dy, b2), mul(dy, a2)] }),
  div: defineElementwise("div", {
    arity: 2,
    expr: "a / b",
    intExpr: "floordiv(a, b)",
    inputs: "numeric",
    range: [0.5, 2],
    grad: ([a2, b2], _y, dy) => [div(dy, b2), neg(div(mul(dy, a2), square(b2)))]
  }),
  floorDiv: defineElementwise("floorDiv", { arity: 2, expr: "floor(a / b)", intExpr: "floordiv(a, b)", inputs: "numeric", range: [0.5, 4] }),
  mod: defineElementwise("mod", { arity: 2, expr: "fmod(a, b)", intExpr: "fmod(a, b)", inputs: "numeric", range: [0.5, 4] }),
  pow: defineElementwise("pow", {
    arity: 2,
    expr: "pow(a, b)",
    inputs: "float",
    range: [0.5, 2],
    grad: ([a2, b2], y3, dy) => [
      mul(dy, mul(b2, pow(a2, sub(b2, 1)))),
      mul(dy, where(greater(a2, 0), mul(y3, log(maximum(a2, 1e-30))), zerosLike(y3)))
    ]
  }),
  minimum: defineElementwise("minimum", {
    arity: 2,
    expr: "min(a, b)",
    inputs: "numeric",
    grad: ([a2, b2], _y, dy) => {
      const m = f32(lessEqual(a2, b2));
      return [mul(dy, m), mul(dy, sub(1, m))];
    }
  }),
  maximum: defineElementwise("maximum", {
    arity: 2,
    expr: "max(a, b)",
    inputs: "numeric",
    grad: ([a2, b2], _y, dy) => {
      const m = f32(greaterEqual(a2, b2));
      return [mul(dy, m), mul(dy, sub(1, m))];
    }
  }),
  squaredDifference: defineElementwise("squaredDifference", {
    arity: 2,
    expr: "(a - b) * (a - b)",
    inputs: "numeric",
    grad: ([a2, b2], _y, dy) => {
      const g = mul(dy, mul(sub(a2, b2), 2));
      return [g, neg(g)];
    }
  }),
  greater: defineElementwise("greater", { arity: 2, expr: "a > b", inputs: "numeric", output: "bool" }),
  greaterEqual: defineElementwise("greaterEqual", { arity: 2, expr: "a >= b", inputs: "numeric", output: "bool" }),
  less: defineElementwise("less", { arity: 2, expr: "a < b", inputs: "numeric", output: "bool" }),
  lessEqual: defineElementwise("lessEqual", { arity: 2, expr: "a <= b", inputs: "numeric", output: "bool" }),
  equal: defineElementwise("equal", { arity: 2, expr: "a == b", inputs: "any", output: "bool" }),
  notEqual: defineElementwise("notEqual", { arity: 2, expr: "a != b", inputs: "any", output: "bool" }),
  logicalAnd: defineElementwise("logicalAnd", { arity: 2, expr: "a && b", inputs: "bool", output: "bool" }),
  logicalOr: defineElementwise("logicalOr", { arity: 2, expr: "a || b", inputs: "bool", output: "bool" }),
  // ---- ternary ----
  where: defineElementwise("where", {
    arity: 3,
    expr: "select(a, b, c)",
    inputs: "any",
    firstInputBool: true,
    grad: ([cond], _y, dy) => [null, where(cond, dy, zerosLike(dy)), where(cond, zerosLike(dy), dy)]
  })
};

// packages/core/src/ops/api/elementwise.ts
function run(def, args, ts, attrs) {
  try {
    return apply1(def, ts, attrs);
  } finally {
    ts.forEach((t, i) => t !== args[i] && t.dispose());
  }
}
var un = (def, x2, attrs = {}) => run(def, [x2], [convert(x2, "x", def.id)], attrs);
var bin = (def, a2, b2) => run(def, [a2, b2], convertPair(a2, b2, def.id), {});
var neg = (x2) => un(ELEMENTWISE.neg, x2);
var abs = (x2) => un(ELEMENTWISE.abs, x2);
var exp = (x2) => un(ELEMENTWISE.exp, x2);
var log = (x2) => un(ELEMENTWISE.log, x2);
var log1p = (x2) => un(ELEMENTWISE.log1p, x2);
var expm1 = (x2) => un(ELEMENTWISE.expm1, x2);
var sqrt = (x2) => un(ELEMENTWISE.sqrt, x2);
var rsqrt = (x2) => un(ELEMENTWISE.rsqrt, x2);
var square = (x2) => un(ELEMENTWISE.square, x2);
var reciprocal = (x2) => un(ELEMENTWISE.reciprocal, x2);
var sigmoid = (x2) => un(ELEMENTWISE.sigmoid, x2);
var tanh = (x2) => un(ELEMENTWISE.tanh, x2);
var relu = (x2) => un(ELEMENTWISE.relu, x2);
var relu6 = (x2) => un(ELEMENTWISE.relu6, x2);
var elu = (x2) => un(ELEMENTWISE.elu, x2);
var selu = (x2) => un(ELEMENTWISE.selu, x2);
var leakyRelu = (x2, alpha = 0.2) => un(ELEMENTWISE.leakyRelu, x2, { alpha });
var softplus = (x2) => un(ELEMENTWISE.softplus, x2);
var sin = (x2) => un(ELEMENTWISE.sin, x2);
var cos = (x2) => un(ELEMENTWISE.cos, x2);
var floor = (x2) => un(ELEMENTWISE.floor, x2);
var ceil = (x2) => un(ELEMENTWISE.ceil, x2);
var round = (x2) => un(ELEMENTWISE.round, x2);
var sign = (x2) => un(ELEMENTWISE.sign, x2);
var logicalNot = (x2) => un(ELEMENTWISE.logicalNot, x2);
var clipByValue = (x2, clipMin, clipMax) => un(ELEMENTWISE.clipByValue, x2, { clipMin, clipMax });
var add = (a2, b2) => bin(ELEMENTWISE.add, a2, b2);
var sub = (a2, b2) => bin(ELEMENTWISE.sub, a2, b2);
var mul = (a2, b2) => bin(ELEMENTWISE.mul, a2, b2);
var div = (a2, b2) => bin(ELEMENTWISE.div, a2, b2);
var floorDiv = (a2, b2) => bin(ELEMENTWISE.floorDiv, a2, b2);
var mod = (a2, b2) => bin(ELEMENTWISE.mod, a2, b2);
var pow = (a2, b2) => bin(ELEMENTWISE.pow, a2, b2);
var minimum = (a2, b2) => bin(ELEMENTWISE.minimum, a2, b2);
var maximum = (a2, b2) => bin(ELEMENTWISE.maximum, a2, b2);
var squaredDifference = (a2, b2) => bin(ELEMENTWISE.squaredDifference, a2, b2);
var greater = (a2, b2) => bin(ELEMENTWISE.greater, a2, b2);
var greaterEqual = (a2, b2) => bin(ELEMENTWISE.greaterEqual, a2, b2);
var less = (a2, b2) => bin(ELEMENTWISE.less, a2, b2);
var lessEqual = (a2, b2) => bin(ELEMENTWISE.lessEqual, a2, b2);
var equal = (a2, b2) => bin(ELEMENTWISE.equal, a2, b2);
var notEqual = (a2, b2) => bin(ELEMENTWISE.notEqual, a2, b2);
var logicalAnd = (a2, b2) => bin(ELEMENTWISE.logicalAnd, a2, b2);
var logicalOr = (a2, b2) => bin(ELEMENTWISE.logicalOr, a2, b2);
function where(cond, a2, b2) {
  const [ta, tb] = convertPair(a2, b2, "where");
  let tc;
  try {
    tc = convert(cond, "condition", "where");
  } catch (e) {
    if (ta !== a2) ta.dispose();
    if (tb !== b2) tb.dispose();
    throw e;
  }
  return run(ELEMENTWISE.where, [cond, a2, b2], [tc, ta, tb], {});
}

// packages/core/src/variable.ts
var registry = /* @__PURE__ */ new Map();
function uniqueName(base) {
  if (!registry.has(base)) return base;
  for (let i = 1; ; i++) if (!registry.has(`${base}_${i}`)) return `${base}_${i}`;
}
var Variable = class extends Tensor {
  name;
  trainable;
  /** @internal use ef.variable() */
  constructor(shape, dtype, storage, backend, name, trainable) {
    super(shape, dtype, storage, backend);
    this.name = name;
    this.trainable = trainable;
  }
  /**
   * Replaces the value; shape and dtype must match. A tensor's storage is shared, not copied
   * (tensors are immutable, so this is safe). Tapes that recorded ops on the old value keep it.
   */
  assign(value) {
    return this.assignAs("assign", value);
  }
  /** `v ← v + delta` (delta broadcasts to v's shape); not differentiated. */
  assignAdd(delta) {
    return this.update("assignAdd", delta, add);
  }
  /** `v ← v - delta` (delta broadcasts to v's shape); not differentiated. */
  assignSub(delta) {
    return this.update("assignSub", delta, sub);
  }
  assignAs(op, value) {
    engine.assertLive(this, op, `variable '${this.name}'`);
    const created = !(value instanceof Tensor);
    const t = convert(value, "value", op, this.dtype);
    try {
      if (!shapesEqual(t.shape, this.shape)) {
        throw new OpError(op, `variable '${this.name}' has shape ${fmtShape(this.shape)}, value has shape ${fmtShape(t.shape)}`);
      }
      if (t.dtype !== this.dtype) throw new OpError(op, `variable '${this.name}' has dtype ${this.dtype}, value has dtype ${t.dtype}; cast it first`);
      if (t !== this) {
        if (this.tapeHolds > 0) for (const tape of engine.liveTapes) tape.snapshotVariable(this);
        engine.repoint(this, t.storage, t.backend);
      }
    } finally {
      if (created) t.dispose();
    }
    return this;
  }
  update(op, delta, fn) {
    engine.assertLive(this, op, `variable '${this.name}'`);
    const created = !(delta instanceof Tensor);
    const d = convert(delta, "delta", op, this.dtype);
    let result;
    engine.noGradDepth++;
    try {
      if (d.dtype !== this.dtype) throw new OpError(op, `variable '${this.name}' has dtype ${this.dtype}, delta has dtype ${d.dtype}; cast it first`);
      const shape = broadcastShapes(op, this.shape, d.shape);
      if (!shapesEqual(shape, this.shape)) {
        throw new OpError(op, `delta shape ${fmtShape(d.shape)} does not broadcast to variable '${this.name}' shape ${fmtShape(this.shape)}`);
      }
      result = fn(this, d);
      this.assignAs(op, result);
    } finally {
      engine.noGradDepth--;
      result?.dispose();
      if (created) d.dispose();
    }
    return this;
  }
  /** The current value as a plain tensor (shares storage; later assigns do not change it). */
  readValue() {
    engine.assertLive(this, "readValue", `variable '${this.name}'`);
    return engine.makeTensor(this.shape, this.dtype, this.storage, this.backend);
  }
  dispose() {
    if (registry.get(this.name) === this) registry.delete(this.name);
    super.dispose();
  }
};
function variable(init, options = {}) {
  if (options.name !== void 0 && (typeof options.name !== "string" || options.name === "")) {
    throw new OpError("variable", `name must be a non-empty string, found ${JSON.stringify(options.name)}`);
  }
  const created = !(init instanceof Tensor);
  const t = created ? tensor(init, void 0, options.dtype) : init;
  try {
    engine.assertLive(t, "variable", "init");
    if (options.dtype && options.dtype !== t.dtype) {
      throw new OpError("variable", `initial value has dtype ${t.dtype} but dtype ${options.dtype} was requested; cast it first`);
    }
    const name = uniqueName(options.name ?? "Variable");
    const v = new Variable(t.shape, t.dtype, t.storage, t.backend, name, options.trainable ?? true);
    engine.adopt(v);
    registry.set(name, v);
    return v;
  } finally {
    if (created) t.dispose();
  }
}
function findVariable(name) {
  return registry.get(name);
}

// packages/core/src/ops/defs/conv_util.ts
function normalizeHW(op, arg, v, dflt) {
  let pair;
  if (v === void 0) {
    if (dflt === void 0) throw new OpError(op, `${arg} is required`);
    pair = [dflt, dflt];
  } else if (typeof v === "number") pair = [v, v];
  else if (v.length === 1) pair = [v[0], v[0]];
  else if (v.length === 2) pair = [v[0], v[1]];
  else if (v.length === 4) {
    if (v[0] !== 1 || v[3] !== 1) {
      throw new OpError(op, `${arg} ${JSON.stringify(v)} must be 1 in the batch and channel dimensions (NHWC), found ${v[0]} and ${v[3]}`);
    }
    pair = [v[1], v[2]];
  } else throw new OpError(op, `${arg} must be a number, [h, w] or [1, h, w, 1]; found ${JSON.stringify(v)}`);
  for (const e of pair) {
    if (!Number.isInteger(e) || e < 1) throw new OpError(op, `${arg} must be positive integers, found ${JSON.stringify(v)}`);
  }
  return pair;
}
function windowOutSize(inSize, effK, stride, padBefore, padAfter) {
  return Math.floor((inSize + padBefore + padAfter - effK) / stride) + 1;
}
function resolvePadding(op, padding, inH, inW, effKH, effKW, strides) {
  if (typeof padding === "string") {
    const mode = padding.toUpperCase();
    if (mode === "VALID") return [0, 0, 0, 0];
    if (mode === "SAME") {
      const tot = (inSize, k, s) => Math.max((Math.ceil(inSize / s) - 1) * s + k - inSize, 0);
      const th = tot(inH, effKH, strides[0]);
      const tw = tot(inW, effKW, strides[1]);
      return [Math.floor(th / 2), th - Math.floor(th / 2), Math.floor(tw / 2), tw - Math.floor(tw / 2)];
    }
    throw new OpError(op, `padding must be 'SAME', 'VALID' or explicit pairs, found '${padding}'`);
  }
  if (!Array.isArray(padding)) throw new OpError(op, `padding must be 'SAME', 'VALID' or explicit pairs, found ${String(padding)}`);
  const pairs = padding;
  let hw2;
  if (pairs.length === 4) {
    const outer = [pairs[0], pairs[3]];
    if (outer.some((p) => !Array.isArray(p) || p[0] !== 0 || p[1] !== 0)) {
      throw new OpError(op, `explicit padding ${JSON.stringify(padding)} must be [0, 0] in the batch and channel dimensions`);
    }
    hw2 = [pairs[1], pairs[2]];
  } else if (pairs.length === 2) hw2 = pairs;
  else throw new OpError(op, `explicit padding must hold 4 pairs (NHWC) or 2 pairs (H, W), found ${JSON.stringify(padding)}`);
  const flat = hw2.flatMap((p) => Array.isArray(p) && p.length === 2 ? [p[0], p[1]] : [NaN]);
  if (flat.some((e) => !Number.isInteger(e) || e < 0)) {
    throw new OpError(op, `explicit padding must hold pairs of non-negative integers, found ${JSON.stringify(padding)}`);
  }
  return [flat[0], flat[1], flat[2], flat[3]];
}
function checkPairs(op, attrs) {
  const ok = (v, min) => Array.isArray(v) && v.every((e) => Number.isInteger(e) && e >= min);
  if (!ok(attrs.strides, 1) || attrs.strides.length !== 2) throw new OpError(op, `strides must be two positive integers, found ${JSON.stringify(attrs.strides)}`);
  if (!ok(attrs.pads, 0) || attrs.pads.length !== 4) throw new OpError(op, `pads must be four non-negative integers [top, bottom, left, right], found ${JSON.stringify(attrs.pads)}`);
}
function checkRank4(op, arg, t, layout) {
  if (!t) throw new OpError(op, `missing input '${arg}'`);
  if (t.shape.length !== 4) throw new OpError(op, `${arg} must be rank 4 ${layout}, found shape ${fmtShape(t.shape)}`);
  if (t.dtype !== "float32") throw new OpError(op, `${arg} must be float32, found ${t.dtype}`);
}
function convGeometry(op, xShape, fShape, attrs) {
  checkPairs(op, attrs);
  if (!Array.isArray(attrs.dilations) || attrs.dilations.length !== 2 || !attrs.dilations.every((e) => Number.isInteger(e) && e >= 1)) {
    throw new OpError(op, `dilations must be two positive integers, found ${JSON.stringify(attrs.dilations)}`);
  }
  const [n, h, w, ci] = xShape;
  const [kh, kw, fci, co] = fShape;
  if (ci !== fci) throw new OpError(op, `input channels ${ci} do not match filter in-channels ${fci}`);
  const [sh, sw] = attrs.strides;
  const [dh, dw] = attrs.dilations;
  if ((sh > 1 || sw > 1) && (dh > 1 || dw > 1)) {
    throw new OpError(op, `strides ${JSON.stringify(attrs.strides)} and dilations ${JSON.stringify(attrs.dilations)} cannot both exceed 1 (as in TensorFlow)`);
  }
  const [pt, pb, pl, pr] = attrs.pads;
  const ekh = (kh - 1) * dh + 1;
  const ekw = (kw - 1) * dw + 1;
  if (kh < 1 || kw < 1) throw new OpError(op, `filter ${fmtShape(fShape)} has an empty window`);
  if (ekh > h + pt + pb || ekw > w + pl + pr) {
    throw new OpError(op, `filter window ${ekh}x${ekw}${dh > 1 || dw > 1 ? " (dilated)" : ""} is larger than the padded input ${h + pt + pb}x${w + pl + pr} (input ${fmtShape(xShape)}, pads ${JSON.stringify(attrs.pads)})`);
  }
  return { n, h, w, ci, kh, kw, co, oh: windowOutSize(h, ekh, sh, pt, pb), ow: windowOutSize(w, ekw, sw, pl, pr), sh, sw, dh, dw, pt, pl };
}
function poolGeometry(op, xShape, attrs) {
  checkPairs(op, attrs);
  if (!Array.isArray(attrs.ksize) || attrs.ksize.length !== 2 || !attrs.ksize.every((e) => Number.isInteger(e) && e >= 1)) {
    throw new OpError(op, `ksize must be two positive integers, found ${JSON.stringify(attrs.ksize)}`);
  }
  const [n, h, w, c] = xShape;
  const [kh, kw] = attrs.ksize;
  const [pt, pb, pl, pr] = attrs.pads;
  if (pt >= kh || pb >= kh || pl >= kw || pr >= kw) {
    throw new OpError(op, `padding ${JSON.stringify(attrs.pads)} must be smaller than the window ${kh}x${kw} on every side`);
  }
  if (kh > h + pt + pb || kw > w + pl + pr) {
    throw new OpError(op, `window ${kh}x${kw} is larger than the padded input ${h + pt + pb}x${w + pl + pr} (input ${fmtShape(xShape)})`);
  }
  const [sh, sw] = attrs.strides;
  return { n, h, w, c, kh, kw, oh: windowOutSize(h, kh, sh, pt, pb), ow: windowOutSize(w, kw, sw, pl, pr), sh, sw, pt, pl };
}
function checkShapeAttr(op, arg, s) {
  if (!Array.isArray(s) || s.length !== 4 || !s.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new OpError(op, `${arg} must be 4 non-negative integers, found ${JSON.stringify(s)}`);
  }
  return s;
}
function expectShape(op, arg, got, want) {
  if (got.length !== want.length || got.some((d, i) => d !== want[i])) {
    throw new OpError(op, `${arg} has shape ${fmtShape(got)}, expected ${fmtShape(want)}`);
  }
}
function forEachConvTap(g, fn) {
  for (let b2 = 0; b2 < g.n; b2++)
    for (let oy = 0; oy < g.oh; oy++)
      for (let ox = 0; ox < g.ow; ox++)
        for (let ky = 0; ky < g.kh; ky++) {
          const iy = oy * g.sh - g.pt + ky * g.dh;
          if (iy < 0 || iy >= g.h) continue;
          for (let kx = 0; kx < g.kw; kx++) {
            const ix = ox * g.sw - g.pl + kx * g.dw;
            if (ix < 0 || ix >= g.w) continue;
            for (let c = 0; c < g.ci; c++)
              for (let o = 0; o < g.co; o++) {
                fn(((b2 * g.h + iy) * g.w + ix) * g.ci + c, ((ky * g.kw + kx) * g.ci + c) * g.co + o, ((b2 * g.oh + oy) * g.ow + ox) * g.co + o);
              }
          }
        }
}
function forEachPoolWindow(g, fn) {
  for (let b2 = 0; b2 < g.n; b2++)
    for (let oy = 0; oy < g.oh; oy++)
      for (let ox = 0; ox < g.ow; ox++)
        for (let c = 0; c < g.c; c++) {
          const xis = [];
          for (let ky = 0; ky < g.kh; ky++) {
            const iy = oy * g.sh - g.pt + ky;
            if (iy < 0 || iy >= g.h) continue;
            for (let kx = 0; kx < g.kw; kx++) {
              const ix = ox * g.sw - g.pl + kx;
              if (ix >= 0 && ix < g.w) xis.push(((b2 * g.h + iy) * g.w + ix) * g.c + c);
            }
          }
          fn(((b2 * g.oh + oy) * g.ow + ox) * g.c + c, xis);
        }
}
function firstMax(v, xis) {
  let best = xis[0];
  for (const i of xis) if (v[i] > v[best]) best = i;
  return best;
}
function f64(shape, values) {
  return { shape: [...shape], dtype: "float32", values };
}
function distinctValues(shape, seed, lo = -2, hi = 2) {
  const n = shape.reduce((a2, b2) => a2 * b2, 1);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = Math.fround(lo + (hi - lo) * i / Math.max(n - 1, 1));
  let s = seed >>> 0;
  for (let i = n - 1; i > 0; i--) {
    s = Math.imul(s, 1664525) + 1013904223 >>> 0;
    const j = s % (i + 1);
    [values[i], values[j]] = [values[j], values[i]];
  }
  return { shape: [...shape], dtype: "float32", values };
}
var convAttrs = (s, p, d = [1, 1]) => ({ strides: s, pads: p, dilations: d });
var CONV_CASES = [
  { name: "VALID 1x1 stride", x: [1, 4, 4, 2], f: [1, 1, 2, 3], attrs: convAttrs([1, 1], [0, 0, 0, 0]) },
  { name: "VALID k3", x: [2, 5, 5, 2], f: [3, 3, 2, 3], attrs: convAttrs([1, 1], [0, 0, 0, 0]) },
  { name: "SAME k3", x: [1, 4, 5, 3], f: [3, 3, 3, 2], attrs: convAttrs([1, 1], [1, 1, 1, 1]) },
  { name: "SAME stride 2 odd", x: [2, 5, 7, 2], f: [3, 3, 2, 2], attrs: convAttrs([2, 2], [1, 1, 1, 1]) },
  { name: "SAME stride 2 even input (pad top 0, bottom 1)", x: [1, 6, 6, 1], f: [3, 3, 1, 2], attrs: convAttrs([2, 2], [0, 1, 0, 1]) },
  { name: "explicit pads stride 2", x: [1, 6, 6, 1], f: [4, 2, 1, 2], attrs: convAttrs([2, 2], [1, 2, 0, 0]) },
  { name: "VALID stride 2x3 rectangular", x: [2, 7, 8, 2], f: [2, 3, 2, 3], attrs: convAttrs([2, 3], [0, 0, 0, 0]) },
  { name: "dilation 2 SAME", x: [1, 6, 5, 2], f: [3, 2, 2, 2], attrs: convAttrs([1, 1], [2, 2, 1, 1], [2, 2]) },
  { name: "explicit pads asymmetric", x: [1, 4, 4, 2], f: [2, 2, 2, 1], attrs: convAttrs([1, 1], [2, 0, 1, 3]) }
];
var poolAttrs = (k, s, p) => ({ ksize: k, strides: s, pads: p });
var POOL_CASES = [
  { name: "k2 s2 VALID", x: [2, 4, 4, 3], attrs: poolAttrs([2, 2], [2, 2], [0, 0, 0, 0]) },
  { name: "k3 s2 SAME odd", x: [1, 5, 5, 2], attrs: poolAttrs([3, 3], [2, 2], [1, 1, 1, 1]) },
  { name: "k2 s2 SAME odd (pad after)", x: [2, 5, 3, 1], attrs: poolAttrs([2, 2], [2, 2], [0, 1, 0, 1]) },
  { name: "k3 s1 SAME overlapping", x: [1, 4, 5, 2], attrs: poolAttrs([3, 3], [1, 1], [1, 1, 1, 1]) },
  { name: "k2x3 s1x2 VALID", x: [2, 5, 7, 2], attrs: poolAttrs([2, 3], [1, 2], [0, 0, 0, 0]) }
];
function poolOutShape(x2, attrs) {
  const g = poolGeometry("pool", x2, attrs);
  return [g.n, g.oh, g.ow, g.c];
}

// packages/core/src/ops/defs/avg_pool_grad.ts
var OP = "avgPoolGrad";
var avgPoolGradDef = {
  id: "avg_pool_grad",
  infer([dy], attrs) {
    const xShape = checkShapeAttr(OP, "inputShape", attrs.inputShape);
    if (!dy || dy.dtype !== "float32") throw new OpError(OP, `grad must be float32, found ${dy?.dtype}`);
    const g = poolGeometry(OP, xShape, attrs);
    expectShape(OP, "grad", dy.shape, [g.n, g.oh, g.ow, g.c]);
    return [{ shape: [...xShape], dtype: "float32" }];
  },
  reference([dy], attrs) {
    const g = poolGeometry(OP, attrs.inputShape, attrs);
    const d = num(dy);
    const dx = new Float64Array(attrs.inputShape.reduce((a2, b2) => a2 * b2, 1));
    forEachPoolWindow(g, (yi, xis) => {
      for (const i of xis) dx[i] += d[yi] / xis.length;
    });
    return [f64(attrs.inputShape, dx)];
  },
  vjp: ({ dys: [g], attrs: { inputShape: _s, ...pool } }) => [apply1(avgPoolDef, [g], pool)],
  samples: POOL_CASES.map((c) => {
    const g = poolGeometry(OP, c.x, c.attrs);
    return { name: c.name, inputs: [{ shape: [g.n, g.oh, g.ow, g.c] }], attrs: { ...c.attrs, inputShape: c.x } };
  })
};

// packages/core/src/ops/defs/avg_pool.ts
var avgPoolDef = {
  id: "avg_pool",
  infer([x2], attrs) {
    checkRank4("avgPool", "input", x2, "[batch, height, width, channels]");
    const g = poolGeometry("avgPool", x2.shape, attrs);
    return [{ shape: [g.n, g.oh, g.ow, g.c], dtype: "float32" }];
  },
  reference([x2], attrs) {
    const g = poolGeometry("avgPool", x2.shape, attrs);
    const v = num(x2);
    const y3 = new Float64Array(g.n * g.oh * g.ow * g.c);
    forEachPoolWindow(g, (yi, xis) => y3[yi] = xis.reduce((s, i) => s + v[i], 0) / xis.length);
    return [f64([g.n, g.oh, g.ow, g.c], y3)];
  },
  vjp: ({ inputs: [x2], dys: [dy], attrs }) => [apply1(avgPoolGradDef, [dy], { ...attrs, inputShape: [...x2.shape] })],
  samples: [
    ...POOL_CASES.map((c) => ({ name: c.name, inputs: [{ shape: c.x }], attrs: c.attrs })),
    {
      name: "hand-computed SAME corner counts only real pixels",
      inputs: [{ shape: [1, 3, 3, 1], dtype: "float32", values: [1, 2, 3, 4, 5, 6, 7, 8, 9] }],
      attrs: poolAttrs([2, 2], [2, 2], [0, 1, 0, 1]),
      expected: [{ shape: [1, 2, 2, 1], dtype: "float32", values: [3, 4.5, 7.5, 9] }]
    }
  ]
};

// packages/core/src/ops/defs/conv2d_backprop_input.ts
var OP2 = "conv2dBackpropInput";
var conv2dBackpropInputDef = {
  id: "conv2d_backprop_input",
  infer([dy, f], attrs) {
    const xShape = checkShapeAttr(OP2, "inputShape", attrs.inputShape);
    checkRank4(OP2, "outBackprop", dy, "[batch, outHeight, outWidth, outChannels]");
    checkRank4(OP2, "filter", f, "[height, width, inChannels, outChannels]");
    const g = convGeometry(OP2, xShape, f.shape, attrs);
    expectShape(OP2, "outBackprop", dy.shape, [g.n, g.oh, g.ow, g.co]);
    return [{ shape: [...xShape], dtype: "float32" }];
  },
  reference([dy, f], attrs) {
    const g = convGeometry(OP2, attrs.inputShape, f.shape, attrs);
    const dv = num(dy);
    const fv = num(f);
    const dx = new Float64Array(g.n * g.h * g.w * g.ci);
    forEachConvTap(g, (xi, fi, yi) => dx[xi] += dv[yi] * fv[fi]);
    return [f64(attrs.inputShape, dx)];
  },
  // Linear in both inputs: the adjoint in dy is conv2d, in the filter it is the filter gradient.
  vjp: ({ inputs: [dy, f], dys: [g], attrs: { inputShape: _s, ...conv } }) => [
    apply1(conv2dDef, [g, f], conv),
    apply1(conv2dBackpropFilterDef, [g, dy], { ...conv, filterShape: [...f.shape] })
  ],
  samples: CONV_CASES.map((c) => {
    const g = convGeometry(OP2, c.x, c.f, c.attrs);
    return { name: c.name, inputs: [{ shape: [g.n, g.oh, g.ow, g.co] }, { shape: c.f }], attrs: { ...c.attrs, inputShape: c.x } };
  })
};

// packages/core/src/ops/defs/conv2d_backprop_filter.ts
var OP3 = "conv2dBackpropFilter";
var conv2dBackpropFilterDef = {
  id: "conv2d_backprop_filter",
  infer([x2, dy], attrs) {
    const fShape = checkShapeAttr(OP3, "filterShape", attrs.filterShape);
    checkRank4(OP3, "input", x2, "[batch, height, width, channels]");
    checkRank4(OP3, "outBackprop", dy, "[batch, outHeight, outWidth, outChannels]");
    const g = convGeometry(OP3, x2.shape, fShape, attrs);
    expectShape(OP3, "outBackprop", dy.shape, [g.n, g.oh, g.ow, g.co]);
    return [{ shape: [...fShape], dtype: "float32" }];
  },
  reference([x2, dy], attrs) {
    const g = convGeometry(OP3, x2.shape, attrs.filterShape, attrs);
    const xv = num(x2);
    const dv = num(dy);
    const df = new Float64Array(g.kh * g.kw * g.ci * g.co);
    forEachConvTap(g, (xi, fi, yi) => df[fi] += xv[xi] * dv[yi]);
    return [f64(attrs.filterShape, df)];
  },
  // Linear in both inputs: the adjoint in x is the input gradient, in dy it is conv2d.
  vjp: ({ inputs: [x2, dy], dys: [g], attrs: { filterShape: _s, ...conv } }) => [
    apply1(conv2dBackpropInputDef, [dy, g], { ...conv, inputShape: [...x2.shape] }),
    apply1(conv2dDef, [x2, g], conv)
  ],
  samples: CONV_CASES.map((c) => {
    const g = convGeometry(OP3, c.x, c.f, c.attrs);
    return { name: c.name, inputs: [{ shape: c.x }, { shape: [g.n, g.oh, g.ow, g.co] }], attrs: { ...c.attrs, filterShape: c.f } };
  })
};

// packages/core/src/ops/defs/conv2d.ts
var conv2dDef = {
  id: "conv2d",
  infer([x2, f], attrs) {
    checkRank4("conv2d", "input", x2, "[batch, height, width, channels]");
    checkRank4("conv2d", "filter", f, "[height, width, inChannels, outChannels]");
    const g = convGeometry("conv2d", x2.shape, f.shape, attrs);
    return [{ shape: [g.n, g.oh, g.ow, g.co], dtype: "float32" }];
  },
  reference([x2, f], attrs) {
    const g = convGeometry("conv2d", x2.shape, f.shape, attrs);
    const xv = num(x2);
    const fv = num(f);
    const y3 = new Float64Array(g.n * g.oh * g.ow * g.co);
    forEachConvTap(g, (xi, fi, yi) => y3[yi] += xv[xi] * fv[fi]);
    return [f64([g.n, g.oh, g.ow, g.co], y3)];
  },
  vjp: ({ inputs: [x2, f], dys: [dy], attrs }) => [
    apply1(conv2dBackpropInputDef, [dy, f], { ...attrs, inputShape: [...x2.shape] }),
    apply1(conv2dBackpropFilterDef, [x2, dy], { ...attrs, filterShape: [...f.shape] })
  ],
  samples: [
    ...CONV_CASES.map((c) => ({ name: c.name, inputs: [{ shape: c.x }, { shape: c.f }], attrs: c.attrs })),
    {
      name: "hand-computed 3x3 * 2x2 VALID",
      inputs: [
        { shape: [1, 3, 3, 1], dtype: "float32", values: [1, 2, 3, 4, 5, 6, 7, 8, 9] },
        { shape: [2, 2, 1, 1], dtype: "float32", values: [1, 0, 0, -1] }
      ],
      attrs: convAttrs([1, 1], [0, 0, 0, 0]),
      expected: [{ shape: [1, 2, 2, 1], dtype: "float32", values: [-4, -4, -4, -4] }]
    },
    { name: "larger", inputs: [{ shape: [2, 9, 9, 5] }, { shape: [3, 3, 5, 7] }], attrs: convAttrs([1, 1], [1, 1, 1, 1]), noGrad: true }
  ]
};

// packages/core/src/ops/defs/arg_reduce.ts
var argReduceDef = {
  id: "arg_reduce",
  infer([x2], { op, axis }) {
    const name = op === "max" ? "argMax" : "argMin";
    if (x2.dtype !== "float32" && x2.dtype !== "int32") throw new OpError(name, `input must be float32 or int32, found ${x2.dtype}`);
    const a2 = normAxis(name, axis, x2.shape.length);
    if (x2.shape[a2] === 0) throw new OpError(name, `axis ${axis} has size 0`);
    return [{ shape: x2.shape.filter((_, i) => i !== a2), dtype: "int32" }];
  },
  reference([x2], { op, axis }) {
    const a2 = axis < 0 ? axis + x2.shape.length : axis;
    const outShape = x2.shape.filter((_, i) => i !== a2);
    const n = outShape.reduce((p, d) => p * d, 1);
    const best = new Float64Array(n).fill(op === "max" ? -Infinity : Infinity);
    const arg = new Float64Array(n).fill(-1);
    const v = num(x2);
    for (let i = 0; i < v.length; i++) {
      const idx = unravel(i, x2.shape);
      const o = ravel(idx.filter((_, d) => d !== a2), outShape);
      const e = v[i];
      if (arg[o] === -1 || (op === "max" ? e > best[o] : e < best[o])) {
        best[o] = e;
        arg[o] = idx[a2];
      }
    }
    return [{ shape: outShape, dtype: "int32", values: arg }];
  },
  samples: [
    { inputs: [{ shape: [3, 5] }], attrs: { op: "max", axis: 1 }, noGrad: true },
    { inputs: [{ shape: [3, 5] }], attrs: { op: "min", axis: 0 }, noGrad: true },
    { inputs: [{ shape: [2, 3, 4] }], attrs: { op: "max", axis: -2 }, noGrad: true },
    { name: "ties pick first", inputs: [{ shape: [4], dtype: "float32", values: [1, 3, 3, 0] }], attrs: { op: "max", axis: 0 }, expected: [{ shape: [], dtype: "int32", values: [1] }], noGrad: true }
  ]
};

// packages/core/src/ops/defs/broadcast_to.ts
var broadcastToDef = {
  id: "broadcast_to",
  infer([x2], { shape }) {
    const out = broadcastShapes("broadcastTo", x2.shape, shape);
    if (!shapesEqual(out, shape)) throw new OpError("broadcastTo", `cannot broadcast ${fmtShape(x2.shape)} to ${fmtShape(shape)}`);
    return [{ shape, dtype: x2.dtype }];
  },
  reference([x2], { shape }) {
    return [{ shape, dtype: x2.dtype, values: broadcastMap([x2], shape, (v) => v) }];
  },
  vjp: ({ inputs: [x2], dys: [dy] }) => [sumToShape(dy, x2.shape)],
  samples: [
    { inputs: [{ shape: [3] }], attrs: { shape: [2, 3] } },
    { inputs: [{ shape: [2, 1] }], attrs: { shape: [2, 4] } },
    { inputs: [{ shape: [] }], attrs: { shape: [2, 2, 2] } },
    { inputs: [{ shape: [1, 3], dtype: "int32", range: [0, 9] }], attrs: { shape: [2, 3] }, noGrad: true }
  ]
};

// packages/core/src/ops/defs/reshape.ts
function resolveReshape(op, from, shape) {
  const size = sizeOf(from);
  const unknown = shape.filter((d) => d === -1).length;
  if (unknown > 1) throw new OpError(op, `shape ${fmtShape(shape)} has more than one -1`);
  for (const d of shape) if (d !== -1 && (!Number.isInteger(d) || d < 0)) throw new OpError(op, `shape ${fmtShape(shape)} has invalid dimension ${d}`);
  const known = shape.reduce((p, d) => d === -1 ? p : p * d, 1);
  const out = shape.map((d) => d === -1 ? known === 0 ? 0 : size / known : d);
  if (sizeOf(out) !== size || !out.every(Number.isInteger)) {
    throw new OpError(op, `cannot reshape ${fmtShape(from)} (${size} elements) to ${fmtShape(shape)}`);
  }
  return out;
}
var reshapeDef = {
  id: "reshape",
  aliasesInput: true,
  infer([x2], { shape }) {
    return [{ shape: resolveReshape("reshape", x2.shape, shape), dtype: x2.dtype }];
  },
  reference([x2], { shape }) {
    return [{ shape: resolveReshape("reshape", x2.shape, shape), dtype: x2.dtype, values: x2.values }];
  },
  vjp: ({ inputs: [x2], dys: [dy] }) => [reshape(dy, x2.shape)],
  samples: [
    { inputs: [{ shape: [2, 3] }], attrs: { shape: [3, 2] } },
    { inputs: [{ shape: [2, 3, 4] }], attrs: { shape: [-1, 4] } },
    { inputs: [{ shape: [6] }], attrs: { shape: [1, 6, 1] } }
  ]
};

// packages/core/src/ops/defs/transpose.ts
function checkPerm(op, perm, rank) {
  const sorted = [...perm].sort((a2, b2) => a2 - b2);
  if (perm.length !== rank || sorted.some((p, i) => p !== i)) {
    throw new OpError(op, `perm [${perm.join(",")}] is not a permutation of 0..${rank - 1}`);
  }
}
var transposeDef = {
  id: "transpose",
  infer([x2], { perm }) {
    checkPerm("transpose", perm, x2.shape.length);
    return [{ shape: perm.map((p) => x2.shape[p]), dtype: x2.dtype }];
  },
  reference([x2], { perm }) {
    const shape = perm.map((p) => x2.shape[p]);
    const n = x2.values.length;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const idx = unravel(i, x2.shape);
      out[ravel(perm.map((p) => idx[p]), shape)] = Number(x2.values[i]);
    }
    return [{ shape, dtype: x2.dtype, values: out }];
  },
  vjp: ({ dys: [dy], attrs: { perm } }) => {
    const inv = new Array(perm.length);
    perm.forEach((p, i) => inv[p] = i);
    return [transpose(dy, inv)];
  },
  samples: [
    { inputs: [{ shape: [2, 3] }], attrs: { perm: [1, 0] } },
    { inputs: [{ shape: [2, 3, 4] }], attrs: { perm: [2, 0, 1] } },
    { inputs: [{ shape: [2, 1, 3, 2] }], attrs: { perm: [0, 3, 1, 2] } },
    { inputs: [{ shape: [3, 4], dtype: "int32", range: [-9, 9] }], attrs: { perm: [1, 0] }, noGrad: true }
  ]
};

// packages/core/src/ops/api/shape_ops.ts
function reshape(x2, shape) {
  const t = convert(x2, "x", "reshape");
  return shapesEqual(t.shape, shape) ? t : apply1(reshapeDef, [t], { shape: [...shape] });
}
function transpose(x2, perm) {
  const t = convert(x2, "x", "transpose");
  const p = perm ?? t.shape.map((_, i) => t.rank - 1 - i);
  return apply1(transposeDef, [t], { perm: [...p] });
}
function broadcastTo(x2, shape) {
  const t = convert(x2, "x", "broadcastTo");
  return shapesEqual(t.shape, shape) ? t : apply1(broadcastToDef, [t], { shape: [...shape] });
}

// packages/core/src/ops/defs/reduce.ts
function reducedShape(shape, axes, keepDims) {
  const out = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepDims) out.push(1);
  });
  return out;
}
var INIT = { sum: 0, mean: 0, max: -Infinity, min: Infinity, prod: 1, all: 1, any: 0 };
var reduceDef = {
  id: "reduce",
  infer([x2], { op, axes, keepDims }) {
    const name = `reduce${op[0].toUpperCase()}${op.slice(1)}`;
    const bool = op === "all" || op === "any";
    if (bool && x2.dtype !== "bool") throw new OpError(name, `input must be bool, found ${x2.dtype}`);
    if (!bool && x2.dtype !== "float32" && x2.dtype !== "int32") throw new OpError(name, `input must be float32 or int32, found ${x2.dtype}`);
    normAxes(name, axes, x2.shape.length);
    return [{ shape: reducedShape(x2.shape, axes, keepDims), dtype: x2.dtype }];
  },
  reference([x2], attrs) {
    const [out] = this.infer([x2], attrs);
    const { op, axes } = attrs;
    const kept = reducedShape(x2.shape, axes, true);
    const acc = new Float64Array(kept.reduce((a2, b2) => a2 * b2, 1)).fill(INIT[op]);
    const v = num(x2);
    for (let i = 0; i < v.length; i++) {
      const idx = unravel(i, x2.shape).map((e2, d) => axes.includes(d) ? 0 : e2);
      const o = ravel(idx, kept);
      const a2 = acc[o];
      const e = v[i];
      acc[o] = op === "sum" || op === "mean" ? a2 + e : op === "max" ? Math.max(a2, e) : op === "min" ? Math.min(a2, e) : op === "prod" ? a2 * e : op === "all" ? +(a2 && e) : +(a2 || e);
    }
    if (op === "mean") {
      const count = axes.reduce((p, d) => p * x2.shape[d], 1);
      for (let i = 0; i < acc.length; i++) acc[i] = x2.dtype === "int32" ? Math.trunc(acc[i] / count) : acc[i] / count;
    }
    return [{ ...out, values: acc }];
  },
  vjp: ({ inputs: [x2], outputs: [y3], dys: [dy], attrs: { op, axes } }) => {
    if (x2.dtype !== "float32") return [null];
    const kept = reducedShape(x2.shape, axes, true);
    const dyk = reshape(dy, kept);
    const count = axes.reduce((p, d) => p * x2.shape[d], 1);
    switch (op) {
      case "sum":
        return [broadcastTo(dyk, x2.shape)];
      case "mean":
        return [broadcastTo(div(dyk, count), x2.shape)];
      case "max":
      case "min": {
        const mask = cast(equal(x2, reshape(y3, kept)), "float32");
        const ties = reduceSum(mask, axes, true);
        return [mul(div(mask, ties), dyk)];
      }
      case "prod":
        return [mul(dyk, div(reshape(y3, kept), x2))];
      default:
        return [null];
    }
  },
  samples: [
    ...["sum", "mean", "max", "min"].flatMap((op) => [
      { inputs: [{ shape: [3, 4] }], attrs: { op, axes: [1], keepDims: false } },
      { inputs: [{ shape: [2, 3, 4] }], attrs: { op, axes: [0, 2], keepDims: true } },
      { inputs: [{ shape: [5] }], attrs: { op, axes: [0], keepDims: false } },
      { inputs: [{ shape: [2, 3], dtype: "int32", range: [-9, 9] }], attrs: { op, axes: [0, 1], keepDims: false }, noGrad: true }
    ]),
    { inputs: [{ shape: [3, 4], range: [0.5, 1.5] }], attrs: { op: "prod", axes: [0], keepDims: false } },
    { inputs: [{ shape: [3, 4], dtype: "bool" }], attrs: { op: "all", axes: [1], keepDims: false }, noGrad: true },
    { inputs: [{ shape: [3, 4], dtype: "bool" }], attrs: { op: "any", axes: [0, 1], keepDims: true }, noGrad: true },
    { name: "large row", inputs: [{ shape: [2, 1500] }], attrs: { op: "sum", axes: [1], keepDims: false }, noGrad: true }
  ]
};

// packages/core/src/ops/api/reduce.ts
function reduce(op, x2, axis, keepDims) {
  const name = `reduce${op[0].toUpperCase()}${op.slice(1)}`;
  const t = convert(x2, "x", name);
  return apply1(reduceDef, [t], { op, axes: normAxes(name, axis, t.rank), keepDims });
}
var reduceSum = (x2, axis, keepDims = false) => reduce("sum", x2, axis, keepDims);
var reduceMean = (x2, axis, keepDims = false) => reduce("mean", x2, axis, keepDims);
var reduceMax = (x2, axis, keepDims = false) => reduce("max", x2, axis, keepDims);
var reduceMin = (x2, axis, keepDims = false) => reduce("min", x2, axis, keepDims);
var reduceProd = (x2, axis, keepDims = false) => reduce("prod", x2, axis, keepDims);
var reduceAll = (x2, axis, keepDims = false) => reduce("all", x2, axis, keepDims);
var reduceAny = (x2, axis, keepDims = false) => reduce("any", x2, axis, keepDims);
var argMax = (x2, axis = 0) => apply1(argReduceDef, [convert(x2, "x", "argMax")], { op: "max", axis });
var argMin = (x2, axis = 0) => apply1(argReduceDef, [convert(x2, "x", "argMin")], { op: "min", axis });
function sumToShape(x2, shape) {
  if (shapesEqual(x2.shape, shape)) return x2;
  const axes = reductionAxesFor(x2.shape, shape);
  const summed = axes.length ? reduceSum(x2, axes, true) : x2;
  return reshape(summed, shape);
}

// packages/core/src/ops/defs/softmax.ts
function checkLogits(op, arg, t) {
  if (!t) throw new OpError(op, `missing input '${arg}'`);
  if (t.dtype !== "float32") throw new OpError(op, `${arg} must be float32, found ${t.dtype}`);
  if (t.shape.length < 1) throw new OpError(op, `${arg} must have rank >= 1 (classes on the last axis), found shape ${fmtShape(t.shape)}`);
  return t.shape[t.shape.length - 1];
}
function forEachRow(values, c, fn) {
  for (let base = 0; base + c <= values.length && c > 0; base += c) {
    let max = -Infinity;
    for (let j = 0; j < c; j++) max = Math.max(max, values[base + j]);
    let sum = 0;
    for (let j = 0; j < c; j++) sum += Math.exp(values[base + j] - max);
    fn(base, max, sum);
  }
}
var softmaxDef = {
  id: "softmax",
  infer([x2]) {
    checkLogits("softmax", "logits", x2);
    return [{ shape: [...x2.shape], dtype: "float32" }];
  },
  reference([x2]) {
    const v = num(x2);
    const c = x2.shape[x2.shape.length - 1];
    const y3 = new Float64Array(v.length);
    forEachRow(v, c, (b2, max, sum) => {
      for (let j = 0; j < c; j++) y3[b2 + j] = Math.exp(v[b2 + j] - max) / sum;
    });
    return [{ shape: x2.shape, dtype: "float32", values: y3 }];
  },
  // dx = y ⊙ (dy - Σ dy ⊙ y)
  vjp: ({ outputs: [y3], dys: [dy] }) => [mul(y3, sub(dy, reduceSum(mul(dy, y3), -1, true)))],
  samples: [
    { inputs: [{ shape: [5] }], attrs: {} },
    { inputs: [{ shape: [3, 4] }], attrs: {} },
    { inputs: [{ shape: [2, 3, 7] }], attrs: {} },
    {
      name: "large logits",
      inputs: [{ shape: [2, 3], dtype: "float32", values: [1e3, 1001, 1002, -1e3, -1e3, -998] }],
      attrs: {},
      expected: [{ shape: [2, 3], dtype: "float32", values: [0.09003057, 0.24472847, 0.66524096, 0.10650698, 0.10650698, 0.78698604] }],
      noGrad: true
    }
  ]
};

// packages/core/src/ops/defs/log_softmax.ts
var logSoftmaxDef = {
  id: "log_softmax",
  infer([x2]) {
    checkLogits("logSoftmax", "logits", x2);
    return [{ shape: [...x2.shape], dtype: "float32" }];
  },
  reference([x2]) {
    const v = num(x2);
    const c = x2.shape[x2.shape.length - 1];
    const y3 = new Float64Array(v.length);
    forEachRow(v, c, (b2, max, sum) => {
      const lse = max + Math.log(sum);
      for (let j = 0; j < c; j++) y3[b2 + j] = v[b2 + j] - lse;
    });
    return [{ shape: x2.shape, dtype: "float32", values: y3 }];
  },
  // dx = dy - softmax ⊙ Σ dy
  vjp: ({ outputs: [y3], dys: [dy] }) => [sub(dy, mul(exp(y3), reduceSum(dy, -1, true)))],
  samples: [
    { inputs: [{ shape: [5] }], attrs: {} },
    { inputs: [{ shape: [3, 4] }], attrs: {} },
    { inputs: [{ shape: [2, 2, 6] }], attrs: {} },
    {
      name: "large logits",
      inputs: [{ shape: [1, 3], dtype: "float32", values: [1e3, 0, -1e3] }],
      attrs: {},
      expected: [{ shape: [1, 3], dtype: "float32", values: [0, -1e3, -2e3] }],
      noGrad: true
    }
  ]
};

// packages/core/src/ops/defs/max_pool_grad_grad.ts
var OP4 = "maxPoolGradGrad";
var maxPoolGradGradDef = {
  id: "max_pool_grad_grad",
  infer([x2, g], attrs) {
    checkRank4(OP4, "input", x2, "[batch, height, width, channels]");
    checkRank4(OP4, "grad", g, "[batch, height, width, channels]");
    expectShape(OP4, "grad", g.shape, x2.shape);
    const p = poolGeometry(OP4, x2.shape, attrs);
    return [{ shape: [p.n, p.oh, p.ow, p.c], dtype: "float32" }];
  },
  reference([x2, g], attrs) {
    const p = poolGeometry(OP4, x2.shape, attrs);
    const v = num(x2);
    const gv = num(g);
    const y3 = new Float64Array(p.n * p.oh * p.ow * p.c);
    forEachPoolWindow(p, (yi, xis) => y3[yi] = gv[firstMax(v, xis)]);
    return [f64([p.n, p.oh, p.ow, p.c], y3)];
  },
  vjp: ({ inputs: [x2], dys: [dy], attrs }) => [null, apply1(maxPoolGradDef, [x2, dy], { ...attrs, inputShape: [...x2.shape] })],
  samples: POOL_CASES.map((c, i) => ({ name: c.name, inputs: [distinctValues(c.x, 37 + i), { shape: c.x }], attrs: c.attrs }))
};

// packages/core/src/ops/defs/max_pool_grad.ts
var OP5 = "maxPoolGrad";
var maxPoolGradDef = {
  id: "max_pool_grad",
  infer([x2, dy], attrs) {
    checkShapeAttr(OP5, "inputShape", attrs.inputShape);
    checkRank4(OP5, "input", x2, "[batch, height, width, channels]");
    checkRank4(OP5, "grad", dy, "[batch, outHeight, outWidth, channels]");
    expectShape(OP5, "input", x2.shape, attrs.inputShape);
    const g = poolGeometry(OP5, x2.shape, attrs);
    expectShape(OP5, "grad", dy.shape, [g.n, g.oh, g.ow, g.c]);
    return [{ shape: [...x2.shape], dtype: "float32" }];
  },
  reference([x2, dy], attrs) {
    const g = poolGeometry(OP5, x2.shape, attrs);
    const v = num(x2);
    const d = num(dy);
    const dx = new Float64Array(v.length);
    forEachPoolWindow(g, (yi, xis) => dx[firstMax(v, xis)] += d[yi]);
    return [f64(x2.shape, dx)];
  },
  // Piecewise constant in x (zero almost everywhere); linear in dy with adjoint max_pool_grad_grad.
  vjp: ({ inputs: [x2], dys: [g], attrs: { inputShape: _s, ...pool } }) => [null, apply1(maxPoolGradGradDef, [x2, g], pool)],
  samples: [
    ...POOL_CASES.map((c, i) => {
      const x2 = distinctValues(c.x, 23 + i);
      return { name: c.name, inputs: [x2, { shape: poolOutShape(c.x, c.attrs) }], attrs: { ...c.attrs, inputShape: c.x } };
    }),
    {
      name: "hand-computed ties go to the first max",
      inputs: [
        { shape: [1, 2, 2, 1], dtype: "float32", values: [3, 3, 1, 3] },
        { shape: [1, 1, 1, 1], dtype: "float32", values: [5] }
      ],
      attrs: { ...poolAttrs([2, 2], [2, 2], [0, 0, 0, 0]), inputShape: [1, 2, 2, 1] },
      expected: [{ shape: [1, 2, 2, 1], dtype: "float32", values: [5, 0, 0, 0] }],
      noGrad: true
    }
  ]
};

// packages/core/src/ops/defs/max_pool.ts
var maxPoolDef = {
  id: "max_pool",
  infer([x2], attrs) {
    checkRank4("maxPool", "input", x2, "[batch, height, width, channels]");
    const g = poolGeometry("maxPool", x2.shape, attrs);
    return [{ shape: [g.n, g.oh, g.ow, g.c], dtype: "float32" }];
  },
  reference([x2], attrs) {
    const g = poolGeometry("maxPool", x2.shape, attrs);
    const v = num(x2);
    const y3 = new Float64Array(g.n * g.oh * g.ow * g.c);
    forEachPoolWindow(g, (yi, xis) => y3[yi] = v[firstMax(v, xis)]);
    return [f64([g.n, g.oh, g.ow, g.c], y3)];
  },
  vjp: ({ inputs: [x2], dys: [dy], attrs }) => [apply1(maxPoolGradDef, [x2, dy], { ...attrs, inputShape: [...x2.shape] })],
  samples: [
    ...POOL_CASES.map((c, i) => ({ name: c.name, inputs: [distinctValues(c.x, 11 + i)], attrs: c.attrs })),
    {
      name: "hand-computed 4x4 k2 s2",
      inputs: [{ shape: [1, 4, 4, 1], dtype: "float32", values: [1, 2, 5, 6, 3, 4, 7, 8, 9, 10, 13, 14, 11, 12, 15, 16] }],
      attrs: poolAttrs([2, 2], [2, 2], [0, 0, 0, 0]),
      expected: [{ shape: [1, 2, 2, 1], dtype: "float32", values: [4, 8, 12, 16] }]
    }
  ]
};

// packages/core/src/ops/defs/softmax_cross_entropy.ts
var softmaxCrossEntropyDef = {
  id: "softmax_cross_entropy",
  infer([labels, logits]) {
    const op = "softmaxCrossEntropyWithLogits";
    checkLogits(op, "logits", logits);
    checkLogits(op, "labels", labels);
    if (labels.shape.length !== logits.shape.length || labels.shape.some((d, i) => d !== logits.shape[i])) {
      throw new OpError(op, `labels shape ${fmtShape(labels.shape)} must equal logits shape ${fmtShape(logits.shape)}`);
    }
    return [
      { shape: logits.shape.slice(0, -1), dtype: "float32" },
      { shape: [...logits.shape], dtype: "float32" }
    ];
  },
  reference([labels, logits]) {
    const l = num(labels);
    const v = num(logits);
    const c = logits.shape[logits.shape.length - 1];
    const loss = new Float64Array(v.length / Math.max(c, 1));
    const back = new Float64Array(v.length);
    forEachRow(v, c, (b2, max, sum) => {
      const lse = max + Math.log(sum);
      let s = 0;
      for (let j = 0; j < c; j++) {
        s -= l[b2 + j] * (v[b2 + j] - lse);
        back[b2 + j] = Math.exp(v[b2 + j] - lse) - l[b2 + j];
      }
      loss[b2 / c] = s;
    });
    return [
      { shape: logits.shape.slice(0, -1), dtype: "float32", values: loss },
      { shape: logits.shape, dtype: "float32", values: back }
    ];
  },
  vjp: ({ inputs: [labels, logits], outputs: [, back], dys: [dLoss, dBack] }) => {
    const d = reshape(dLoss, [...dLoss.shape, 1]);
    const p = apply1(softmaxDef, [logits], {});
    const viaLoss = mul(d, add(back, mul(p, sub(reduceSum(labels, -1, true), 1))));
    const viaBack = mul(p, sub(dBack, reduceSum(mul(dBack, p), -1, true)));
    const dLogits = add(viaLoss, viaBack);
    const dLabels = sub(neg(mul(d, apply1(logSoftmaxDef, [logits], {}))), dBack);
    return [dLabels, dLogits];
  },
  samples: [
    { inputs: [{ shape: [4], range: [0, 1] }, { shape: [4] }], attrs: {} },
    { inputs: [{ shape: [3, 5], range: [0, 1] }, { shape: [3, 5] }], attrs: {} },
    { inputs: [{ shape: [2, 2, 3], range: [0, 1] }, { shape: [2, 2, 3] }], attrs: {} },
    {
      name: "logits \xB11000 stay finite",
      inputs: [
        { shape: [2, 3], dtype: "float32", values: [0, 0, 1, 1, 0, 0] },
        { shape: [2, 3], dtype: "float32", values: [1e3, -1e3, 0, 1e3, -1e3, 0] }
      ],
      attrs: {},
      expected: [
        { shape: [2], dtype: "float32", values: [1e3, 0] },
        { shape: [2, 3], dtype: "float32", values: [1, 0, -1, 0, 0, 0] }
      ],
      noGrad: true
    }
  ]
};

// packages/core/src/ops/defs/sparse_softmax_cross_entropy.ts
var OP6 = "sparseSoftmaxCrossEntropyWithLogits";
function badLabel(label, row, c) {
  return new OpError(OP6, `label ${label} at position ${row} is out of range [0, ${c})`);
}
var sparseSoftmaxCrossEntropyDef = {
  id: "sparse_softmax_cross_entropy",
  infer([labels, logits]) {
    const c = checkLogits(OP6, "logits", logits);
    if (!labels) throw new OpError(OP6, `missing input 'labels'`);
    if (labels.dtype !== "int32") throw new OpError(OP6, `labels must be int32 class indices, found ${labels.dtype}`);
    const want = logits.shape.slice(0, -1);
    if (labels.shape.length !== want.length || labels.shape.some((d, i) => d !== want[i])) {
      throw new OpError(OP6, `labels shape ${fmtShape(labels.shape)} must equal logits shape without the class axis ${fmtShape(want)} (logits ${fmtShape(logits.shape)})`);
    }
    if (c === 0) throw new OpError(OP6, `logits must have at least one class, found shape ${fmtShape(logits.shape)}`);
    return [
      { shape: want, dtype: "float32" },
      { shape: [...logits.shape], dtype: "float32" }
    ];
  },
  reference([labels, logits]) {
    const l = num(labels);
    const v = num(logits);
    const c = logits.shape[logits.shape.length - 1];
    const loss = new Float64Array(l.length);
    const back = new Float64Array(v.length);
    forEachRow(v, c, (b2, max, sum) => {
      const r = b2 / c;
      const label = l[r];
      if (!(label >= 0 && label < c)) throw badLabel(label, r, c);
      const lse = max + Math.log(sum);
      loss[r] = lse - v[b2 + label];
      for (let j = 0; j < c; j++) back[b2 + j] = Math.exp(v[b2 + j] - lse) - (j === label ? 1 : 0);
    });
    return [
      { shape: labels.shape, dtype: "float32", values: loss },
      { shape: logits.shape, dtype: "float32", values: back }
    ];
  },
  vjp: ({ inputs: [, logits], outputs: [, back], dys: [dLoss, dBack] }) => {
    const p = apply1(softmaxDef, [logits], {});
    const viaBack = mul(p, sub(dBack, reduceSum(mul(dBack, p), -1, true)));
    return [null, add(mul(reshape(dLoss, [...dLoss.shape, 1]), back), viaBack)];
  },
  samples: [
    { inputs: [{ shape: [], dtype: "int32", range: [0, 4] }, { shape: [5] }], attrs: {} },
    { inputs: [{ shape: [4], dtype: "int32", range: [0, 5] }, { shape: [4, 6] }], attrs: {} },
    { inputs: [{ shape: [2, 3], dtype: "int32", range: [0, 2] }, { shape: [2, 3, 3] }], attrs: {} },
    {
      name: "logits \xB11000 stay finite",
      inputs: [
        { shape: [2], dtype: "int32", values: [2, 0] },
        { shape: [2, 3], dtype: "float32", values: [1e3, -1e3, 0, 1e3, -1e3, 0] }
      ],
      attrs: {},
      expected: [
        { shape: [2], dtype: "float32", values: [1e3, 0] },
        { shape: [2, 3], dtype: "float32", values: [1, 0, -1, 0, 0, 0] }
      ],
      noGrad: true
    }
  ]
};

// packages/core/src/ops/defs/add_n.ts
var addNDef = {
  id: "add_n",
  infer(inputs) {
    if (inputs.length === 0) throw new OpError("addN", "expected at least one tensor, found none");
    const first = inputs[0];
    if (first.dtype !== "float32" && first.dtype !== "int32") throw new OpError("addN", `inputs must be float32 or int32, found ${first.dtype}`);
    inputs.forEach((t, i) => {
      if (t.dtype !== first.dtype) throw new OpError("addN", `tensor ${i} has dtype ${t.dtype}, tensor 0 has ${first.dtype}`);
      if (t.shape.length !== first.shape.length || t.shape.some((d, k) => d !== first.shape[k])) {
        throw new OpError("addN", `tensor ${i} has shape ${fmtShape(t.shape)}, tensor 0 has ${fmtShape(first.shape)} (addN does not broadcast)`);
      }
    });
    return [{ shape: first.shape, dtype: first.dtype }];
  },
  reference(inputs) {
    const vals = inputs.map(num);
    const out = new Float64Array(vals[0].length);
    for (const v of vals) for (let i = 0; i < out.length; i++) out[i] += v[i];
    if (inputs[0].dtype === "int32") for (let i = 0; i < out.length; i++) out[i] = out[i] | 0;
    return [{ shape: inputs[0].shape, dtype: inputs[0].dtype, values: out }];
  },
  vjp: ({ inputs, dys: [dy] }) => inputs.map(() => dy),
  samples: [
    { inputs: [{ shape: [2, 3] }, { shape: [2, 3] }, { shape: [2, 3] }], attrs: {} },
    { name: "one", inputs: [{ shape: [4] }], attrs: {} },
    { name: "scalars", inputs: [{ shape: [] }, { shape: [] }], attrs: {} },
    { name: "many", inputs: Array.from({ length: 6 }, () => ({ shape: [5] })), attrs: {} },
    { name: "int32", inputs: [{ shape: [3], dtype: "int32", range: [-9, 9] }, { shape: [3], dtype: "int32", range: [-9, 9] }], attrs: {}, noGrad: true }
  ]
};

// packages/core/src/ops/defs/split.ts
function splitAxis(x2, { sizes, axis }) {
  if (x2.shape.length === 0) throw new OpError("split", "cannot split a scalar (rank 0)");
  const a2 = normAxis("split", axis, x2.shape.length);
  if (sizes.length === 0) throw new OpError("split", "sizes must not be empty");
  for (const s of sizes) if (!Number.isInteger(s) || s < 0) throw new OpError("split", `sizes [${sizes.join(",")}] must hold non-negative integers`);
  const total = sizes.reduce((p, s) => p + s, 0);
  if (total !== x2.shape[a2]) throw new OpError("split", `sizes [${sizes.join(",")}] sum to ${total}, but axis ${axis} of ${fmtShape(x2.shape)} has ${x2.shape[a2]}`);
  return a2;
}
var splitDef = {
  id: "split",
  infer([x2], attrs) {
    const a2 = splitAxis(x2, attrs);
    return attrs.sizes.map((s) => ({ shape: x2.shape.map((d, k) => k === a2 ? s : d), dtype: x2.dtype }));
  },
  reference([x2], attrs) {
    const a2 = splitAxis(x2, attrs);
    const outer = sizeOf(x2.shape.slice(0, a2));
    const inner = sizeOf(x2.shape.slice(a2 + 1));
    const v = num(x2);
    const row = x2.shape[a2] * inner;
    let start = 0;
    return attrs.sizes.map((s) => {
      const shape = x2.shape.map((d, k) => k === a2 ? s : d);
      const out = new Float64Array(sizeOf(shape));
      let p = 0;
      for (let o = 0; o < outer; o++) for (let i = 0; i < s * inner; i++) out[p++] = v[o * row + start * inner + i];
      start += s;
      return { shape, dtype: x2.dtype, values: out };
    });
  },
  vjp: ({ inputs: [x2], dys, attrs }) => [concatOp(dys, splitAxis(x2, attrs))],
  samples: [
    { inputs: [{ shape: [2, 5] }], attrs: { sizes: [2, 3], axis: 1 } },
    { name: "three equal on axis 0", inputs: [{ shape: [6, 2] }], attrs: { sizes: [2, 2, 2], axis: 0 } },
    { name: "negative axis, empty piece", inputs: [{ shape: [2, 2, 4] }], attrs: { sizes: [1, 0, 3], axis: -1 } },
    { name: "middle axis", inputs: [{ shape: [2, 3, 2] }], attrs: { sizes: [1, 2], axis: -2 } },
    { name: "one piece", inputs: [{ shape: [3] }], attrs: { sizes: [3], axis: 0 } },
    { name: "int32", inputs: [{ shape: [4, 2], dtype: "int32", range: [-5, 5] }], attrs: { sizes: [3, 1], axis: 0 }, noGrad: true }
  ]
};
function splitOp(x2, sizes, axis) {
  return apply(splitDef, [x2], { sizes: [...sizes], axis });
}

// packages/core/src/ops/defs/concat.ts
function concatShape(inputs, axis) {
  if (inputs.length === 0) throw new OpError("concat", "expected at least one tensor, found none");
  const first = inputs[0];
  const r = first.shape.length;
  if (r === 0) throw new OpError("concat", "cannot concatenate scalars (rank 0); use stack");
  const a2 = normAxis("concat", axis, r);
  let total = 0;
  inputs.forEach((t, i) => {
    if (t.dtype !== first.dtype) throw new OpError("concat", `tensor ${i} has dtype ${t.dtype}, tensor 0 has ${first.dtype}`);
    if (t.shape.length !== r || t.shape.some((d, k) => k !== a2 && d !== first.shape[k])) {
      throw new OpError("concat", `tensor ${i} has shape ${fmtShape(t.shape)}, expected ${fmtShape(first.shape.map((d, k) => k === a2 ? -1 : d))} (any size on axis ${a2})`);
    }
    total += t.shape[a2];
  });
  return { axis: a2, shape: first.shape.map((d, k) => k === a2 ? total : d) };
}
var concatDef = {
  id: "concat",
  infer(inputs, { axis }) {
    return [{ shape: concatShape(inputs, axis).shape, dtype: inputs[0].dtype }];
  },
  reference(inputs, { axis }) {
    const { axis: a2, shape } = concatShape(inputs, axis);
    const outer = sizeOf(shape.slice(0, a2));
    const inner = sizeOf(shape.slice(a2 + 1));
    const out = new Float64Array(sizeOf(shape));
    let p = 0;
    const vals = inputs.map(num);
    for (let o = 0; o < outer; o++)
      inputs.forEach((t, k) => {
        const chunk = t.shape[a2] * inner;
        for (let i = 0; i < chunk; i++) out[p++] = vals[k][o * chunk + i];
      });
    return [{ shape, dtype: inputs[0].dtype, values: out }];
  },
  vjp: ({ inputs, dys: [dy], attrs: { axis } }) => {
    const { axis: a2 } = concatShape(inputs, axis);
    return splitOp(dy, inputs.map((t) => t.shape[a2]), a2);
  },
  samples: [
    { inputs: [{ shape: [2, 3] }, { shape: [2, 2] }], attrs: { axis: 1 } },
    { name: "axis 0, three inputs", inputs: [{ shape: [1, 3] }, { shape: [2, 3] }, { shape: [3, 3] }], attrs: { axis: 0 } },
    { name: "negative axis", inputs: [{ shape: [2, 2, 1] }, { shape: [2, 2, 3] }], attrs: { axis: -1 } },
    { name: "middle axis", inputs: [{ shape: [2, 1, 3] }, { shape: [2, 2, 3] }], attrs: { axis: 1 } },
    { name: "with empty", inputs: [{ shape: [2, 0] }, { shape: [2, 3] }], attrs: { axis: 1 } },
    { name: "single", inputs: [{ shape: [4] }], attrs: { axis: 0 } },
    { name: "int32", inputs: [{ shape: [2], dtype: "int32", range: [-5, 5] }, { shape: [3], dtype: "int32", range: [-5, 5] }], attrs: { axis: 0 }, noGrad: true },
    { name: "bool", inputs: [{ shape: [1, 2], dtype: "bool" }, { shape: [1, 2], dtype: "bool" }], attrs: { axis: 0 }, noGrad: true }
  ]
};
function concatOp(xs, axis) {
  return apply1(concatDef, xs, { axis });
}

// packages/core/src/ops/defs/cumsum.ts
var cumsumDef = {
  id: "cumsum",
  infer([x2], { axis }) {
    if (x2.dtype !== "float32" && x2.dtype !== "int32") throw new OpError("cumsum", `input must be float32 or int32, found ${x2.dtype}`);
    if (x2.shape.length === 0) throw new OpError("cumsum", "input must have rank >= 1, found a scalar");
    normAxis("cumsum", axis, x2.shape.length);
    return [{ shape: x2.shape, dtype: x2.dtype }];
  },
  reference([x2], { axis, exclusive, reverse }) {
    const a2 = normAxis("cumsum", axis, x2.shape.length);
    const outer = sizeOf(x2.shape.slice(0, a2));
    const len = x2.shape[a2];
    const inner = sizeOf(x2.shape.slice(a2 + 1));
    const v = num(x2);
    const out = new Float64Array(v.length);
    for (let o = 0; o < outer; o++)
      for (let i = 0; i < inner; i++) {
        let acc = 0;
        for (let t = 0; t < len; t++) {
          const k = reverse ? len - 1 - t : t;
          const at = (o * len + k) * inner + i;
          if (exclusive) {
            out[at] = acc;
            acc += v[at];
          } else {
            acc += v[at];
            out[at] = acc;
          }
        }
      }
    if (x2.dtype === "int32") for (let i = 0; i < out.length; i++) out[i] = out[i] | 0;
    return [{ shape: x2.shape, dtype: x2.dtype, values: out }];
  },
  vjp: ({ dys: [dy], attrs }) => [apply1(cumsumDef, [dy], { ...attrs, reverse: !attrs.reverse })],
  samples: [
    { inputs: [{ shape: [5] }], attrs: { axis: 0, exclusive: false, reverse: false } },
    { inputs: [{ shape: [3, 4] }], attrs: { axis: 1, exclusive: true, reverse: false } },
    { inputs: [{ shape: [3, 4] }], attrs: { axis: 0, exclusive: false, reverse: true } },
    { name: "negative axis, exclusive reverse", inputs: [{ shape: [2, 3, 4] }], attrs: { axis: -2, exclusive: true, reverse: true } },
    { name: "empty axis", inputs: [{ shape: [2, 0] }], attrs: { axis: 1, exclusive: false, reverse: false } },
    { name: "int32", inputs: [{ shape: [2, 5], dtype: "int32", range: [-9, 9] }], attrs: { axis: 1, exclusive: false, reverse: false }, noGrad: true },
    {
      name: "documented values",
      inputs: [{ shape: [3], dtype: "float32", values: [1, 2, 3] }],
      attrs: { axis: 0, exclusive: true, reverse: true },
      expected: [{ shape: [3], dtype: "float32", values: [5, 3, 0] }]
    }
  ]
};

// packages/core/src/ops/defs/unsorted_segment_sum.ts
function segmentLayout(data, ids, numSegments) {
  const op = "unsortedSegmentSum";
  if (ids.dtype !== "int32") throw new OpError(op, `segmentIds must be int32, found ${ids.dtype}`);
  if (data.dtype !== "float32" && data.dtype !== "int32") throw new OpError(op, `data must be float32 or int32, found ${data.dtype}`);
  if (!Number.isInteger(numSegments) || numSegments < 0) throw new OpError(op, `numSegments must be a non-negative integer, found ${numSegments}`);
  const r = ids.shape.length;
  if (r > data.shape.length || ids.shape.some((d, i) => d !== data.shape[i])) {
    throw new OpError(op, `segmentIds shape ${fmtShape(ids.shape)} must be a prefix of data shape ${fmtShape(data.shape)}`);
  }
  const rest = data.shape.slice(r);
  return { outShape: [numSegments, ...rest], rows: sizeOf(ids.shape), inner: sizeOf(rest) };
}
function segmentIdError(k, v, numSegments) {
  return new OpError("unsortedSegmentSum", `segmentIds[${k}] = ${v} is not in [0, ${numSegments}) (negative ids are dropped, larger ones are an error)`);
}
var unsortedSegmentSumDef = {
  id: "unsorted_segment_sum",
  infer([data, ids], { numSegments }) {
    return [{ shape: segmentLayout(data, ids, numSegments).outShape, dtype: data.dtype }];
  },
  reference([data, ids], { numSegments }) {
    const { outShape, rows, inner } = segmentLayout(data, ids, numSegments);
    const dv = num(data);
    const iv = num(ids);
    const out = new Float64Array(sizeOf(outShape));
    for (let k = 0; k < rows; k++) {
      const s = iv[k];
      if (s < 0) continue;
      if (s >= numSegments) throw segmentIdError(k, s, numSegments);
      for (let i = 0; i < inner; i++) out[s * inner + i] += dv[k * inner + i];
    }
    return [{ shape: outShape, dtype: data.dtype, values: out }];
  },
  vjp: ({ inputs: [data, ids], dys: [dy] }) => {
    const gathered = gatherOp(dy, maximum(ids, 0), 0, 0);
    const keep = reshape(cast(greaterEqual(ids, 0), "float32"), [...ids.shape, ...data.shape.slice(ids.shape.length).map(() => 1)]);
    return [mul(gathered, keep), null];
  },
  samples: [
    { inputs: [{ shape: [6, 2] }, { shape: [6], dtype: "int32", range: [0, 3] }], attrs: { numSegments: 4 } },
    { name: "2-D ids", inputs: [{ shape: [2, 3, 2] }, { shape: [2, 3], dtype: "int32", range: [0, 4] }], attrs: { numSegments: 5 } },
    {
      name: "negative ids dropped",
      inputs: [{ shape: [4], dtype: "float32", values: [1, 2, 3, 4] }, { shape: [4], dtype: "int32", values: [1, -1, 1, 0] }],
      attrs: { numSegments: 3 },
      expected: [{ shape: [3], dtype: "float32", values: [4, 4, 0] }]
    },
    { name: "no segments hit", inputs: [{ shape: [0, 3] }, { shape: [0], dtype: "int32", values: [] }], attrs: { numSegments: 2 } },
    { name: "int32 data", inputs: [{ shape: [5, 2], dtype: "int32", range: [-9, 9] }, { shape: [5], dtype: "int32", range: [0, 2] }], attrs: { numSegments: 3 }, noGrad: true }
  ]
};
function unsortedSegmentSumOp(data, ids, numSegments) {
  return apply1(unsortedSegmentSumDef, [data, ids], { numSegments });
}

// packages/core/src/ops/defs/gather.ts
function gatherLayout(x2, indices, attrs) {
  const xr = x2.shape.length;
  const ir = indices.shape.length;
  if (indices.dtype !== "int32") throw new OpError("gather", `indices must be int32, found ${indices.dtype}`);
  if (xr === 0) throw new OpError("gather", "params must have rank >= 1, found a scalar");
  if (!Number.isInteger(attrs.batchDims) || attrs.batchDims < -ir || attrs.batchDims > ir) {
    throw new OpError("gather", `batchDims ${attrs.batchDims} is out of range for indices of rank ${ir} (expected in [${-ir}, ${ir}])`);
  }
  const batchDims = attrs.batchDims < 0 ? attrs.batchDims + ir : attrs.batchDims;
  const axis = normAxis("gather", attrs.axis, xr);
  if (axis < batchDims) throw new OpError("gather", `axis ${attrs.axis} must be >= batchDims ${batchDims}`);
  for (let d = 0; d < batchDims; d++) {
    if (x2.shape[d] !== indices.shape[d]) {
      throw new OpError("gather", `batch dimension ${d} differs: params ${fmtShape(x2.shape)} has ${x2.shape[d]}, indices ${fmtShape(indices.shape)} has ${indices.shape[d]}`);
    }
  }
  return {
    axis,
    batchDims,
    B: sizeOf(x2.shape.slice(0, batchDims)),
    O: sizeOf(x2.shape.slice(batchDims, axis)),
    A: x2.shape[axis],
    I: sizeOf(x2.shape.slice(axis + 1)),
    N: sizeOf(indices.shape.slice(batchDims)),
    outShape: [...x2.shape.slice(0, axis), ...indices.shape.slice(batchDims), ...x2.shape.slice(axis + 1)]
  };
}
function gatherIndexError(k, v, A) {
  return new OpError("gather", `indices[${k}] = ${v} is not in [0, ${A})`);
}
function gatherGrad(dy, indices, xShape, axis, batchDims) {
  const { B, O, A, I, N } = gatherLayout({ shape: xShape, dtype: dy.dtype }, indices, { axis, batchDims });
  const dy4 = reshape(dy, [B, O, N, I]);
  const rows = O === 1 ? reshape(dy4, [B * N, I]) : reshape(transpose(dy4, [0, 2, 1, 3]), [B * N, O * I]);
  const ids = B === 1 ? reshape(indices, [N]) : reshape(add(reshape(indices, [B, N]), mul(reshape(range(0, B, 1, "int32"), [B, 1]), A)), [B * N]);
  const seg = unsortedSegmentSumOp(rows, ids, B * A);
  return O === 1 ? reshape(seg, xShape) : reshape(transpose(reshape(seg, [B, A, O, I]), [0, 2, 1, 3]), xShape);
}
var gatherDef = {
  id: "gather",
  infer([x2, indices], attrs) {
    const l = gatherLayout(x2, indices, attrs);
    return [{ shape: l.outShape, dtype: x2.dtype }];
  },
  reference([x2, indices], attrs) {
    const { B, O, A, I, N, outShape } = gatherLayout(x2, indices, attrs);
    const xv = num(x2);
    const iv = num(indices);
    const out = new Float64Array(sizeOf(outShape));
    for (let b2 = 0; b2 < B; b2++)
      for (let o = 0; o < O; o++)
        for (let n = 0; n < N; n++) {
          const k = b2 * N + n;
          const a2 = iv[k];
          if (a2 < 0 || a2 >= A) throw gatherIndexError(k, a2, A);
          for (let i = 0; i < I; i++) out[((b2 * O + o) * N + n) * I + i] = xv[((b2 * O + o) * A + a2) * I + i];
        }
    return [{ shape: outShape, dtype: x2.dtype, values: out }];
  },
  vjp: ({ inputs: [x2, indices], dys: [dy], attrs }) => {
    const { axis, batchDims } = gatherLayout(x2, indices, attrs);
    return [gatherGrad(dy, indices, x2.shape, axis, batchDims), null];
  },
  samples: [
    {
      name: "rows with repeats",
      inputs: [{ shape: [5, 3] }, { shape: [4], dtype: "int32", values: [4, 0, 2, 2] }],
      attrs: { axis: 0, batchDims: 0 }
    },
    { name: "middle axis, 2-D indices", inputs: [{ shape: [2, 5, 3] }, { shape: [2, 2], dtype: "int32", range: [0, 4] }], attrs: { axis: 1, batchDims: 0 } },
    { name: "negative axis", inputs: [{ shape: [3, 4] }, { shape: [3], dtype: "int32", values: [3, 0, 3] }], attrs: { axis: -1, batchDims: 0 } },
    { name: "batchDims 1", inputs: [{ shape: [2, 4, 3] }, { shape: [2, 3], dtype: "int32", range: [0, 3] }], attrs: { axis: 1, batchDims: 1 } },
    { name: "batchDims 1, axis 2", inputs: [{ shape: [2, 3, 4, 2] }, { shape: [2, 5], dtype: "int32", range: [0, 3] }], attrs: { axis: 2, batchDims: -1 } },
    { name: "scalar index", inputs: [{ shape: [4, 2] }, { shape: [], dtype: "int32", values: [3] }], attrs: { axis: 0, batchDims: 0 } },
    { name: "empty indices", inputs: [{ shape: [4, 2] }, { shape: [0], dtype: "int32", values: [] }], attrs: { axis: 0, batchDims: 0 } },
    { name: "int32 params", inputs: [{ shape: [6], dtype: "int32", range: [-9, 9] }, { shape: [2, 2], dtype: "int32", range: [0, 5] }], attrs: { axis: 0, batchDims: 0 }, noGrad: true },
    {
      name: "documented values",
      inputs: [{ shape: [3, 2], dtype: "float32", values: [1, 2, 3, 4, 5, 6] }, { shape: [2], dtype: "int32", values: [2, 0] }],
      attrs: { axis: 0, batchDims: 0 },
      expected: [{ shape: [2, 2], dtype: "float32", values: [5, 6, 1, 2] }]
    }
  ]
};
function gatherOp(x2, indices, axis, batchDims) {
  return apply1(gatherDef, [x2, indices], { axis, batchDims });
}

// packages/core/src/ops/defs/identity.ts
var identityDef = {
  id: "identity",
  aliasesInput: true,
  infer([x2]) {
    return [{ shape: x2.shape, dtype: x2.dtype }];
  },
  reference([x2]) {
    return [{ shape: x2.shape, dtype: x2.dtype, values: x2.values }];
  },
  vjp: ({ dys: [dy] }) => [dy],
  samples: [
    { inputs: [{ shape: [2, 3] }], attrs: {} },
    { inputs: [{ shape: [] }], attrs: {} },
    { inputs: [{ shape: [3], dtype: "int32", range: [-5, 5] }], attrs: {}, noGrad: true }
  ]
};

// packages/core/src/ops/defs/in_top_k.ts
function checkInTopK(predictions, targets, k) {
  if (predictions.dtype !== "float32") throw new OpError("inTopK", `predictions must be float32, found ${predictions.dtype}`);
  if (targets.dtype !== "int32") throw new OpError("inTopK", `targets must be int32, found ${targets.dtype}`);
  if (predictions.shape.length !== 2) throw new OpError("inTopK", `predictions must be [batch, classes], found ${fmtShape(predictions.shape)}`);
  if (targets.shape.length !== 1 || targets.shape[0] !== predictions.shape[0]) {
    throw new OpError("inTopK", `targets must be [batch] = [${predictions.shape[0]}], found ${fmtShape(targets.shape)}`);
  }
  if (!Number.isInteger(k)) throw new OpError("inTopK", `k must be an integer, found ${k}`);
}
function inTopKRow(row, offset, classes, target, k) {
  if (!(target >= 0 && target < classes)) return false;
  const t = row[offset + target];
  if (!Number.isFinite(t)) return false;
  let larger = 0;
  for (let i = 0; i < classes; i++) {
    const p = row[offset + i];
    if (!Number.isFinite(p)) return false;
    if (p > t) larger++;
  }
  return larger < k;
}
var inTopKDef = {
  id: "in_top_k",
  infer([p, t], { k }) {
    checkInTopK(p, t, k);
    return [{ shape: [p.shape[0]], dtype: "bool" }];
  },
  reference([p, t], { k }) {
    const [batch, classes] = p.shape;
    const pv = num(p);
    const tv = num(t);
    const out = new Float64Array(batch);
    for (let b2 = 0; b2 < batch; b2++) out[b2] = inTopKRow(pv, b2 * classes, classes, tv[b2], k) ? 1 : 0;
    return [{ shape: [batch], dtype: "bool", values: out }];
  },
  samples: [
    { inputs: [{ shape: [6, 5] }, { shape: [6], dtype: "int32", range: [0, 4] }], attrs: { k: 2 }, noGrad: true },
    { inputs: [{ shape: [4, 10] }, { shape: [4], dtype: "int32", range: [0, 9] }], attrs: { k: 1 }, noGrad: true },
    {
      name: "ties, range and non-finite",
      inputs: [
        { shape: [5, 4], dtype: "float32", values: [0.1, 0.3, 0.3, 0.2, 0.5, 0.4, 0.4, 0.4, 1, 2, 3, 4, 1, NaN, 2, 3, 1, 2, 3, 4] },
        { shape: [5], dtype: "int32", values: [2, 3, 4, 3, 0] }
      ],
      attrs: { k: 2 },
      expected: [{ shape: [5], dtype: "bool", values: [1, 1, 0, 0, 0] }],
      noGrad: true
    },
    {
      name: "k = 0",
      inputs: [{ shape: [2, 3], dtype: "float32", values: [1, 2, 3, 3, 2, 1] }, { shape: [2], dtype: "int32", values: [2, 0] }],
      attrs: { k: 0 },
      expected: [{ shape: [2], dtype: "bool", values: [0, 0] }],
      noGrad: true
    }
  ]
};

// packages/core/src/ops/defs/one_hot.ts
function oneHotLayout(indices, { depth, axis, dtype, onValue, offValue }) {
  if (indices.dtype !== "int32") throw new OpError("oneHot", `indices must be int32, found ${indices.dtype}`);
  if (!Number.isInteger(depth) || depth < 0) throw new OpError("oneHot", `depth must be a non-negative integer, found ${depth}`);
  if (dtype !== "float32" && dtype !== "int32" && dtype !== "bool") throw new OpError("oneHot", `dtype must be float32, int32 or bool, found ${dtype}`);
  for (const [n, v] of [["onValue", onValue], ["offValue", offValue]]) {
    if (typeof v !== "number" || Number.isNaN(v) || dtype !== "float32" && !Number.isInteger(v)) throw new OpError("oneHot", `${n} ${v} does not fit dtype ${dtype}`);
  }
  const r = indices.shape.length;
  if (!Number.isInteger(axis) || axis < -1 || axis > r) throw new OpError("oneHot", `axis ${axis} is out of range for indices of rank ${r} (expected -1 or in [0, ${r}])`);
  const a2 = axis === -1 ? r : axis;
  return {
    shape: [...indices.shape.slice(0, a2), depth, ...indices.shape.slice(a2)],
    outer: sizeOf(indices.shape.slice(0, a2)),
    inner: sizeOf(indices.shape.slice(a2))
  };
}
var oneHotDef = {
  id: "one_hot",
  infer([indices], attrs) {
    return [{ shape: oneHotLayout(indices, attrs).shape, dtype: attrs.dtype }];
  },
  reference([indices], attrs) {
    const { shape, outer, inner } = oneHotLayout(indices, attrs);
    const iv = num(indices);
    const out = new Float64Array(sizeOf(shape)).fill(attrs.offValue);
    for (let o = 0; o < outer; o++)
      for (let i = 0; i < inner; i++) {
        const v = iv[o * inner + i];
        if (v >= 0 && v < attrs.depth) out[(o * attrs.depth + v) * inner + i] = attrs.onValue;
      }
    return [{ shape, dtype: attrs.dtype, values: out }];
  },
  samples: [
    { inputs: [{ shape: [5], dtype: "int32", range: [-1, 4] }], attrs: { depth: 4, onValue: 1, offValue: 0, axis: -1, dtype: "float32" }, noGrad: true },
    { name: "axis 0", inputs: [{ shape: [2, 3], dtype: "int32", range: [0, 2] }], attrs: { depth: 3, onValue: 5, offValue: -1, axis: 0, dtype: "int32" }, noGrad: true },
    { name: "middle axis", inputs: [{ shape: [2, 3], dtype: "int32", range: [0, 3] }], attrs: { depth: 3, onValue: 1, offValue: 0, axis: 1, dtype: "bool" }, noGrad: true },
    { name: "scalar index", inputs: [{ shape: [], dtype: "int32", values: [2] }], attrs: { depth: 3, onValue: 1, offValue: 0, axis: -1, dtype: "float32" }, noGrad: true },
    {
      name: "out of range rows are off",
      inputs: [{ shape: [3], dtype: "int32", values: [0, 3, -1] }],
      attrs: { depth: 3, onValue: 0.5, offValue: 0.1, axis: -1, dtype: "float32" },
      expected: [{ shape: [3, 3], dtype: "float32", values: [0.5, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1] }],
      noGrad: true
    }
  ]
};

// packages/core/src/ops/defs/strided_slice_grad.ts
var stridedSliceGradDef = {
  id: "strided_slice_grad",
  infer([dy], attrs) {
    checkWindow("stridedSliceGrad", attrs.shape, attrs);
    if (dy.shape.length !== attrs.size.length || dy.shape.some((d, i) => d !== attrs.size[i])) {
      throw new OpError("stridedSliceGrad", `dy shape ${fmtShape(dy.shape)} does not match the window size ${fmtShape(attrs.size)}`);
    }
    return [{ shape: [...attrs.shape], dtype: dy.dtype }];
  },
  reference([dy], attrs) {
    const idx = windowIndices(attrs.shape, attrs);
    const v = num(dy);
    const out = new Float64Array(sizeOf(attrs.shape));
    idx.forEach((o, i) => out[o] = v[i]);
    return [{ shape: [...attrs.shape], dtype: dy.dtype, values: out }];
  },
  vjp: ({ dys: [ddy], attrs }) => [stridedSliceWindow(ddy, attrs)],
  samples: [
    { inputs: [{ shape: [3] }], attrs: { shape: [7], begin: [1], size: [3], strides: [2] } },
    { name: "negative stride", inputs: [{ shape: [2, 3] }], attrs: { shape: [4, 6], begin: [1, 5], size: [2, 3], strides: [2, -2] } },
    { name: "empty window", inputs: [{ shape: [0, 2] }], attrs: { shape: [3, 2], begin: [0, 0], size: [0, 2], strides: [1, 1] } },
    { name: "int32", inputs: [{ shape: [2, 2], dtype: "int32", range: [-5, 5] }], attrs: { shape: [3, 3], begin: [0, 2], size: [2, 2], strides: [2, -1] }, noGrad: true }
  ]
};
function stridedSliceGradWindow(dy, shape, attrs) {
  return apply1(stridedSliceGradDef, [dy], { shape: [...shape], begin: [...attrs.begin], size: [...attrs.size], strides: [...attrs.strides] });
}

// packages/core/src/ops/defs/strided_slice.ts
function checkWindow(op, shape, { begin, size, strides }) {
  const r = shape.length;
  if (begin.length !== r || size.length !== r || strides.length !== r) {
    throw new OpError(op, `begin, size and strides must have one entry per input dimension (${r}), found ${begin.length}, ${size.length} and ${strides.length}`);
  }
  for (let d = 0; d < r; d++) {
    const dim = shape[d];
    const b2 = begin[d];
    const n = size[d];
    const s = strides[d];
    if (!Number.isInteger(s) || s === 0) throw new OpError(op, `strides[${d}] must be a non-zero integer, found ${s}`);
    if (!Number.isInteger(n) || n < 0) throw new OpError(op, `size[${d}] must be a non-negative integer, found ${n}`);
    if (n === 0) continue;
    const last = b2 + (n - 1) * s;
    if (!Number.isInteger(b2) || b2 < 0 || b2 >= dim || last < 0 || last >= dim) {
      throw new OpError(op, `window begin ${b2}, size ${n}, stride ${s} on dimension ${d} reaches outside [0, ${dim}) of input ${fmtShape(shape)}`);
    }
  }
}
function windowIndices(shape, { begin, size, strides }) {
  const n = sizeOf(size);
  const inStrides = stridesOf(shape);
  const out = new Int32Array(n);
  const r = size.length;
  for (let i = 0; i < n; i++) {
    let rem = i;
    let off = 0;
    for (let d = r - 1; d >= 0; d--) {
      const k = rem % size[d];
      rem = Math.floor(rem / size[d]);
      off += (begin[d] + k * strides[d]) * inStrides[d];
    }
    out[i] = off;
  }
  return out;
}
function isSelfInverse(shape, { size, strides }) {
  return shape.every((d, i) => size[i] === d && Math.abs(strides[i]) === 1);
}
var stridedSliceDef = {
  id: "strided_slice",
  infer([x2], attrs) {
    checkWindow("stridedSlice", x2.shape, attrs);
    return [{ shape: [...attrs.size], dtype: x2.dtype }];
  },
  reference([x2], attrs) {
    const idx = windowIndices(x2.shape, attrs);
    const v = num(x2);
    return [{ shape: [...attrs.size], dtype: x2.dtype, values: Float64Array.from(idx, (i) => v[i]) }];
  },
  vjp: ({ inputs: [x2], dys: [dy], attrs }) => [
    isSelfInverse(x2.shape, attrs) ? stridedSliceWindow(dy, attrs) : stridedSliceGradWindow(dy, x2.shape, attrs)
  ],
  samples: [
    { name: "range", inputs: [{ shape: [7] }], attrs: { begin: [1], size: [3], strides: [1] } },
    { name: "strides and negative stride", inputs: [{ shape: [4, 6] }], attrs: { begin: [1, 5], size: [2, 3], strides: [2, -2] } },
    { name: "reverse middle axis", inputs: [{ shape: [3, 4, 2] }], attrs: { begin: [0, 3, 0], size: [3, 4, 2], strides: [1, -1, 1] } },
    { name: "inner window (non-contiguous)", inputs: [{ shape: [3, 5, 4] }], attrs: { begin: [1, 1, 2], size: [2, 3, 2], strides: [1, 1, 1] } },
    { name: "empty", inputs: [{ shape: [3, 4] }], attrs: { begin: [0, 0], size: [0, 4], strides: [1, 1] } },
    { name: "scalar", inputs: [{ shape: [] }], attrs: { begin: [], size: [], strides: [] } },
    { name: "int32", inputs: [{ shape: [5, 3], dtype: "int32", range: [-9, 9] }], attrs: { begin: [4, 0], size: [3, 2], strides: [-2, 2] }, noGrad: true },
    {
      name: "documented values",
      inputs: [{ shape: [2, 3], dtype: "float32", values: [1, 2, 3, 4, 5, 6] }],
      attrs: { begin: [1, 2], size: [2, 2], strides: [-1, -2] },
      expected: [{ shape: [2, 2], dtype: "float32", values: [6, 4, 3, 1] }]
    }
  ]
};
function stridedSliceWindow(x2, attrs) {
  return apply1(stridedSliceDef, [x2], { begin: [...attrs.begin], size: [...attrs.size], strides: [...attrs.strides] });
}

// packages/core/src/ops/defs/pad.ts
function padShape(shape, { paddings, mode }) {
  if (mode !== "CONSTANT" && mode !== "REFLECT" && mode !== "SYMMETRIC") throw new OpError("pad", `mode must be 'CONSTANT', 'REFLECT' or 'SYMMETRIC', found '${String(mode)}'`);
  if (paddings.length !== shape.length) {
    throw new OpError("pad", `paddings has ${paddings.length} rows, expected one [before, after] row per dimension of ${fmtShape(shape)} (${shape.length})`);
  }
  return shape.map((d, i) => {
    const row = paddings[i];
    if (row.length !== 2 || !row.every((p) => Number.isInteger(p) && p >= 0)) {
      throw new OpError("pad", `paddings[${i}] must be [before, after] with non-negative integers, found [${row.join(",")}]`);
    }
    const limit = mode === "REFLECT" ? d - 1 : mode === "SYMMETRIC" ? d : Infinity;
    if (row[0] > limit || row[1] > limit) {
      throw new OpError("pad", `${mode} paddings[${i}] = [${row.join(",")}] must not exceed ${limit} for dimension size ${d}`);
    }
    return d + row[0] + row[1];
  });
}
function padSourceMap(dim, before, after, mode) {
  const map = new Int32Array(dim + before + after);
  for (let o = 0; o < map.length; o++) {
    let i = o - before;
    if (i < 0 || i >= dim) {
      if (mode === "CONSTANT") i = -1;
      else if (mode === "REFLECT") i = i < 0 ? -i : 2 * (dim - 1) - i;
      else i = i < 0 ? -i - 1 : 2 * dim - 1 - i;
    }
    map[o] = i;
  }
  return map;
}
var padDef = {
  id: "pad",
  infer([x2], attrs) {
    const shape = padShape(x2.shape, attrs);
    if (x2.dtype === "string" || x2.dtype === "int64") throw new OpError("pad", `input must be float32, int32 or bool, found ${x2.dtype}`);
    if (typeof attrs.constantValue !== "number" || x2.dtype !== "float32" && !Number.isInteger(attrs.constantValue)) {
      throw new OpError("pad", `constantValue ${attrs.constantValue} does not fit dtype ${x2.dtype}`);
    }
    return [{ shape, dtype: x2.dtype }];
  },
  reference([x2], attrs) {
    const shape = padShape(x2.shape, attrs);
    const maps = x2.shape.map((d, i) => padSourceMap(d, attrs.paddings[i][0], attrs.paddings[i][1], attrs.mode));
    const v = num(x2);
    const out = new Float64Array(sizeOf(shape));
    for (let i = 0; i < out.length; i++) {
      let off = 0;
      let inside = true;
      unravel(i, shape).forEach((k, d) => {
        const s = maps[d][k];
        if (s < 0) inside = false;
        off = off * x2.shape[d] + s;
      });
      out[i] = inside ? v[off] : attrs.constantValue;
    }
    return [{ shape, dtype: x2.dtype, values: out }];
  },
  vjp: ({ inputs: [x2], dys: [dy], attrs }) => {
    const shape = x2.shape;
    if (attrs.mode === "CONSTANT") {
      return [stridedSliceWindow(dy, { begin: attrs.paddings.map((p) => p[0]), size: [...shape], strides: shape.map(() => 1) })];
    }
    let g = dy;
    let cur = [...g.shape];
    shape.forEach((d, axis) => {
      const [b2, a2] = attrs.paddings[axis];
      if (b2 === 0 && a2 === 0) return;
      const idx = makeTensor(padSourceMap(d, b2, a2, attrs.mode), [d + b2 + a2], "int32");
      cur = cur.map((e, k) => k === axis ? d : e);
      g = gatherGrad(g, idx, cur, axis, 0);
    });
    return [g];
  },
  samples: [
    { inputs: [{ shape: [3] }], attrs: { paddings: [[1, 2]], mode: "CONSTANT", constantValue: 0 } },
    { inputs: [{ shape: [2, 3] }], attrs: { paddings: [[0, 1], [2, 0]], mode: "CONSTANT", constantValue: -1.5 } },
    { name: "reflect", inputs: [{ shape: [3, 4] }], attrs: { paddings: [[2, 1], [1, 3]], mode: "REFLECT", constantValue: 0 } },
    { name: "symmetric", inputs: [{ shape: [2, 3, 2] }], attrs: { paddings: [[2, 1], [0, 3], [1, 0]], mode: "SYMMETRIC", constantValue: 0 } },
    { name: "zero padding", inputs: [{ shape: [2, 2] }], attrs: { paddings: [[0, 0], [0, 0]], mode: "CONSTANT", constantValue: 0 } },
    { name: "empty input", inputs: [{ shape: [0, 2] }], attrs: { paddings: [[1, 1], [0, 1]], mode: "CONSTANT", constantValue: 2 } },
    { name: "int32", inputs: [{ shape: [2, 2], dtype: "int32", range: [-5, 5] }], attrs: { paddings: [[1, 0], [1, 1]], mode: "CONSTANT", constantValue: 7 }, noGrad: true },
    { name: "int32 reflect", inputs: [{ shape: [3], dtype: "int32", range: [-5, 5] }], attrs: { paddings: [[2, 2]], mode: "REFLECT", constantValue: 0 }, noGrad: true },
    {
      name: "documented reflect/symmetric",
      inputs: [{ shape: [3], dtype: "float32", values: [1, 2, 3] }],
      attrs: { paddings: [[2, 2]], mode: "REFLECT", constantValue: 0 },
      expected: [{ shape: [7], dtype: "float32", values: [3, 2, 1, 2, 3, 2, 1] }]
    },
    {
      name: "documented symmetric",
      inputs: [{ shape: [3], dtype: "float32", values: [1, 2, 3] }],
      attrs: { paddings: [[2, 3]], mode: "SYMMETRIC", constantValue: 0 },
      expected: [{ shape: [8], dtype: "float32", values: [2, 1, 1, 2, 3, 3, 2, 1] }]
    }
  ]
};

// packages/core/src/random/philox.ts
var M0 = 3528531795;
var M1 = 3449720151;
var W0 = 2654435769;
var W1 = 3144134277;
function mulhi32(a2, b2) {
  const aLo = a2 & 65535;
  const aHi = a2 >>> 16;
  const bLo = b2 & 65535;
  const bHi = b2 >>> 16;
  const lolo = aLo * bLo;
  const lohi = aLo * bHi;
  const hilo = aHi * bLo;
  const hihi = aHi * bHi;
  const cross = (lolo >>> 16) + (lohi & 65535) + (hilo & 65535);
  return hihi + (lohi >>> 16) + (hilo >>> 16) + (cross >>> 16) >>> 0;
}
function philox4x32(c0, c1, c2, c3, k0, k1, out, at = 0) {
  c0 >>>= 0;
  c1 >>>= 0;
  c2 >>>= 0;
  c3 >>>= 0;
  k0 >>>= 0;
  k1 >>>= 0;
  for (let r = 0; r < 10; r++) {
    if (r > 0) {
      k0 = k0 + W0 >>> 0;
      k1 = k1 + W1 >>> 0;
    }
    const hi0 = mulhi32(M0, c0);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi32(M1, c2);
    const lo1 = Math.imul(M1, c2) >>> 0;
    const n0 = (hi1 ^ c1 ^ k0) >>> 0;
    const n2 = (hi0 ^ c3 ^ k1) >>> 0;
    c0 = n0;
    c1 = lo1;
    c2 = n2;
    c3 = lo0;
  }
  out[at] = c0;
  out[at + 1] = c1;
  out[at + 2] = c2;
  out[at + 3] = c3;
}
function philoxWords(stream2, n) {
  const blocks = Math.ceil(n / 4);
  const out = new Uint32Array(blocks * 4);
  const [k0, k1] = stream2.key;
  const [c2, c3] = stream2.counter;
  for (let b2 = 0; b2 < blocks; b2++) philox4x32(b2, 0, c2, c3, k0, k1, out, b2 * 4);
  return n === out.length ? out : out.subarray(0, n);
}
var f322 = new Float32Array(1);
var u32 = new Uint32Array(f322.buffer);
function uint32ToFloat(w) {
  u32[0] = 1065353216 | w & 8388607;
  return f322[0] - 1;
}
function uniformFloats(stream2, n, minval, maxval) {
  const w = philoxWords(stream2, n);
  const out = new Float32Array(n);
  const lo = Math.fround(minval);
  const range2 = Math.fround(Math.fround(maxval) - lo);
  for (let i = 0; i < n; i++) out[i] = Math.fround(Math.fround(uint32ToFloat(w[i]) * range2) + lo);
  return out;
}
function uniformInts(stream2, n, minval, maxval) {
  const w = philoxWords(stream2, n);
  const out = new Int32Array(n);
  const range2 = maxval - minval >>> 0;
  for (let i = 0; i < n; i++) out[i] = minval + w[i] % range2 | 0;
  return out;
}
var TWO_PI = 2 * Math.PI;
var BM_EPS = 1e-7;
function boxMuller(w1, w2, branch) {
  const u1 = Math.max(uint32ToFloat(w1), BM_EPS);
  const theta = TWO_PI * uint32ToFloat(w2);
  const r = Math.sqrt(-2 * Math.log(u1));
  return branch === 0 ? r * Math.sin(theta) : r * Math.cos(theta);
}
function normalFloats(stream2, n, mean, stddev) {
  const w = philoxWords(stream2, Math.ceil(n / 4) * 4);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const base = (i >>> 2) * 4 + (i >>> 1 & 1) * 2;
    const z = Math.fround(boxMuller(w[base], w[base + 1], i & 1));
    out[i] = Math.fround(mean + stddev * z);
  }
  return out;
}
function truncatedNormalFloats(stream2, n, mean, stddev) {
  const out = new Float32Array(n);
  const block = new Uint32Array(4);
  const [k0, k1] = stream2.key;
  const [c2, c3] = stream2.counter;
  for (let i = 0; i < n; i++) {
    const lane = (i & 1) * 2;
    let z = 0;
    for (let a2 = 0; ; a2++) {
      if ((a2 & 1) === 0) philox4x32(i >>> 1, a2 >>> 1, c2, c3, k0, k1, block);
      z = Math.fround(boxMuller(block[lane], block[lane + 1], a2 & 1));
      if (Math.abs(z) < 2) break;
    }
    out[i] = Math.fround(mean + stddev * z);
  }
  return out;
}
function permutation(stream2, n) {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  if (n < 2) return p;
  const w = philoxWords(stream2, n - 1);
  for (let t = 0; t < n - 1; t++) {
    const i = n - 1 - t;
    const j = w[t] % (i + 1);
    const tmp = p[i];
    p[i] = p[j];
    p[j] = tmp;
  }
  return p;
}

// packages/core/src/ops/defs/random_util.ts
var isU32 = (v) => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 4294967295;
function checkStream(op, { key, counter: counter2 }) {
  if (!Array.isArray(key) || key.length !== 2 || !key.every(isU32)) throw new OpError(op, `key must be two u32 words, found ${JSON.stringify(key)}`);
  if (!Array.isArray(counter2) || counter2.length !== 2 || !counter2.every(isU32)) throw new OpError(op, `counter must be two u32 words, found ${JSON.stringify(counter2)}`);
}
function checkFinite(op, name, v) {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new OpError(op, `${name} must be a finite number, found ${v}`);
}
var stream = (a2) => ({ key: a2.key, counter: a2.counter });
function checkNormal(op, a2) {
  assertValidShape(op, a2.shape);
  checkStream(op, a2);
  checkFinite(op, "mean", a2.mean);
  checkFinite(op, "stddev", a2.stddev);
  if (a2.stddev < 0) throw new OpError(op, `stddev must be >= 0, found ${a2.stddev}`);
}

// packages/core/src/ops/defs/random_normal.ts
var randomNormalDef = {
  id: "random_normal",
  random: true,
  // Backends compute ln/sin/cos in f32 (GPU) or f64 (JS); bits of the underlying words agree exactly.
  tolerance: { forward: 1e-5 },
  infer(_inputs, a2) {
    checkNormal("randomNormal", a2);
    return [{ shape: a2.shape, dtype: "float32" }];
  },
  reference(_inputs, a2) {
    return [{ shape: a2.shape, dtype: "float32", values: normalFloats(stream(a2), sizeOf(a2.shape), a2.mean, a2.stddev) }];
  },
  samples: [
    { inputs: [], attrs: { shape: [4, 5], mean: 0, stddev: 1, key: [1, 2], counter: [0, 0] }, noGrad: true },
    { name: "odd size, mean and stddev", inputs: [], attrs: { shape: [3, 3], mean: 2, stddev: 0.5, key: [87654321, 11], counter: [2, 0] }, noGrad: true },
    { name: "scalar", inputs: [], attrs: { shape: [], mean: -1, stddev: 3, key: [9, 9], counter: [0, 0] }, noGrad: true }
  ]
};

// packages/core/src/ops/defs/random_permutation.ts
var randomPermutationDef = {
  id: "random_permutation",
  random: true,
  infer(_inputs, a2) {
    if (!Number.isInteger(a2.n) || a2.n < 0) throw new OpError("randomShuffle", `the first dimension must be a non-negative integer, found ${a2.n}`);
    checkStream("randomShuffle", a2);
    return [{ shape: [a2.n], dtype: "int32" }];
  },
  reference(_inputs, a2) {
    return [{ shape: [a2.n], dtype: "int32", values: permutation(stream(a2), a2.n) }];
  },
  samples: [
    { inputs: [], attrs: { n: 10, key: [1, 2], counter: [0, 0] }, noGrad: true },
    { name: "one", inputs: [], attrs: { n: 1, key: [1, 2], counter: [0, 0] }, noGrad: true },
    { name: "larger", inputs: [], attrs: { n: 257, key: [87654321, 5], counter: [4, 0] }, noGrad: true }
  ]
};

// packages/core/src/ops/defs/random_uniform.ts
function uniformValues(a2) {
  const n = sizeOf(a2.shape);
  return a2.dtype === "int32" ? uniformInts(stream(a2), n, a2.minval, a2.maxval) : uniformFloats(stream(a2), n, a2.minval, a2.maxval);
}
var randomUniformDef = {
  id: "random_uniform",
  random: true,
  infer(_inputs, a2) {
    assertValidShape("randomUniform", a2.shape);
    checkStream("randomUniform", a2);
    checkFinite("randomUniform", "minval", a2.minval);
    checkFinite("randomUniform", "maxval", a2.maxval);
    if (a2.dtype === "int32") {
      if (!Number.isInteger(a2.minval) || !Number.isInteger(a2.maxval) || a2.minval < -(2 ** 31) || a2.maxval > 2 ** 31 - 1) {
        throw new OpError("randomUniform", `int32 minval and maxval must be int32 integers, found ${a2.minval} and ${a2.maxval}`);
      }
      if (!(a2.minval < a2.maxval)) throw new OpError("randomUniform", `int32 needs minval < maxval, found minval ${a2.minval} and maxval ${a2.maxval}`);
    } else if (a2.dtype !== "float32") {
      throw new OpError("randomUniform", `dtype must be float32 or int32, found ${a2.dtype}`);
    }
    return [{ shape: a2.shape, dtype: a2.dtype }];
  },
  reference(_inputs, a2) {
    return [{ shape: a2.shape, dtype: a2.dtype, values: uniformValues(a2) }];
  },
  samples: [
    { inputs: [], attrs: { shape: [3, 5], dtype: "float32", minval: 0, maxval: 1, key: [1, 2], counter: [0, 0] }, noGrad: true },
    { name: "range, odd size", inputs: [], attrs: { shape: [7], dtype: "float32", minval: -3, maxval: 5, key: [87654321, 7], counter: [3, 0] }, noGrad: true },
    { name: "int32", inputs: [], attrs: { shape: [2, 9], dtype: "int32", minval: -4, maxval: 11, key: [5, 2147483647], counter: [0, 1] }, noGrad: true },
    { name: "empty", inputs: [], attrs: { shape: [0, 3], dtype: "float32", minval: 0, maxval: 1, key: [1, 2], counter: [0, 0] }, noGrad: true },
    {
      name: "pinned stream",
      inputs: [],
      attrs: { shape: [4], dtype: "int32", minval: 0, maxval: 2 ** 31 - 1, key: [0, 0], counter: [0, 0] },
      // The words of Philox block (0,0,0,0) under key (0,0) — Random123's known answer — mod 2^31-1.
      expected: [{ shape: [4], dtype: "int32", values: [1713891541 % (2 ** 31 - 1), 3781805453 % (2 ** 31 - 1), 3159862348 % (2 ** 31 - 1), 2600524760 % (2 ** 31 - 1)] }],
      noGrad: true
    }
  ]
};

// packages/core/src/ops/defs/tile.ts
function tileShape(shape, multiples) {
  if (multiples.length !== shape.length) throw new OpError("tile", `multiples has ${multiples.length} entries, expected one per dimension of ${fmtShape(shape)} (${shape.length})`);
  for (const m of multiples) if (!Number.isInteger(m) || m < 0) throw new OpError("tile", `multiples [${multiples.join(",")}] must hold non-negative integers`);
  return shape.map((d, i) => d * multiples[i]);
}
var tileDef = {
  id: "tile",
  infer([x2], { multiples }) {
    return [{ shape: tileShape(x2.shape, multiples), dtype: x2.dtype }];
  },
  reference([x2], { multiples }) {
    const shape = tileShape(x2.shape, multiples);
    const v = num(x2);
    const out = new Float64Array(sizeOf(shape));
    for (let i = 0; i < out.length; i++) {
      const idx = unravel(i, shape);
      let off = 0;
      idx.forEach((k, d) => off = off * x2.shape[d] + k % x2.shape[d]);
      out[i] = v[off];
    }
    return [{ shape, dtype: x2.dtype, values: out }];
  },
  vjp: ({ inputs: [x2], dys: [dy], attrs: { multiples } }) => {
    const split = x2.shape.flatMap((d, i) => [multiples[i], d]);
    const axes = x2.shape.map((_, i) => 2 * i).filter((a2) => split[a2] !== 1);
    return [axes.length ? reshape(reduceSum(reshape(dy, split), axes), x2.shape) : reshape(dy, x2.shape)];
  },
  samples: [
    { inputs: [{ shape: [3] }], attrs: { multiples: [2] } },
    { inputs: [{ shape: [2, 3] }], attrs: { multiples: [2, 1] } },
    { name: "both axes", inputs: [{ shape: [2, 1, 3] }], attrs: { multiples: [1, 3, 2] } },
    { name: "zero multiple", inputs: [{ shape: [2, 2] }], attrs: { multiples: [0, 2] } },
    { name: "scalar", inputs: [{ shape: [] }], attrs: { multiples: [] } },
    { name: "int32", inputs: [{ shape: [2, 2], dtype: "int32", range: [-5, 5] }], attrs: { multiples: [2, 3] }, noGrad: true },
    {
      name: "documented values",
      inputs: [{ shape: [2], dtype: "float32", values: [1, 2] }],
      attrs: { multiples: [3] },
      expected: [{ shape: [6], dtype: "float32", values: [1, 2, 1, 2, 1, 2] }]
    }
  ]
};

// packages/core/src/ops/defs/top_k.ts
function topKShape(x2, k) {
  if (x2.dtype !== "float32" && x2.dtype !== "int32") throw new OpError("topK", `input must be float32 or int32, found ${x2.dtype}`);
  const r = x2.shape.length;
  if (r === 0) throw new OpError("topK", "input must have rank >= 1, found a scalar");
  const n = x2.shape[r - 1];
  if (!Number.isInteger(k) || k < 0 || k > n) throw new OpError("topK", `k must be an integer in [0, ${n}] (the last dimension), found ${k}`);
  return [...x2.shape.slice(0, -1), k];
}
var topKDef = {
  id: "top_k",
  infer([x2], { k }) {
    const shape = topKShape(x2, k);
    return [
      { shape, dtype: x2.dtype },
      { shape, dtype: "int32" }
    ];
  },
  reference([x2], { k }) {
    const shape = topKShape(x2, k);
    const n = x2.shape[x2.shape.length - 1];
    const rows = sizeOf(x2.shape.slice(0, -1));
    const v = num(x2);
    const values = new Float64Array(rows * k);
    const indices = new Float64Array(rows * k);
    const key = (e) => Number.isNaN(e) ? Infinity : e;
    for (let r = 0; r < rows; r++) {
      const order = Array.from({ length: n }, (_, i) => i);
      order.sort((a2, b2) => {
        const ea = v[r * n + a2];
        const eb = v[r * n + b2];
        if (Number.isNaN(ea) !== Number.isNaN(eb)) return Number.isNaN(ea) ? -1 : 1;
        return key(eb) - key(ea) || a2 - b2;
      });
      for (let j = 0; j < k; j++) {
        indices[r * k + j] = order[j];
        values[r * k + j] = v[r * n + order[j]];
      }
    }
    return [
      { shape, dtype: x2.dtype, values },
      { shape, dtype: "int32", values: indices }
    ];
  },
  vjp: ({ inputs: [x2], outputs: [, indices], dys: [dy] }) => {
    const n = x2.shape[x2.shape.length - 1];
    const rows = sizeOf(x2.shape.slice(0, -1));
    const k = indices.shape[indices.shape.length - 1];
    const g = gatherGrad(reshape(dy, [rows, k]), reshape(indices, [rows, k]), [rows, n], 1, 1);
    return [reshape(g, x2.shape)];
  },
  samples: [
    { inputs: [{ shape: [7] }], attrs: { k: 3, sorted: true } },
    { inputs: [{ shape: [3, 6] }], attrs: { k: 2, sorted: true } },
    { name: "k = n", inputs: [{ shape: [2, 2, 5] }], attrs: { k: 5, sorted: true } },
    { name: "k = 0", inputs: [{ shape: [2, 4] }], attrs: { k: 0, sorted: true } },
    { name: "long row", inputs: [{ shape: [2, 300] }], attrs: { k: 4, sorted: false }, noGrad: true },
    { name: "long row, large k", inputs: [{ shape: [1, 200] }], attrs: { k: 150, sorted: true }, noGrad: true },
    { name: "int32", inputs: [{ shape: [3, 8], dtype: "int32", range: [-3, 3] }], attrs: { k: 4, sorted: true }, noGrad: true },
    {
      name: "ties keep the lower index",
      inputs: [{ shape: [2, 4], dtype: "float32", values: [1, 3, 3, 2, 5, 5, 5, 5] }],
      attrs: { k: 3, sorted: true },
      expected: [
        { shape: [2, 3], dtype: "float32", values: [3, 3, 2, 5, 5, 5] },
        { shape: [2, 3], dtype: "int32", values: [1, 2, 3, 0, 1, 2] }
      ],
      noGrad: true
    }
  ]
};

// packages/core/src/ops/defs/truncated_normal.ts
var truncatedNormalDef = {
  id: "truncated_normal",
  random: true,
  tolerance: { forward: 1e-5 },
  infer(_inputs, a2) {
    checkNormal("truncatedNormal", a2);
    return [{ shape: a2.shape, dtype: "float32" }];
  },
  reference(_inputs, a2) {
    return [{ shape: a2.shape, dtype: "float32", values: truncatedNormalFloats(stream(a2), sizeOf(a2.shape), a2.mean, a2.stddev) }];
  },
  samples: [
    { inputs: [], attrs: { shape: [6, 7], mean: 0, stddev: 1, key: [1, 2], counter: [0, 0] }, noGrad: true },
    { name: "mean and stddev", inputs: [], attrs: { shape: [33], mean: 1, stddev: 2, key: [87654321, 3], counter: [1, 0] }, noGrad: true }
  ]
};

// packages/core/src/ops/api/linalg.ts
function matmul(a2, b2, transposeA = false, transposeB = false) {
  const opts = typeof transposeA === "object" ? transposeA : { transposeA, transposeB };
  return apply1(matmulDef, [convert(a2, "a", "matmul"), convert(b2, "b", "matmul")], {
    transposeA: opts.transposeA ?? false,
    transposeB: opts.transposeB ?? false
  });
}

// packages/core/src/ops/defs/matmul.ts
var matmulDef = {
  id: "matmul",
  infer([a2, b2], { transposeA, transposeB }) {
    if (a2.shape.length < 2 || b2.shape.length < 2) {
      throw new OpError("matmul", `inputs must have rank >= 2, found a ${fmtShape(a2.shape)} and b ${fmtShape(b2.shape)}`);
    }
    if (a2.dtype !== "float32" || b2.dtype !== "float32") throw new OpError("matmul", `inputs must be float32, found ${a2.dtype} and ${b2.dtype}`);
    const ra = a2.shape.length;
    const rb = b2.shape.length;
    const [m, ka] = transposeA ? [a2.shape[ra - 1], a2.shape[ra - 2]] : [a2.shape[ra - 2], a2.shape[ra - 1]];
    const [kb, n] = transposeB ? [b2.shape[rb - 1], b2.shape[rb - 2]] : [b2.shape[rb - 2], b2.shape[rb - 1]];
    if (ka !== kb) {
      throw new OpError("matmul", `inner dimensions differ: a ${fmtShape(a2.shape)}${transposeA ? "\u1D40" : ""} has ${ka} columns, b ${fmtShape(b2.shape)}${transposeB ? "\u1D40" : ""} has ${kb} rows`);
    }
    const batch = broadcastShapes("matmul", a2.shape.slice(0, -2), b2.shape.slice(0, -2));
    return [{ shape: [...batch, m, n], dtype: "float32" }];
  },
  reference([a2, b2], attrs) {
    const [out] = this.infer([a2, b2], attrs);
    const shape = out.shape;
    const r = shape.length;
    const m = shape[r - 2];
    const n = shape[r - 1];
    const k = attrs.transposeA ? a2.shape[a2.shape.length - 2] : a2.shape[a2.shape.length - 1];
    const batchShape = shape.slice(0, -2);
    const av = num(a2);
    const bv = num(b2);
    const values = new Float64Array(sizeOf(shape));
    const batchOffset = (t, bi) => {
      const bs = t.shape.slice(0, -2);
      const strides = stridesOf(bs);
      let off = 0;
      bs.forEach((d, i) => off += (d === 1 ? 0 : bi[i + bi.length - bs.length]) * strides[i]);
      return off * t.shape[t.shape.length - 1] * t.shape[t.shape.length - 2];
    };
    const aCols = a2.shape[a2.shape.length - 1];
    const bCols = b2.shape[b2.shape.length - 1];
    for (let bi = 0; bi < sizeOf(batchShape); bi++) {
      const idx = unravel(bi, batchShape);
      const ao = batchOffset(a2, idx);
      const bo = batchOffset(b2, idx);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) {
            const ae = attrs.transposeA ? av[ao + p * aCols + i] : av[ao + i * aCols + p];
            const be = attrs.transposeB ? bv[bo + j * bCols + p] : bv[bo + p * bCols + j];
            s += ae * be;
          }
          values[bi * m * n + i * n + j] = s;
        }
    }
    return [{ shape, dtype: "float32", values }];
  },
  vjp: ({ inputs: [a2, b2], dys: [dy], attrs: { transposeA: ta, transposeB: tb } }) => {
    if (!ta && !tb) return [matmul(dy, b2, false, true), matmul(a2, dy, true, false)];
    if (ta && !tb) return [matmul(b2, dy, false, true), matmul(a2, dy, false, false)];
    if (!ta && tb) return [matmul(dy, b2, false, false), matmul(dy, a2, true, false)];
    return [matmul(b2, dy, true, true), matmul(dy, a2, true, true)];
  },
  samples: [
    { inputs: [{ shape: [3, 4] }, { shape: [4, 5] }], attrs: { transposeA: false, transposeB: false } },
    { inputs: [{ shape: [4, 3] }, { shape: [4, 5] }], attrs: { transposeA: true, transposeB: false } },
    { inputs: [{ shape: [3, 4] }, { shape: [5, 4] }], attrs: { transposeA: false, transposeB: true } },
    { inputs: [{ shape: [4, 3] }, { shape: [5, 4] }], attrs: { transposeA: true, transposeB: true } },
    { name: "batched", inputs: [{ shape: [2, 3, 4] }, { shape: [2, 4, 2] }], attrs: { transposeA: false, transposeB: false } },
    { name: "broadcast batch", inputs: [{ shape: [2, 1, 3, 4] }, { shape: [3, 4, 2] }], attrs: { transposeA: false, transposeB: false } },
    { name: "odd sizes", inputs: [{ shape: [17, 9] }, { shape: [9, 13] }], attrs: { transposeA: false, transposeB: false } },
    { name: "larger", inputs: [{ shape: [33, 70] }, { shape: [65, 70] }], attrs: { transposeA: false, transposeB: true }, noGrad: true }
  ]
};

// packages/core/src/ops/defs/stop_gradient.ts
var stopGradientDef = {
  id: "stop_gradient",
  aliasesInput: true,
  infer([x2]) {
    return [{ shape: x2.shape, dtype: x2.dtype }];
  },
  reference([x2]) {
    return [{ shape: x2.shape, dtype: x2.dtype, values: x2.values }];
  },
  samples: [
    { inputs: [{ shape: [2, 3] }], attrs: {}, noGrad: true },
    { inputs: [{ shape: [4], dtype: "int32", range: [-5, 5] }], attrs: {}, noGrad: true }
  ]
};

// packages/core/src/ops/defs/index.ts
var KERNEL_OPS = [
  // nn (conv, pooling, softmax family)
  avgPoolDef,
  avgPoolGradDef,
  conv2dDef,
  conv2dBackpropFilterDef,
  conv2dBackpropInputDef,
  logSoftmaxDef,
  maxPoolDef,
  maxPoolGradDef,
  maxPoolGradGradDef,
  softmaxDef,
  softmaxCrossEntropyDef,
  sparseSoftmaxCrossEntropyDef,
  // array, math and random ops
  addNDef,
  concatDef,
  cumsumDef,
  gatherDef,
  inTopKDef,
  oneHotDef,
  padDef,
  randomNormalDef,
  randomPermutationDef,
  randomUniformDef,
  splitDef,
  stridedSliceDef,
  stridedSliceGradDef,
  tileDef,
  topKDef,
  truncatedNormalDef,
  unsortedSegmentSumDef,
  argReduceDef,
  broadcastToDef,
  castDef,
  fillDef,
  matmulDef,
  reduceDef,
  transposeDef
];
var ALL_OPS = [...Object.values(ELEMENTWISE), ...KERNEL_OPS, reshapeDef, stopGradientDef, identityDef];

// packages/core/src/random/seed.ts
var MAXINT32 = 2 ** 31 - 1;
var globalSeed = null;
function getRandomSeed() {
  return globalSeed;
}

// packages/core/src/ops/api/gradient_ops.ts
function stopGradient(x2) {
  return apply1(stopGradientDef, [convert(x2, "x", "stopGradient")], {});
}

// packages/core/src/ops/tensor_methods.ts
var methods = {
  add(b2) {
    return add(this, b2);
  },
  sub(b2) {
    return sub(this, b2);
  },
  mul(b2) {
    return mul(this, b2);
  },
  div(b2) {
    return div(this, b2);
  },
  floorDiv(b2) {
    return floorDiv(this, b2);
  },
  mod(b2) {
    return mod(this, b2);
  },
  pow(b2) {
    return pow(this, b2);
  },
  minimum(b2) {
    return minimum(this, b2);
  },
  maximum(b2) {
    return maximum(this, b2);
  },
  squaredDifference(b2) {
    return squaredDifference(this, b2);
  },
  greater(b2) {
    return greater(this, b2);
  },
  greaterEqual(b2) {
    return greaterEqual(this, b2);
  },
  less(b2) {
    return less(this, b2);
  },
  lessEqual(b2) {
    return lessEqual(this, b2);
  },
  equal(b2) {
    return equal(this, b2);
  },
  notEqual(b2) {
    return notEqual(this, b2);
  },
  logicalAnd(b2) {
    return logicalAnd(this, b2);
  },
  logicalOr(b2) {
    return logicalOr(this, b2);
  },
  logicalNot() {
    return logicalNot(this);
  },
  neg() {
    return neg(this);
  },
  abs() {
    return abs(this);
  },
  exp() {
    return exp(this);
  },
  log() {
    return log(this);
  },
  log1p() {
    return log1p(this);
  },
  expm1() {
    return expm1(this);
  },
  sqrt() {
    return sqrt(this);
  },
  rsqrt() {
    return rsqrt(this);
  },
  square() {
    return square(this);
  },
  reciprocal() {
    return reciprocal(this);
  },
  sigmoid() {
    return sigmoid(this);
  },
  tanh() {
    return tanh(this);
  },
  relu() {
    return relu(this);
  },
  relu6() {
    return relu6(this);
  },
  elu() {
    return elu(this);
  },
  selu() {
    return selu(this);
  },
  leakyRelu(alpha) {
    return leakyRelu(this, alpha);
  },
  softplus() {
    return softplus(this);
  },
  sin() {
    return sin(this);
  },
  cos() {
    return cos(this);
  },
  floor() {
    return floor(this);
  },
  ceil() {
    return ceil(this);
  },
  round() {
    return round(this);
  },
  sign() {
    return sign(this);
  },
  clipByValue(clipMin, clipMax) {
    return clipByValue(this, clipMin, clipMax);
  },
  sum(axis, keepDims) {
    return reduceSum(this, axis, keepDims);
  },
  mean(axis, keepDims) {
    return reduceMean(this, axis, keepDims);
  },
  max(axis, keepDims) {
    return reduceMax(this, axis, keepDims);
  },
  min(axis, keepDims) {
    return reduceMin(this, axis, keepDims);
  },
  prod(axis, keepDims) {
    return reduceProd(this, axis, keepDims);
  },
  all(axis, keepDims) {
    return reduceAll(this, axis, keepDims);
  },
  any(axis, keepDims) {
    return reduceAny(this, axis, keepDims);
  },
  argMax(axis) {
    return argMax(this, axis);
  },
  argMin(axis) {
    return argMin(this, axis);
  },
  matmul(b2, options) {
    return matmul(this, b2, options ?? {});
  },
  reshape(shape) {
    return reshape(this, shape);
  },
  flatten() {
    return reshape(this, [-1]);
  },
  transpose(perm) {
    return transpose(this, perm);
  },
  broadcastTo(shape) {
    return broadcastTo(this, shape);
  },
  cast(dtype) {
    return cast(this, dtype);
  },
  clone() {
    return apply1(reshapeDef, [this], { shape: [...this.shape] });
  },
  detach() {
    return stopGradient(this);
  }
};
for (const [name, fn] of Object.entries(methods)) {
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
}
var TENSOR_METHOD_NAMES = Object.keys(methods);

// packages/core/src/ops/api/nn.ts
function checkFormat(op, dataFormat) {
  if (dataFormat !== void 0 && dataFormat !== "NHWC") throw new OpError(op, `dataFormat '${dataFormat}' is not supported; use 'NHWC'`);
}
function convAttrs2(op, xShape, fShape, strides, padding, options) {
  checkFormat(op, options.dataFormat);
  const s = normalizeHW(op, "strides", strides);
  const d = normalizeHW(op, "dilations", options.dilations, 1);
  const pads = resolvePadding(op, padding, xShape[1], xShape[2], (fShape[0] - 1) * d[0] + 1, (fShape[1] - 1) * d[1] + 1, s);
  return { strides: s, dilations: d, pads };
}
function conv2d(x2, filter, strides, padding, options = {}) {
  const tx = convert(x2, "input", "conv2d");
  const tf = convert(filter, "filter", "conv2d");
  checkRank4("conv2d", "input", tx, "[batch, height, width, channels]");
  checkRank4("conv2d", "filter", tf, "[height, width, inChannels, outChannels]");
  return apply1(conv2dDef, [tx, tf], convAttrs2("conv2d", tx.shape, tf.shape, strides, padding, options));
}
function poolAttrs2(op, x2, ksize, strides, padding, dataFormat) {
  checkFormat(op, dataFormat);
  checkRank4(op, "input", x2, "[batch, height, width, channels]");
  const k = normalizeHW(op, "ksize", ksize);
  const s = normalizeHW(op, "strides", strides);
  return { ksize: k, strides: s, pads: resolvePadding(op, padding, x2.shape[1], x2.shape[2], k[0], k[1], s) };
}
function maxPool(x2, ksize, strides, padding, dataFormat) {
  const t = convert(x2, "input", "maxPool");
  return apply1(maxPoolDef, [t], poolAttrs2("maxPool", t, ksize, strides, padding, dataFormat));
}
function avgPool(x2, ksize, strides, padding, dataFormat) {
  const t = convert(x2, "input", "avgPool");
  return apply1(avgPoolDef, [t], poolAttrs2("avgPool", t, ksize, strides, padding, dataFormat));
}

// packages/core/src/autograd/api.ts
function noGrad(fn) {
  engine.noGradDepth++;
  try {
    return fn();
  } finally {
    engine.noGradDepth--;
  }
}

// packages/core/src/framework/collections.ts
var GraphKeys = {
  GLOBAL_VARIABLES: "variables",
  TRAINABLE_VARIABLES: "trainable_variables",
  LOCAL_VARIABLES: "local_variables",
  MODEL_VARIABLES: "model_variables",
  MOVING_AVERAGE_VARIABLES: "moving_average_variables",
  REGULARIZATION_LOSSES: "regularization_losses",
  LOSSES: "losses",
  UPDATE_OPS: "update_ops",
  GLOBAL_STEP: "global_step"
};
var collections = /* @__PURE__ */ new Map();
function addToCollection(name, value) {
  if (value instanceof Tensor) value.kept = true;
  let list = collections.get(name);
  if (!list) collections.set(name, list = []);
  list.push(value);
}

// packages/core/src/initializers/host_random.ts
var HostRandom = class {
  state;
  spare = 0;
  hasSpare = false;
  constructor(seed) {
    this.state = seed >>> 0 ^ 2654435769;
  }
  /** Uniform in [0, 1). */
  next() {
    let t = this.state = this.state + 1831565813 | 0;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  }
  /** Standard normal (Box–Muller). */
  normal() {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    this.hasSpare = true;
    return r * Math.cos(2 * Math.PI * v);
  }
  /** Standard normal re-drawn while |x| > 2 (TensorFlow's truncated normal). */
  truncatedNormal() {
    for (; ; ) {
      const x2 = this.normal();
      if (Math.abs(x2) <= 2) return x2;
    }
  }
};
var globalSeed2 = null;
var counter = 0;
function generatorFor(seed) {
  if (seed !== void 0) return new HostRandom(seed);
  const base = globalSeed2 ?? getRandomSeed();
  if (base === null) return new HostRandom(Math.random() * 2 ** 32 >>> 0);
  const n = counter++;
  return new HostRandom(Math.imul(base ^ 1540483477, 2654435761) + Math.imul(n + 1, 668265261) >>> 0);
}

// packages/core/src/initializers/initializers.ts
var TRUNCATED_NORMAL_STDDEV_CORRECTION = 0.8796256610342398;
function fromHost(shape, dtype, gen) {
  const n = sizeOf(shape);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = gen(i);
  return makeTensor(v, shape, dtype);
}
var constant = (value = 0) => (shape, dtype = "float32") => {
  if (typeof value === "number") return fromHost(shape, dtype, () => value);
  if (value.length !== sizeOf(shape)) throw new OpError("constantInitializer", `${value.length} values for shape [${shape.join(",")}]`);
  return fromHost(shape, dtype, (i) => value[i]);
};
var zeros = () => constant(0);
var ones2 = () => constant(1);
function computeFans(shape) {
  if (shape.length < 1) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] };
  const receptive = sizeOf(shape.slice(0, -2));
  return { fanIn: shape[shape.length - 2] * receptive, fanOut: shape[shape.length - 1] * receptive };
}
var varianceScaling = (options = {}) => (shape, dtype = "float32") => {
  const scale = options.scale ?? options.factor ?? 2;
  if (!(scale > 0)) throw new OpError("varianceScaling", `scale must be positive, found ${scale}`);
  const mode = (options.mode ?? "FAN_IN").toUpperCase();
  const { fanIn, fanOut } = computeFans(shape);
  const n = mode === "FAN_IN" ? fanIn : mode === "FAN_OUT" ? fanOut : mode === "FAN_AVG" ? (fanIn + fanOut) / 2 : NaN;
  if (Number.isNaN(n)) throw new OpError("varianceScaling", `mode must be FAN_IN, FAN_OUT or FAN_AVG, found '${options.mode}'`);
  const dist = options.distribution ?? (options.uniform ? "uniform" : "truncated_normal");
  const r = generatorFor(options.seed);
  const v = scale / Math.max(1, n);
  switch (dist) {
    case "uniform": {
      const limit = Math.sqrt(3 * v);
      return fromHost(shape, dtype, () => (2 * r.next() - 1) * limit);
    }
    case "untruncated_normal":
      return fromHost(shape, dtype, () => Math.sqrt(v) * r.normal());
    case "truncated_normal":
    case "normal": {
      const stddev = Math.sqrt(v) / TRUNCATED_NORMAL_STDDEV_CORRECTION;
      return fromHost(shape, dtype, () => stddev * r.truncatedNormal());
    }
    default:
      throw new OpError("varianceScaling", `unknown distribution '${String(dist)}'`);
  }
};
var glorotUniform = (o = {}) => varianceScaling({ scale: 1, mode: "FAN_AVG", distribution: "uniform", seed: o.seed });
var glorotNormal = (o = {}) => varianceScaling({ scale: 1, mode: "FAN_AVG", distribution: "truncated_normal", seed: o.seed });
var xavier = ({ uniform = true, seed } = {}) => uniform ? glorotUniform({ seed }) : glorotNormal({ seed });

// packages/core/src/framework/variable_scope.ts
var ROOT = { name: "", reuse: false, nameCounts: /* @__PURE__ */ new Map() };
var stack = [ROOT];
var store = /* @__PURE__ */ new Map();
function getVariableScope() {
  return stack[stack.length - 1];
}
function scopedName(name) {
  const s = getVariableScope().name;
  return s ? `${s}/${name}` : name;
}
function variableScope(name, a2, b2) {
  const options = typeof a2 === "function" ? {} : a2;
  const fn = typeof a2 === "function" ? a2 : b2;
  if (typeof fn !== "function") throw new Error("variableScope(name, [options], fn): fn must be a function");
  if (name && (name.includes("//") || name.startsWith("/") || name.endsWith("/"))) throw new Error(`variableScope: invalid scope name '${name}'`);
  const parent = getVariableScope();
  const reuse = parent.reuse === true ? true : options.reuse ?? parent.reuse;
  const scope = {
    name: name ? parent.name ? `${parent.name}/${name}` : name : parent.name,
    reuse,
    initializer: options.initializer ?? parent.initializer,
    regularizer: options.regularizer ?? parent.regularizer,
    trainable: options.trainable ?? parent.trainable,
    dtype: options.dtype ?? parent.dtype,
    nameCounts: /* @__PURE__ */ new Map()
  };
  stack.push(scope);
  try {
    const out = fn();
    if (out instanceof Promise) throw new Error("variableScope: fn returned a Promise; scopes are synchronous");
    return out;
  } finally {
    stack.pop();
  }
}
function getVariable(name, options = {}) {
  if (!name || name.endsWith("/")) throw new Error(`getVariable: invalid name '${name}'`);
  const scope = getVariableScope();
  const full = scopedName(name);
  let existing = store.get(full);
  if (existing && existing.released) {
    store.delete(full);
    existing = void 0;
  }
  if (existing) {
    if (scope.reuse === false) {
      throw new Error(`getVariable: variable '${full}' already exists, disallowed. Did you mean to set reuse: true or reuse: 'auto' in variableScope? (or pick another name)`);
    }
    if (options.shape && !shapesEqual(options.shape, existing.shape)) {
      throw new OpError("getVariable", `trying to share variable '${full}', but specified shape ${fmtShape(options.shape)} and found shape ${fmtShape(existing.shape)}`);
    }
    if (options.dtype && options.dtype !== existing.dtype) {
      throw new OpError("getVariable", `trying to share variable '${full}', but specified dtype ${options.dtype} and found dtype ${existing.dtype}`);
    }
    return existing;
  }
  if (scope.reuse === true) {
    throw new Error(`getVariable: variable '${full}' does not exist, or was not created with getVariable(); reuse: true only gets existing variables. Did you mean reuse: 'auto'?`);
  }
  if (findVariable(full)) {
    throw new Error(`getVariable: a variable named '${full}' already exists (made with ef.variable); pick another name`);
  }
  const dtype = options.dtype ?? scope.dtype ?? "float32";
  const init = options.initializer ?? scope.initializer ?? (dtype === "float32" ? glorotUniform() : zeros());
  const value = engine.tidy(() => {
    if (typeof init === "function") {
      if (!options.shape) throw new OpError("getVariable", `variable '${full}': shape is required with an initializer function`);
      return init(options.shape, dtype);
    }
    const t = initialTensor(init, dtype);
    if (options.shape && !shapesEqual(options.shape, t.shape)) {
      throw new OpError("getVariable", `variable '${full}': shape ${fmtShape(options.shape)} does not match the initial value's shape ${fmtShape(t.shape)}`);
    }
    return t;
  });
  const trainable = options.trainable ?? scope.trainable ?? true;
  const v = variable(value, { name: full, trainable });
  if (value !== init) value.dispose();
  store.set(full, v);
  addToCollection(GraphKeys.GLOBAL_VARIABLES, v);
  if (trainable) addToCollection(GraphKeys.TRAINABLE_VARIABLES, v);
  for (const c of options.collections ?? []) addToCollection(c, v);
  const reg = options.regularizer === null ? void 0 : options.regularizer ?? scope.regularizer;
  if (reg) addRegularizer(v, reg);
  return v;
}
function addRegularizer(v, reg) {
  const thunk = Object.defineProperties(() => reg(v), {
    variable: { value: v },
    name: { value: `${v.name}/Regularizer` }
  });
  addToCollection(GraphKeys.REGULARIZATION_LOSSES, thunk);
}
function initialTensor(init, dtype) {
  return typeof init === "object" && !Array.isArray(init) ? init : tensor(init, void 0, dtype);
}
function uniqueLayerName(base) {
  const counts = getVariableScope().nameCounts;
  const n = counts.get(base) ?? 0;
  counts.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

// packages/core/src/layers/activations.ts
var NAMED = {
  relu,
  relu6,
  elu,
  selu,
  sigmoid,
  tanh,
  softplus,
  linear: (x2) => x2
};
function activate(x2, a2) {
  if (!a2) return x2;
  if (typeof a2 === "function") return a2(x2);
  const f = NAMED[a2];
  if (!f) throw new Error(`unknown activation '${a2}' (known: ${Object.keys(NAMED).join(", ")})`);
  return f(x2);
}

// packages/core/src/layers/dropout_mask.ts
function dropoutApply(x2, rate, options = {}) {
  if (!(rate >= 0 && rate < 1)) throw new OpError("dropout", `rate must be in [0, 1), found ${rate}`);
  if (rate === 0) return x2;
  const shape = options.noiseShape ?? x2.shape;
  const r = generatorFor(options.seed);
  const n = sizeOf(shape);
  const m = new Float32Array(n);
  const keep = 1 / (1 - rate);
  for (let i = 0; i < n; i++) m[i] = r.next() >= rate ? keep : 0;
  return mul(x2, makeTensor(m, shape, "float32"));
}

// packages/core/src/layers/functional.ts
var upper = (p, dflt) => (p ?? dflt).toUpperCase();
function denseBody(x2, units, o, names = { kernel: "kernel", bias: "bias" }) {
  if (x2.rank < 2) throw new OpError("dense", `inputs must have rank >= 2, found shape ${fmtShape(x2.shape)}`);
  const inDim = x2.shape[x2.rank - 1];
  const kernel = getVariable(names.kernel, { shape: [inDim, units], initializer: o.kernelInitializer, regularizer: o.kernelRegularizer, trainable: o.trainable });
  const x22 = x2.rank === 2 ? x2 : reshape(x2, [-1, inDim]);
  let y3 = matmul(x22, kernel);
  if (o.useBias ?? true) {
    const bias = getVariable(names.bias, { shape: [units], initializer: o.biasInitializer ?? zeros(), regularizer: o.biasRegularizer, trainable: o.trainable });
    y3 = add(y3, bias);
  }
  if (x2.rank !== 2) y3 = reshape(y3, [...x2.shape.slice(0, -1), units]);
  return activate(y3, o.activation);
}
function conv2dBody(x2, filters, kernelSize, o, names = { kernel: "kernel", bias: "bias" }, defaultPadding = "VALID") {
  if (x2.rank !== 4) throw new OpError("conv2d", `inputs must be [batch, height, width, channels], found shape ${fmtShape(x2.shape)}`);
  const [kh, kw] = hw(kernelSize);
  const kernel = getVariable(names.kernel, { shape: [kh, kw, x2.shape[3], filters], initializer: o.kernelInitializer, regularizer: o.kernelRegularizer, trainable: o.trainable });
  const pad = typeof o.padding === "object" ? o.padding : upper(o.padding, defaultPadding);
  let y3 = conv2d(x2, kernel, hw(o.strides ?? 1), pad, { dilations: hw(o.dilationRate ?? 1) });
  if (o.useBias ?? true) {
    const bias = getVariable(names.bias, { shape: [filters], initializer: o.biasInitializer ?? zeros(), regularizer: o.biasRegularizer, trainable: o.trainable });
    y3 = add(y3, bias);
  }
  return activate(y3, o.activation);
}
function hw(k) {
  if (typeof k === "number") return [k, k];
  if (k.length === 4) return [k[1], k[2]];
  if (k.length === 1) return [k[0], k[0]];
  return [k[0], k[1]];
}
function maxPooling2d(inputs, poolSize, strides, options = {}) {
  return maxPool(inputs, hw(poolSize), hw(strides), upper(options.padding, "VALID"));
}
function averagePooling2d(inputs, poolSize, strides, options = {}) {
  return avgPool(inputs, hw(poolSize), hw(strides), upper(options.padding, "VALID"));
}
function batchNormBody(x2, o) {
  const axis = (o.axis ?? -1) < 0 ? x2.rank + (o.axis ?? -1) : o.axis;
  if (axis < 0 || axis >= x2.rank) throw new OpError("batchNormalization", `axis ${o.axis} is out of range for shape ${fmtShape(x2.shape)}`);
  const c = x2.shape[axis];
  const paramShape = [c];
  const bshape = x2.shape.map((d, i) => i === axis ? d : 1);
  const momentum = o.momentum ?? 0.99;
  const eps = o.epsilon ?? 1e-3;
  const beta = o.center ?? true ? getVariable("beta", { shape: paramShape, initializer: o.betaInitializer ?? zeros(), regularizer: o.betaRegularizer, trainable: o.trainable }) : null;
  const gamma = o.scale ?? true ? getVariable("gamma", { shape: paramShape, initializer: o.gammaInitializer ?? ones2(), regularizer: o.gammaRegularizer, trainable: o.trainable }) : null;
  const mm = getVariable("moving_mean", { shape: paramShape, initializer: o.movingMeanInitializer ?? zeros(), trainable: false, collections: [GraphKeys.MODEL_VARIABLES] });
  const mv = getVariable("moving_variance", { shape: paramShape, initializer: o.movingVarianceInitializer ?? ones2(), trainable: false, collections: [GraphKeys.MODEL_VARIABLES] });
  let mean, variance;
  if (o.training) {
    const axes = x2.shape.map((_, i) => i).filter((i) => i !== axis);
    mean = reduceMean(x2, axes, true);
    variance = reduceMean(squaredDifference(x2, mean), axes, true);
    const m1 = reshape(mean, paramShape);
    const v1 = reshape(variance, paramShape);
    noGrad(() => {
      const newM = sub(mm, mul(sub(mm, m1), 1 - momentum));
      const newV = sub(mv, mul(sub(mv, v1), 1 - momentum));
      mm.assign(newM);
      mv.assign(newV);
    });
  } else {
    mean = reshape(mm, bshape);
    variance = reshape(mv, bshape);
  }
  let inv = rsqrt(add(variance, eps));
  if (gamma) inv = mul(inv, reshape(gamma, bshape));
  let y3 = mul(sub(x2, mean), inv);
  if (beta) y3 = add(y3, reshape(beta, bshape));
  return y3;
}
function dropout2(inputs, options = {}) {
  if (!options.training) return inputs;
  return dropoutApply(inputs, options.rate ?? 0.5, options);
}
function flatten(inputs) {
  if (inputs.rank < 1) throw new OpError("flatten", "inputs must have a batch dimension");
  return reshape(inputs, [inputs.shape[0], inputs.size / Math.max(1, inputs.shape[0]) || 0]);
}

// packages/core/src/slim/arg_scope.ts
var KEY = /* @__PURE__ */ Symbol("eagerflow.argScopeKey");
var stack2 = [];
function keyOf(fn) {
  return fn[KEY] ?? fn;
}
function currentArgScope(fn) {
  const key = keyOf(fn);
  const out = {};
  for (const level of stack2) Object.assign(out, level.get(key));
  return out;
}
function isPlainObject(x2) {
  return typeof x2 === "object" && x2 !== null && !Array.isArray(x2) && Object.getPrototypeOf(x2) === Object.prototype;
}
function addArgScope(fn, optionsIndex) {
  const wrapped = function(...args) {
    const defaults = currentArgScope(wrapped);
    if (Object.keys(defaults).length === 0) return fn.apply(this, args);
    let idx = optionsIndex ?? (isPlainObject(args[args.length - 1]) ? args.length - 1 : args.length);
    if (optionsIndex !== void 0 && args.length > idx && !isPlainObject(args[idx]) && args[idx] !== void 0) idx = args.length;
    const explicit = isPlainObject(args[idx]) ? args[idx] : {};
    const merged = { ...defaults };
    for (const [k, v] of Object.entries(explicit)) if (v !== void 0) merged[k] = v;
    const next = [...args];
    while (next.length < idx) next.push(void 0);
    next[idx] = merged;
    return fn.apply(this, next);
  };
  Object.defineProperty(wrapped, KEY, { value: wrapped });
  Object.defineProperty(wrapped, "name", { value: fn.name });
  return wrapped;
}

// packages/core/src/slim/layers.ts
var NAMES = { kernel: "weights", bias: "biases" };
function finish(y3, o) {
  if (o.normalizerFn) y3 = o.normalizerFn(y3, { ...o.normalizerParams ?? {} });
  return activate(y3, o.activationFn === void 0 ? relu : o.activationFn);
}
function scoped(o, base, fn) {
  return variableScope(o.scope ?? uniqueLayerName(base), { reuse: o.reuse }, fn);
}
function conv2dImpl(inputs, numOutputs, kernelSize, options = {}) {
  const o = options;
  return scoped(o, "Conv", () => {
    const y3 = conv2dBody(
      inputs,
      numOutputs,
      kernelSize,
      {
        strides: o.stride ?? 1,
        padding: o.padding ?? "SAME",
        dilationRate: o.rate ?? 1,
        useBias: !o.normalizerFn && o.biasesInitializer !== null,
        kernelInitializer: o.weightsInitializer ?? xavier(),
        kernelRegularizer: o.weightsRegularizer,
        biasInitializer: o.biasesInitializer ?? zeros(),
        biasRegularizer: o.biasesRegularizer,
        trainable: o.trainable
      },
      NAMES,
      "SAME"
    );
    return finish(y3, o);
  });
}
function fullyConnectedImpl(inputs, numOutputs, options = {}) {
  const o = options;
  return scoped(o, "fully_connected", () => {
    const y3 = denseBody(
      inputs,
      numOutputs,
      {
        useBias: !o.normalizerFn && o.biasesInitializer !== null,
        kernelInitializer: o.weightsInitializer ?? xavier(),
        kernelRegularizer: o.weightsRegularizer,
        biasInitializer: o.biasesInitializer ?? zeros(),
        biasRegularizer: o.biasesRegularizer,
        trainable: o.trainable
      },
      NAMES
    );
    return finish(y3, o);
  });
}
function maxPool2dImpl(inputs, kernelSize, options = {}) {
  return maxPooling2d(inputs, kernelSize, options.stride ?? 2, { padding: options.padding ?? "VALID" });
}
function avgPool2dImpl(inputs, kernelSize, options = {}) {
  return averagePooling2d(inputs, kernelSize, options.stride ?? 2, { padding: options.padding ?? "VALID" });
}
function batchNormImpl(inputs, options = {}) {
  const o = options;
  return scoped(o, "BatchNorm", () => {
    const y3 = batchNormBody(inputs, {
      momentum: o.decay ?? 0.999,
      center: o.center ?? true,
      scale: o.scale ?? false,
      epsilon: o.epsilon ?? 1e-3,
      training: o.isTraining ?? true,
      trainable: o.trainable,
      betaInitializer: o.paramInitializers?.beta,
      gammaInitializer: o.paramInitializers?.gamma,
      movingMeanInitializer: o.paramInitializers?.moving_mean,
      movingVarianceInitializer: o.paramInitializers?.moving_variance,
      betaRegularizer: o.paramRegularizers?.beta,
      gammaRegularizer: o.paramRegularizers?.gamma
    });
    return activate(y3, o.activationFn);
  });
}
function flattenImpl(inputs, _options = {}) {
  return flatten(inputs);
}
function dropoutImpl(inputs, options = {}) {
  const keep = options.keepProb ?? 0.5;
  if (!(keep > 0 && keep <= 1)) throw new OpError("slim.dropout", `keepProb must be in (0, 1], found ${keep}`);
  return dropout2(inputs, { rate: 1 - keep, training: options.isTraining ?? true, noiseShape: options.noiseShape, seed: options.seed });
}
var conv2d3 = addArgScope(conv2dImpl, 3);
var fullyConnected = addArgScope(fullyConnectedImpl, 2);
var maxPool2d = addArgScope(maxPool2dImpl, 2);
var avgPool2d = addArgScope(avgPool2dImpl, 2);
var batchNorm = addArgScope(batchNormImpl, 1);
var flatten2 = addArgScope(flattenImpl, 1);
var dropout3 = addArgScope(dropoutImpl, 1);

// packages/core/src/index.ts
var registerBackend = (factory) => engine.registerBackend(factory);
var setBackend = (name) => engine.setBackend(name);

// packages/webgpu-backend/src/device.ts
var WANTED_FEATURES = ["subgroups", "timestamp-query", "shader-f16"];
var WANTED_LIMITS = [
  "maxStorageBufferBindingSize",
  "maxBufferSize",
  "maxComputeWorkgroupStorageSize",
  "maxComputeInvocationsPerWorkgroup",
  "maxComputeWorkgroupSizeX",
  "maxComputeWorkgroupSizeY",
  "maxComputeWorkgroupSizeZ",
  "maxComputeWorkgroupsPerDimension",
  "maxStorageBuffersPerShaderStage",
  "maxUniformBufferBindingSize"
];
var HOW_TO_GET_AN_ADAPTER = "In Node, eagerflow uses Dawn (the `webgpu` npm package), which needs a Vulkan driver: on a machine with a GPU install its Vulkan driver and libvulkan1; without a GPU install Debian's `chromium` and `libvulkan1` packages and run with VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json (SwiftShader, slow but exact). In browsers, use one with WebGPU (Chrome/Edge >= 113, Safari 26, Firefox 141 on Windows) over https or localhost. Or use the CPU backend: import '@eagerflow/cpu-backend' and ef.setBackend('cpu').";
function isNode() {
  return typeof process !== "undefined" && !!process.versions?.node;
}
async function getGpu() {
  const nav = globalThis.navigator;
  if (nav?.gpu) return { gpu: nav.gpu, release: () => {
  } };
  if (!isNode()) throw new Error(`webgpu: navigator.gpu is not available in this browser. ${HOW_TO_GET_AN_ADAPTER}`);
  const spec = "webgpu";
  let mod2;
  try {
    mod2 = await import(spec);
  } catch (e) {
    throw new Error(`webgpu: could not load the 'webgpu' package (Dawn for Node): ${e.message}. ${HOW_TO_GET_AN_ADAPTER}`);
  }
  let gpu = mod2.create([]);
  return {
    gpu,
    release: () => {
      gpu = null;
    }
  };
}
async function acquireDevice() {
  const { gpu, release } = await getGpu();
  let adapter = null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  } catch (e) {
    release();
    throw new Error(`webgpu: requestAdapter() failed: ${e.message}. ${HOW_TO_GET_AN_ADAPTER}`);
  }
  if (!adapter) {
    release();
    const hint = isNode() && !process.env["VK_ICD_FILENAMES"] ? " (VK_ICD_FILENAMES is not set)" : "";
    throw new Error(`webgpu: no WebGPU adapter found${hint}. ${HOW_TO_GET_AN_ADAPTER}`);
  }
  const features = WANTED_FEATURES.filter((f) => adapter.features.has(f));
  const requiredLimits = {};
  for (const name of WANTED_LIMITS) {
    const v = adapter.limits[name];
    if (typeof v === "number") requiredLimits[name] = v;
  }
  let device;
  try {
    device = await adapter.requestDevice({ requiredFeatures: features, requiredLimits });
  } catch (e) {
    release();
    throw new Error(`webgpu: requestDevice() failed: ${e.message}`);
  }
  const info = adapter.info;
  const limits = {};
  for (const name of WANTED_LIMITS) limits[name] = device.limits[name] ?? 0;
  limits["minUniformBufferOffsetAlignment"] = device.limits.minUniformBufferOffsetAlignment;
  return {
    device,
    adapterInfo: {
      vendor: info?.vendor ?? "",
      architecture: info?.architecture ?? "",
      device: info?.device ?? "",
      description: info?.description ?? ""
    },
    features: new Set(features),
    limits,
    release
  };
}

// packages/webgpu-backend/src/kernel.ts
function wgslType(dtype) {
  switch (dtype) {
    case "float32":
      return "f32";
    case "int32":
      return "i32";
    case "bool":
      return "u32";
    default:
      throw new Error(`webgpu: dtype ${dtype} has no GPU representation (it is kept on the host)`);
  }
}
var WG = 256;
var LINEAR_MAIN = `@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32)`;
var LINEAR_INDEX = `(wid.y * nwg.x + wid.x) * ${WG}u + lid`;
function collapseDims(shape, strides) {
  const outShape = [];
  const outStrides = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d];
    if (n === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, k) => outStrides[k][last] === s[d] * n)) {
      outShape[last] *= n;
      strides.forEach((s, k) => outStrides[k][last] = s[d]);
    } else {
      outShape.push(n);
      strides.forEach((s, k) => outStrides[k].push(s[d]));
    }
  }
  return { shape: outShape, strides: outStrides };
}
function unravelOffsets(idx, rank, shapeAt, strideAt, uw2) {
  const lines = [`var rem = ${idx};`];
  strideAt.forEach((_, k) => lines.push(`var o${k} = 0u;`));
  for (let d = rank - 1; d >= 0; d--) {
    if (d === 0) {
      strideAt.forEach((s, k) => lines.push(`o${k} += rem * ${uw2(s + d)};`));
    } else {
      lines.push(`{ let q = rem / ${uw2(shapeAt + d)}; let c = rem - q * ${uw2(shapeAt + d)}; rem = q;`);
      strideAt.forEach((s, k) => lines.push(`  o${k} += c * ${uw2(s + d)};`));
      lines.push("}");
    }
  }
  return lines.join("\n  ");
}

// packages/webgpu-backend/src/buffer_pool.ts
var USAGE = {
  MAP_READ: 1,
  MAP_WRITE: 2,
  COPY_SRC: 4,
  COPY_DST: 8,
  UNIFORM: 64,
  STORAGE: 128,
  QUERY_RESOLVE: 512
};
var MAP_READ = 1;
var STORAGE_USAGE = USAGE.STORAGE | USAGE.COPY_SRC | USAGE.COPY_DST;
var STAGING_USAGE = USAGE.MAP_READ | USAGE.COPY_DST;
var nextBufferId = 1;
function sizeClass(bytes) {
  if (bytes <= 256) return 256;
  const p = 2 ** Math.floor(Math.log2(bytes));
  const step = p / 4;
  return Math.ceil(bytes / step) * step;
}
var BufferPool = class {
  constructor(device, maxBufferSize) {
    this.device = device;
    this.maxBufferSize = maxBufferSize;
  }
  device;
  maxBufferSize;
  free = /* @__PURE__ */ new Map();
  deferred = [];
  /** Bytes of every buffer the pool created and has not destroyed. */
  allocatedBytes = 0;
  /** Bytes sitting in free lists. */
  cachedBytes = 0;
  inUseBytes = 0;
  peakBytes = 0;
  created = 0;
  reused = 0;
  destroyed = 0;
  options = { limit: null, allowGrowth: true };
  /** Called when a buffer is destroyed (drops bind groups that name it). */
  onDestroy = () => {
  };
  /**
   * A buffer of at least `bytes`. `inEncoder`: the buffer is only written by commands recorded
   * after this point (a kernel output), so a buffer freed while the open encoder still reads it
   * may be reused (commands run in order); queue.writeBuffer would run before the encoder, so
   * host writes pass false.
   */
  acquire(bytes, usage = STORAGE_USAGE, inEncoder = false) {
    const size = sizeClass(Math.max(bytes, 4));
    const key = `${usage}:${size}`;
    const list = this.free.get(key);
    const hit = list?.pop();
    if (hit) {
      this.cachedBytes -= size;
      this.inUseBytes += size;
      this.reused++;
      return hit;
    }
    if (inEncoder) {
      const i = this.deferred.findIndex((b2) => b2.size === size && b2.usage === usage);
      if (i >= 0) {
        const b2 = this.deferred[i];
        this.deferred[i] = this.deferred[this.deferred.length - 1];
        this.deferred.pop();
        this.inUseBytes += size;
        this.reused++;
        return b2;
      }
    }
    if (size > this.maxBufferSize) {
      throw new Error(`webgpu: a buffer of ${bytes} bytes exceeds this device's maxBufferSize (${this.maxBufferSize})`);
    }
    const limit = this.options.limit;
    if (limit !== null && this.allocatedBytes + size > limit) {
      this.trim(this.allocatedBytes + size - limit);
      if (this.allocatedBytes + size > limit) {
        throw new Error(
          `webgpu: GPU memory limit exceeded: allocating ${size} bytes would bring the pool to ${this.allocatedBytes + size} bytes (limit ${limit}, ${this.inUseBytes} in use by tensors); dispose tensors or raise ef.config({gpuMemoryLimit})`
        );
      }
    }
    const buffer = this.device.createBuffer({ size, usage });
    this.created++;
    this.allocatedBytes += size;
    this.inUseBytes += size;
    if (this.allocatedBytes > this.peakBytes) this.peakBytes = this.allocatedBytes;
    return { id: nextBufferId++, buffer, size, usage };
  }
  /** Gives a buffer back; it is reusable after the next submit (see `afterSubmit`). */
  release(b2, pendingWork) {
    this.inUseBytes -= b2.size;
    if (pendingWork) this.deferred.push(b2);
    else this.recycle(b2);
  }
  /** The open encoder was submitted: deferred buffers become reusable. */
  afterSubmit() {
    const list = this.deferred;
    this.deferred = [];
    for (const b2 of list) this.recycle(b2);
  }
  recycle(b2) {
    if (!this.options.allowGrowth) {
      this.destroy(b2);
      return;
    }
    const key = `${b2.usage}:${b2.size}`;
    let list = this.free.get(key);
    if (!list) this.free.set(key, list = []);
    list.push(b2);
    this.cachedBytes += b2.size;
  }
  destroy(b2) {
    this.onDestroy(b2);
    b2.buffer.destroy();
    this.allocatedBytes -= b2.size;
    this.destroyed++;
  }
  /** Destroys cached buffers (largest first) until `bytes` are freed, or all when omitted. */
  trim(bytes = Infinity) {
    const all = [...this.free.values()].flat().sort((a2, b2) => b2.size - a2.size);
    let freed = 0;
    for (const b2 of all) {
      if (freed >= bytes) break;
      const key = `${b2.usage}:${b2.size}`;
      const list = this.free.get(key);
      list.splice(list.indexOf(b2), 1);
      if (!list.length) this.free.delete(key);
      this.cachedBytes -= b2.size;
      freed += b2.size;
      this.destroy(b2);
    }
  }
  dispose() {
    this.afterSubmit();
    this.trim();
  }
};

// packages/webgpu-backend/src/runtime.ts
var ARENA_BYTES = 64 * 1024;
var uw = (i) => `u.d[${i >> 2}].${"xyzw"[i & 3]}`;
function declareBindings(inTypes, outTypes, uniformWords) {
  const lines = [];
  inTypes.forEach((t, i) => lines.push(`@group(0) @binding(${i}) var<storage, read> in${i}: array<${t}>;`));
  outTypes.forEach((t, i) => lines.push(`@group(0) @binding(${inTypes.length + i}) var<storage, read_write> out${i}: array<${t}>;`));
  lines.push(`struct Uniforms { d: array<vec4<u32>, ${Math.max(1, Math.ceil(uniformWords / 4))}> };`);
  lines.push(`@group(0) @binding(${inTypes.length + outTypes.length}) var<uniform> u: Uniforms;`);
  return lines.join("\n");
}
var GpuRuntime = class {
  constructor(info) {
    this.info = info;
    this.device = info.device;
    this.limits = info.limits;
    this.features = info.features;
    this.maxGroupsPerDim = info.limits["maxComputeWorkgroupsPerDimension"] || 65535;
    this.slotAlign = info.limits["minUniformBufferOffsetAlignment"] || 256;
    this.pool = new BufferPool(this.device, info.limits["maxBufferSize"] || 256 * 1024 * 1024);
    this.staging = new BufferPool(this.device, info.limits["maxBufferSize"] || 256 * 1024 * 1024);
    this.pool.onDestroy = (b2) => this.forgetBuffer(b2);
    this.arena = this.device.createBuffer({ size: ARENA_BYTES, usage: USAGE.UNIFORM | USAGE.COPY_DST });
    void this.device.lost.then((lost) => {
      if (!this.disposed) this.lostMessage = `${lost.reason ?? "unknown"}: ${lost.message}`;
    });
    this.device.addEventListener?.("uncapturederror", (ev) => {
      const err = ev.error;
      if (!this.firstError) this.firstError = new Error(`webgpu: ${err.constructor?.name ?? "GPU error"}: ${err.message}`);
    });
  }
  info;
  device;
  pool;
  staging;
  limits;
  features;
  stats = { dispatches: 0, submits: 0, pipelines: 0, bindGroupsCreated: 0, bindGroupHits: 0, readbacks: 0 };
  /** Dispatches recorded before the open encoder is submitted. */
  maxDispatchesPerSubmit = 64;
  /** Use subgroup operations in reductions when the device has them. */
  useSubgroups = true;
  /** Largest workgroup count per grid dimension. */
  maxGroupsPerDim;
  pipelines = /* @__PURE__ */ new Map();
  layouts = /* @__PURE__ */ new Map();
  bindGroups = /* @__PURE__ */ new Map();
  keysByBuffer = /* @__PURE__ */ new Map();
  arena;
  arenaHost = new ArrayBuffer(ARENA_BYTES);
  arenaWords = new Uint32Array(this.arenaHost);
  arenaOffset = 0;
  slotAlign;
  encoder = null;
  pass = null;
  pendingDispatches = 0;
  lostMessage = null;
  firstError = null;
  disposed = false;
  /** Pipeline creations whose validation result has not arrived yet. */
  pendingScopes = [];
  /** Throws if the device was lost or an earlier GPU command failed. */
  check() {
    if (this.disposed) throw new Error('webgpu: the backend was disposed; its tensors are gone (ef.setBackend("webgpu") starts a new one)');
    if (this.lostMessage !== null) {
      throw new Error(`webgpu: the GPU device was lost (${this.lostMessage}); tensors on 'webgpu' are gone. Call ef.disposeBackend('webgpu') and ef.setBackend('webgpu') to start again`);
    }
    if (this.firstError) {
      const e = this.firstError;
      this.firstError = null;
      throw e;
    }
  }
  get hasPendingWork() {
    return this.encoder !== null;
  }
  // ---- pipelines and bind groups --------------------------------------------------------
  layoutFor(inputs, outputs, uniformBytes) {
    const key = `${inputs}/${outputs}/${uniformBytes}`;
    let l = this.layouts.get(key);
    if (!l) {
      const entries = [];
      for (let i = 0; i < inputs; i++) entries.push({ binding: i, visibility: 4, buffer: { type: "read-only-storage" } });
      for (let i = 0; i < outputs; i++) entries.push({ binding: inputs + i, visibility: 4, buffer: { type: "storage" } });
      entries.push({ binding: inputs + outputs, visibility: 4, buffer: { type: "uniform", hasDynamicOffset: true, minBindingSize: uniformBytes } });
      const bgl = this.device.createBindGroupLayout({ entries });
      l = { bgl, pl: this.device.createPipelineLayout({ bindGroupLayouts: [bgl] }) };
      this.layouts.set(key, l);
    }
    return { ...l, key };
  }
  pipeline(program2) {
    let p = this.pipelines.get(program2.key);
    if (p) return p;
    const uniformBytes = Math.max(1, Math.ceil(program2.uniformWords / 4)) * 16;
    const layout = this.layoutFor(program2.inputs, program2.outputs, uniformBytes);
    const code = program2.code();
    this.device.pushErrorScope("validation");
    const module = this.device.createShaderModule({ code, label: program2.key });
    const pipeline = this.device.createComputePipeline({ layout: layout.pl, compute: { module, entryPoint: "main" }, label: program2.key });
    const scope = this.device.popErrorScope().then(async (err) => {
      if (!err) return;
      let detail = "";
      try {
        const info = await module.getCompilationInfo();
        detail = info.messages.map((m) => `  ${m.type} at ${m.lineNum}:${m.linePos}: ${m.message}`).join("\n");
      } catch {
      }
      this.firstError = new Error(`webgpu: program '${program2.key}' failed to compile: ${err.message}
${detail}
${code}`);
    });
    this.pendingScopes.push(scope);
    void scope.then(() => this.pendingScopes.splice(this.pendingScopes.indexOf(scope), 1));
    p = { pipeline, layout: layout.bgl, layoutKey: layout.key, uniformBytes };
    this.pipelines.set(program2.key, p);
    this.stats.pipelines++;
    return p;
  }
  bindGroup(p, buffers) {
    let key = p.layoutKey;
    for (const b2 of buffers) key += `,${b2.id}`;
    const hit = this.bindGroups.get(key);
    if (hit) {
      this.stats.bindGroupHits++;
      return hit;
    }
    const entries = buffers.map((b2, i) => ({ binding: i, resource: { buffer: b2.buffer } }));
    entries.push({ binding: buffers.length, resource: { buffer: this.arena, offset: 0, size: p.uniformBytes } });
    const bg = this.device.createBindGroup({ layout: p.layout, entries });
    this.stats.bindGroupsCreated++;
    if (this.bindGroups.size > 8192) {
      this.bindGroups.clear();
      this.keysByBuffer.clear();
    }
    this.bindGroups.set(key, bg);
    for (const b2 of buffers) {
      let keys = this.keysByBuffer.get(b2.id);
      if (!keys) this.keysByBuffer.set(b2.id, keys = []);
      keys.push(key);
    }
    return bg;
  }
  forgetBuffer(b2) {
    const keys = this.keysByBuffer.get(b2.id);
    if (!keys) return;
    for (const k of keys) this.bindGroups.delete(k);
    this.keysByBuffer.delete(b2.id);
  }
  // ---- dispatch and submit --------------------------------------------------------------
  /** Splits a 1-D workgroup count over x and y when it exceeds one grid dimension. */
  grid(groups) {
    if (groups <= this.maxGroupsPerDim) return [Math.max(groups, 1), 1];
    const y3 = Math.ceil(groups / this.maxGroupsPerDim);
    return [Math.ceil(groups / y3), y3];
  }
  /** Records one dispatch in the open compute pass. `uniforms` are 32-bit words (u32 view). */
  dispatch(program2, inputs, outputs, uniforms, groups) {
    this.check();
    const [x2, y3 = 1, z = 1] = groups;
    if (x2 === 0 || y3 === 0 || z === 0) return;
    const p = this.pipeline(program2);
    const slotBytes = Math.ceil(p.uniformBytes / this.slotAlign) * this.slotAlign;
    if (this.arenaOffset + slotBytes > ARENA_BYTES) this.flush();
    const offset = this.arenaOffset;
    this.arenaWords.set(uniforms, offset / 4);
    this.arenaOffset += slotBytes;
    if (!this.pass) {
      this.encoder = this.device.createCommandEncoder();
      this.pass = this.encoder.beginComputePass();
    }
    this.pass.setPipeline(p.pipeline);
    this.pass.setBindGroup(0, this.bindGroup(p, [...inputs, ...outputs]), [offset]);
    this.pass.dispatchWorkgroups(x2, y3, z);
    this.stats.dispatches++;
    if (++this.pendingDispatches >= this.maxDispatchesPerSubmit) this.flush();
  }
  /** Submits the open encoder (if any); deferred buffer frees become reusable. */
  flush() {
    if (!this.encoder) return;
    this.pass?.end();
    this.pass = null;
    if (this.arenaOffset > 0) this.device.queue.writeBuffer(this.arena, 0, this.arenaHost, 0, this.arenaOffset);
    this.device.queue.submit([this.encoder.finish()]);
    this.encoder = null;
    this.arenaOffset = 0;
    this.pendingDispatches = 0;
    this.stats.submits++;
    this.pool.afterSubmit();
  }
  /** Copies `bytes` of `src` to the host: one copy appended to the batch, one submit, one map. */
  async readBuffer(src, bytes) {
    this.check();
    const size = Math.ceil(bytes / 4) * 4;
    const staging = this.staging.acquire(size, STAGING_USAGE);
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
    if (!this.encoder) this.encoder = this.device.createCommandEncoder();
    this.encoder.copyBufferToBuffer(src.buffer, 0, staging.buffer, 0, size);
    this.flush();
    this.stats.readbacks++;
    try {
      await staging.buffer.mapAsync(MAP_READ, 0, size);
    } catch (e) {
      await Promise.all(this.pendingScopes);
      this.check();
      throw new Error(`webgpu: reading back ${bytes} bytes failed: ${e.message}`);
    }
    const out = staging.buffer.getMappedRange(0, size).slice(0, bytes);
    staging.buffer.unmap();
    this.staging.release(staging, false);
    if (this.firstError) await Promise.all(this.pendingScopes);
    this.check();
    return out;
  }
  async sync() {
    this.check();
    this.flush();
    await this.device.queue.onSubmittedWorkDone();
    await Promise.all(this.pendingScopes);
    this.check();
  }
  dispose() {
    if (this.disposed) return;
    try {
      this.flush();
    } catch {
    }
    this.disposed = true;
    this.pool.dispose();
    this.staging.dispose();
    this.bindGroups.clear();
    this.pipelines.clear();
    this.device.destroy();
    this.info.release();
  }
};

// packages/webgpu-backend/src/wgsl/scalar_expr.ts
var WGSL_SCALAR_PRELUDE = (
  /* wgsl */
  `
// Private (not const) so that inf and NaN are runtime values: constant expressions reject them.
var<private> ef_inf_bits: u32 = 0x7f800000u;
var<private> ef_nan_bits: u32 = 0x7fc00000u;
fn ef_sigmoid(x: f32) -> f32 { return 1.0 / (1.0 + exp(-x)); }
fn ef_tanh(x: f32) -> f32 {
  let e = exp(-2.0 * abs(x));
  return sign(x) * (1.0 - e) / (1.0 + e);
}
fn ef_log1p(x: f32) -> f32 {
  let u = 1.0 + x;
  if (u == 1.0) { return x; }
  return log(u) * (x / (u - 1.0));
}
fn ef_expm1(x: f32) -> f32 {
  if (abs(x) < 1e-5) { return x + 0.5 * x * x; }
  let u = exp(x);
  if (u == 1.0) { return x; }
  let um1 = u - 1.0;
  if (um1 == -1.0) { return -1.0; }
  if (abs(x) > 0.5) { return um1; }
  return um1 * (x / log(u));
}
fn ef_pow(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  if (a == 0.0) { return select(0.0, bitcast<f32>(ef_inf_bits), b < 0.0); }
  let r = exp2(b * log2(abs(a)));
  if (a > 0.0) { return r; }
  if (b != floor(b)) { return bitcast<f32>(ef_nan_bits); }
  let odd = (abs(b) % 2.0) == 1.0;
  return select(r, -r, odd);
}
fn ef_floordiv_f(a: f32, b: f32) -> f32 { return floor(a / b); }
fn ef_fmod_f(a: f32, b: f32) -> f32 { return a - b * floor(a / b); }
fn ef_floordiv_i(a: i32, b: i32) -> i32 {
  if (b == 0) { return 0; }
  let q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) { return q - 1; }
  return q;
}
fn ef_fmod_i(a: i32, b: i32) -> i32 {
  if (b == 0) { return 0; }
  let r = a % b;
  if (r != 0 && ((r < 0) != (b < 0))) { return r + b; }
  return r;
}
`
);
var BIN_PREC = {
  "||": 1,
  "&&": 2,
  "==": 3,
  "!=": 3,
  "<": 4,
  "<=": 4,
  ">": 4,
  ">=": 4,
  "+": 5,
  "-": 5,
  "*": 6,
  "/": 6,
  "%": 6
};
function tokenize(src) {
  const re = /\s*(\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+(?:[eE][+-]?\d+)?|[A-Za-z_]\w*|&&|\|\||==|!=|<=|>=|[-+*/%<>!(),])/y;
  const out = [];
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(src);
    if (!m) throw new Error(`webgpu: cannot parse scalar expression '${src}' at ${pos}`);
    out.push(m[1]);
    pos = re.lastIndex;
  }
  return out;
}
function parseScalar(src) {
  const toks = tokenize(src);
  let i = 0;
  const peek = () => toks[i];
  const next = () => toks[i++];
  const expect = (t) => {
    if (toks[i] !== t) throw new Error(`webgpu: expected '${t}' in '${src}'`);
    i++;
  };
  const primary = () => {
    const t = next();
    if (t === void 0) throw new Error(`webgpu: unexpected end of '${src}'`);
    if (t === "(") {
      const e2 = expr(0);
      expect(")");
      return e2;
    }
    if (t === "-" || t === "!" || t === "+") {
      const x2 = unaryOperand();
      return t === "+" ? x2 : { k: "un", op: t, x: x2 };
    }
    if (/^[\d.]/.test(t)) return { k: "num", text: t };
    if (peek() === "(") {
      i++;
      const args = [];
      if (peek() !== ")") {
        for (; ; ) {
          args.push(expr(0));
          if (peek() === ",") i++;
          else break;
        }
      }
      expect(")");
      return { k: "call", fn: t, args };
    }
    return { k: "id", name: t };
  };
  const unaryOperand = () => primary();
  const expr = (minPrec) => {
    let left = primary();
    for (; ; ) {
      const op = peek();
      const prec = op !== void 0 ? BIN_PREC[op] : void 0;
      if (prec === void 0 || prec < minPrec + 1) break;
      i++;
      const right = expr(prec);
      left = { k: "bin", op, l: left, r: right };
    }
    return left;
  };
  const e = expr(0);
  if (i !== toks.length) throw new Error(`webgpu: trailing tokens in '${src}'`);
  return e;
}
var F32_FUNCS = {
  exp: "exp",
  log: "log",
  sqrt: "sqrt",
  rsqrt: "inverseSqrt",
  abs: "abs",
  floor: "floor",
  ceil: "ceil",
  round: "round",
  sign: "sign",
  sin: "sin",
  cos: "cos",
  tanh: "ef_tanh",
  sigmoid: "ef_sigmoid",
  pow: "ef_pow",
  min: "min",
  max: "max",
  log1p: "ef_log1p",
  expm1: "ef_expm1",
  floordiv: "ef_floordiv_f",
  fmod: "ef_fmod_f"
};
var I32_FUNCS = { abs: "abs", sign: "sign", min: "min", max: "max", floordiv: "ef_floordiv_i", fmod: "ef_fmod_i" };
function scalarToWgsl(src, type) {
  const emit = (n) => {
    switch (n.k) {
      case "num":
        return n.text;
      case "id":
        return n.name;
      case "un":
        return `(${n.op}${emit(n.x)})`;
      case "bin":
        return `(${emit(n.l)} ${n.op} ${emit(n.r)})`;
      case "call": {
        if (!SCALAR_FUNCTIONS.includes(n.fn)) throw new Error(`webgpu: unknown scalar function '${n.fn}'`);
        const args = n.args.map(emit);
        if (n.fn === "select") return `select(${args[2]}, ${args[1]}, ${args[0]})`;
        const table = type === "f32" ? F32_FUNCS : I32_FUNCS;
        const fn = table[n.fn];
        if (!fn) throw new Error(`webgpu: scalar function '${n.fn}' is not defined for ${type}`);
        return `${fn}(${args.join(", ")})`;
      }
    }
  };
  return emit(parseScalar(src));
}

// packages/webgpu-backend/src/kernels/elementwise.ts
var NAMES2 = ["a", "b", "c"];
var programs = /* @__PURE__ */ new Map();
function asValue(raw, dtype) {
  return dtype === "bool" ? `(${raw} != 0u)` : raw;
}
function elementwiseProgram(expr, type, attrNames, inDtypes, outDtype, modes, vec4, rank) {
  const key = `ew|${expr}|${type}|${attrNames.join(",")}|${inDtypes.join(",")}>${outDtype}|${modes.join(",")}|${vec4 ? "v4" : "s"}|r${rank}`;
  let p = programs.get(key);
  if (p) return p;
  const k = inDtypes.length;
  const attrAt = 1;
  const shapeAt = attrAt + attrNames.length;
  const strideAt = inDtypes.map((_, j) => shapeAt + rank + j * rank);
  const uniformWords = modes.includes("strided") ? shapeAt + rank + k * rank : shapeAt;
  const body = scalarToWgsl(expr, type);
  const attrLets = attrNames.map((n, j) => type === "i32" ? `let ${n} = i32(bitcast<f32>(${uw(attrAt + j)}));` : `let ${n} = bitcast<f32>(${uw(attrAt + j)});`).join("\n  ");
  const store2 = (r) => outDtype === "bool" ? `select(0u, 1u, ${r})` : r;
  const code = () => {
    const inTypes = inDtypes.map((dt, j) => vec4 && modes[j] === "full" ? `vec4<${wgslType(dt)}>` : wgslType(dt));
    const outType = vec4 ? `vec4<${wgslType(outDtype)}>` : wgslType(outDtype);
    let main;
    if (vec4) {
      const loads = inDtypes.map((dt, j) => modes[j] === "full" ? `let v${j} = in${j}[i];` : `let s${j} = ${asValue(`in${j}[0]`, dt)};`).join("\n  ");
      const comps = [0, 1, 2, 3].map((c) => {
        const lets = inDtypes.map((dt, j) => `let ${NAMES2[j]} = ${modes[j] === "full" ? asValue(`v${j}[${c}]`, dt) : `s${j}`};`).join(" ");
        return `var r${c}: ${wgslType(outDtype)};
  { ${lets} r${c} = ${store2(body)}; }`;
      });
      main = `let i = ${LINEAR_INDEX};
  if (i >= ${uw(0)}) { return; }
  ${attrLets}
  ${loads}
  ${comps.join("\n  ")}
  out0[i] = ${outType}(r0, r1, r2, r3);`;
    } else if (modes.includes("strided")) {
      const reads = inDtypes.map((dt, j) => `let ${NAMES2[j]} = ${asValue(`in${j}[o${j}]`, dt)};`).join("\n  ");
      main = `let i = ${LINEAR_INDEX};
  if (i >= ${uw(0)}) { return; }
  ${attrLets}
  ${unravelOffsets("i", rank, shapeAt, strideAt, uw)}
  ${reads}
  out0[i] = ${store2(body)};`;
    } else {
      const reads = inDtypes.map((dt, j) => `let ${NAMES2[j]} = ${asValue(`in${j}[${modes[j] === "full" ? "i" : "0"}]`, dt)};`).join("\n  ");
      main = `let i = ${LINEAR_INDEX};
  if (i >= ${uw(0)}) { return; }
  ${attrLets}
  ${reads}
  out0[i] = ${store2(body)};`;
    }
    return `${declareBindings(inTypes, [outType], uniformWords)}
${WGSL_SCALAR_PRELUDE}
${LINEAR_MAIN} {
  ${main}
}`;
  };
  p = { key, inputs: k, outputs: 1, uniformWords, code };
  programs.set(key, p);
  return p;
}
function runElementwise(ctx, def, inputs, attrs, out) {
  const spec = def.elementwise;
  const n = sizeOf(out.shape);
  const result = ctx.output(out);
  if (n === 0) return result;
  const valueDtype = (spec.firstInputBool ? inputs[1] : inputs[0]).dtype;
  const isInt = valueDtype === "int32";
  const expr = isInt && spec.intExpr ? spec.intExpr : spec.expr;
  const type = isInt ? "i32" : "f32";
  const attrNames = spec.scalarAttrs ?? [];
  let modes = inputs.map((t) => sizeOf(t.shape) === n ? "full" : sizeOf(t.shape) === 1 ? "scalar" : "strided");
  let rank = 0;
  let shape = [];
  let strides = [];
  if (modes.includes("strided")) {
    const c = collapseDims(out.shape, inputs.map((t) => broadcastStrides(t.shape, out.shape)));
    shape = c.shape;
    strides = c.strides;
    rank = shape.length;
    if (rank <= 1) {
      modes = strides.map((s) => s[0] === 0 ? "scalar" : "full");
      rank = 0;
    }
  }
  const vec4 = !modes.includes("strided") && n % 4 === 0 && modes.includes("full");
  const program2 = elementwiseProgram(expr, type, attrNames, inputs.map((t) => t.dtype), out.dtype, modes, vec4, rank);
  const words = new Uint32Array(program2.uniformWords);
  const f323 = new Float32Array(words.buffer);
  const threads = vec4 ? n / 4 : n;
  words[0] = threads;
  attrNames.forEach((name, j) => f323[1 + j] = attrs[name]);
  if (rank > 0) {
    const shapeAt = 1 + attrNames.length;
    shape.forEach((d, j) => words[shapeAt + j] = d);
    strides.forEach((s, k) => s.forEach((v, j) => words[shapeAt + rank + k * rank + j] = v));
  }
  ctx.rt.dispatch(program2, inputs.map((t) => t.buf), [result], words, ctx.rt.grid(Math.ceil(threads / WG)));
  return result;
}

// packages/webgpu-backend/src/kernels/arg_reduce.ts
var programs2 = /* @__PURE__ */ new Map();
function argProgram(op, t) {
  const key = `arg_reduce|${op}|${t}`;
  let p = programs2.get(key);
  if (!p) {
    p = {
      key,
      inputs: 1,
      outputs: 1,
      uniformWords: 3,
      code: () => `${declareBindings([t], ["i32"], 3)}
${LINEAR_MAIN} {
  let i = ${LINEAR_INDEX};
  if (i >= ${uw(0)}) { return; }
  let len = ${uw(1)};
  let inner = ${uw(2)};
  let o = i / inner;
  let j = i - o * inner;
  var p = o * len * inner + j;
  var best = in0[p];
  var arg = 0u;
  for (var k = 1u; k < len; k++) {
    p += inner;
    let v = in0[p];
    if (v ${op === "max" ? ">" : "<"} best) { best = v; arg = k; }
  }
  out0[i] = i32(arg);
}`
    };
    programs2.set(key, p);
  }
  return p;
}
var argReduce = (ctx, [x2], { op, axis }, [out]) => {
  const dst = ctx.output(out);
  const n = sizeOf(out.shape);
  if (n === 0) return [dst];
  const rank = x2.shape.length;
  const a2 = axis < 0 ? axis + rank : axis;
  const len = x2.shape[a2];
  const inner = sizeOf(x2.shape.slice(a2 + 1));
  ctx.rt.dispatch(argProgram(op, wgslType(x2.dtype)), [x2.buf], [dst], [n, len, inner], ctx.rt.grid(Math.ceil(n / WG)));
  return [dst];
};

// packages/webgpu-backend/src/kernels/gather.ts
var programs3 = /* @__PURE__ */ new Map();
function gatherProgram(rank) {
  let p = programs3.get(rank);
  if (p) return p;
  const uniformWords = 1 + 2 * rank;
  p = {
    key: `gather|r${rank}`,
    inputs: 1,
    outputs: 1,
    uniformWords,
    code: () => `${declareBindings(["u32"], ["u32"], uniformWords)}
${LINEAR_MAIN} {
  let i = ${LINEAR_INDEX};
  if (i >= ${uw(0)}) { return; }
  ${rank === 0 ? "let o0 = 0u;" : unravelOffsets("i", rank, 1, [1 + rank], uw)}
  out0[i] = in0[o0];
}`
  };
  programs3.set(rank, p);
  return p;
}
function gatherStrided(ctx, src, outShape, strides, dst) {
  const n = sizeOf(outShape);
  if (n === 0) return;
  const c = collapseDims(outShape, [strides]);
  const rank = c.shape.length;
  const program2 = gatherProgram(rank);
  const words = new Uint32Array(program2.uniformWords);
  words[0] = n;
  c.shape.forEach((d, j) => words[1 + j] = d);
  c.strides[0].forEach((s, j) => words[1 + rank + j] = s);
  ctx.rt.dispatch(program2, [src], [dst], words, ctx.rt.grid(Math.ceil(n / WG)));
}

// packages/webgpu-backend/src/kernels/broadcast_to.ts
var broadcastTo2 = (ctx, [x2], { shape }, [out]) => {
  const dst = ctx.output(out);
  gatherStrided(ctx, x2.buf, shape, broadcastStrides(x2.shape, shape), dst);
  return [dst];
};

// packages/webgpu-backend/src/kernels/cast.ts
var programs4 = /* @__PURE__ */ new Map();
function convert2(from, to) {
  if (to === "bool") return `select(0u, 1u, x != ${wgslType(from)}(0))`;
  if (from === to) return "x";
  return `${wgslType(to)}(x)`;
}
function castProgram(from, to) {
  const key = `cast|${from}>${to}`;
  let p = programs4.get(key);
  if (!p) {
    p = {
      key,
      inputs: 1,
      outputs: 1,
      uniformWords: 1,
      code: () => `${declareBindings([`vec4<${wgslType(from)}>`], [`vec4<${wgslType(to)}>`], 1)}
${LINEAR_MAIN} {
  let i = ${LINEAR_INDEX};
  if (i >= ${uw(0)}) { return; }
  let x = in0[i];
  out0[i] = ${convert2(from, to).replace(`${wgslType(from)}(0)`, `vec4<${wgslType(from)}>(${wgslType(from)}(0))`).replace("select(0u, 1u,", "select(vec4<u32>(0u), vec4<u32>(1u),").replace(`${wgslType(to)}(x)`, `vec4<${wgslType(to)}>(x)`)};
}`
    };
    programs4.set(key, p);
  }
  return p;
}
var cast2 = (ctx, [x2], { dtype }, [out]) => {
  const dst = ctx.output(out);
  const n = sizeOf(out.shape);
  if (n === 0) return [dst];
  const program2 = castProgram(x2.dtype, dtype);
  const threads = Math.ceil(n / 4);
  ctx.rt.dispatch(program2, [x2.buf], [dst], [threads], ctx.rt.grid(Math.ceil(threads / WG)));
  return [dst];
};

// packages/webgpu-backend/src/kernels/fill.ts
var program = {
  key: "fill",
  inputs: 0,
  outputs: 1,
  uniformWords: 2,
  code: () => `${declareBindings([], ["vec4<u32>"], 2)}
${LINEAR_MAIN} {
  let i = ${LINEAR_INDEX};
  if (i >= ${uw(0)}) { return; }
  out0[i] = vec4<u32>(${uw(1)});
}`
};
var fill2 = (ctx, _inputs, { value, dtype }, [out]) => {
  const dst = ctx.output(out);
  const n = sizeOf(out.shape);
  if (n === 0) return [dst];
  const words = new Uint32Array(2);
  if (dtype === "float32") new Float32Array(words.buffer)[1] = value;
  else if (dtype === "int32") new Int32Array(words.buffer)[1] = value;
  else words[1] = value ? 1 : 0;
  const threads = Math.ceil(n / 4);
  words[0] = threads;
  ctx.rt.dispatch(program, [], [dst], words, ctx.rt.grid(Math.ceil(threads / WG)));
  return [dst];
};

// packages/webgpu-backend/src/kernels/reduce.ts
var programs5 = /* @__PURE__ */ new Map();
var INF_VARS = "var<private> ef_inf_bits: u32 = 0x7f800000u;\nvar<private> ef_ninf_bits: u32 = 0xff800000u;";
function combine(op, t, a2, b2) {
  switch (op) {
    case "sum":
    case "mean":
      return `${a2} + ${b2}`;
    case "prod":
      return `${a2} * ${b2}`;
    case "max":
    case "any":
      return `max(${a2}, ${b2})`;
    case "min":
    case "all":
      return `min(${a2}, ${b2})`;
  }
  return t;
}
function identity(op, t) {
  switch (op) {
    case "sum":
    case "mean":
    case "any":
      return `${t}(0)`;
    case "prod":
    case "all":
      return `${t}(1)`;
    case "max":
      return t === "f32" ? "bitcast<f32>(ef_ninf_bits)" : "i32(-2147483647 - 1)";
    case "min":
      return t === "f32" ? "bitcast<f32>(ef_inf_bits)" : "i32(2147483647)";
  }
}
function finish2(op, t, divide) {
  if (op !== "mean" || !divide) return "acc";
  return t === "f32" ? `acc / f32(${uw(3)})` : `acc / i32(${uw(3)})`;
}
function rowProgram(op, dtype, divide, subgroups) {
  const key = `reduce_row|${op}|${dtype}|${divide}|${subgroups}`;
  let p = programs5.get(key);
  if (p) return p;
  const t = wgslType(dtype);
  const c = (a2, b2) => combine(op, t, a2, b2);
  const sgOp = op === "sum" || op === "mean" ? "subgroupAdd" : op === "prod" ? "subgroupMul" : op === "max" || op === "any" ? "subgroupMax" : "subgroupMin";
  const tree = subgroups ? `
  // Subgroup reduction, then one value per subgroup through workgroup memory.
  let s = ${sgOp}(acc);
  if (sgLane == 0u) { partial[lid / sgSize] = s; }
  workgroupBarrier();
  let nsg = (${WG}u + sgSize - 1u) / sgSize;
  if (lid == 0u) {
    var r = partial[0];
    for (var k = 1u; k < nsg; k++) { r = ${c("r", "partial[k]")}; }
    acc = r;
  }` : `
  partial[lid] = acc;
  workgroupBarrier();
  for (var stride = ${WG / 2}u; stride > 0u; stride = stride >> 1u) {
    if (lid < stride) { partial[lid] = ${c("partial[lid]", "partial[lid + stride]")}; }
    workgroupBarrier();
  }
  acc = partial[0];`;
  const code = () => `${subgroups ? "enable subgroups;\n" : ""}${declareBindings([t], [t], 5)}
${INF_VARS}
var<workgroup> partial: array<${t}, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32${subgroups ? ", @builtin(subgroup_invocation_id) sgLane: u32, @builtin(subgroup_size) sgSize: u32" : ""}) {
  let g = wid.y * nwg.x + wid.x;
  let chunks = ${uw(2)};
  let row = g / chunks;
  let chunk = g - row * chunks;
  let valid = row < ${uw(0)};
  let count = ${uw(1)};
  let start = chunk * ${uw(4)};
  let end = min(count, start + ${uw(4)});
  let base = row * count;
  var acc = ${identity(op, t)};
  if (valid) {
    for (var k = start + lid; k < end; k += ${WG}u) { acc = ${c("acc", "in0[base + k]")}; }
  }
  ${tree}
  if (lid == 0u && valid) { out0[g] = ${finish2(op, t, divide)}; }
}`;
  p = { key, inputs: 1, outputs: 1, uniformWords: 5, code };
  programs5.set(key, p);
  return p;
}
function columnProgram(op, dtype) {
  const key = `reduce_col|${op}|${dtype}`;
  let p = programs5.get(key);
  if (p) return p;
  const t = wgslType(dtype);
  const code = () => `${declareBindings([t], [t], 4)}
${INF_VARS}
${LINEAR_MAIN} {
  let i = ${LINEAR_INDEX};
  if (i >= ${uw(0)}) { return; }
  let inner = ${uw(2)};
  let count = ${uw(1)};
  let o = i / inner;
  let j = i - o * inner;
  var p = o * count * inner + j;
  var acc = ${identity(op, t)};
  for (var k = 0u; k < count; k++) { acc = ${combine(op, t, "acc", "in0[p]")}; p += inner; }
  out0[i] = ${finish2(op, t, true)};
}`;
  p = { key, inputs: 1, outputs: 1, uniformWords: 4, code };
  programs5.set(key, p);
  return p;
}
function reduceRows(ctx, op, dtype, src, rows, count, dst) {
  const subgroups = ctx.rt.features.has("subgroups") && ctx.rt.useSubgroups;
  let chunks = 1;
  if (count > 8 * WG * 4 && rows < 256) chunks = Math.min(Math.ceil(256 / rows), Math.ceil(count / (WG * 16)));
  if (chunks > 1) {
    const chunkLen = Math.ceil(count / chunks);
    chunks = Math.ceil(count / chunkLen);
    const partial = ctx.scratch(rows * chunks * 4);
    const first = rowProgram(op, dtype, false, subgroups);
    ctx.rt.dispatch(first, [src], [partial], [rows, count, chunks, count, chunkLen], ctx.rt.grid(rows * chunks));
    const second = rowProgram(op, dtype, true, subgroups);
    ctx.rt.dispatch(second, [partial], [dst], [rows, chunks, 1, count, chunks], ctx.rt.grid(rows));
    return;
  }
  const program2 = rowProgram(op, dtype, true, subgroups);
  ctx.rt.dispatch(program2, [src], [dst], [rows, count, 1, count, count], ctx.rt.grid(rows));
}
function reduceInto(ctx, x2, op, axes, out, dst = ctx.output(out)) {
  const nOut = sizeOf(out.shape);
  if (nOut === 0) return dst;
  const count = sizeOf(axes.map((d) => x2.shape[d]));
  if (count === 0) {
    const words = new Uint32Array(1);
    const id = op === "sum" || op === "any" ? 0 : op === "prod" || op === "all" ? 1 : op === "max" ? -Infinity : op === "min" ? Infinity : NaN;
    if (x2.dtype === "float32") new Float32Array(words.buffer)[0] = id;
    else if (x2.dtype === "int32") new Int32Array(words.buffer)[0] = Number.isFinite(id) ? id : id > 0 ? 2147483647 : -2147483648;
    else words[0] = id;
    ctx.rt.device.queue.writeBuffer(dst.buffer, 0, new Uint32Array(nOut).fill(words[0]));
    return dst;
  }
  const rank = x2.shape.length;
  const dims = [...Array(rank).keys()].filter((d) => x2.shape[d] !== 1);
  const red = dims.filter((d) => axes.includes(d));
  const first = dims.indexOf(red[0]);
  const contiguous = red.length === 0 || red.every((d, i) => dims[first + i] === d);
  let src = x2.buf;
  let outer;
  let inner;
  if (contiguous && red.length > 0) {
    outer = sizeOf(dims.slice(0, first).map((d) => x2.shape[d]));
    inner = sizeOf(dims.slice(first + red.length).map((d) => x2.shape[d]));
  } else if (red.length === 0) {
    outer = nOut;
    inner = 1;
  } else {
    const kept = dims.filter((d) => !axes.includes(d));
    const perm = [...kept, ...red];
    const s = stridesOf(x2.shape);
    const tmp = ctx.scratch(sizeOf(x2.shape) * 4);
    gatherStrided(ctx, x2.buf, perm.map((d) => x2.shape[d]), perm.map((d) => s[d]), tmp);
    src = tmp;
    outer = nOut;
    inner = 1;
  }
  if (inner > 1 && outer * inner < 4096 && count >= 1024) {
    const tmp = ctx.scratch(outer * count * inner * 4);
    gatherStrided(ctx, src, [outer, inner, count], [count * inner, 1, inner], tmp);
    src = tmp;
    inner = 1;
  }
  if (inner === 1 && count > 64) {
    reduceRows(ctx, op, x2.dtype, src, outer, count, dst);
  } else {
    const program2 = columnProgram(op, x2.dtype);
    ctx.rt.dispatch(program2, [src], [dst], [nOut, count, inner, count], ctx.rt.grid(Math.ceil(nOut / WG)));
  }
  return dst;
}
var reduce2 = (ctx, [x2], { op, axes }, [out]) => [reduceInto(ctx, x2, op, axes, out)];

// packages/webgpu-backend/src/kernels/matmul.ts
var TILES = {
  large: { name: "large", wx: 16, wy: 16, tm: 8, tn: 8, tk: 16 },
  medium: { name: "medium", wx: 16, wy: 16, tm: 4, tn: 4, tk: 16 },
  small: { name: "small", wx: 8, wy: 8, tm: 4, tn: 4, tk: 16 }
};
var matmulTuning = {
  /** Workgroups wanted in flight; fewer tiles than this means a smaller tile or split-K. */
  targetWorkgroups: 256,
  /** Smallest K slice per split. */
  minSplitK: 256,
  maxSplits: 16,
  /** Force one tile config by name (benchmarks); null picks by shape. */
  forceTile: null
};
var U_WORDS = 20;
var BATCH_FN = `
fn batchOffsets(b: u32) -> vec2<u32> {
  var rem = b;
  var oa = 0u;
  var ob = 0u;
  for (var d = i32(${uw(4)}) - 1; d >= 0; d--) {
    let sz = u.d[2][d];
    let q = rem / sz;
    let c = rem - q * sz;
    rem = q;
    oa += c * u.d[3][d];
    ob += c * u.d[4][d];
  }
  return vec2<u32>(oa, ob);
}`;
var programs6 = /* @__PURE__ */ new Map();
function tiledProgram(k) {
  const { cfg, ta, tb, vecA, vecB, vecOut, fitM, fitN, fitK } = k;
  const key = `matmul|${cfg.name}|${ta ? "T" : "N"}${tb ? "T" : "N"}|v${+vecA}${+vecB}${+vecOut}|fit${+fitM}${+fitN}${+fitK}`;
  let p = programs6.get(key);
  if (p) return p;
  const { wx, wy, tm, tn, tk } = cfg;
  const BM = wy * tm;
  const BN = wx * tn;
  const T = wx * wy;
  const BM4 = BM / 4;
  const BN4 = BN / 4;
  const TM4 = tm / 4;
  const TN4 = tn / 4;
  const code = () => {
    const L = [];
    L.push(declareBindings([vecA ? "vec4<f32>" : "f32", vecB ? "vec4<f32>" : "f32"], [vecOut ? "vec4<f32>" : "f32"], U_WORDS));
    L.push(`var<workgroup> As: array<vec4<f32>, ${tk * BM4}>;`);
    L.push(`var<workgroup> Bs: array<vec4<f32>, ${tk * BN4}>;`);
    L.push(BATCH_FN);
    L.push(`@compute @workgroup_size(${wx}, ${wy})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>) {
  let M = ${uw(0)};
  let N = ${uw(1)};
  let K = ${uw(2)};
  let tx = lid3.x;
  let ty = lid3.y;
  let lid = ty * ${wx}u + tx;
  let z = wid.z + ${uw(7)};
  let batches = ${uw(5)};
  let split = z / batches;
  let bi = z - split * batches;
  let offs = batchOffsets(bi);
  let aOff = offs.x;
  let bOff = offs.y;
  let m0 = wid.y * ${BM}u;
  let n0 = wid.x * ${BN}u;
  let kBegin = split * ${uw(3)};
  let kEnd = min(K, kBegin + ${uw(3)});
  var acc: array<vec4<f32>, ${tm * TN4}>;
  for (var i = 0u; i < ${tm * TN4}u; i++) { acc[i] = vec4<f32>(0.0); }
  for (var k0 = kBegin; k0 < kEnd; k0 += ${tk}u) {`);
    if (vecA && !ta) {
      const n = BM * tk / 4;
      L.push(`    for (var r = 0u; r < ${Math.ceil(n / T)}u; r++) {
      let l = r * ${T}u + lid;
      ${n % T ? `if (l < ${n}u) {` : "{"}
      let row = l / ${tk / 4}u;
      let kc = l - row * ${tk / 4}u;
      let gm = m0 + row;
      let gk = k0 + kc * 4u;
      ${fitM && fitK ? "let v = in0[(aOff + gm * K + gk) / 4u];" : `var v = vec4<f32>(0.0);
      if (gm < M && gk < kEnd) { v = in0[(aOff + gm * K + gk) / 4u]; }`}
      let base = kc * 4u * ${BM4}u + row / 4u;
      let c = row % 4u;
      As[base][c] = v.x; As[base + ${BM4}u][c] = v.y; As[base + ${2 * BM4}u][c] = v.z; As[base + ${3 * BM4}u][c] = v.w;
      }
    }`);
    } else if (vecA && ta) {
      const n = BM * tk / 4;
      L.push(`    for (var r = 0u; r < ${Math.ceil(n / T)}u; r++) {
      let l = r * ${T}u + lid;
      ${n % T ? `if (l < ${n}u) {` : "{"}
      let kr = l / ${BM4}u;
      let mc = l - kr * ${BM4}u;
      let gk = k0 + kr;
      let gm = m0 + mc * 4u;
      ${fitM && fitK ? "As[l] = in0[(aOff + gk * M + gm) / 4u];" : `var v = vec4<f32>(0.0);
      if (gm < M && gk < kEnd) { v = in0[(aOff + gk * M + gm) / 4u]; }
      As[l] = v;`}
      }
    }`);
    } else {
      const n = BM * tk;
      L.push(`    for (var r = 0u; r < ${Math.ceil(n / T)}u; r++) {
      let l = r * ${T}u + lid;
      ${n % T ? `if (l < ${n}u) {` : "{"}
      ${ta ? `let kk = l / ${BM}u; let row = l - kk * ${BM}u;` : `let row = l / ${tk}u; let kk = l - row * ${tk}u;`}
      let gm = m0 + row;
      let gk = k0 + kk;
      var v = 0.0;
      if (gm < M && gk < kEnd) { v = in0[aOff + ${ta ? "gk * M + gm" : "gm * K + gk"}]; }
      As[kk * ${BM4}u + row / 4u][row % 4u] = v;
      }
    }`);
    }
    if (vecB && !tb) {
      const n = BN * tk / 4;
      L.push(`    for (var r = 0u; r < ${Math.ceil(n / T)}u; r++) {
      let l = r * ${T}u + lid;
      ${n % T ? `if (l < ${n}u) {` : "{"}
      let kr = l / ${BN4}u;
      let nc = l - kr * ${BN4}u;
      let gk = k0 + kr;
      let gn = n0 + nc * 4u;
      ${fitN && fitK ? "Bs[l] = in1[(bOff + gk * N + gn) / 4u];" : `var v = vec4<f32>(0.0);
      if (gn < N && gk < kEnd) { v = in1[(bOff + gk * N + gn) / 4u]; }
      Bs[l] = v;`}
      }
    }`);
    } else if (vecB && tb) {
      const n = BN * tk / 4;
      L.push(`    for (var r = 0u; r < ${Math.ceil(n / T)}u; r++) {
      let l = r * ${T}u + lid;
      ${n % T ? `if (l < ${n}u) {` : "{"}
      let row = l / ${tk / 4}u;
      let kc = l - row * ${tk / 4}u;
      let gn = n0 + row;
      let gk = k0 + kc * 4u;
      ${fitN && fitK ? "let v = in1[(bOff + gn * K + gk) / 4u];" : `var v = vec4<f32>(0.0);
      if (gn < N && gk < kEnd) { v = in1[(bOff + gn * K + gk) / 4u]; }`}
      let base = kc * 4u * ${BN4}u + row / 4u;
      let c = row % 4u;
      Bs[base][c] = v.x; Bs[base + ${BN4}u][c] = v.y; Bs[base + ${2 * BN4}u][c] = v.z; Bs[base + ${3 * BN4}u][c] = v.w;
      }
    }`);
    } else {
      const n = BN * tk;
      L.push(`    for (var r = 0u; r < ${Math.ceil(n / T)}u; r++) {
      let l = r * ${T}u + lid;
      ${n % T ? `if (l < ${n}u) {` : "{"}
      ${tb ? `let col = l / ${tk}u; let kk = l - col * ${tk}u;` : `let kk = l / ${BN}u; let col = l - kk * ${BN}u;`}
      let gn = n0 + col;
      let gk = k0 + kk;
      var v = 0.0;
      if (gn < N && gk < kEnd) { v = in1[bOff + ${tb ? "gn * K + gk" : "gk * N + gn"}]; }
      Bs[kk * ${BN4}u + col / 4u][col % 4u] = v;
      }
    }`);
    }
    L.push(`    workgroupBarrier();
    for (var kk = 0u; kk < ${tk}u; kk++) {`);
    for (let i = 0; i < TM4; i++) L.push(`      let a${i} = As[kk * ${BM4}u + ${i * wy}u + ty];`);
    for (let j = 0; j < TN4; j++) L.push(`      let b${j} = Bs[kk * ${BN4}u + ${j * wx}u + tx];`);
    for (let i = 0; i < TM4; i++) {
      for (let r = 0; r < 4; r++) {
        for (let j = 0; j < TN4; j++) L.push(`      acc[${(i * 4 + r) * TN4 + j}] = fma(vec4<f32>(a${i}[${r}]), b${j}, acc[${(i * 4 + r) * TN4 + j}]);`);
      }
    }
    L.push(`    }
    workgroupBarrier();
  }
  let outBase = split * batches * M * N + bi * M * N;`);
    for (let i = 0; i < TM4; i++) {
      for (let r = 0; r < 4; r++) {
        L.push(`  {
    let m = m0 + ${i * wy * 4}u + ty * 4u + ${r}u;`);
        for (let j = 0; j < TN4; j++) {
          const accIdx = (i * 4 + r) * TN4 + j;
          L.push(`    {
      let n = n0 + ${j * wx * 4}u + tx * 4u;
      let v = acc[${accIdx}];`);
          if (vecOut) {
            L.push(fitM && fitN ? "      out0[(outBase + m * N + n) / 4u] = v;" : "      if (m < M && n < N) { out0[(outBase + m * N + n) / 4u] = v; }");
          } else {
            L.push(`      if (m < M) {
        let o = outBase + m * N + n;
        if (n < N) { out0[o] = v.x; }
        if (n + 1u < N) { out0[o + 1u] = v.y; }
        if (n + 2u < N) { out0[o + 2u] = v.z; }
        if (n + 3u < N) { out0[o + 3u] = v.w; }
      }`);
          }
          L.push("    }");
        }
        L.push("  }");
      }
    }
    L.push("}");
    return L.join("\n");
  };
  p = { key, inputs: 2, outputs: 1, uniformWords: U_WORDS, code };
  programs6.set(key, p);
  return p;
}
var aAt = (ta) => ta ? "in0[aOff + k * M + m]" : "in0[aOff + m * K + k]";
var bAt = (tb) => tb ? "in1[bOff + n * K + k]" : "in1[bOff + k * N + n]";
function naiveProgram(ta, tb) {
  const key = `matmul_naive|${+ta}${+tb}`;
  let p = programs6.get(key);
  if (p) return p;
  const code = () => `${declareBindings(["f32", "f32"], ["f32"], U_WORDS)}
${BATCH_FN}
${LINEAR_MAIN} {
  let i = ${LINEAR_INDEX};
  let M = ${uw(0)};
  let N = ${uw(1)};
  let K = ${uw(2)};
  if (i >= ${uw(5)} * M * N) { return; }
  let bi = i / (M * N);
  let mn = i - bi * M * N;
  let m = mn / N;
  let n = mn - m * N;
  let offs = batchOffsets(bi);
  let aOff = offs.x;
  let bOff = offs.y;
  var acc = 0.0;
  for (var k = 0u; k < K; k++) { acc = fma(${aAt(ta)}, ${bAt(tb)}, acc); }
  out0[i] = acc;
}`;
  p = { key, inputs: 2, outputs: 1, uniformWords: U_WORDS, code };
  programs6.set(key, p);
  return p;
}
function dotProgram(ta, tb) {
  const key = `matmul_dot|${+ta}${+tb}`;
  let p = programs6.get(key);
  if (p) return p;
  const code = () => `${declareBindings(["f32", "f32"], ["f32"], U_WORDS)}
${BATCH_FN}
var<workgroup> part: array<f32, ${WG}>;
${LINEAR_MAIN} {
  let i = wid.y * nwg.x + wid.x;
  let M = ${uw(0)};
  let N = ${uw(1)};
  let K = ${uw(2)};
  let valid = i < ${uw(5)} * M * N;
  let bi = i / (M * N);
  let mn = i - bi * M * N;
  let m = mn / N;
  let n = mn - m * N;
  let offs = batchOffsets(bi);
  let aOff = offs.x;
  let bOff = offs.y;
  var acc = 0.0;
  if (valid) {
    for (var k = lid; k < K; k += ${WG}u) { acc = fma(${aAt(ta)}, ${bAt(tb)}, acc); }
  }
  part[lid] = acc;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { part[lid] = part[lid] + part[lid + s]; }
    workgroupBarrier();
  }
  if (lid == 0u && valid) { out0[i] = part[0]; }
}`;
  p = { key, inputs: 2, outputs: 1, uniformWords: U_WORDS, code };
  programs6.set(key, p);
  return p;
}
function planMatmul(m, n, k, batches, maxInvocations) {
  if ((m === 1 || n === 1) && batches * m * n <= 4096 && k >= 512) return { kind: "dot", splits: 1 };
  if ((m === 1 || n === 1) && !matmulTuning.forceTile) return { kind: "naive", splits: 1 };
  const tiles = (c) => Math.ceil(m / (c.wy * c.tm)) * Math.ceil(n / (c.wx * c.tn)) * batches;
  const target = matmulTuning.targetWorkgroups;
  let tile;
  if (matmulTuning.forceTile) tile = TILES[matmulTuning.forceTile];
  else if (maxInvocations >= 256 && tiles(TILES.large) >= target && m >= 128 && n >= 128) tile = TILES.large;
  else if (maxInvocations >= 256 && tiles(TILES.medium) >= target / 2 && m >= 64 && n >= 64) tile = TILES.medium;
  else tile = m >= 48 && n >= 48 && maxInvocations >= 256 ? TILES.medium : TILES.small;
  let splits = 1;
  const t = tiles(tile);
  if (t < target && k >= 2 * matmulTuning.minSplitK) {
    splits = Math.min(matmulTuning.maxSplits, Math.ceil(target / t), Math.floor(k / matmulTuning.minSplitK));
  }
  return { kind: "tiled", tile, splits: Math.max(1, splits) };
}
var matmul2 = (ctx, [a2, b2], { transposeA: ta, transposeB: tb }, [out]) => {
  const dst = ctx.output(out);
  const shape = out.shape;
  const r = shape.length;
  const M = shape[r - 2];
  const N = shape[r - 1];
  const ar = a2.shape.length;
  const K = ta ? a2.shape[ar - 2] : a2.shape[ar - 1];
  const batchShape = shape.slice(0, -2);
  const batches = sizeOf(batchShape);
  if (M * N * batches === 0) return [dst];
  if (K === 0) {
    ctx.rt.device.queue.writeBuffer(dst.buffer, 0, new Float32Array(M * N * batches));
    return [dst];
  }
  const matStrides = (s) => {
    const bs = s.slice(0, -2);
    const mat = s[s.length - 1] * s[s.length - 2];
    return broadcastStrides(bs, batchShape).map((x2, i) => batchShape[i] === 1 ? 0 : x2 * mat);
  };
  const c = collapseDims(batchShape, [matStrides(a2.shape), matStrides(b2.shape)]);
  if (c.shape.length > 4) throw new Error(`webgpu matmul: more than 4 distinct broadcast batch dimensions (${batchShape.join("x")}) are not supported`);
  const words = new Uint32Array(U_WORDS);
  words[0] = M;
  words[1] = N;
  words[2] = K;
  words[4] = c.shape.length;
  words[5] = batches;
  for (let i = 0; i < 4; i++) {
    words[8 + i] = c.shape[i] ?? 1;
    words[12 + i] = c.strides[0][i] ?? 0;
    words[16 + i] = c.strides[1][i] ?? 0;
  }
  const plan = planMatmul(M, N, K, batches, ctx.rt.limits["maxComputeInvocationsPerWorkgroup"] ?? 256);
  if (plan.kind !== "tiled") {
    const program3 = plan.kind === "dot" ? dotProgram(ta, tb) : naiveProgram(ta, tb);
    words[3] = K;
    words[6] = 1;
    const groups = plan.kind === "dot" ? batches * M * N : Math.ceil(batches * M * N / WG);
    ctx.rt.dispatch(program3, [a2.buf, b2.buf], [dst], words, ctx.rt.grid(groups));
    return [dst];
  }
  const cfg = plan.tile;
  const BM = cfg.wy * cfg.tm;
  const BN = cfg.wx * cfg.tn;
  let splits = plan.splits;
  let kChunk = K;
  if (splits > 1) {
    kChunk = Math.ceil(K / splits / cfg.tk) * cfg.tk;
    splits = Math.ceil(K / kChunk);
  }
  words[3] = kChunk;
  words[6] = splits;
  const key = {
    cfg,
    ta,
    tb,
    vecA: (ta ? M : K) % 4 === 0,
    vecB: (tb ? K : N) % 4 === 0,
    vecOut: N % 4 === 0,
    fitM: M % BM === 0,
    fitN: N % BN === 0,
    fitK: K % cfg.tk === 0 && kChunk % cfg.tk === 0
  };
  const program2 = tiledProgram(key);
  const target = splits > 1 ? ctx.scratch(splits * batches * M * N * 4) : dst;
  const gx = Math.ceil(N / BN);
  const gy = Math.ceil(M / BM);
  const zTotal = batches * splits;
  const maxZ = ctx.rt.limits["maxComputeWorkgroupSizeZ"] ? ctx.rt.maxGroupsPerDim : 65535;
  for (let z0 = 0; z0 < zTotal; z0 += maxZ) {
    words[7] = z0;
    ctx.rt.dispatch(program2, [a2.buf, b2.buf], [target], words, [gx, gy, Math.min(maxZ, zTotal - z0)]);
  }
  if (splits > 1) reduceInto(ctx, { shape: [splits, batches * M * N], dtype: "float32", buf: target }, "sum", [0], { shape: [batches * M * N], dtype: "float32" }, dst);
  return [dst];
};

// packages/webgpu-backend/src/kernels/transpose.ts
var transpose2 = (ctx, [x2], { perm }, [out]) => {
  const dst = ctx.output(out);
  const s = stridesOf(x2.shape);
  gatherStrided(ctx, x2.buf, out.shape, perm.map((p) => s[p]), dst);
  return [dst];
};

// packages/webgpu-backend/src/kernels/index.ts
var KERNELS = {
  arg_reduce: argReduce,
  broadcast_to: broadcastTo2,
  cast: cast2,
  fill: fill2,
  matmul: matmul2,
  reduce: reduce2,
  transpose: transpose2
};
var WEBGPU_PENDING_OPS = [
  "avg_pool",
  "avg_pool_grad",
  "conv2d",
  "conv2d_backprop_filter",
  "conv2d_backprop_input",
  "log_softmax",
  "max_pool",
  "max_pool_grad",
  "max_pool_grad_grad",
  "softmax",
  "softmax_cross_entropy",
  "sparse_softmax_cross_entropy",
  "add_n",
  "concat",
  "cumsum",
  "gather",
  "in_top_k",
  "one_hot",
  "pad",
  "random_normal",
  "random_permutation",
  "random_uniform",
  "split",
  "strided_slice",
  "strided_slice_grad",
  "tile",
  "top_k",
  "truncated_normal",
  "unsorted_segment_sum"
].filter((id) => !(id in KERNELS));

// packages/webgpu-backend/src/backend.ts
var live = /* @__PURE__ */ new Set();
var exitHookInstalled = false;
function installExitHook() {
  if (exitHookInstalled || typeof process === "undefined" || typeof process.once !== "function") return;
  exitHookInstalled = true;
  const disposeAll = () => {
    for (const b2 of [...live]) b2.dispose();
  };
  process.once("beforeExit", disposeAll);
  process.once("exit", disposeAll);
}
var WebGpuBackend = class _WebGpuBackend {
  constructor(rt, info) {
    this.rt = rt;
    this.info = info;
    this.ctx = {
      rt,
      output: (t) => rt.pool.acquire(sizeOf(t.shape) * 4, void 0, true),
      scratch: (bytes) => {
        const b2 = rt.pool.acquire(bytes, void 0, true);
        this.scratchList.push(b2);
        return b2;
      }
    };
    live.add(this);
    installExitHook();
  }
  rt;
  info;
  name = "webgpu";
  ctx;
  scratchList = [];
  static async create() {
    const info = await acquireDevice();
    return new _WebGpuBackend(new GpuRuntime(info), info);
  }
  /** Adapter, features and limits this backend runs with. */
  describe() {
    return { adapter: this.info.adapterInfo, features: [...this.info.features], limits: { ...this.info.limits } };
  }
  configure(config) {
    this.rt.pool.options = { limit: config.gpuMemoryLimit ?? null, allowGrowth: config.gpuAllowGrowth ?? true };
    if (!this.rt.pool.options.allowGrowth) this.rt.pool.trim();
  }
  write(values, info) {
    this.rt.check();
    if (info.dtype === "int64" || info.dtype === "string") return { kind: "host", values };
    const n = sizeOf(info.shape);
    const src = info.dtype === "bool" ? Uint32Array.from(values) : values;
    let key;
    if (n > 0 && n <= 4) {
      key = `${info.dtype}:${Array.from(new Uint32Array(src.buffer, src.byteOffset, n)).join(",")}`;
      const hit = this.constants.get(key);
      if (hit) {
        hit.alive = true;
        this.constants.delete(key);
        this.constants.set(key, hit);
        return hit.storage;
      }
    }
    const buf = this.rt.pool.acquire(n * 4);
    if (n > 0) this.rt.device.queue.writeBuffer(buf.buffer, 0, src.buffer, src.byteOffset, n * 4);
    const storage = { kind: "gpu", buf, bytes: n * 4 };
    if (key !== void 0) this.cacheConstant(key, storage);
    return storage;
  }
  /** Constant buffers by dtype and bits; `alive` while the engine holds tensors on them. */
  constants = /* @__PURE__ */ new Map();
  constantByStorage = /* @__PURE__ */ new Map();
  static MAX_CONSTANTS = 512;
  cacheConstant(key, storage) {
    const entry = { storage, alive: true, key };
    this.constants.set(key, entry);
    this.constantByStorage.set(storage, entry);
    if (this.constants.size > _WebGpuBackend.MAX_CONSTANTS) {
      const [oldKey, old] = this.constants.entries().next().value;
      this.constants.delete(oldKey);
      if (!old.alive) this.freeConstant(old);
    }
  }
  freeConstant(e) {
    this.constantByStorage.delete(e.storage);
    if (e.storage.kind === "gpu" && !this.disposed) this.rt.pool.release(e.storage.buf, this.rt.hasPendingWork);
  }
  async read(data, info) {
    const s = data;
    if (s.kind === "host") return Array.isArray(s.values) ? s.values.map((v) => v.slice()) : s.values.slice();
    const n = sizeOf(info.shape);
    if (n === 0) return info.dtype === "float32" ? new Float32Array(0) : info.dtype === "int32" ? new Int32Array(0) : new Uint8Array(0);
    const bytes = await this.rt.readBuffer(s.buf, n * 4);
    if (info.dtype === "float32") return new Float32Array(bytes);
    if (info.dtype === "int32") return new Int32Array(bytes);
    return Uint8Array.from(new Uint32Array(bytes));
  }
  release(data) {
    const s = data;
    const constant2 = this.constantByStorage.get(s);
    if (constant2) {
      constant2.alive = false;
      if (this.constants.get(constant2.key) !== constant2) this.freeConstant(constant2);
      return;
    }
    if (s.kind === "gpu" && !this.disposed) this.rt.pool.release(s.buf, this.rt.hasPendingWork);
  }
  hasKernel(def) {
    return def.elementwise !== void 0 || def.id in KERNELS;
  }
  run(def, inputs, attrs, outputs) {
    this.rt.check();
    const ins = inputs.map((t, i) => {
      const s = t.data;
      if (s.kind !== "gpu") throw new Error(`${def.id}: input ${i} is a ${t.dtype} tensor, a storage type with no math on 'webgpu'`);
      return { shape: t.shape, dtype: t.dtype, buf: s.buf };
    });
    let bufs;
    if (def.elementwise) bufs = [runElementwise(this.ctx, def, ins, attrs, outputs[0])];
    else {
      const kernel = KERNELS[def.id];
      if (!kernel) throw new Error(`webgpu: no kernel for op '${def.id}'`);
      bufs = kernel(this.ctx, ins, attrs, outputs);
    }
    if (this.scratchList.length) {
      for (const b2 of this.scratchList) this.rt.pool.release(b2, this.rt.hasPendingWork);
      this.scratchList = [];
    }
    return bufs.map((buf, i) => ({ kind: "gpu", buf, bytes: sizeOf(outputs[i].shape) * 4 }));
  }
  memoryInfo() {
    const p = this.rt.pool;
    const s = this.rt.stats;
    return {
      gpuAllocatedBytes: p.allocatedBytes,
      gpuInUseBytes: p.inUseBytes,
      gpuCachedBytes: p.cachedBytes,
      /** Small constants kept for reuse (part of gpuInUseBytes). */
      gpuConstantBytes: [...this.constants.values()].reduce((a2, e) => a2 + (e.storage.kind === "gpu" ? e.storage.buf.size : 0), 0),
      gpuPeakBytes: p.peakBytes,
      buffersCreated: p.created,
      buffersReused: p.reused,
      dispatches: s.dispatches,
      submits: s.submits,
      pipelines: s.pipelines,
      bindGroupsCreated: s.bindGroupsCreated,
      bindGroupHits: s.bindGroupHits,
      readbacks: s.readbacks
    };
  }
  /** Submits queued work and waits until the GPU has finished it. */
  sync() {
    return this.rt.sync();
  }
  disposed = false;
  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    live.delete(this);
    this.rt.dispose();
  }
};

// packages/webgpu-backend/src/index.ts
registerBackend({
  name: "webgpu",
  priority: 2,
  create: () => WebGpuBackend.create()
});

// ../../tmp/wg/t3.ts
var t0 = Date.now();
await setBackend("webgpu");
console.log("setBackend", Date.now() - t0);
t0 = Date.now();
var a = ones([4]);
console.log("ones", (await a.data())[0], Date.now() - t0);
t0 = Date.now();
var b = add(a, 1);
console.log("add", (await b.data())[0], Date.now() - t0);
t0 = Date.now();
var x = ones([256, 256]);
var y = matmul(x, x);
console.log("matmul", (await y.data())[0], Date.now() - t0);
t0 = Date.now();
var y2 = matmul(x, x);
console.log("matmul2", (await y2.data())[0], Date.now() - t0);
t0 = Date.now();
