import type { KernelInput } from '../backend.js';
import { engine, type OpObserver } from '../engine.js';
import { OpError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import type { OpDef } from './op_def.js';

/**
 * Runs one op: validate and infer, pick the backend (soft placement when it lacks a kernel),
 * run the kernel, wrap the outputs, and let active tapes record the op.
 */
export function apply<A>(def: OpDef<A>, inputs: readonly Tensor[], attrs: A): Tensor[] {
  const n = inputs.length;
  for (let i = 0; i < n; i++) engine.assertLiveInput(inputs[i]!, def.id, i);
  const outInfos = def.infer(inputs, attrs);
  let backend = engine.backend();
  if (!def.aliasesInput && !backend.hasKernel(def)) {
    const fallback = engine.syncInstance('cpu');
    if (!fallback || !fallback.hasKernel(def)) throw new OpError(def.id, `no kernel on backend '${backend.name}' and no CPU backend to fall back to`);
    if (!engine.config.allowSoftPlacement) throw new OpError(def.id, `no kernel on backend '${backend.name}' and soft placement is off (ef.config({allowSoftPlacement: true}) runs it on '${fallback.name}')`);
    engine.warnFallbackOnce(def.id, backend.name, fallback.name);
    backend = fallback;
  }
  if (engine.config.logDevicePlacement) console.log(`eagerflow: ${def.id} -> ${backend.name}`);

  let outputs: Tensor[];
  if (def.aliasesInput) {
    const src = inputs[0]!;
    outputs = [engine.makeTensor(outInfos[0]!.shape, outInfos[0]!.dtype, src.storage, src.backend)];
  } else {
    // Plain loops, not map(): this runs for every op, and tiny tensors feel each allocation.
    const kernelInputs = new Array<KernelInput>(n);
    for (let i = 0; i < n; i++) {
      const t = inputs[i]!;
      if (t.backend !== backend) engine.moveStorage(t, backend);
      kernelInputs[i] = { shape: t.shape, dtype: t.dtype, data: t.storage };
    }
    const storages = backend.run(def, kernelInputs, attrs, outInfos);
    outputs = new Array<Tensor>(storages.length);
    for (let i = 0; i < storages.length; i++) outputs[i] = engine.makeTensor(outInfos[i]!.shape, outInfos[i]!.dtype, storages[i], backend);
  }

  recordOp(def, inputs, outputs, attrs);
  observeOp(def, inputs, outputs);
  return outputs;
}

/** Tells the op observers (ef.addOpObserver, analyzeOps) that an op ran; free when there are none. */
export function observeOp<A>(def: OpDef<A>, inputs: readonly Tensor[], outputs: readonly Tensor[]): void {
  if (engine.opObservers.length === 0) return;
  for (const obs of [...engine.opObservers]) obs(def, inputs, outputs);
}

/**
 * Calls `observer(def, inputs, outputs)` after every op that `apply` dispatches (kernel ops,
 * including those inside composites and gradients; not custom ops), until the returned function
 * is called. For tools such as slim.modelAnalyzer.analyzeOps; observers must not dispose tensors.
 */
export function addOpObserver(observer: OpObserver): () => void {
  if (typeof observer !== 'function') throw new OpError('addOpObserver', `observer must be a function, found ${typeof observer}`);
  engine.opObservers.push(observer);
  return () => {
    const i = engine.opObservers.indexOf(observer);
    if (i >= 0) engine.opObservers.splice(i, 1);
  };
}

/** Lets every active tape that watches one of `inputs` record the op (ops without a vjp stop gradients). */
export function recordOp<A>(def: OpDef<A>, inputs: readonly Tensor[], outputs: readonly Tensor[], attrs: A): void {
  if (!def.vjp || engine.noGradDepth !== 0 || engine.recorders.length === 0) return;
  for (const rec of engine.recorders) {
    if (inputs.some((t) => rec.watches(t))) rec.recordOp({ def, inputs: [...inputs], outputs: [...outputs], attrs });
  }
}

export function apply1<A>(def: OpDef<A>, inputs: readonly Tensor[], attrs: A): Tensor {
  return apply(def, inputs, attrs)[0]!;
}
