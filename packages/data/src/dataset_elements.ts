/** Elements from JS values and host slices, and the check that a dataset's elements keep one structure. */
import * as ef from '@eagerflow/core';
import type { Tensor } from '@eagerflow/core';
import type { Maker } from './dataset_recipe.js';
import { InvalidArgumentError } from './errors.js';
import { disposeElement, flatten, isLeaf, isPlainObject, isSpecLeaf, mapSpec, SparseTensorSpec, specOf, specToString, TensorSpec, toTensorLeaf, type HostTensor, type Leaf, type Spec } from './structure.js';

/**
 * Checks a dataset's elements: against `spec` when given, else that each has the structure and
 * dtypes of the first one (TF fixes both when the dataset is built).
 */
export function elementChecker(op: string, spec: Spec | undefined): (x: unknown, i: number) => void {
  let first: { sig: string; text: string } | undefined;
  // Structure, dtypes and dense/sparse kind, without shapes: the part that must match exactly.
  const erase = (s: Spec): string => specToString(mapSpec(s, (l) => (l instanceof TensorSpec ? new TensorSpec([], l.dtype) : new SparseTensorSpec([], l.dtype))));
  const want = spec && { sig: erase(spec), leaves: flatten(spec, [], isSpecLeaf) as (TensorSpec | SparseTensorSpec)[] };
  return (x, i) => {
    const s = specOf(x);
    const sig = erase(s);
    if (spec && want) {
      // Same signature: x's leaves line up with the spec's; the dense ones must also fit its shapes.
      const fits = (l: Leaf, k: number): boolean => !(want.leaves[k] instanceof TensorSpec) || want.leaves[k].isCompatibleWith(l);
      if (sig !== want.sig || !(flatten(x) as Leaf[]).every(fits)) throw new InvalidArgumentError(`${op}: element ${i} is ${specToString(s)}, which does not match outputSpec ${specToString(spec)}`);
      return;
    }
    if (!first) first = { sig, text: specToString(s) };
    else if (sig !== first.sig) {
      throw new InvalidArgumentError(`${op}: element ${i} is ${specToString(s)}, but an earlier element was ${first.text}; the structure and dtypes of the elements must not change`);
    }
  };
}

/**
 * `make`'s elements, each checked by elementChecker: the datasets that flatMap / interleave get from
 * their function must yield one structure (TF: one element spec), `spec` when it was given.
 */
export function checkedElements<U>(op: string, spec: Spec | undefined, make: Maker<U>): Maker<U> {
  return async function* () {
    const check = elementChecker(op, spec);
    const it = make();
    try {
      for (let i = 0; ; i++) {
        const r = await it.next();
        if (r.done) return;
        try {
          check(r.value, i);
        } catch (e) {
          disposeElement(r.value);
          throw e;
        }
        yield r.value;
      }
    } finally {
      await it.return?.();
    }
  };
}

/** Whether an array is JS data (numbers/strings...) rather than a tuple of components. */
function isDataArray(x: unknown[]): boolean {
  return x.every((e) => (Array.isArray(e) ? isDataArray(e) : typeof e === 'number' || typeof e === 'boolean' || typeof e === 'string' || typeof e === 'bigint'));
}

/** Converts JS data leaves of a structure into tensors (arrays of numbers are data, not tuples). */
export function toStructure(x: unknown, path = ''): unknown {
  if (isLeaf(x)) return x;
  if (Array.isArray(x) && !isDataArray(x)) return x.map((e, i) => toStructure(e, `${path}[${i}]`));
  if (isPlainObject(x)) {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(x)) o[k] = toStructure(x[k], path ? `${path}.${k}` : k);
    return o;
  }
  if (Array.isArray(x) && x.length && typeof flatten(x)[0] === 'bigint') return ef.tensor(x as never, undefined, 'int64');
  return toTensorLeaf(x, path);
}

export function sliceHost(h: HostTensor, i: number): Tensor {
  const inner = h.shape.slice(1);
  const size = inner.reduce((a, b) => a * b, 1);
  const v = h.values;
  const part = Array.isArray(v) ? v.slice(i * size, (i + 1) * size) : v.subarray(i * size, (i + 1) * size);
  return ef.makeTensor(part, inner, h.dtype);
}
