/**
 * safetensors (huggingface/safetensors): u64 LE header length N, N bytes of JSON header, then the
 * byte buffer. The writer reproduces the reference implementation's bytes (layout sorted by
 * dtype alignment descending then name, compact JSON with __metadata__ first, header padded
 * with spaces to a multiple of 8).
 */
import type * as ef from '@eagerflow/core';
import { bytesPerElement, numElements, rawBytes, rawFromBytes, rawToTensor, toRaw, type RawTensor, type RawValues, type StorageDType, type TensorInput } from './dtypes.js';
import * as gfile from './gfile/index.js';
import { describeValue } from './gfile/types.js';

export class SafetensorsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SafetensorsError';
  }
}

/** safetensors dtype strings in the reference `enum Dtype` order (increasing alignment). */
const DTYPE_ORDER = ['BOOL', 'F4', 'F6_E2M3', 'F6_E3M2', 'U8', 'I8', 'F8_E5M2', 'F8_E4M3', 'F8_E8M0', 'F8_E4M3FNUZ', 'F8_E5M2FNUZ', 'I16', 'U16', 'F16', 'BF16', 'I32', 'U32', 'F32', 'C64', 'F64', 'I64', 'U64'];

const TO_ST: Partial<Record<StorageDType, string>> = {
  bool: 'BOOL',
  uint8: 'U8',
  int8: 'I8',
  int16: 'I16',
  uint16: 'U16',
  float16: 'F16',
  bfloat16: 'BF16',
  int32: 'I32',
  uint32: 'U32',
  float32: 'F32',
  float64: 'F64',
  int64: 'I64',
  uint64: 'U64',
};
const FROM_ST = new Map(Object.entries(TO_ST).map(([k, v]) => [v, k as StorageDType]));
const MAX_HEADER = 100_000_000;
/** Deepest JSON nesting accepted (serde_json's recursion limit; a header needs 3). */
const MAX_DEPTH = 128;

export interface SafetensorsInfo {
  dtype: string;
  shape: number[];
  dataOffsets: [number, number];
}

export interface RawSafetensors {
  tensors: Map<string, RawTensor>;
  metadata: Record<string, string> | null;
  /** Header entries in file order, with their stored dtype string and offsets. */
  header: Map<string, SafetensorsInfo>;
  headerLength: number;
}

// A small JSON parser that rejects duplicate keys (JSON.parse keeps the last one silently).
function parseJsonStrict(text: string, where: string): unknown {
  let i = 0;
  let depth = 0;
  const fail = (msg: string): never => {
    throw new SafetensorsError(`${where}: invalid header JSON at character ${i}: ${msg}`);
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  // Nesting is bounded so that a deep header fails here rather than overflowing the stack (an
  // error ends the parse, so `depth` needs no unwinding).
  const value = (): unknown => {
    if (++depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`);
    const v = parseValue();
    depth--;
    return v;
  };
  const parseValue = (): unknown => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = Object.create(null);
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a string key');
        const k = str();
        if (Object.prototype.hasOwnProperty.call(obj, k)) fail(`duplicate key "${k}"`);
        ws();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        obj[k] = value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    const m = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
    if (!m) fail('unexpected token');
    i += m![0].length;
    return JSON.parse(m![0]);
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail('unterminated string');
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      i = start;
      return fail('invalid string (a bad escape or an unescaped control character)');
    }
  };
  const v = value();
  ws();
  if (i !== text.length) fail('trailing characters');
  return v;
}

/** Parses and validates a safetensors file held in memory. */
export function parseSafetensors(bytes: Uint8Array, where = 'safetensors'): RawSafetensors {
  if (!(bytes instanceof Uint8Array)) throw new SafetensorsError(`parseSafetensors: bytes must be a Uint8Array; found ${describeValue(bytes)}`);
  if (bytes.length < 8) throw new SafetensorsError(`${where}: file is ${bytes.length} bytes, too short for the 8-byte header length`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const n64 = dv.getBigUint64(0, true);
  if (n64 > BigInt(MAX_HEADER)) throw new SafetensorsError(`${where}: header length ${n64} exceeds the limit of ${MAX_HEADER} bytes`);
  const n = Number(n64);
  if (8 + n > bytes.length) throw new SafetensorsError(`${where}: header length ${n} runs past the end of the ${bytes.length}-byte file (truncated?)`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    throw new SafetensorsError(`${where}: header is not valid UTF-8`);
  }
  if (!text.startsWith('{')) throw new SafetensorsError(`${where}: header must start with '{'`);
  const json = parseJsonStrict(text, where); // the padding spaces are JSON whitespace
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new SafetensorsError(`${where}: header is not a JSON object`);
  const buffer = bytes.subarray(8 + n);
  let metadata: Record<string, string> | null = null;
  const header = new Map<string, SafetensorsInfo>();
  for (const [name, info] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (!info || typeof info !== 'object' || Array.isArray(info)) throw new SafetensorsError(`${where}: __metadata__ must be an object of strings`);
      for (const [k, v] of Object.entries(info)) {
        if (typeof v !== 'string') throw new SafetensorsError(`${where}: __metadata__ value for '${k}' is not a string`);
      }
      metadata = { ...(info as Record<string, string>) };
      continue;
    }
    const t = info as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const bad = (msg: string): never => {
      throw new SafetensorsError(`${where}: tensor '${name}': ${msg}`);
    };
    if (!t || typeof t !== 'object') bad('entry is not an object');
    if (typeof t.dtype !== 'string') bad('missing dtype');
    if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) bad(t.shape === undefined ? 'missing shape' : `invalid shape ${JSON.stringify(t.shape)} (expected an array of non-negative integers)`);
    const off = t.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) bad(off === undefined ? 'missing data_offsets' : `invalid data_offsets ${JSON.stringify(off)} (expected [begin, end] in bytes)`);
    const [b, e] = off as [number, number];
    if (e < b) bad(`data_offsets [${b}, ${e}] end before they begin`);
    header.set(name, { dtype: t.dtype as string, shape: t.shape as number[], dataOffsets: [b, e] });
  }
  // Validation of the reference implementation: sorted by offsets, tensors tile the buffer exactly.
  const sorted = [...header].sort((x, y) => x[1].dataOffsets[0] - y[1].dataOffsets[0] || x[1].dataOffsets[1] - y[1].dataOffsets[1]);
  let pos = 0;
  let prev = '';
  for (const [name, info] of sorted) {
    const [b, e] = info.dataOffsets;
    if (e > buffer.length) throw new SafetensorsError(`${where}: tensor '${name}': data_offsets [${b}, ${e}] out of range: the data buffer has ${buffer.length} bytes`);
    if (b < pos) throw new SafetensorsError(`${where}: tensor '${name}': data_offsets [${b}, ${e}] overlap tensor '${prev}' (which ends at ${pos})`);
    if (b > pos) throw new SafetensorsError(`${where}: tensor '${name}': data_offsets begin at ${b}, leaving a hole after byte ${pos}`);
    const dtype = FROM_ST.get(info.dtype);
    if (!dtype) {
      throw new SafetensorsError(
        `${where}: tensor '${name}': dtype ${info.dtype} is ${DTYPE_ORDER.includes(info.dtype) ? 'not supported by eagerflow' : 'unknown'}`,
      );
    }
    const need = numElements(info.shape) * bytesPerElement(dtype);
    if (e - b !== need) throw new SafetensorsError(`${where}: tensor '${name}': ${info.dtype} shape [${info.shape.join(', ')}] needs ${need} bytes, data_offsets give ${e - b}`);
    pos = e;
    prev = name;
  }
  if (pos !== buffer.length) throw new SafetensorsError(`${where}: the data buffer has ${buffer.length} bytes but tensors cover ${pos} (trailing bytes)`);
  const tensors = new Map<string, RawTensor>();
  for (const [name, info] of header) {
    const dtype = FROM_ST.get(info.dtype)! as Exclude<StorageDType, 'string'>;
    tensors.set(name, { dtype, shape: info.shape, values: rawFromBytes(dtype, buffer.subarray(info.dataOffsets[0], info.dataOffsets[1]).slice()) });
  }
  return { tensors, metadata, header, headerLength: n };
}

/** Exact stored values (Float64Array for F64, Uint16Array bits for F16/BF16, ...). */
export async function loadSafetensorsRaw(path: string): Promise<RawSafetensors> {
  return parseSafetensors(await gfile.readFile(path), path);
}

/**
 * Loads a safetensors file into eagerflow tensors: F32/F64/F16/BF16 → float32, I8/I16/I32/U8/U16
 * → int32, I64/U32/U64 → int64, BOOL → bool. `tensors` is in header order.
 */
export async function loadSafetensors(path: string): Promise<{ tensors: Map<string, ef.Tensor>; metadata: Record<string, string> | null }> {
  const raw = await loadSafetensorsRaw(path);
  const tensors = new Map<string, ef.Tensor>();
  for (const [k, v] of raw.tensors) tensors.set(k, rawToTensor(v, `${path}: tensor '${k}'`));
  return { tensors, metadata: raw.metadata };
}

/** Serialises tensors exactly as the reference `safetensors.serialize` does. */
export async function serializeSafetensors(
  tensors: Record<string, TensorInput> | Map<string, TensorInput>,
  metadata?: Record<string, string> | null,
  op = 'serializeSafetensors',
): Promise<Uint8Array> {
  if (typeof tensors !== 'object' || tensors === null) throw new SafetensorsError(`${op}: tensors must be an object or Map of name → tensor; found ${describeValue(tensors)}`);
  const items: [string, RawTensor, string][] = [];
  for (const [name, t] of tensors instanceof Map ? tensors : Object.entries(tensors)) {
    if (name === '__metadata__') throw new SafetensorsError("'__metadata__' is reserved and cannot name a tensor");
    let raw: RawTensor;
    try {
      raw = await toRaw(name, t);
    } catch (e) {
      throw new SafetensorsError(`${op}: ${(e as Error).message}`);
    }
    const st = TO_ST[raw.dtype];
    if (!st) throw new SafetensorsError(`${op}: tensor '${name}': dtype ${raw.dtype} has no safetensors equivalent`);
    items.push([name, raw, st]);
  }
  items.sort((a, b) => DTYPE_ORDER.indexOf(b[2]) - DTYPE_ORDER.indexOf(a[2]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const parts: string[] = [];
  if (metadata) {
    for (const [k, v] of Object.entries(metadata)) if (typeof v !== 'string') throw new SafetensorsError(`metadata value for '${k}' must be a string`);
    parts.push(`"__metadata__":${JSON.stringify(metadata)}`);
  }
  let offset = 0;
  for (const [name, raw, st] of items) {
    const size = numElements(raw.shape) * bytesPerElement(raw.dtype);
    parts.push(`${JSON.stringify(name)}:{"dtype":"${st}","shape":[${raw.shape.join(',')}],"data_offsets":[${offset},${offset + size}]}`);
    offset += size;
  }
  let header = new TextEncoder().encode(`{${parts.join(',')}}`);
  const padded = Math.ceil(header.length / 8) * 8;
  if (padded !== header.length) {
    const h = new Uint8Array(padded).fill(0x20);
    h.set(header);
    header = h;
  }
  const out = new Uint8Array(8 + header.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(header.length), true);
  out.set(header, 8);
  let pos = 8 + header.length;
  for (const [, raw] of items) {
    const b = rawBytes(raw.values as Exclude<RawValues, Uint8Array[]>);
    out.set(b, pos);
    pos += b.length;
  }
  return out;
}

/** Writes a safetensors file (atomically). */
export async function saveSafetensors(
  path: string,
  tensors: Record<string, TensorInput> | Map<string, TensorInput>,
  metadata?: Record<string, string> | null,
): Promise<void> {
  await gfile.writeFile(path, await serializeSafetensors(tensors, metadata, `saveSafetensors('${path}')`), { atomic: true });
}
