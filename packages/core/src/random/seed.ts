/**
 * TensorFlow's global/op seed rules (tf.random.set_seed + random_seed.get_seed), eager flavour:
 *  - global and op seed set: both are used;
 *  - op seed only: the global seed defaults to 87654321 (DEFAULT_GRAPH_SEED);
 *  - global seed only: the op seed is an internal counter, incremented per random op call and
 *    reset by setRandomSeed, so a program re-run gives the same sequence;
 *  - neither: a fresh random key per call;
 *  - seeds are reduced modulo 2^31 - 1 (TensorFlow's _truncate_seed); (0, 0) becomes (0, 2^31 - 1).
 * Like TensorFlow's cached eager kernels, repeated calls of one op kind with the same seeds advance
 * a per-(op, dtype, seeds) call counter (the Philox counter offset): same seeds → a reproducible
 * sequence of different values, which restarts after setRandomSeed.
 */
import { OpError } from '../errors.js';
import type { PhiloxStream } from './philox.js';

export const DEFAULT_GRAPH_SEED = 87654321;
const MAXINT32 = 2 ** 31 - 1;

let globalSeed: number | null = null;
let opSeedCounter = 0;
const callCounters = new Map<string, number>();

function checkSeed(op: string, seed: number, arg: string): void {
  if (!Number.isSafeInteger(seed)) throw new OpError(op, `${arg} must be an integer, found ${seed}`);
}

const truncate = (s: number): number => ((s % MAXINT32) + MAXINT32) % MAXINT32;

/** Sets (or with null clears) the global random seed; restarts every seeded sequence. */
export function setRandomSeed(seed: number | null): void {
  if (seed !== null) checkSeed('setRandomSeed', seed, 'seed');
  globalSeed = seed;
  opSeedCounter = 0;
  callCounters.clear();
}

/** The global seed, or null. */
export function getRandomSeed(): number | null {
  return globalSeed;
}

/** The (seed, seed2) pair an op with optional op seed uses (tf.random.get_seed); null = nondeterministic. */
export function getSeed(opSeed?: number, op = 'random'): [number, number] | null {
  if (opSeed !== undefined && opSeed !== null) checkSeed(op, opSeed, 'seed');
  let seeds: [number, number] | null;
  if (globalSeed !== null) seeds = [truncate(globalSeed), truncate(opSeed ?? opSeedCounter++)];
  else if (opSeed !== undefined && opSeed !== null) seeds = [DEFAULT_GRAPH_SEED, truncate(opSeed)];
  else return null;
  if (seeds[0] === 0 && seeds[1] === 0) seeds = [0, MAXINT32];
  return seeds;
}

function randomU32(): number {
  const c = (globalThis as { crypto?: { getRandomValues?(a: Uint32Array): Uint32Array } }).crypto;
  if (c?.getRandomValues) return c.getRandomValues(new Uint32Array(1))[0]!;
  return (Math.random() * 2 ** 32) >>> 0;
}

/**
 * Resolves the Philox key and counter offset for one call of random op `kind` (e.g.
 * 'random_uniform:float32'), following the rules above.
 */
export function nextStream(kind: string, opSeed: number | undefined, op: string): PhiloxStream {
  const seeds = getSeed(opSeed, op);
  if (!seeds) return { key: [randomU32(), randomU32()], counter: [0, 0] };
  const id = `${kind}|${seeds[0]}|${seeds[1]}`;
  const n = callCounters.get(id) ?? 0;
  callCounters.set(id, n + 1);
  return { key: seeds, counter: [n % 2 ** 32, Math.floor(n / 2 ** 32)] };
}
