/**
 * slim.model_analyzer: analyzeVars (name, shape, size and bytes of each variable, and totals) and
 * analyzeOps (the ops a function dispatches, with their output shapes and counts).
 */
import { OpError } from '../errors.js';
import { bytesPerElement, type DType } from '../dtype.js';
import { addOpObserver } from '../ops/dispatch.js';
import type { Tensor } from '../tensor.js';
import type { Variable } from '../variable.js';

export interface VarInfo {
  name: string;
  dtype: string;
  shape: number[];
  size: number;
  bytes: number;
}

export interface VarsAnalysis {
  variables: VarInfo[];
  totalSize: number;
  totalBytes: number;
  /** The printed table. */
  text: string;
}

export function analyzeVars(vars: readonly Variable[], printInfo = false, print: (s: string) => void = console.log): VarsAnalysis {
  const variables = vars.map((v) => ({ name: v.name, dtype: v.dtype, shape: [...v.shape], size: v.size, bytes: v.size * bytesPerElement(v.dtype) }));
  const totalSize = variables.reduce((n, v) => n + v.size, 0);
  const totalBytes = variables.reduce((n, v) => n + v.bytes, 0);
  const lines = [
    '---------',
    'Variables: name (type shape) [size]',
    '---------',
    ...variables.map((v) => `${v.name} (${v.dtype} ${v.shape.length ? v.shape.join('x') : 'scalar'}) [${v.size}, bytes: ${v.bytes}]`),
    `Total size of variables: ${totalSize}`,
    `Total bytes of variables: ${totalBytes}`,
  ];
  const text = lines.join('\n');
  if (printInfo) print(text);
  return { variables, totalSize, totalBytes, text };
}

export interface TensorInfo {
  dtype: DType;
  shape: number[];
  size: number;
}

export interface OpInfo {
  /** The op's id (OpDef.id), e.g. 'matMul'. */
  op: string;
  /** Backend the op's outputs live on. */
  backend: string;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
}

export interface OpsAnalysis<T = unknown> {
  /** Every dispatched op, in order. */
  ops: OpInfo[];
  /** How many times each op id ran, most frequent first (ties: first seen first). */
  counts: { op: string; count: number }[];
  totalOps: number;
  /** Elements and bytes of all op outputs together. */
  totalOutputSize: number;
  totalOutputBytes: number;
  /** The printed table. */
  text: string;
  /** What `fn` returned. */
  result: T;
}

const info = (t: Tensor): TensorInfo => ({ dtype: t.dtype, shape: [...t.shape], size: t.size });
const fmt = (t: TensorInfo): string => `${t.dtype} ${t.shape.length ? t.shape.join('x') : 'scalar'}`;

/**
 * slim.model_analyzer.analyze_ops for eager code: runs `fn` and reports each op it dispatched
 * (op id, backend, input and output shapes/dtypes), per-op counts and output totals; with
 * `printInfo` the table is printed like analyzeVars prints. Ops are the kernel ops `apply`
 * dispatches, so a composite (e.g. nn.softmaxCrossEntropyWithLogits) shows as the ops it is
 * made of, and gradients computed inside `fn` are included; custom ops are not seen. An async
 * `fn` gives a promise; ops run by other code while it awaits are counted too.
 */
export function analyzeOps<T>(fn: () => Promise<T>, printInfo?: boolean, print?: (s: string) => void): Promise<OpsAnalysis<T>>;
export function analyzeOps<T>(fn: () => T, printInfo?: boolean, print?: (s: string) => void): OpsAnalysis<T>;
export function analyzeOps<T>(fn: () => T | Promise<T>, printInfo = false, print: (s: string) => void = console.log): OpsAnalysis<T> | Promise<OpsAnalysis<T>> {
  if (typeof fn !== 'function') throw new OpError('analyzeOps', `fn must be a function, found ${typeof fn}`);
  const ops: OpInfo[] = [];
  const remove = addOpObserver((def, inputs, outputs) => {
    ops.push({ op: def.id, backend: outputs[0]?.backend.name ?? inputs[0]?.backend.name ?? '', inputs: inputs.map(info), outputs: outputs.map(info) });
  });
  const finish = (result: T): OpsAnalysis<T> => {
    const a = summarize(ops, result);
    if (printInfo) print(a.text);
    return a;
  };
  let result: T | Promise<T>;
  try {
    result = fn();
  } catch (e) {
    remove();
    throw e;
  }
  if (result && typeof (result as Promise<T>).then === 'function') {
    return Promise.resolve(result).then(
      (r) => {
        remove();
        return finish(r);
      },
      (e: unknown) => {
        remove();
        throw e;
      },
    );
  }
  remove();
  return finish(result as T);
}

function summarize<T>(ops: OpInfo[], result: T): OpsAnalysis<T> {
  const byOp = new Map<string, number>();
  for (const o of ops) byOp.set(o.op, (byOp.get(o.op) ?? 0) + 1);
  const counts = [...byOp].map(([op, count]) => ({ op, count })).sort((a, b) => b.count - a.count);
  let totalOutputSize = 0;
  let totalOutputBytes = 0;
  for (const o of ops) {
    for (const t of o.outputs) {
      totalOutputSize += t.size;
      totalOutputBytes += t.size * bytesPerElement(t.dtype);
    }
  }
  const lines = [
    '---------',
    'Operations: op (inputs -> outputs: type shape) [output size]',
    '---------',
    ...ops.map((o) => `${o.op} (${o.inputs.map(fmt).join(', ')} -> ${o.outputs.map(fmt).join(', ')}) [${o.outputs.reduce((n, t) => n + t.size, 0)}]`),
    `Ops by type: ${counts.map((c) => `${c.op} x${c.count}`).join(', ') || 'none'}`,
    `Total ops: ${ops.length}`,
    `Total size of outputs: ${totalOutputSize}`,
    `Total bytes of outputs: ${totalOutputBytes}`,
  ];
  return { ops, counts, totalOps: ops.length, totalOutputSize, totalOutputBytes, text: lines.join('\n'), result };
}
