/**
 * tf.compat.v1.train.Saver semantics over TensorBundle checkpoints, plus init_from_checkpoint.
 */
import * as ef from '@eagerflow/core';
import { BundleReader, BundleWriter, CheckpointError, dataFileName, indexFileName } from './bundle.js';
import { getCheckpointState, updateCheckpointState } from './checkpoint_state.js';
import { resolvePrefix } from './checkpoint_reader.js';
import { convertibleTo, coreDtypeFor, rawToTensor, tfDtypeName } from './dtypes.js';
import * as gfile from './gfile/index.js';
import { compareBytes } from './table.js';
import { describeValue } from './gfile/types.js';

type VarList = ef.Variable[] | Record<string, ef.Variable> | Map<string, ef.Variable>;

export interface SaverOptions {
  /**
   * Variables to save/restore: a list (saved under their own names) or a map
   * checkpoint-name → variable. Default: all global variables (trainable or not).
   */
  varList?: VarList;
  /** Newest checkpoints to keep (default 5); 0 or null keeps all and records none. */
  maxToKeep?: number | null;
  /** Additionally keep one checkpoint every N hours (default: never). */
  keepCheckpointEveryNHours?: number;
  /** Write paths in the state file relative to its directory (default true). */
  saveRelativePaths?: boolean;
  /**
   * TF's Saver(reshape=True): default of `restore`'s `reshape` option — restore a checkpoint tensor
   * into a variable of another shape with the same number of elements (default false).
   */
  reshape?: boolean;
}

export interface SaveOptions {
  /** Appended as `prefix-STEP`: a number, bigint, or scalar tensor/variable (e.g. globalStep). */
  globalStep?: number | bigint | ef.Tensor;
  /** State file name (default 'checkpoint'). */
  latestFilename?: string;
  /** Update the state file and apply maxToKeep (default true). */
  writeState?: boolean;
}

export interface RestoreOptions {
  /**
   * Accept checkpoint dtypes that convert into the variable's dtype: float64/half/bfloat16 →
   * float32, small ints → int32, int64 ⇄ int32 (each value must fit int32, or the restore fails
   * naming it: TensorFlow's int64 global_step restores into ef.train.getOrCreateGlobalStep()'s
   * int32), int64 → float32 (rounded to nearest). Default false: dtypes must match.
   */
  allowDtypeConversion?: boolean;
  /**
   * Restore a checkpoint tensor into a variable of a different shape holding the same number of
   * elements, reshaped in row-major order (TF's Saver(reshape=True)). Default false: shapes must
   * match. Element counts must match either way.
   */
  reshape?: boolean;
}

function checkpointName(v: ef.Variable): string {
  return v.name.endsWith(':0') ? v.name.slice(0, -2) : v.name;
}

function toMap(varList: VarList | undefined): Map<string, ef.Variable> {
  const out = new Map<string, ef.Variable>();
  const add = (name: string, v: ef.Variable): void => {
    if (!(v instanceof ef.Variable)) throw new CheckpointError(`Saver: varList entry '${name}' must be an ef.Variable; found ${describeValue(v)}`);
    if (out.has(name)) throw new CheckpointError(`Saver: two variables map to the checkpoint name '${name}'`);
    out.set(name, v);
  };
  if (varList === undefined) for (const v of ef.globalVariables()) add(checkpointName(v), v);
  else if (Array.isArray(varList)) varList.forEach((v, i) => add(v instanceof ef.Variable ? checkpointName(v) : `[${i}]`, v));
  else if (typeof varList !== 'object' || varList === null) throw new CheckpointError(`Saver: varList must be a list of variables or a map name → variable; found ${describeValue(varList)}`);
  else if (varList instanceof Map) for (const [k, v] of varList) add(k, v);
  else for (const [k, v] of Object.entries(varList)) add(k, v);
  return out;
}

async function stepString(step: number | bigint | ef.Tensor): Promise<string> {
  if (typeof step === 'number') {
    if (!Number.isInteger(step)) throw new CheckpointError(`Saver.save: globalStep must be an integer, got ${step}`);
    return String(step);
  }
  if (typeof step === 'bigint') return step.toString();
  if (!(step instanceof ef.Tensor) || step.dtype === 'string' || step.isDisposed) {
    throw new CheckpointError(`Saver.save: globalStep must be a number, bigint or a numeric scalar tensor/variable; found ${step instanceof ef.Tensor ? (step.isDisposed ? 'a disposed tensor' : 'a string tensor') : describeValue(step)}`);
  }
  if (step.size !== 1) throw new CheckpointError(`Saver.save: globalStep must be a scalar, got shape [${step.shape.join(', ')}]`);
  const d = await step.data();
  return String(Array.isArray(d) ? NaN : typeof d[0] === 'bigint' ? d[0] : Math.trunc(Number(d[0])));
}

/** Deletes a checkpoint's files (index, data shards, .meta). */
export async function removeCheckpoint(prefix: string): Promise<void> {
  const files = [
    indexFileName(prefix),
    `${prefix}.meta`,
    ...(await gfile.glob(`${globEscape(prefix)}.data-?????-of-?????`)),
    // leftovers of a save of this prefix that was interrupted (BundleWriter temporary names)
    ...(await gfile.glob(`${globEscape(prefix)}.*.tempstate*`)),
  ];
  for (const f of files) await gfile.remove(f).catch(() => {});
}

function globEscape(s: string): string {
  return s.replace(/[*?[\\]/g, '\\$&');
}

/** Whether both files of a checkpoint exist. */
export async function checkpointExists(prefix: string): Promise<boolean> {
  return (await gfile.exists(indexFileName(prefix))) && (await gfile.exists(dataFileName(prefix, 0, 1)));
}

export class Saver {
  private readonly vars: Map<string, ef.Variable>;
  readonly maxToKeep: number;
  readonly keepCheckpointEveryNHours: number;
  private readonly relative: boolean;
  private readonly reshape: boolean;
  private last: [string, number][] = [];
  private toDelete: [string, number][] = [];
  private nextKeepTime: number;

  constructor(options: SaverOptions = {}) {
    this.vars = toMap(options.varList);
    if (this.vars.size === 0) throw new CheckpointError('Saver: no variables to save');
    this.maxToKeep = options.maxToKeep ?? (options.maxToKeep === null ? 0 : 5);
    if (!Number.isInteger(this.maxToKeep) || this.maxToKeep < 0) throw new CheckpointError(`Saver: maxToKeep must be a non-negative integer (0 or null keeps all); found ${describeValue(options.maxToKeep)}`);
    this.keepCheckpointEveryNHours = options.keepCheckpointEveryNHours ?? 10000;
    if (typeof this.keepCheckpointEveryNHours !== 'number' || !(this.keepCheckpointEveryNHours > 0)) {
      throw new CheckpointError(`Saver: keepCheckpointEveryNHours must be a positive number of hours; found ${describeValue(options.keepCheckpointEveryNHours)}`);
    }
    this.relative = options.saveRelativePaths ?? true;
    this.reshape = options.reshape ?? false;
    this.nextKeepTime = Date.now() + this.keepCheckpointEveryNHours * 3600e3;
  }

  /** checkpoint name → variable, as saved. */
  get variables(): ReadonlyMap<string, ef.Variable> {
    return this.vars;
  }

  /** Prefixes this saver keeps track of, oldest first. */
  get lastCheckpoints(): string[] {
    return this.last.map(([p]) => p);
  }

  /** Takes over checkpoints of an earlier run so maxToKeep applies to them (TF's recover_last_checkpoints). */
  async recoverLastCheckpoints(paths: string[]): Promise<void> {
    if (!Array.isArray(paths)) throw new CheckpointError(`Saver.recoverLastCheckpoints: paths must be a list of checkpoint prefixes; found ${describeValue(paths)}`);
    const out: [string, number][] = [];
    for (const p of paths) {
      if (!(await gfile.exists(indexFileName(p)))) continue;
      out.push([p, (await gfile.stat(indexFileName(p))).mtimeMs || Date.now()]);
    }
    this.last = out;
  }

  /** Saves every variable to `prefix[-STEP]`, then updates the state file. Returns the prefix. */
  async save(prefix: string, options: SaveOptions = {}): Promise<string> {
    checkPrefix(prefix, 'Saver.save');
    const path = options.globalStep === undefined ? prefix : `${prefix}-${await stepString(options.globalStep)}`;
    const dir = gfile.dirname(path);
    if (!(await gfile.isDirectory(dir))) throw new CheckpointError(`Saver.save: parent directory '${dir}' of '${path}' does not exist`);
    for (const stale of await gfile.glob(`${globEscape(path)}.*.tempstate*`)) await gfile.remove(stale).catch(() => {});
    const writer = new BundleWriter(path);
    try {
      const names = [...this.vars.keys()].sort(byteOrder);
      for (const name of names) {
        const v = this.vars.get(name)!;
        if (v.isDisposed) throw new CheckpointError(`Saver.save: variable '${v.name}' (checkpoint name '${name}') was disposed`);
        await writer.add(name, v);
      }
      await writer.finish();
    } catch (e) {
      await writer.abort();
      throw e;
    }
    if (options.writeState !== false) {
      this.record(path);
      await updateCheckpointState(dir, path, this.lastCheckpoints, { latestFilename: options.latestFilename, relativePaths: this.relative });
      await this.deleteOld();
    }
    return path;
  }

  private record(path: string): void {
    if (!this.maxToKeep) return;
    this.last = this.last.filter(([p]) => p !== path);
    this.last.push([path, Date.now()]);
    while (this.last.length > this.maxToKeep) this.toDelete.push(this.last.shift()!);
  }

  private async deleteOld(): Promise<void> {
    while (this.toDelete.length) {
      const [p, t] = this.toDelete.shift()!;
      if (t > this.nextKeepTime) {
        this.nextKeepTime += this.keepCheckpointEveryNHours * 3600e3;
        continue;
      }
      await removeCheckpoint(p);
    }
  }

  /**
   * Loads every variable from `prefix` (a checkpoint prefix, or a directory: its latest
   * checkpoint). Validates names, dtypes, shapes and checksums of all variables first; on any
   * problem throws one error listing all of them and changes no variable. With `{reshape: true}`
   * (or a Saver built with `reshape: true`) a tensor may have another shape with the same number of
   * elements.
   */
  async restore(prefix: string, options: RestoreOptions = {}): Promise<void> {
    checkPrefix(prefix, 'Saver.restore');
    const opts = { ...options, reshape: options.reshape ?? this.reshape };
    await assignFromCheckpoint(await resolvePrefix(prefix), [...this.vars].map(([k, v]) => [k, v]), opts, 'Saver.restore');
  }
}

/** A checkpoint prefix (or directory) argument: a non-empty string. */
function checkPrefix(prefix: unknown, op: string): void {
  if (typeof prefix !== 'string' || prefix === '') throw new CheckpointError(`${op}: the checkpoint prefix must be a non-empty string path; found ${describeValue(prefix)}`);
}

const utf8 = new TextEncoder();
/** Sorts names as TF's table keys are sorted: by their UTF-8 bytes. */
function byteOrder(a: string, b: string): number {
  return compareBytes(utf8.encode(a), utf8.encode(b));
}

/** All-or-nothing: validate everything, read and verify all data, then assign. */
async function assignFromCheckpoint(prefix: string, pairs: [string, ef.Variable][], options: RestoreOptions, op: string): Promise<void> {
  const reader = await BundleReader.open(prefix);
  const problems: string[] = [];
  const ok: [string, ef.Variable][] = [];
  try {
    for (const [name, v] of pairs) {
      const e = reader.entries.get(name);
      if (!e) {
        problems.push(`'${name}' (variable '${v.name}'): not found in the checkpoint`);
        continue;
      }
      let bad = false;
      if (!e.dtype) {
        problems.push(`'${name}': checkpoint dtype ${tfDtypeName(e.tfDtype)} is not supported`);
        continue;
      }
      if (e.dtype !== v.dtype && !(options.allowDtypeConversion && convertibleTo(e.dtype, v.dtype))) {
        // e.g. TensorFlow's int64 global_step into eagerflow's int32 one (ef.train.getOrCreateGlobalStep()).
        const hint = !options.allowDtypeConversion && convertibleTo(e.dtype, v.dtype) ? ` (pass {allowDtypeConversion: true} to convert${coreDtypeFor(e.dtype) === 'int64' && v.dtype === 'int32' ? ': values must fit int32' : ''})` : '';
        problems.push(`'${name}' (variable '${v.name}'): dtype mismatch: checkpoint has ${e.dtype}, variable is ${v.dtype}${hint}`);
        bad = true;
      }
      if (e.shape.length !== v.shape.length || e.shape.some((d, i) => d !== v.shape[i])) {
        const ne = e.shape.reduce((a, b) => a * b, 1);
        const nv = v.shape.reduce((a, b) => a * b, 1);
        if (!(options.reshape && ne === nv)) {
          const hint = options.reshape
            ? ` (${ne} vs ${nv} elements: reshape needs the same number of elements)`
            : ne === nv
              ? ' (same number of elements: pass {reshape: true} to restore it reshaped)'
              : '';
          problems.push(`'${name}' (variable '${v.name}'): shape mismatch: checkpoint has [${e.shape.join(', ')}], variable has [${v.shape.join(', ')}]${hint}`);
          bad = true;
        }
      }
      if (!bad) ok.push([name, v]);
    }
    // Read and checksum every tensor before touching any variable (a few reads in flight).
    const values: (ef.Tensor | undefined)[] = new Array(ok.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < ok.length) {
        const i = next++;
        const [name, v] = ok[i]!;
        try {
          const raw = await reader.readRaw(name);
          // With reshape, the validated element count matches: lay the values out in the variable's shape.
          // With allowDtypeConversion the values convert to the variable's dtype (validated above).
          values[i] = rawToTensor(options.reshape ? { ...raw, shape: [...v.shape] } : raw, `'${name}' (variable '${v.name}')`, v.backend.name, v.dtype);
        } catch (err) {
          problems.push((err as Error).message);
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    if (problems.length) {
      for (const t of values) t?.dispose();
      throw new CheckpointError(`${op}('${prefix}') failed; no variable was changed. ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`);
    }
    for (let i = 0; i < ok.length; i++) {
      ok[i]![1].assign(values[i]!);
      values[i]!.dispose();
    }
  } finally {
    await reader.close();
  }
}

/** A value of an assignment map: a variable, or a variable name / scope ('scope/'). */
export type AssignmentTarget = string | ef.Variable;

/**
 * tf.compat.v1.train.init_from_checkpoint: assigns checkpoint tensors to existing variables.
 * `{'ckpt/name': 'var/name' | variable}` maps one tensor; `{'old_scope/': 'new_scope/'}` maps
 * every global variable under new_scope/ to old_scope/ + the rest of its name; `{'/': 'scope/'}`
 * loads the checkpoint's root into scope/. All-or-nothing like Saver.restore.
 * Returns the [checkpoint name, variable] pairs assigned.
 */
export async function initFromCheckpoint(
  prefixOrDir: string,
  assignmentMap: Record<string, AssignmentTarget> | Map<string, AssignmentTarget>,
  options: RestoreOptions = {},
): Promise<[string, ef.Variable][]> {
  checkPrefix(prefixOrDir, 'initFromCheckpoint');
  if (typeof assignmentMap !== 'object' || assignmentMap === null) throw new CheckpointError(`initFromCheckpoint: assignmentMap must be an object or Map of checkpoint name → variable / name / scope; found ${describeValue(assignmentMap)}`);
  const prefix = await resolvePrefix(prefixOrDir);
  const reader = await BundleReader.open(prefix);
  await reader.close();
  const store = new Map(ef.globalVariables().map((v) => [checkpointName(v), v]));
  const pairs: [string, ef.Variable][] = [];
  const problems: string[] = [];
  const entries = assignmentMap instanceof Map ? [...assignmentMap] : Object.entries(assignmentMap);
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const [ckptName, target] of entries) {
    const v = target instanceof ef.Variable ? target : store.get(target);
    if (v) {
      if (!reader.has(ckptName)) problems.push(`tensor '${ckptName}' (for variable '${v.name}') is not in checkpoint ${prefix}`);
      else pairs.push([ckptName, v]);
      continue;
    }
    const current = target as string;
    if (!ckptName.endsWith('/') || !(current.endsWith('/') || current === '/')) {
      problems.push(
        `'${ckptName}': '${current}' is neither a variable nor a scope mapping; scope mappings must be 'scope/': 'other_scope/' (or '/': 'scope/')`,
      );
      continue;
    }
    const scope = current === '/' ? '' : current.slice(0, -1);
    const inScope = [...store.keys()].filter((n) => !scope || n.startsWith(`${scope}/`)).sort();
    if (inScope.length === 0) problems.push(`no variables under scope '${current}'`);
    for (const varName of inScope) {
      let rest = varName.slice(scope.length);
      if (current !== '/') rest = rest.slice(1);
      let full = ckptName === '/' ? rest : ckptName + rest;
      if (full.endsWith('/')) full = full.slice(0, -1);
      if (!reader.has(full)) problems.push(`tensor '${full}' (for variable '${varName}' via '${ckptName}': '${current}') is not in checkpoint ${prefix}`);
      else pairs.push([full, store.get(varName)!]);
    }
  }
  if (problems.length) {
    throw new CheckpointError(`initFromCheckpoint('${prefix}') failed; no variable was changed. ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`);
  }
  await assignFromCheckpoint(prefix, pairs, options, 'initFromCheckpoint');
  return pairs;
}

/**
 * Global variables minus excluded scopes (tf.contrib.slim.get_variables_to_restore): a variable
 * is excluded when its name starts with any `exclude` entry; `include` (if given) keeps only
 * names starting with one of its entries.
 */
export function getVariablesToRestore(options: { include?: string[]; exclude?: string[] } = {}): ef.Variable[] {
  return ef
    .globalVariables()
    .filter((v) => !options.include || options.include.some((s) => v.name.startsWith(s)))
    .filter((v) => !(options.exclude ?? []).some((s) => v.name.startsWith(s)));
}

/** {name: variable} for an assignment map or Saver varList (TF's `{v.name.split(':')[0]: v}`). */
export function variablesByName(vars: ef.Variable[]): Record<string, ef.Variable> {
  return Object.fromEntries(vars.map((v) => [checkpointName(v), v]));
}

/** The state of a directory's checkpoints, re-exported for convenience. */
export { getCheckpointState };
