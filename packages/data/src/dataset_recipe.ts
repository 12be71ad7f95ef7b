/**
 * What a Dataset is made of. The Dataset class (dataset.ts) builds itself from a Recipe; sources and
 * transformations compute Recipes from their inputs and import the class as a type only (dataset.ts
 * imports them, so a run-time import back would be a cycle).
 */
import type { Spec } from './structure.js';

export type Maker<T> = () => AsyncIterator<T>;
/** `undefined` = unknown statically (map without outputSpec, fromGenerator without signature...). */
export type SpecFn = () => Spec | undefined;

export const INFINITE = Infinity;
/** Cardinality: number of elements, Infinity, or undefined when unknown (TF's UNKNOWN_CARDINALITY). */
export type Card = number | undefined;

export interface Recipe<T> {
  make: Maker<T>;
  spec: SpecFn;
  cardinality: Card;
}
