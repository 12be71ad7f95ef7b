/** slim.model_analyzer.analyze_vars: name, shape, size and bytes of each variable, and totals. */
import { bytesPerElement } from '../dtype.js';
import type { Variable } from '../variable.js';

export interface VarInfo {
  name: string;
  dtype: string;
  shape: number[];
  size: number;
  bytes: number;
}

export interface VarsAnalysis {
  variables: VarInfo[];
  totalSize: number;
  totalBytes: number;
  /** The printed table. */
  text: string;
}

export function analyzeVars(vars: readonly Variable[], printInfo = false, print: (s: string) => void = console.log): VarsAnalysis {
  const variables = vars.map((v) => ({ name: v.name, dtype: v.dtype, shape: [...v.shape], size: v.size, bytes: v.size * bytesPerElement(v.dtype) }));
  const totalSize = variables.reduce((n, v) => n + v.size, 0);
  const totalBytes = variables.reduce((n, v) => n + v.bytes, 0);
  const lines = [
    '---------',
    'Variables: name (type shape) [size]',
    '---------',
    ...variables.map((v) => `${v.name} (${v.dtype} ${v.shape.length ? v.shape.join('x') : 'scalar'}) [${v.size}, bytes: ${v.bytes}]`),
    `Total size of variables: ${totalSize}`,
    `Total bytes of variables: ${totalBytes}`,
  ];
  const text = lines.join('\n');
  if (printInfo) print(text);
  return { variables, totalSize, totalBytes, text };
}
