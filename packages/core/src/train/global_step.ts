/** The global step: a non-trainable int32 scalar variable named 'global_step'. */
import { OpError } from '../errors.js';
import { engine } from '../engine.js';
import { GraphKeys, addToCollection, getCollection } from '../framework/collections.js';
import { scalar } from '../ops/api/creation.js';
import { Tensor } from '../tensor.js';
import { variable, type Variable } from '../variable.js';

export function getGlobalStep(): Variable | undefined {
  const list = getCollection<Variable>(GraphKeys.GLOBAL_STEP);
  return list[list.length - 1];
}

/** tf.train.create_global_step: throws when one exists. */
export function createGlobalStep(): Variable {
  if (getGlobalStep()) throw new OpError('createGlobalStep', "a global step already exists; use getOrCreateGlobalStep()");
  const v = engine.tidy(() => variable(scalar(0, 'int32'), { name: 'global_step', trainable: false }));
  addToCollection(GraphKeys.GLOBAL_STEP, v);
  return v;
}

export function getOrCreateGlobalStep(): Variable {
  return getGlobalStep() ?? createGlobalStep();
}

/** The step as a JS number (reads the variable; synchronous on backends that can read synchronously). */
export function globalStepValue(step: Tensor | number): number {
  return typeof step === 'number' ? step : Number(step.dataSync()[0]);
}
