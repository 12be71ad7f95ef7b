/**
 * Runs the SIMD max-pooling module (pool_module.ts) on its own private memory: the operands are
 * copied in, the result copied out (≈ 25 GB/s here: a fraction of the scalar loops' time).
 */
import type { defs } from '@eagerflow/core';
import { buildPoolModule, type PoolExports } from './pool_module.js';
import { align, lazySimd, PrivateWasm } from './private_wasm.js';

export class WasmPool extends PrivateWasm<PoolExports> {
  constructor() {
    super(buildPoolModule());
  }

  /** y = max pool of x (a 2×2 stride-2 geometry, c ≥ 4); false (y untouched) when memory is short. */
  maxPool(x: Float32Array, y: Float32Array, g: defs.PoolGeometry): boolean {
    const xLen = g.n * g.h * g.w * g.c;
    const yLen = g.n * g.oh * g.ow * g.c;
    const xOff = 16; // floats; keep address 0 unused
    const yOff = xOff + align(xLen);
    const mem = this.view(yOff + yLen);
    if (!mem) return false;
    mem.set(x.subarray(0, xLen), xOff);
    this.ex.maxPool(xOff * 4, yOff * 4, g.n, g.oh, g.ow, g.c * 4, g.w * g.c * 4, g.h * g.w * g.c * 4);
    y.set(mem.subarray(yOff, yOff + yLen));
    return true;
  }

  /** dx = max pool gradient (every element written); false (dx untouched) when memory is short. */
  maxPoolGrad(x: Float32Array, dy: Float32Array, dx: Float32Array, g: defs.PoolGeometry): boolean {
    const xLen = g.n * g.h * g.w * g.c;
    const yLen = g.n * g.oh * g.ow * g.c;
    const xOff = 16;
    const dyOff = xOff + align(xLen);
    const dxOff = dyOff + align(yLen);
    const mem = this.view(dxOff + xLen);
    if (!mem) return false;
    mem.set(x.subarray(0, xLen), xOff);
    mem.set(dy.subarray(0, yLen), dyOff);
    // Rows or columns no window covers (VALID on an odd size) get no gradient.
    if (2 * g.oh !== g.h || 2 * g.ow !== g.w) mem.fill(0, dxOff, dxOff + xLen);
    this.ex.maxPoolGrad(xOff * 4, dyOff * 4, dxOff * 4, g.n, g.oh, g.ow, g.c * 4, g.w * g.c * 4, g.h * g.w * g.c * 4);
    dx.set(mem.subarray(dxOff, dxOff + xLen));
    return true;
  }
}

/** The SIMD pooling engine, created on first use; null without WebAssembly SIMD (or EAGERFLOW_WASM=0). */
export const simdPool = lazySimd(() => new WasmPool());
