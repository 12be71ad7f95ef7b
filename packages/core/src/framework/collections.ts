/** TensorFlow's graph collections, eagerly: named lists of values (losses, variables, …). */
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

/** Appends `value` to the collection `name` (tf.add_to_collection). Tensors are kept alive (ef.keep). */
export function addToCollection(name: string, value: unknown): void {
  if (value instanceof Tensor) value.kept = true;
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
