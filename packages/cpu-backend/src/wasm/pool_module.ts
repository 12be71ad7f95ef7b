/**
 * The SIMD max-pooling module (2×2 windows at stride 2, no padding: `isSimd2x2` in pool_util.ts),
 * generated at load time. NHWC; four channels per f32x4, a channel count that is not a multiple of
 * 4 ends with an overlapping chunk (channels c-4..c-1, recomputed alike), so c ≥ 4.
 *
 * `maxPool(x, y, n, oh, ow, cb, rs, is)`: y = each window's first maximum.
 * `maxPoolGrad(x, dy, dx, n, oh, ow, cb, rs, is)`: the window's four dx = 0 + dy at its first
 * maximum, +0 elsewhere (rows and columns no window covers are not written).
 * Addresses and strides in bytes: cb = c·4, rs = w·c·4 (an input row), is = h·w·c·4 (an image).
 *
 * The comparisons are the plain loops' (maxPoolArgmax), lane by lane and in the same order:
 * m = a; m = v > m ? v : m for v = b, c, d (row-major), as f32x4.gt and v128.bitselect. A NaN
 * wins only first in its window, and ±0 ties keep the first element, exactly as there.
 */
import { buildModule, Code, I32, V128, type ValType } from './emitter.js';

export interface PoolExports {
  maxPool(x: number, y: number, n: number, oh: number, ow: number, cb: number, rs: number, is: number): void;
  maxPoolGrad(x: number, dy: number, dx: number, n: number, oh: number, ow: number, cb: number, rs: number, is: number): void;
}

/** The window loops around `chunk`, which reads the locals A (window's top-left + QQ) and AC (A + rs). */
function windowLoops(grad: boolean, chunk: (k: Code, l: Locals) => void): { params: ValType[]; locals: ValType[]; body: Code } {
  const nIn = grad ? 3 : 2; // x, y | x, dy, dx
  const X = 0, OUT = 1;
  const N = nIn, OH = nIn + 1, OW = nIn + 2, CB = nIn + 3, RS = nIn + 4, IS = nIn + 5;
  let next = nIn + 6;
  const i32 = () => next++;
  const l: Locals = { X, OUT, DX: grad ? 2 : -1, CB, B: i32(), OY: i32(), OX: i32(), IP: i32(), RP: i32(), P: i32(), O: i32(), Q: i32(), QQ: i32(), LAST: i32(), A: i32(), AC: i32(), DOFF: i32(), M: 0, V: 0, G1: 0, G2: 0, G3: 0, DD: 0, Z: 0 };
  const nI32 = next - (nIn + 6);
  for (const name of ['M', 'V', 'G1', 'G2', 'G3', 'DD', 'Z'] as const) l[name] = next++;
  const k = new Code();
  const count = (counter: number, limit: number, body: () => void) => {
    k.i32_const(0).local_set(counter);
    k.block().loop();
    k.local_get(counter).local_get(limit).i32_ge_s().br_if(1);
    body();
    k.local_get(counter).i32_const(1).i32_add().local_set(counter);
    k.br(0).end().end();
  };
  k.local_get(X).local_set(l.IP);
  k.local_get(OUT).local_set(l.O);
  k.local_get(CB).i32_const(16).i32_sub().local_set(l.LAST);
  if (grad) k.local_get(l.DX).local_get(X).i32_sub().local_set(l.DOFF);
  k.v128_const0().local_set(l.Z);
  count(l.B, N, () => {
    k.local_get(l.IP).local_set(l.RP);
    count(l.OY, OH, () => {
      k.local_get(l.RP).local_set(l.P);
      count(l.OX, OW, () => {
        k.i32_const(0).local_set(l.Q);
        k.loop();
        // QQ = min(Q, cb - 16): the last chunk of a channel count that is not a multiple of 4 overlaps.
        k.local_get(l.Q).local_get(l.LAST).local_get(l.Q).local_get(l.LAST).i32_lt_s().select().local_set(l.QQ);
        k.local_get(l.P).local_get(l.QQ).i32_add().local_tee(l.A).local_get(RS).i32_add().local_set(l.AC);
        chunk(k, l);
        k.local_get(l.Q).i32_const(16).i32_add().local_tee(l.Q).local_get(CB).i32_lt_s().br_if(0);
        k.end();
        k.local_get(l.P).local_get(CB).i32_add().local_get(CB).i32_add().local_set(l.P);
        k.local_get(l.O).local_get(CB).i32_add().local_set(l.O);
      });
      k.local_get(l.RP).local_get(RS).i32_add().local_get(RS).i32_add().local_set(l.RP);
    });
    k.local_get(l.IP).local_get(IS).i32_add().local_set(l.IP);
  });
  return { params: Array<ValType>(nIn + 6).fill(I32), locals: [...Array<ValType>(nI32).fill(I32), ...Array<ValType>(7).fill(V128)], body: k };
}

interface Locals {
  X: number; OUT: number; DX: number; CB: number;
  B: number; OY: number; OX: number; IP: number; RP: number; P: number; O: number; Q: number; QQ: number; LAST: number; A: number; AC: number; DOFF: number;
  M: number; V: number; G1: number; G2: number; G3: number; DD: number; Z: number;
}

/** V = the f32x4 at byte address `base` (+ cb when `right`). */
function loadV(k: Code, l: Locals, base: number, right: boolean): void {
  k.local_get(base);
  if (right) k.local_get(l.CB).i32_add();
  k.v128_load(0, 0).local_set(l.V);
}

/** G = V > M; M = G ? V : M (lane-wise). */
function step(k: Code, l: Locals, g: number): void {
  k.local_get(l.V).local_get(l.M).f32x4_gt().local_set(g);
  k.local_get(l.V).local_get(l.M).local_get(g).v128_bitselect().local_set(l.M);
}

export function buildPoolModule(): Uint8Array<ArrayBuffer> {
  const fwd = windowLoops(false, (k, l) => {
    k.local_get(l.A).v128_load(0, 0).local_set(l.M);
    for (const [base, right] of [[l.A, true], [l.AC, false], [l.AC, true]] as const) {
      loadV(k, l, base, right);
      k.local_get(l.V).local_get(l.M).local_get(l.V).local_get(l.M).f32x4_gt().v128_bitselect().local_set(l.M);
    }
    k.local_get(l.O).local_get(l.QQ).i32_add().local_get(l.M).v128_store(0, 0);
  });
  const bwd = windowLoops(true, (k, l) => {
    k.local_get(l.A).v128_load(0, 0).local_set(l.M);
    loadV(k, l, l.A, true);
    step(k, l, l.G1);
    loadV(k, l, l.AC, false);
    step(k, l, l.G2);
    loadV(k, l, l.AC, true);
    k.local_get(l.V).local_get(l.M).f32x4_gt().local_set(l.G3);
    // DD = dy + 0 (as `dx[arg] += dy` on a zeroed dx: -0 → +0); V = G2 | G3.
    k.local_get(l.O).local_get(l.QQ).i32_add().v128_load(0, 0).local_get(l.Z).f32x4_add().local_set(l.DD);
    k.local_get(l.G2).local_get(l.G3).v128_or().local_set(l.V);
    const dxAt = (base: number, right: boolean) => {
      k.local_get(base).local_get(l.DOFF).i32_add();
      if (right) k.local_get(l.CB).i32_add();
    };
    dxAt(l.A, false); // a: no later element won
    k.local_get(l.DD).local_get(l.G1).local_get(l.V).v128_or().v128_andnot().v128_store(0, 0);
    dxAt(l.A, true); // b: won its compare, neither c nor d did
    k.local_get(l.DD).local_get(l.G1).local_get(l.V).v128_andnot().v128_and().v128_store(0, 0);
    dxAt(l.AC, false); // c
    k.local_get(l.DD).local_get(l.G2).local_get(l.G3).v128_andnot().v128_and().v128_store(0, 0);
    dxAt(l.AC, true); // d
    k.local_get(l.DD).local_get(l.G3).v128_and().v128_store(0, 0);
  });
  return buildModule({ module: 'env', field: 'mem', initialPages: 1 }, [
    { name: 'maxPool', params: fwd.params, results: [], locals: fwd.locals, body: fwd.body },
    { name: 'maxPoolGrad', params: bwd.params, results: [], locals: bwd.locals, body: bwd.body },
  ]);
}
