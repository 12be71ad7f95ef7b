/** Element-wise transformations: map (in tidy, in parallel, or in worker threads) and filter. */
import * as ef from '@eagerflow/core';
import type { Tensor } from '@eagerflow/core';
import type { Dataset } from './dataset.js';
import { elementChecker, toStructure } from './dataset_elements.js';
import { AUTOTUNE, hardwareConcurrency, orderedParallel } from './dataset_parallel.js';
import type { Recipe, SpecFn } from './dataset_recipe.js';
import { checkFunction, checkPositive, describeValue, InvalidArgumentError } from './errors.js';
import { disposeElement, disposeUnused, elementToHost, hostStructureToElement, isTensor, type Spec } from './structure.js';
import { WorkerFunction, WorkerPool } from './worker.js';

export interface MapOptions {
  /** Calls in flight at once (async functions, or worker functions: the worker count). AUTOTUNE = cores. */
  numParallelCalls?: number;
  /** Spec of the function's output, so `elementSpec` stays known without running it. */
  outputSpec?: Spec;
  /** Treat `fn` as asynchronous even if it is not declared `async` (it is then not wrapped in tidy). */
  async?: boolean;
  /** Worker functions only: false runs them on the main thread (the documented fallback). */
  useWorkers?: boolean;
}

export function mapped<T, U>(src: Dataset<T>, fn: ((x: T) => U | Promise<U>) | WorkerFunction, options: MapOptions): Recipe<U> {
  if (!(fn instanceof WorkerFunction)) checkFunction(fn, 'map', 'fn');
  const par0 = options.numParallelCalls ?? 1;
  if (par0 !== AUTOTUNE) checkPositive(par0, 'map', 'numParallelCalls (or AUTOTUNE = -1)');
  const par = par0 === AUTOTUNE ? hardwareConcurrency() : par0;
  const specFn: SpecFn = () => options.outputSpec;
  if (fn instanceof WorkerFunction) {
    const wfn = fn;
    return {
      make: async function* () {
        const pool = new WorkerPool(wfn, par, options.useWorkers ?? true);
        const call = async (x: T): Promise<U> => {
          const host = await elementToHost(x);
          disposeElement(x);
          return hostStructureToElement(await pool.run(host)) as U;
        };
        try {
          yield* orderedParallel(src, call, Math.max(par, 1) * 2);
        } finally {
          await pool.close();
        }
      },
      spec: specFn,
      cardinality: src.cardinality,
    };
  }
  const isAsync = options.async || fn.constructor?.name === 'AsyncFunction';
  const call = async (x: T): Promise<U> => {
    let out: U;
    if (isAsync) out = await fn(x);
    else {
      try {
        out = ef.tidy(() => fn(x) as never) as U;
      } catch (e) {
        if (e instanceof Error && /tidy: the function returned a Promise/.test(e.message)) {
          throw new InvalidArgumentError('map: the function returned a Promise; declare it `async` or pass {async: true}');
        }
        throw e;
      }
    }
    out = toElementStructure(out) as U;
    disposeUnused(x, out);
    return out;
  };
  return {
    make: () => {
      const check = elementChecker('map', options.outputSpec);
      let i = 0;
      return orderedParallel(
        src,
        async (x) => {
          const k = i++;
          const out = await call(x);
          try {
            check(out, k);
          } catch (e) {
            disposeElement(out);
            throw e;
          }
          return out;
        },
        par,
      );
    },
    spec: specFn,
    cardinality: src.cardinality,
  };
}

export function filtered<T>(src: Dataset<T>, spec: SpecFn, predicate: (x: T) => boolean | Tensor | Promise<boolean | Tensor>): Recipe<T> {
  checkFunction(predicate, 'filter', 'predicate');
  const isAsync = predicate.constructor?.name === 'AsyncFunction';
  return {
    make: async function* () {
      for await (const x of src) {
        let keep: boolean;
        try {
          // Synchronous predicates run in tidy so their intermediate tensors are freed.
          const r = isAsync ? await predicate(x) : ef.tidy(() => predicate(x) as boolean | Tensor);
          keep = truthy(r, 'filter');
        } catch (e) {
          disposeElement(x);
          throw e;
        }
        if (keep) yield x;
        else disposeElement(x);
      }
    },
    spec,
    cardinality: undefined,
  };
}

function truthy(r: boolean | Tensor, op: string): boolean {
  if (typeof r === 'boolean') return r;
  if (isTensor(r)) {
    if (r.size !== 1) throw new InvalidArgumentError(`${op}: the predicate must return a scalar; found shape [${r.shape}]`);
    const v = (r.dataSync() as ArrayLike<number | bigint>)[0];
    r.dispose();
    return !!v;
  }
  throw new InvalidArgumentError(`${op}: the predicate must return a boolean or a scalar bool tensor; found ${describeValue(r)}`);
}

function toElementStructure(x: unknown): unknown {
  if (x === undefined || x === null) throw new InvalidArgumentError('map: the function returned nothing; return a tensor or a structure of tensors');
  return toStructure(x);
}
