/**
 * Dataset.cache: host copies of the first complete pass kept in memory, or written to a cache file
 * (cache_file.ts) that later iterations, also in other processes, read instead.
 */
import type { Dataset } from './dataset.js';
import type { Recipe, SpecFn } from './dataset_recipe.js';
import { cacheFilePass, type CacheFileOptions } from './cache_file.js';
import { describeValue, InvalidArgumentError } from './errors.js';
import { elementToHost, hostStructureToElement } from './structure.js';

export function cached<T>(src: Dataset<T>, spec: SpecFn, filename: string | undefined, options: CacheFileOptions): Recipe<T> {
  if (filename !== undefined && typeof filename !== 'string') throw new InvalidArgumentError(`cache: filename must be a string ('' or omitted: in memory); found ${describeValue(filename)}`);
  if (filename) {
    const name = filename;
    return { make: () => cacheFilePass<T>(src, spec(), name, options), spec, cardinality: src.cardinality };
  }
  let cache: unknown[] | undefined;
  return {
    make: async function* () {
      if (cache) {
        for (const h of cache) yield hostStructureToElement(h) as T;
        return;
      }
      const pass: unknown[] = [];
      for await (const x of src) {
        pass.push(await elementToHost(x));
        yield x;
      }
      cache = pass;
    },
    spec,
    cardinality: src.cardinality,
  };
}
