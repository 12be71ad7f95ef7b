/** Seeded host-side random numbers for initializers (values are computed once, then uploaded). */
import { getRandomSeed } from '../random/seed.js';

/** mulberry32: small, fast, good enough for weight init; deterministic per seed. */
export class HostRandom {
  private state: number;
  private spare = 0;
  private hasSpare = false;
  constructor(seed: number) {
    this.state = (seed >>> 0) ^ 0x9e3779b9;
  }
  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Standard normal (Box–Muller). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    this.hasSpare = true;
    return r * Math.cos(2 * Math.PI * v);
  }
  /** Standard normal re-drawn while |x| > 2 (TensorFlow's truncated normal). */
  truncatedNormal(): number {
    for (;;) {
      const x = this.normal();
      if (Math.abs(x) <= 2) return x;
    }
  }
}

let globalSeed: number | null = null;
let counter = 0;

/**
 * Seeds the initializers that get no seed of their own (their graph-level seed) and restarts
 * their sequence. Without it, ef.setRandomSeed's global seed is used; with neither, values differ per run.
 */
export function setInitializerSeed(seed: number | null): void {
  globalSeed = seed;
  counter = 0;
}

/** A generator for one initializer call: op seed when given, else from the global seed and a counter. */
export function generatorFor(seed?: number): HostRandom {
  if (seed !== undefined) return new HostRandom(seed);
  const base = globalSeed ?? getRandomSeed();
  if (base === null) return new HostRandom((Math.random() * 2 ** 32) >>> 0);
  const n = counter++;
  return new HostRandom((Math.imul(base ^ 0x5bd1e995, 2654435761) + Math.imul(n + 1, 0x27d4eb2d)) >>> 0);
}
