import * as ef from '@eagerflow/core';

/** Disposes every variable and the training collections (tests share one process-wide registry). */
export function resetAll(): void {
  ef.resetVariableStore();
  for (const v of ef.globalVariables()) v.dispose();
  for (const k of ef.getAllCollectionKeys()) ef.clearCollection(k);
}

export const vals = (t: ef.Tensor): number[] => Array.from(t.dataSync() as Float32Array);
