import { initializers } from '@eagerflow/core';

/**
 * Seeded draws for shuffles and random queues: the project's one generator (core's Philox
 * HostRandom), with the integer helper the data package uses.
 */
export class Rng extends initializers.HostRandom {
  /** Uniform integer in [0, n) (n ≤ 2^32). */
  nextInt(n: number): number {
    return Math.floor(this.next() * n);
  }
}

/** Combines a seed with a counter (for per-iteration and per-op seeds). */
export function mixSeed(seed: number, k: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(k + 1, 0x85ebca77);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  return (h ^ (h >>> 12)) >>> 0;
}

export function randomSeed(): number {
  return (Math.random() * 0x100000000) >>> 0;
}
