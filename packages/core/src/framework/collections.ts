/** TensorFlow's graph collections, eagerly: named lists of values (losses, variables, …). */
import { engine } from '../engine.js';
import { Tensor } from '../tensor.js';

/** Standard collection keys (tf.GraphKeys). */
export const GraphKeys = {
  GLOBAL_VARIABLES: 'variables',
  TRAINABLE_VARIABLES: 'trainable_variables',
  LOCAL_VARIABLES: 'local_variables',
  MODEL_VARIABLES: 'model_variables',
  MOVING_AVERAGE_VARIABLES: 'moving_average_variables',
  REGULARIZATION_LOSSES: 'regularization_losses',
  LOSSES: 'losses',
  UPDATE_OPS: 'update_ops',
  GLOBAL_STEP: 'global_step',
} as const;

const collections = new Map<string, unknown[]>();

const LOSS_KEYS: readonly string[] = [GraphKeys.LOSSES, GraphKeys.REGULARIZATION_LOSSES];
let warnedStaleLoss = false;

/**
 * Appends `value` to the collection `name` (tf.add_to_collection). Tensors are kept alive (ef.keep).
 * Loss collections take functions (`() => reg(w)`), evaluated whenever the collection is summed.
 */
export function addToCollection(name: string, value: unknown): void {
  if (value instanceof Tensor) {
    value.kept = true;
    if (LOSS_KEYS.includes(name) && !engine.recorders.length && !warnedStaleLoss) {
      // The TF1 pattern add_to_collection('losses', l2(w)) stores a graph node that is re-run each
      // step; an eager tensor is a value, fixed now, that no later gradient tape can see.
      warnedStaleLoss = true;
      console.warn(`eagerflow: addToCollection('${name}', tensor) stores a value computed now: it will not follow the variables and gives no gradient; add a function instead, e.g. ef.addToCollection('${name}', () => ef.regularizers.l2(scale)(w)) (ef.addN and ef.losses evaluate it), or use ef.addRegularizer(w, reg)`);
    }
  }
  let list = collections.get(name);
  if (!list) collections.set(name, (list = []));
  list.push(value);
}

export function addToCollections(names: readonly string[], value: unknown): void {
  for (const n of names) addToCollection(n, value);
}

/** A copy of the collection (tf.get_collection); `scope` keeps items whose `name` starts with it. */
export function getCollection<T = unknown>(name: string, scope?: string): T[] {
  const list = (collections.get(name) ?? []).filter((v) => !(v instanceof Tensor && v.released));
  if (!scope) return list as T[];
  return list.filter((v) => typeof (v as { name?: unknown }).name === 'string' && (v as { name: string }).name.startsWith(scope)) as T[];
}

/** The collection itself (tf.get_collection_ref): mutations are visible. */
export function getCollectionRef<T = unknown>(name: string): T[] {
  let list = collections.get(name);
  if (!list) collections.set(name, (list = []));
  return list as T[];
}

/** Empties one collection, disposing the tensors in it that are not variables (e.g. losses). */
export function clearCollection(name: string, { dispose = true } = {}): void {
  const list = collections.get(name) ?? [];
  if (dispose) for (const v of list) if (v instanceof Tensor && !('assign' in v)) { v.kept = false; v.dispose(); }
  collections.delete(name);
}

export function getAllCollectionKeys(): string[] {
  return [...collections.keys()];
}
