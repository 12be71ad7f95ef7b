/**
 * Image file codecs (TensorFlow's tf.image.decode_jpeg / decode_png / decode_image / encode_jpeg /
 * encode_png), eagerly: bytes in, an HWC tensor out, and back.
 *
 * The pixel work is done by two pure-JS libraries that run in Node and in browsers: `jpeg-js`
 * (baseline and progressive JPEG) and `fast-png` (every PNG colour type and bit depth). This file
 * adds TensorFlow's semantics around them: magic-byte checks, a JPEG marker walk that rejects
 * truncated files, the `channels` conversions, dtypes and error messages.
 *
 * eagerflow has no uint8 dtype: decoded images are int32 tensors holding 0..255 (0..65535 for
 * 16-bit PNGs), or float32 in [0, 1] with `dtype: 'float32'`.
 */
import * as ef from '@eagerflow/core';
import type { Tensor } from '@eagerflow/core';
import jpeg from 'jpeg-js';
import { decode as pngDecode, encode as pngEncode, convertIndexedToRgb, type DecodedPng } from 'fast-png';
import { describeValue, InvalidArgumentError } from './errors.js';

/** Options of the decoders (TensorFlow's `channels` and `dtype` arguments). */
export interface DecodeImageOptions {
  /**
   * Channels of the result: 0 = as stored in the file (a gray+alpha PNG gives 2), 1 = grayscale,
   * 3 = RGB, 4 = RGBA (PNG only). Default 0.
   */
  channels?: 0 | 1 | 3 | 4;
  /**
   * 'int32' (default): the file's sample values, 0..255 (0..65535 for 16-bit PNGs). 'float32': the
   * same divided by the bit depth's maximum (255 or 65535), in [0, 1] (TensorFlow's decode_image
   * with dtype=tf.float32, i.e. convert_image_dtype of the decoded image).
   */
  dtype?: 'int32' | 'float32';
}

export interface EncodePngOptions {
  /** zlib level 0..9, or -1 for the default (TensorFlow's `compression`). */
  compression?: number;
  /** 8 (default) or 16 bits per sample; int32 input must lie in 0..2^bitDepth - 1. */
  bitDepth?: 8 | 16;
}

export interface EncodeJpegOptions {
  /** 0..100 (TensorFlow's default 95). */
  quality?: number;
}

/** The file bytes: a Uint8Array, or a scalar 'string' tensor holding them (TFRecord, readFile). */
export type ImageBytes = Uint8Array | Tensor;

const JPEG_MAGIC = [0xff, 0xd8, 0xff];
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const hex = (bytes: ArrayLike<number>, n: number): string =>
  Array.from({ length: Math.min(n, bytes.length) }, (_, i) => bytes[i]!.toString(16).toUpperCase().padStart(2, '0')).join(' ') || '(empty input)';
const startsWith = (b: Uint8Array, magic: readonly number[]): boolean => b.length >= magic.length && magic.every((m, i) => b[i] === m);
const fail = (op: string, msg: string): never => {
  throw new InvalidArgumentError(`${op}: ${msg}`);
};

function bytesOf(op: string, contents: ImageBytes): Uint8Array {
  if (contents instanceof Uint8Array) return contents;
  if (contents instanceof ef.Tensor) {
    if (contents.dtype !== 'string' || contents.size !== 1) {
      fail(op, `contents must be a scalar string tensor holding the file bytes, found a ${contents.dtype} tensor of shape [${contents.shape.join(',')}]`);
    }
    return (contents.dataSync() as Uint8Array[])[0]!;
  }
  return fail(op, `contents must be a Uint8Array or a scalar string tensor, found ${describeValue(contents)}`);
}

function checkDecodeOptions(op: string, options: DecodeImageOptions, allowed: readonly number[]): { channels: number; dtype: 'int32' | 'float32' } {
  const channels = options.channels ?? 0;
  if (!allowed.includes(channels)) fail(op, `channels must be one of ${allowed.join(', ')}, found ${String(channels)}`);
  const dtype = options.dtype ?? 'int32';
  if (dtype !== 'int32' && dtype !== 'float32') fail(op, `dtype must be 'int32' or 'float32', found ${String(dtype)}`);
  return { channels, dtype };
}

/** TensorFlow's rgb_to_grayscale weights, rounded to the sample type. */
const grayOf = (r: number, g: number, b: number): number => Math.round(0.2989 * r + 0.587 * g + 0.114 * b);

/**
 * Converts interleaved samples with `from` channels (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA) to `to`
 * channels with TensorFlow's rules: gray → RGB replicates, RGB → gray uses rgb_to_grayscale's
 * weights, alpha is dropped or added as the maximum (`opaque`).
 */
function convertChannels(src: ArrayLike<number>, pixels: number, from: number, to: number, opaque: number): Int32Array {
  const out = new Int32Array(pixels * to);
  if (from === to) {
    for (let i = 0; i < out.length; i++) out[i] = src[i]!;
    return out;
  }
  const hasAlpha = from === 2 || from === 4;
  for (let p = 0, s = 0, o = 0; p < pixels; p++, s += from, o += to) {
    let r: number, g: number, b: number;
    if (from <= 2) {
      r = g = b = src[s]!;
    } else {
      r = src[s]!;
      g = src[s + 1]!;
      b = src[s + 2]!;
    }
    const a = hasAlpha ? src[s + from - 1]! : opaque;
    if (to === 1 || to === 2) {
      out[o] = from <= 2 ? r : grayOf(r, g, b);
      if (to === 2) out[o + 1] = a;
    } else {
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
      if (to === 4) out[o + 3] = a;
    }
  }
  return out;
}

function finish(values: Int32Array, shape: number[], dtype: 'int32' | 'float32', max: number): Tensor {
  if (dtype === 'int32') return ef.makeTensor(values, shape, 'int32');
  const f = new Float32Array(values.length);
  for (let i = 0; i < f.length; i++) f[i] = values[i]! / max;
  return ef.makeTensor(f, shape, 'float32');
}

// ---- JPEG ------------------------------------------------------------------------------------

interface JpegInfo {
  width: number;
  height: number;
  components: number;
  precision: number;
}

/** Start-of-frame markers FF C0..CF, except DHT (C4), JPG (C8) and DAC (CC). */
const isSofMarker = (m: number): boolean => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

/** What the marker segments define and use, checked before the decoder (which crashes on dangling references). */
interface JpegTables {
  quant: Set<number>;
  /** Huffman tables by class: [DC, AC]. */
  huffman: [Set<number>, Set<number>];
  /** Frame components: id → quantization table. */
  frame: Map<number, number>;
  hMax: number;
  vMax: number;
  /** Huffman-coded frame (SOF0..SOF2), as the decoder reads. */
  huffmanCoded: boolean;
}

/** Checks the table, frame and scan headers of one marker segment (data in b[start, end)). */
function checkJpegSegment(op: string, b: Uint8Array, marker: number, start: number, end: number, t: JpegTables): void {
  const bad = (msg: string): never => fail(op, `corrupt JPEG: ${msg} (in the FF ${hex([marker], 1)} segment at byte ${start - 4})`);
  if (marker === 0xdb) {
    // DQT: one or more (precision << 4 | id, 64 values of 1 or 2 bytes).
    for (let p = start; p < end; ) {
      const precision = b[p]! >> 4;
      const id = b[p]! & 15;
      if (precision > 1 || id > 3) bad(`quantization table spec 0x${hex([b[p]!], 1)}: expected precision 0 or 1 and table id 0..3`);
      p += 1 + 64 * (precision + 1);
      if (p > end) bad(`quantization table ${id} runs past the end of the segment`);
      t.quant.add(id);
    }
  } else if (marker === 0xc4) {
    // DHT: one or more (class << 4 | id, 16 code counts, the symbols).
    for (let p = start; p < end; ) {
      const cls = b[p]! >> 4;
      const id = b[p]! & 15;
      if (cls > 1 || id > 3) bad(`Huffman table spec 0x${hex([b[p]!], 1)}: expected class 0 or 1 and table id 0..3`);
      if (p + 17 > end) bad(`Huffman table ${id} runs past the end of the segment`);
      let symbols = 0;
      for (let k = 1; k <= 16; k++) symbols += b[p + k]!;
      p += 17 + symbols;
      if (p > end) bad(`Huffman table ${id} (${symbols} symbols) runs past the end of the segment`);
      t.huffman[cls as 0 | 1].add(id);
    }
  } else if (isSofMarker(marker)) {
    if (t.frame.size) bad('a second frame header: only single-frame JPEGs are supported');
    const count = b[start + 5]!;
    if (end - start !== 6 + 3 * count) bad(`frame header of ${end - start + 2} bytes, expected ${8 + 3 * count} for ${count} components`);
    for (let p = start + 6; p < end; p += 3) {
      const h = b[p + 1]! >> 4;
      const v = b[p + 1]! & 15;
      if (h < 1 || h > 4 || v < 1 || v > 4) bad(`component ${b[p]} has sampling factors ${h}x${v}, expected 1..4 each`);
      if (b[p + 2]! > 3) bad(`component ${b[p]} uses quantization table ${b[p + 2]}, expected 0..3`);
      t.frame.set(b[p]!, b[p + 2]!);
      t.hMax = Math.max(t.hMax, h);
      t.vMax = Math.max(t.vMax, v);
    }
    t.huffmanCoded = marker <= 0xc2;
  } else if (marker === 0xda) {
    if (!t.frame.size) bad('no frame header (SOF marker) before the scan');
    const count = end > start ? b[start]! : 0;
    if (count < 1 || count > 4 || end - start !== 4 + 2 * count) bad(`scan header of ${end - start + 2} bytes for ${count} components, expected ${6 + 2 * count} for 1..4`);
    const spectralStart = b[start + 1 + 2 * count]!;
    const spectralEnd = b[start + 2 + 2 * count]!;
    const refining = b[start + 3 + 2 * count]! >> 4 > 0;
    for (let p = start + 1; p < start + 1 + 2 * count; p += 2) {
      if (!t.frame.has(b[p]!)) bad(`the scan refers to component ${b[p]}, the frame has components ${[...t.frame.keys()].join(', ')}`);
      // DC values are Huffman-coded in the first DC pass, AC values in every AC pass.
      if (spectralStart === 0 && !refining && !t.huffman[0].has(b[p + 1]! >> 4)) bad(`component ${b[p]} uses DC Huffman table ${b[p + 1]! >> 4}, which is not defined`);
      if (spectralEnd > 0 && !t.huffman[1].has(b[p + 1]! & 15)) bad(`component ${b[p]} uses AC Huffman table ${b[p + 1]! & 15}, which is not defined`);
    }
  }
}

/**
 * Walks the JPEG marker segments and the entropy-coded data up to EOI, so a truncated or mangled
 * file is an error here rather than a partly gray image from the (tolerant) decoder.
 */
function scanJpeg(op: string, b: Uint8Array): JpegInfo {
  const n = b.length;
  let info: JpegInfo | undefined;
  let pos = 2;
  let coded = 0; // bytes of entropy-coded data
  const tables: JpegTables = { quant: new Set(), huffman: [new Set(), new Set()], frame: new Map(), hMax: 1, vMax: 1, huffmanCoded: false };
  const truncated = (what: string): never => fail(op, `truncated JPEG: the file ends (${n} bytes) inside ${what}, before the end-of-image marker FF D9`);
  for (;;) {
    if (pos >= n) truncated('the marker segments');
    if (b[pos] !== 0xff) fail(op, `corrupt JPEG: expected a marker (FF xx) at byte ${pos}, found ${hex(b.subarray(pos), 2)}`);
    while (pos < n && b[pos] === 0xff) pos++; // fill bytes
    if (pos >= n) truncated('a marker');
    const marker = b[pos++]!;
    if (marker === 0xd9) break; // EOI
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // no length
    if (marker === 0xd8 || marker === 0x00) fail(op, `corrupt JPEG: unexpected marker FF ${hex([marker], 1)} at byte ${pos - 2}`);
    if (pos + 2 > n) truncated(`the FF ${hex([marker], 1)} segment`);
    const len = (b[pos]! << 8) | b[pos + 1]!;
    if (len < 2) fail(op, `corrupt JPEG: segment FF ${hex([marker], 1)} at byte ${pos - 2} has length ${len}`);
    if (pos + len > n) truncated(`the FF ${hex([marker], 1)} segment`);
    if (isSofMarker(marker)) {
      if (len < 8) fail(op, `corrupt JPEG: frame header of ${len} bytes`);
      info = { precision: b[pos + 2]!, height: (b[pos + 3]! << 8) | b[pos + 4]!, width: (b[pos + 5]! << 8) | b[pos + 6]!, components: b[pos + 7]! };
    }
    checkJpegSegment(op, b, marker, pos + 2, pos + len, tables);
    pos += len;
    if (marker === 0xda) {
      // Entropy-coded data: runs to the next marker other than a stuffed FF 00 or a restart FF Dn.
      const start = pos;
      for (;;) {
        if (pos + 1 >= n) truncated('the compressed image data');
        if (b[pos] === 0xff) {
          const m = b[pos + 1]!;
          if (m === 0x00 || (m >= 0xd0 && m <= 0xd7)) pos += 2;
          else break;
        } else pos++;
      }
      coded += pos - start;
    }
  }
  if (!info) return fail(op, 'corrupt JPEG: no frame header (SOF marker) before the end-of-image marker');
  if (info.precision !== 8) fail(op, `only 8-bit JPEGs are supported, found a ${info.precision}-bit one`);
  if (info.width === 0 || info.height === 0) fail(op, `corrupt JPEG: frame size ${info.width}x${info.height}`);
  if (info.components !== 1 && info.components !== 3 && info.components !== 4) fail(op, `unsupported JPEG with ${info.components} colour components (expected 1, 3 or 4)`);
  for (const [id, q] of tables.frame) if (!tables.quant.has(q)) fail(op, `corrupt JPEG: component ${id} uses quantization table ${q}, which is not defined`);
  // Every block of the first DC scan takes at least one bit: a frame far larger than the data is a
  // corrupt size field, refused before the decoder allocates for it.
  const units = Math.ceil(info.width / (8 * tables.hMax)) * Math.ceil(info.height / (8 * tables.vMax));
  if (tables.huffmanCoded && units > coded * 8) {
    fail(op, `corrupt JPEG: the frame header says ${info.width}x${info.height} (${units} coded units of at least one bit), but the file holds ${coded} bytes of compressed image data`);
  }
  return info;
}

function decodeJpegBytes(op: string, b: Uint8Array, channels: number, dtype: 'int32' | 'float32'): Tensor {
  if (!startsWith(b, JPEG_MAGIC)) fail(op, `not a JPEG file (expected magic FF D8 FF, found ${hex(b, 3)})`);
  if (channels === 4) fail(op, 'channels must be 0, 1 or 3 for a JPEG, found 4');
  const info = scanJpeg(op, b);
  let img: { width: number; height: number; data: Uint8Array };
  try {
    img = jpeg.decode(b, { useTArray: true, formatAsRGBA: false, tolerantDecoding: true });
  } catch (e) {
    return fail(op, `invalid JPEG data: ${(e as Error).message}`);
  }
  if (img.width !== info.width || img.height !== info.height || img.data.length !== img.width * img.height * 3) {
    fail(op, `invalid JPEG data: the frame header says ${info.width}x${info.height} but ${img.width}x${img.height} was decoded`);
  }
  // jpeg-js always yields RGB; a one-component file has R = G = B (its only channel).
  const stored = info.components === 1 ? 1 : 3;
  const want = channels === 0 ? stored : channels;
  const pixels = img.width * img.height;
  let values: Int32Array;
  if (stored === 1 && want === 1) {
    values = new Int32Array(pixels);
    for (let p = 0; p < pixels; p++) values[p] = img.data[3 * p]!;
  } else values = convertChannels(img.data, pixels, 3, want, 255);
  return finish(values, [img.height, img.width, want], dtype, 255);
}

/**
 * Decodes a JPEG file (TensorFlow's tf.image.decode_jpeg) into [height, width, channels]:
 * int32 0..255 (or float32 [0, 1] with `dtype: 'float32'`). `channels`: 0 = as stored (1 or 3),
 * 1 = grayscale, 3 = RGB. Baseline and progressive JPEGs; a truncated or corrupt file throws.
 */
export function decodeJpeg(contents: ImageBytes, options: DecodeImageOptions = {}): Tensor {
  const op = 'decodeJpeg';
  const { channels, dtype } = checkDecodeOptions(op, options, [0, 1, 3]);
  return decodeJpegBytes(op, bytesOf(op, contents), channels, dtype);
}

// ---- PNG -------------------------------------------------------------------------------------

/** Unpacks 1/2/4-bit gray rows (each row starts on a byte) to one sample per pixel, scaled to 0..255. */
function unpackLowDepth(png: DecodedPng): Uint8Array {
  const { width, height, depth } = png;
  const data = png.data as Uint8Array;
  const rowBytes = Math.ceil((width * depth) / 8);
  const scale = 255 / ((1 << depth) - 1);
  const mask = (1 << depth) - 1;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const v = (data[y * rowBytes + (bit >> 3)]! >> (8 - depth - (bit & 7))) & mask;
      out[y * width + x] = Math.round(v * scale);
    }
  }
  return out;
}

/** Walks the chunk list (length, type, data, CRC) to IEND, so a truncated file is named as such. */
function scanPng(op: string, b: Uint8Array): void {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let pos = PNG_MAGIC.length;
  for (;;) {
    if (pos + 8 > b.length) fail(op, `truncated PNG: the file ends (${b.length} bytes) before the IEND chunk`);
    const len = dv.getUint32(pos);
    const type = String.fromCharCode(b[pos + 4]!, b[pos + 5]!, b[pos + 6]!, b[pos + 7]!);
    if (!/^[A-Za-z]{4}$/.test(type)) fail(op, `corrupt PNG: expected a chunk type at byte ${pos + 4}, found ${hex(b.subarray(pos + 4), 4)}`);
    if (pos === PNG_MAGIC.length && type !== 'IHDR') fail(op, `corrupt PNG: the first chunk must be IHDR, found ${type}`);
    if (pos + 12 + len > b.length) fail(op, `truncated PNG: the file ends (${b.length} bytes) inside the ${type} chunk at byte ${pos}, before the IEND chunk`);
    pos += 12 + len;
    if (type === 'IEND') return;
  }
}

function decodePngBytes(op: string, b: Uint8Array, channels: number, dtype: 'int32' | 'float32'): Tensor {
  if (!startsWith(b, PNG_MAGIC)) fail(op, `not a PNG file (expected magic 89 50 4E 47 0D 0A 1A 0A, found ${hex(b, 8)})`);
  scanPng(op, b);
  let png: DecodedPng;
  try {
    png = pngDecode(b, { checkCrc: true });
  } catch (e) {
    const err = e as Error & { cause?: unknown };
    // fast-png reads a missing row's filter byte as `undefined`, or cannot allocate a declared size
    // beyond any typed array: both mean the IHDR size is more than the image data holds.
    if (/filter: undefined|typed array length/.test(err.message)) {
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      return fail(op, `invalid PNG data: the IHDR chunk declares a ${dv.getUint32(16)}x${dv.getUint32(20)} image, but the image data ends before it is complete`);
    }
    const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
    return fail(op, `invalid PNG data: ${err.message.replace(/:\s*$/, '')}${cause}`);
  }
  const { width, height } = png;
  const pixels = width * height;
  let samples: ArrayLike<number>;
  let stored: number;
  let max = 255;
  if (png.palette) {
    samples = convertIndexedToRgb(png);
    stored = png.palette[0]!.length; // 3, or 4 with a tRNS chunk
  } else {
    stored = png.channels;
    if (png.depth < 8) samples = unpackLowDepth(png);
    else {
      samples = png.data;
      if (png.depth === 16) max = 65535;
    }
  }
  if (samples.length !== pixels * stored) fail(op, `invalid PNG data: ${samples.length} samples for ${width}x${height}x${stored}`);
  const want = channels === 0 ? stored : channels;
  return finish(convertChannels(samples, pixels, stored, want, max), [height, width, want], dtype, max);
}

/**
 * Decodes a PNG file (TensorFlow's tf.image.decode_png) into [height, width, channels]: int32
 * 0..255, 0..65535 for 16-bit files (or float32 [0, 1] with `dtype: 'float32'`). `channels`: 0 =
 * as stored (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA; palette images give 3, or 4 with transparency),
 * 1, 3 or 4. 1/2/4-bit gray is scaled to 0..255 as libpng does; CRCs are checked.
 */
export function decodePng(contents: ImageBytes, options: DecodeImageOptions = {}): Tensor {
  const op = 'decodePng';
  const { channels, dtype } = checkDecodeOptions(op, options, [0, 1, 3, 4]);
  return decodePngBytes(op, bytesOf(op, contents), channels, dtype);
}

/**
 * Decodes a JPEG or PNG file, chosen by its magic bytes (TensorFlow's tf.image.decode_image, for
 * the formats eagerflow reads). GIF and BMP files, and anything else, throw naming what was found.
 */
export function decodeImage(contents: ImageBytes, options: DecodeImageOptions = {}): Tensor {
  const op = 'decodeImage';
  const { channels, dtype } = checkDecodeOptions(op, options, [0, 1, 3, 4]);
  const b = bytesOf(op, contents);
  if (startsWith(b, JPEG_MAGIC)) return decodeJpegBytes(op, b, channels, dtype);
  if (startsWith(b, PNG_MAGIC)) return decodePngBytes(op, b, channels, dtype);
  let found = `magic ${hex(b, 4)}`;
  if (startsWith(b, [0x47, 0x49, 0x46, 0x38])) found = 'a GIF file (magic 47 49 46 38, "GIF8"), which eagerflow cannot decode';
  else if (startsWith(b, [0x42, 0x4d])) found = 'a BMP file (magic 42 4D, "BM"), which eagerflow cannot decode';
  return fail(op, `unknown image format: expected a JPEG (magic FF D8 FF) or a PNG (magic 89 50 4E 47), found ${found}`);
}

// ---- encoders --------------------------------------------------------------------------------

/** Reads an HWC image tensor into integer samples of 0..max (float32: [0, 1] × max, rounded, clamped). */
function imageSamples(op: string, image: Tensor, allowedChannels: readonly number[], max: number): { data: Uint8Array | Uint16Array; h: number; w: number; c: number } {
  if (!(image instanceof ef.Tensor)) fail(op, `image must be a Tensor of shape [height, width, channels], found ${describeValue(image)}`);
  if (image.isDisposed) fail(op, `image (shape [${image.shape.join(',')}], ${image.dtype}) was disposed`);
  if (image.rank !== 3) fail(op, `image must be 3-D [height, width, channels], found shape [${image.shape.join(',')}]`);
  const [h, w, c] = image.shape as [number, number, number];
  if (!allowedChannels.includes(c)) fail(op, `image must have ${allowedChannels.join(', ')} channels, found ${c} (shape [${image.shape.join(',')}])`);
  if (h === 0 || w === 0) fail(op, `image must not be empty, found shape [${image.shape.join(',')}]`);
  if (image.dtype !== 'int32' && image.dtype !== 'float32') fail(op, `image must be int32 (0..${max}) or float32 ([0, 1]), found ${image.dtype}`);
  const src = image.dataSync() as Int32Array | Float32Array;
  const data = max > 255 ? new Uint16Array(src.length) : new Uint8Array(src.length);
  if (image.dtype === 'int32') {
    for (let i = 0; i < src.length; i++) {
      const v = src[i]!;
      if (v < 0 || v > max) fail(op, `int32 image values must lie in 0..${max}, found ${v} at flat index ${i}`);
      data[i] = v;
    }
  } else {
    for (let i = 0; i < src.length; i++) {
      const v = Math.round(src[i]! * max);
      data[i] = v > max ? max : v > 0 ? v : 0; // NaN → 0
    }
  }
  return { data, h, w, c };
}

/**
 * Encodes an image as PNG (TensorFlow's tf.image.encode_png). `image`: [height, width, channels]
 * with 1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA) channels, int32 holding 0..255 (0..65535 with
 * `bitDepth: 16`) or float32 in [0, 1] (× 255 or 65535, rounded, clamped). Returns the file bytes;
 * `ef.makeTensor([bytes], [], 'string')` wraps them as TensorFlow's scalar string.
 */
export function encodePng(image: Tensor, options: EncodePngOptions = {}): Uint8Array {
  const op = 'encodePng';
  const bitDepth = options.bitDepth ?? 8;
  if (bitDepth !== 8 && bitDepth !== 16) fail(op, `bitDepth must be 8 or 16, found ${String(bitDepth)}`);
  const { data, h, w, c } = imageSamples(op, image, [1, 2, 3, 4], bitDepth === 16 ? 65535 : 255);
  return pngBytes(op, data, h, w, c, bitDepth, options.compression ?? -1);
}

/**
 * A PNG of 8-bit HWC samples (0..255) held in any array — for callers with raw pixels and no
 * tensor, such as the TensorBoard image summaries.
 */
export function encodePngPixels(pixels: ArrayLike<number>, height: number, width: number, channels: number): Uint8Array {
  const op = 'encodePngPixels';
  if (![1, 2, 3, 4].includes(channels)) fail(op, `channels must be 1..4, found ${describeValue(channels)}`);
  for (const [arg, v] of [['height', height], ['width', width]] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) fail(op, `${arg} must be a positive integer, found ${describeValue(v)}`);
  }
  if (typeof pixels?.length !== 'number' || typeof pixels === 'string') fail(op, `pixels must be an array or typed array of 0..255 values, found ${describeValue(pixels)}`);
  if (pixels.length !== height * width * channels) fail(op, `${pixels.length} values for ${height}x${width}x${channels} (expected ${height * width * channels})`);
  const data = new Uint8Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i]!;
    if (!(v >= 0 && v <= 255 && Number.isInteger(v))) fail(op, `pixel values must be integers in 0..255, found ${describeValue(v)} at flat index ${i}`);
    data[i] = v;
  }
  return pngBytes(op, data, height, width, channels, 8, -1);
}

function pngBytes(op: string, data: Uint8Array | Uint16Array, h: number, w: number, c: number, depth: 8 | 16, compression: number): Uint8Array {
  if (!Number.isInteger(compression) || compression < -1 || compression > 9) fail(op, `compression must be an integer in -1..9, found ${compression}`);
  const zlib = compression === -1 ? {} : { level: compression as 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 };
  return pngEncode({ width: w, height: h, data, depth, channels: c }, { zlib });
}

/**
 * Encodes an image as a baseline JPEG (TensorFlow's tf.image.encode_jpeg). `image`: [height, width,
 * channels] with 1 or 3 channels, int32 0..255 or float32 [0, 1] (× 255, rounded, clamped);
 * `quality` 0..100, default 95. Returns the file bytes. The encoder (jpeg-js) always writes a
 * three-component YCbCr file with 4:4:4 sampling: a 1-channel image is stored as equal R, G, B, so
 * decode it with `channels: 1` to get one channel back.
 */
export function encodeJpeg(image: Tensor, options: EncodeJpegOptions = {}): Uint8Array {
  const op = 'encodeJpeg';
  const quality = options.quality ?? 95;
  if (typeof quality !== 'number' || !Number.isInteger(quality) || quality < 0 || quality > 100) fail(op, `quality must be an integer in 0..100, found ${String(quality)}`);
  const { data, h, w, c } = imageSamples(op, image, [1, 3], 255);
  // jpeg-js reads RGBA.
  const rgba = new Uint8Array(h * w * 4);
  for (let p = 0, s = 0; p < h * w; p++, s += c) {
    rgba[4 * p] = data[s]!;
    rgba[4 * p + 1] = data[c === 1 ? s : s + 1]!;
    rgba[4 * p + 2] = data[c === 1 ? s : s + 2]!;
    rgba[4 * p + 3] = 255;
  }
  // jpeg-js returns Buffer.from(bytes) whenever `module` exists (also in CJS-wrapping bundles). In a
  // browser without a Buffer global, lend it a minimal one for this synchronous call.
  const g = globalThis as { Buffer?: unknown };
  const lent = g.Buffer === undefined;
  if (lent) g.Buffer = { from: (a: ArrayLike<number>) => Uint8Array.from(a) };
  try {
    // jpeg-js treats quality 0 as "unset" (50); its scale clamps to 1 anyway.
    const out = jpeg.encode({ width: w, height: h, data: rgba }, Math.max(1, quality)).data;
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } finally {
    if (lent) delete g.Buffer;
  }
}
