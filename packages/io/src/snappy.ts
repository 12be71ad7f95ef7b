/**
 * Snappy raw-block decompression (google/snappy format_description.txt), as used by older
 * TensorFlow for SSTable blocks with compression type 1. No framing format.
 */

import { describeValue } from './gfile/types.js';

export class SnappyError extends Error {}

function checkInput(src: unknown, op: string): void {
  if (!(src instanceof Uint8Array)) throw new SnappyError(`${op}: src must be a Uint8Array (a raw Snappy block); found ${describeValue(src)}`);
}

export function snappyUncompressedLength(src: Uint8Array): number {
  checkInput(src, 'snappyUncompressedLength');
  let result = 0;
  let shift = 0;
  for (let i = 0; i < 5; i++) {
    if (i >= src.length) throw new SnappyError('truncated length preamble');
    const b = src[i]!;
    result += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) {
      if (result > 0xffffffff) throw new SnappyError(`uncompressed length ${result} exceeds 2^32-1`);
      return result;
    }
    shift += 7;
  }
  throw new SnappyError('length preamble longer than 5 bytes');
}

export function snappyDecompress(src: Uint8Array): Uint8Array {
  checkInput(src, 'snappyDecompress');
  let pos = 0;
  let total = 0;
  let shift = 0;
  for (;;) {
    if (pos >= src.length) throw new SnappyError('truncated length preamble');
    const b = src[pos++]!;
    total += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
    shift += 7;
    if (shift > 28) throw new SnappyError('length preamble longer than 5 bytes');
  }
  if (total > 0xffffffff) throw new SnappyError(`uncompressed length ${total} exceeds 2^32-1`);
  const n = src.length;
  // A tag of 3 input bytes yields at most 64 output bytes: a larger declared length is a corrupt
  // preamble, rejected before it is allocated.
  const most = Math.floor(((n - pos) * 64) / 3);
  if (total > most) throw new SnappyError(`the preamble declares ${total} bytes, but ${n - pos} bytes of input decompress to at most ${most}`);
  const out = new Uint8Array(total);
  let op = 0;
  while (pos < n) {
    const tag = src[pos++]!;
    const kind = tag & 3;
    if (kind === 0) {
      let len = tag >>> 2;
      if (len >= 60) {
        const extra = len - 59;
        if (pos + extra > n) throw new SnappyError(`truncated literal length at byte ${pos - 1}`);
        len = 0;
        for (let k = 0; k < extra; k++) len += src[pos + k]! * 2 ** (8 * k);
        pos += extra;
      }
      len += 1;
      if (pos + len > n) throw new SnappyError(`literal of ${len} bytes runs past the input at byte ${pos}`);
      if (op + len > total) throw new SnappyError(`output exceeds the declared length ${total}`);
      out.set(src.subarray(pos, pos + len), op);
      pos += len;
      op += len;
      continue;
    }
    let len: number;
    let offset: number;
    if (kind === 1) {
      if (pos >= n) throw new SnappyError('truncated copy');
      len = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | src[pos++]!;
    } else if (kind === 2) {
      if (pos + 2 > n) throw new SnappyError('truncated copy');
      len = (tag >>> 2) + 1;
      offset = src[pos]! | (src[pos + 1]! << 8);
      pos += 2;
    } else {
      if (pos + 4 > n) throw new SnappyError('truncated copy');
      len = (tag >>> 2) + 1;
      offset = (src[pos]! | (src[pos + 1]! << 8) | (src[pos + 2]! << 16) | (src[pos + 3]! << 24)) >>> 0;
      pos += 4;
    }
    if (offset === 0 || offset > op) throw new SnappyError(`copy offset ${offset} is invalid at output byte ${op}`);
    if (op + len > total) throw new SnappyError(`output exceeds the declared length ${total}`);
    if (offset >= len) {
      out.copyWithin(op, op - offset, op - offset + len);
      op += len;
    } else {
      for (let k = 0; k < len; k++, op++) out[op] = out[op - offset]!;
    }
  }
  if (op !== total) throw new SnappyError(`decompressed ${op} bytes but the preamble declares ${total}`);
  return out;
}
