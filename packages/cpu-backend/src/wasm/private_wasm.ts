/**
 * What the small SIMD engines (wasm_pool.ts, wasm_grad.ts, wasm_update.ts) share: a generated
 * module on its own growable memory, operands copied in and results copied out, created on first
 * use. The GEMM (wasm_gemm.ts) has its own memory (shared with a helper thread where it can).
 */

/** An environment variable where there is one (Node), else undefined. */
export function envFlag(name: string): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
}

/** x rounded up to a multiple of 16 floats (64 bytes). */
export const align = (x: number) => Math.ceil(x / 16) * 16;

const PAGE = 65536;
/** Floats a private memory may hold: byte addresses stay within i32. */
const MAX_FLOATS = 2 ** 29;

/** A generated module on its own growable memory. */
export class PrivateWasm<E> {
  readonly memory = new WebAssembly.Memory({ initial: 1 });
  protected readonly ex: E;
  private f32 = new Float32Array(0);

  constructor(bytes: Uint8Array<ArrayBuffer>) {
    this.ex = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { mem: this.memory } }).exports as unknown as E;
  }

  /** A view of at least `floats` floats, growing the memory; null when it cannot grow (or past MAX_FLOATS). */
  protected view(floats: number): Float32Array | null {
    if (floats > MAX_FLOATS) return null;
    const have = this.memory.buffer.byteLength;
    if (floats * 4 > have) {
      try {
        this.memory.grow(Math.ceil((floats * 4 - have) / PAGE));
      } catch {
        return null;
      }
    }
    if (this.f32.buffer !== this.memory.buffer) this.f32 = new Float32Array(this.memory.buffer);
    return this.f32;
  }
}

/** An engine created on first use; null without WebAssembly SIMD (or with EAGERFLOW_WASM=0). */
export function lazySimd<T>(make: () => T): () => T | null {
  let instance: T | null | undefined;
  return () => {
    if (instance !== undefined) return instance;
    instance = null;
    if (typeof WebAssembly === 'undefined' || envFlag('EAGERFLOW_WASM') === '0') return null;
    try {
      instance = make();
    } catch {
      instance = null; // no SIMD, or synchronous compilation refused (browser main thread)
    }
    return instance;
  };
}
