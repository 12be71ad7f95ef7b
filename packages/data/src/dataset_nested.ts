/**
 * Datasets of datasets: interleave and flatMap open one dataset per element; window makes each
 * element a (structure of) window dataset(s).
 */
import type { Dataset } from './dataset.js';
import { AUTOTUNE, hardwareConcurrency, prefetchIterator } from './dataset_parallel.js';
import { INFINITE, type Maker, type Recipe } from './dataset_recipe.js';
import { checkPositive, describeValue, InvalidArgumentError } from './errors.js';
import { disposeElement, disposeUnused, elementToHost, hostToLeaf, isHostLeaf, isHostSparse, mergeSpecs, SparseTensorSpec, TensorSpec, zipStructures, type HostSparse, type HostTensor, type Spec } from './structure.js';

/** Dataset.interleave, `subDataset(x, i)` being the dataset of input element `i`. */
export function interleaved<T, U>(src: Dataset<T>, subDataset: (x: T, i: number) => AsyncIterable<U>, options: { cycleLength?: number; blockLength?: number; numParallelCalls?: number }): Maker<U> {
  const cycleLength = options.cycleLength === undefined || options.cycleLength === AUTOTUNE ? hardwareConcurrency() : options.cycleLength;
  const blockLength = options.blockLength ?? 1;
  const parallel = options.numParallelCalls === AUTOTUNE ? cycleLength : (options.numParallelCalls ?? 1);
  checkPositive(cycleLength, 'interleave', 'cycleLength');
  checkPositive(blockLength, 'interleave', 'blockLength');
  return async function* () {
    const input = src[Symbol.asyncIterator]();
    const cycle: ({ it: AsyncIterator<U>; arg: T } | null)[] = new Array(cycleLength).fill(null);
    let endOfInput = false;
    let inputIndex = 0;
    let open = 0;
    let idx = 0;
    let block = 0;
    const advance = (): void => {
      block = 0;
      idx = (idx + 1) % cycleLength;
    };
    try {
      while (!endOfInput || open > 0) {
        const cur = cycle[idx];
        if (cur) {
          const r = await cur.it.next();
          if (!r.done) {
            if (++block === blockLength) advance();
            yield r.value;
          } else {
            disposeElement(cur.arg);
            cycle[idx] = null;
            open--;
            advance();
          }
        } else if (!endOfInput) {
          const r = await input.next();
          if (r.done) endOfInput = true;
          else {
            const sub = subDataset(r.value, inputIndex++)[Symbol.asyncIterator]();
            // With numParallelCalls > 1 every open dataset runs ahead (its next elements are fetched
            // concurrently with the others'), which overlaps file reads; the output order is unchanged.
            cycle[idx] = { it: parallel > 1 ? prefetchIterator(sub, 2) : sub, arg: r.value };
            open++;
          }
        } else advance();
      }
    } finally {
      for (const c of cycle) {
        if (!c) continue;
        await c.it.return?.();
        disposeElement(c.arg);
      }
      await input.return?.();
    }
  };
}

/**
 * Dataset.flatMap, `subDataset(x, i)` being the dataset of input element `i`. The element is disposed
 * once its dataset is done (tensors that dataset yielded excepted).
 */
export function flatMapped<T, U>(src: Dataset<T>, subDataset: (x: T, i: number) => AsyncIterable<U>): Maker<U> {
  return async function* () {
    let i = 0;
    for await (const x of src) {
      const sub = subDataset(x, i++);
      const handedOut: U[] = [];
      try {
        for await (const y of sub) {
          handedOut.push(y);
          yield y;
        }
      } finally {
        disposeUnused(x, handedOut);
      }
    }
  };
}

/**
 * Dataset.window; `windowDataset(leaves)` turns one component's host leaves into a window dataset
 * (hostLeaves' recipe, built by the Dataset class).
 */
export function windowed<T, W>(src: Dataset<T>, windowDataset: (leaves: (HostTensor | HostSparse)[]) => unknown, size: number, shift: number, stride: number, dropRemainder: boolean): Recipe<W> {
  checkPositive(size, 'window', 'size');
  checkPositive(shift, 'window', 'shift');
  checkPositive(stride, 'window', 'stride');
  if (typeof dropRemainder !== 'boolean') throw new InvalidArgumentError(`window: dropRemainder must be a boolean; found ${describeValue(dropRemainder)}`);
  const span = (size - 1) * stride + 1; // input elements one full window covers
  const n = src.cardinality;
  const card = n === undefined || n === INFINITE ? n : dropRemainder ? (n < span ? 0 : Math.floor((n - span) / shift) + 1) : Math.ceil(n / shift);
  return {
    make: async function* () {
      const it = src[Symbol.asyncIterator]();
      let buf: unknown[] = [];
      let ended = false;
      const next = async (): Promise<unknown> => {
        const r = await it.next();
        if (r.done) ended = true;
        return r.value;
      };
      try {
        for (;;) {
          while (!ended && buf.length < span) {
            const x = await next();
            if (!ended) {
              buf.push(await elementToHost(x));
              disposeElement(x);
            }
          }
          if (buf.length === 0 || (dropRemainder && buf.length < span)) return;
          yield zipStructures(
            buf.filter((_, i) => i % stride === 0),
            (leaves) => windowDataset(leaves as (HostTensor | HostSparse)[]),
            isHostLeaf,
          ) as W;
          // Move to the next window's start, reading past (and dropping) the elements a shift > size skips.
          for (let i = buf.length; !ended && i < shift; i++) disposeElement(await next());
          buf = buf.slice(shift);
        }
      } finally {
        await it.return?.();
      }
    },
    spec: () => undefined,
    cardinality: card,
  };
}

/** The given host leaves, as new tensors on every iteration (a window's component). */
export function hostLeaves(leaves: readonly (HostTensor | HostSparse)[]): Recipe<unknown> {
  const specOfHost = (h: HostTensor | HostSparse): Spec =>
    isHostSparse(h) ? new SparseTensorSpec(Array.from(h.denseShape.values as BigInt64Array, () => null), h.values.dtype) : new TensorSpec(h.shape, h.dtype);
  return {
    make: async function* () {
      for (const h of leaves) yield hostToLeaf(h);
    },
    spec: () => leaves.map(specOfHost).reduce((a, b) => mergeSpecs(a, b)),
    cardinality: leaves.length,
  };
}
