/** Small WGSL programs for the index-driven array ops (gather, one_hot, segment sums, cumsum, top-k). */
import { LINEAR_INDEX, LINEAR_MAIN } from '../kernel.js';
import { cachedProgram, declareBindings, uw, type Program } from '../runtime.js';

/** A 1-D program: `body` runs for each i < word 0; inputs/outputs as WGSL element types. */
export function linearProgram(key: string, ins: readonly string[], outs: readonly string[], uniformWords: number, body: string, prelude = ''): Program {
  return cachedProgram(key, () => ({
    inputs: ins.length,
    outputs: outs.length,
    uniformWords,
    code: () => `${declareBindings(ins, outs, uniformWords)}
${prelude}
${LINEAR_MAIN} {
  let i = ${LINEAR_INDEX};
  if (i >= ${uw(0)}) { return; }
  ${body}
}`,
  }));
}
