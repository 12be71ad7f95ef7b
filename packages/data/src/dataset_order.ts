/**
 * Which elements come, in what order; the elements pass through unchanged: shuffle, repeat, take,
 * skip, concatenate.
 */
import type { Dataset } from './dataset.js';
import { INFINITE, type Recipe, type SpecFn } from './dataset_recipe.js';
import { checkCount, checkPositive, InvalidArgumentError } from './errors.js';
import { mixSeed, randomSeed, Rng } from './random.js';
import { disposeElement, mergeSpecs, specToString, type Spec } from './structure.js';

export interface ShuffleOptions {
  seed?: number;
  /** Default true: every iteration (epoch) draws a new order. */
  reshuffleEachIteration?: boolean;
}

export function shuffled<T>(src: Dataset<T>, spec: SpecFn, bufferSize: number, options: ShuffleOptions): Recipe<T> {
  checkPositive(bufferSize, 'shuffle', 'bufferSize');
  const base = options.seed ?? randomSeed();
  const reshuffle = options.reshuffleEachIteration ?? true;
  let epoch = 0;
  return {
    make: async function* () {
      const rng = new Rng(mixSeed(base, reshuffle ? epoch++ : 0));
      const it = src[Symbol.asyncIterator]();
      const buf: T[] = [];
      let exhausted = false;
      try {
        while (buf.length < bufferSize) {
          const r = await it.next();
          if (r.done) {
            exhausted = true;
            break;
          }
          buf.push(r.value);
        }
        while (buf.length) {
          const i = rng.nextInt(buf.length);
          const out = buf[i]!;
          let refilled = false;
          if (!exhausted) {
            const r = await it.next();
            if (r.done) exhausted = true;
            else {
              buf[i] = r.value;
              refilled = true;
            }
          }
          if (!refilled) {
            buf[i] = buf[buf.length - 1]!;
            buf.pop();
          }
          yield out;
        }
      } finally {
        for (const x of buf) disposeElement(x);
        buf.length = 0;
        await it.return?.();
      }
    },
    spec,
    cardinality: src.cardinality,
  };
}

export function repeated<T>(src: Dataset<T>, spec: SpecFn, count: number): Recipe<T> {
  const times = checkCount(count, 'repeat', 'count', '-1 repeats forever') < 0 ? INFINITE : count;
  const card = src.cardinality === undefined ? (times === 0 ? 0 : undefined) : src.cardinality === 0 ? 0 : src.cardinality * times;
  return {
    make: async function* () {
      for (let k = 0; k < times; k++) {
        let any = false;
        for await (const x of src) {
          any = true;
          yield x;
        }
        if (!any && times === INFINITE) return; // an empty dataset repeated forever is empty
      }
    },
    spec,
    cardinality: card,
  };
}

export function taken<T>(src: Dataset<T>, spec: SpecFn, count: number): Recipe<T> {
  const n = checkCount(count, 'take', 'count', '-1 takes all') < 0 ? INFINITE : count;
  return {
    make: async function* () {
      if (n === 0) return;
      let i = 0;
      for await (const x of src) {
        yield x;
        if (++i >= n) return;
      }
    },
    spec,
    cardinality: src.cardinality === undefined ? undefined : Math.min(src.cardinality, n),
  };
}

export function skipped<T>(src: Dataset<T>, spec: SpecFn, count: number): Recipe<T> {
  const n = checkCount(count, 'skip', 'count', '-1 skips all') < 0 ? INFINITE : count;
  return {
    make: async function* () {
      let i = 0;
      for await (const x of src) {
        if (i++ < n) disposeElement(x);
        else yield x;
      }
    },
    spec,
    cardinality: src.cardinality === undefined ? undefined : src.cardinality === INFINITE ? INFINITE : Math.max(0, src.cardinality - n),
  };
}

/** `a`'s elements, then `b`'s; their specs are checked now when both are known. */
export function concatenated<T>(a: Dataset<T>, specA: SpecFn, b: Dataset<T>, specB: SpecFn): Recipe<T> {
  const sa = specA();
  const sb = specB();
  if (sa !== undefined && sb !== undefined) concatSpec(sa, sb);
  return {
    make: async function* () {
      yield* a;
      yield* b;
    },
    spec: () => {
      const sa = specA();
      const sb = specB();
      return sa === undefined || sb === undefined ? undefined : concatSpec(sa, sb);
    },
    cardinality: a.cardinality === undefined || b.cardinality === undefined ? undefined : a.cardinality + b.cardinality,
  };
}

/** Merged spec of two concatenated datasets, or an error naming both. */
function concatSpec(a: Spec, b: Spec): Spec {
  try {
    return mergeSpecs(a, b);
  } catch {
    throw new InvalidArgumentError(`concatenate: the datasets' element specs differ (structure, dtype or rank): ${specToString(a)} vs ${specToString(b)}`);
  }
}
