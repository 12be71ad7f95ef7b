/**
 * The `checkpoint` state file: a text-format CheckpointState proto in the checkpoint directory
 * (tensorflow/python/training/checkpoint_management.py).
 */
import { CheckpointError, indexFileName } from './bundle.js';
import { describeValue } from './gfile/types.js';
import * as gfile from './gfile/index.js';

export interface CheckpointState {
  /** Newest checkpoint prefix (resolved against the directory when stored relative). */
  modelCheckpointPath: string;
  /** Retained prefixes, oldest first (resolved). */
  allModelCheckpointPaths: string[];
  allModelCheckpointTimestamps: number[];
  lastPreservedTimestamp?: number;
}

const utf8 = new TextEncoder();
const utf8d = new TextDecoder();

/** C-style escaping as protobuf text_format writes strings (non-printable / non-ASCII bytes in octal). */
export function textEscape(s: string): string {
  let out = '';
  for (const b of utf8.encode(s)) {
    if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x09) out += '\\t';
    else if (b === 0x22) out += '\\"';
    else if (b === 0x27) out += "\\'";
    else if (b === 0x5c) out += '\\\\';
    else if (b < 0x20 || b >= 0x7f) out += `\\${b.toString(8).padStart(3, '0')}`;
    else out += String.fromCharCode(b);
  }
  return out;
}

function textUnescape(s: string, where: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x5c) {
      for (const b of utf8.encode(s[i]!)) bytes.push(b);
      continue;
    }
    const n = s[++i];
    if (n === undefined) throw new CheckpointError(`${where}: dangling backslash`);
    const simple: Record<string, number> = { n: 10, r: 13, t: 9, '"': 34, "'": 39, '\\': 92, a: 7, b: 8, f: 12, v: 11, '?': 63 };
    if (n in simple) bytes.push(simple[n]!);
    else if (/[0-7]/.test(n)) {
      let oct = n;
      while (oct.length < 3 && /[0-7]/.test(s[i + 1] ?? '')) oct += s[++i];
      bytes.push(parseInt(oct, 8) & 0xff);
    } else if (n === 'x') {
      let h = '';
      while (h.length < 2 && /[0-9a-fA-F]/.test(s[i + 1] ?? '')) h += s[++i];
      if (!h) throw new CheckpointError(`${where}: bad \\x escape`);
      bytes.push(parseInt(h, 16));
    } else throw new CheckpointError(`${where}: unknown escape \\${n}`);
  }
  return utf8d.decode(new Uint8Array(bytes));
}

/** Parses the text proto; paths are returned exactly as stored (not resolved). */
export function parseCheckpointState(text: string, where = 'checkpoint state'): CheckpointState {
  const st: CheckpointState = { modelCheckpointPath: '', allModelCheckpointPaths: [], allModelCheckpointTimestamps: [] };
  // The name may not end early and the colon takes its own whitespace: otherwise 'name' + n blanks
  // backtracks O(n^2), and `model_checkpoint_pathx` would read as the field with value x.
  const re = /\s*([A-Za-z_][A-Za-z0-9_]*)(?![A-Za-z0-9_])\s*(?::\s*)?("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|[^\s"']+)\s*[;,]?/y;
  let pos = 0;
  let line = 1;
  while (pos < text.length) {
    const ws = /\s*(#[^\n]*\s*)*/y;
    ws.lastIndex = pos;
    const m0 = ws.exec(text)!;
    line += (m0[0].match(/\n/g) ?? []).length;
    pos += m0[0].length;
    if (pos >= text.length) break;
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) throw new CheckpointError(`${where}: cannot parse text proto at line ${line}: '${text.slice(pos, pos + 40).split('\n')[0]}'`);
    line += (m[0].match(/\n/g) ?? []).length;
    pos = re.lastIndex;
    const [, field, raw] = m as unknown as [string, string, string];
    const str = (): string => {
      if (!/^["']/.test(raw)) throw new CheckpointError(`${where}: field '${field}' at line ${line} must be a quoted string`);
      return textUnescape(raw.slice(1, -1), `${where} line ${line}`);
    };
    const num = (): number => {
      const v = Number(raw);
      if (!Number.isFinite(v)) throw new CheckpointError(`${where}: field '${field}' at line ${line} must be a number, got ${raw}`);
      return v;
    };
    if (field === 'model_checkpoint_path') st.modelCheckpointPath = str();
    else if (field === 'all_model_checkpoint_paths') st.allModelCheckpointPaths.push(str());
    else if (field === 'all_model_checkpoint_timestamps') st.allModelCheckpointTimestamps.push(num());
    else if (field === 'last_preserved_timestamp') st.lastPreservedTimestamp = num();
    // unknown fields are ignored, as the readers should
  }
  return st;
}

/** Serialises as protobuf's text_format.MessageToString (one `field: value` per line). */
export function formatCheckpointState(st: CheckpointState): string {
  let out = `model_checkpoint_path: "${textEscape(st.modelCheckpointPath)}"\n`;
  for (const p of st.allModelCheckpointPaths) out += `all_model_checkpoint_paths: "${textEscape(p)}"\n`;
  for (const t of st.allModelCheckpointTimestamps) out += `all_model_checkpoint_timestamps: ${formatDouble(t)}\n`;
  if (st.lastPreservedTimestamp !== undefined) out += `last_preserved_timestamp: ${formatDouble(st.lastPreservedTimestamp)}\n`;
  return out;
}

function formatDouble(x: number): string {
  return Number.isInteger(x) ? `${x}.0` : String(x);
}

function resolve(dir: string, p: string): string {
  return gfile.isAbsolute(p) ? p : gfile.join(dir, p);
}

/** Makes `p` relative to `dir` when it lies directly inside it (TF's save_relative_paths). */
export function relativeTo(dir: string, p: string): string {
  const d = dir.replace(/\/+$/, '');
  return p.startsWith(`${d}/`) && !p.slice(d.length + 1).includes('/') ? p.slice(d.length + 1) : p;
}

/** Reads `dir/checkpoint` (TF's tf.train.get_checkpoint_state); null when there is no state file. */
export async function getCheckpointState(dir: string, latestFilename = 'checkpoint'): Promise<CheckpointState | null> {
  if (typeof dir !== 'string') throw new CheckpointError(`getCheckpointState: dir must be a string path; found ${describeValue(dir)}`);
  const path = gfile.join(dir, latestFilename);
  let text: string;
  try {
    text = await gfile.readText(path);
  } catch (e) {
    if (e instanceof gfile.GFileError && e.code === 'NOT_FOUND') return null;
    throw e;
  }
  const st = parseCheckpointState(text, path);
  if (!st.modelCheckpointPath) throw new CheckpointError(`${path}: invalid checkpoint state: no model_checkpoint_path`);
  return {
    ...st,
    modelCheckpointPath: resolve(dir, st.modelCheckpointPath),
    allModelCheckpointPaths: st.allModelCheckpointPaths.map((p) => resolve(dir, p)),
  };
}

/** The newest checkpoint prefix of `dir`, or null (TF's tf.train.latest_checkpoint). */
export async function latestCheckpoint(dir: string, latestFilename = 'checkpoint'): Promise<string | null> {
  const st = await getCheckpointState(dir, latestFilename);
  if (!st) return null;
  if (await gfile.exists(indexFileName(st.modelCheckpointPath))) return st.modelCheckpointPath;
  return null;
}

/** Atomically rewrites `dir/checkpoint`. Paths inside `dir` are stored relative. */
export async function updateCheckpointState(
  dir: string,
  modelCheckpointPath: string,
  allModelCheckpointPaths: string[] = [],
  options: { latestFilename?: string; relativePaths?: boolean; timestamps?: number[]; lastPreservedTimestamp?: number } = {},
): Promise<void> {
  const all = [...allModelCheckpointPaths];
  if (all.length === 0 || all[all.length - 1] !== modelCheckpointPath) all.push(modelCheckpointPath);
  const rel = (p: string): string => (options.relativePaths === false ? p : relativeTo(dir, p));
  const text = formatCheckpointState({
    modelCheckpointPath: rel(modelCheckpointPath),
    allModelCheckpointPaths: all.map(rel),
    allModelCheckpointTimestamps: options.timestamps ?? [],
    lastPreservedTimestamp: options.lastPreservedTimestamp,
  });
  await gfile.writeFile(gfile.join(dir, options.latestFilename ?? 'checkpoint'), text, { atomic: true });
}
