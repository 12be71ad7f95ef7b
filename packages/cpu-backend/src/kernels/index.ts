/** CPU kernel per non-elementwise op id (elementwise rows share kernels/elementwise.ts). */
import type { CpuKernel } from '../kernel.js';
import { argReduce } from './arg_reduce.js';
import { broadcastTo } from './broadcast_to.js';
import { cast } from './cast.js';
import { fill } from './fill.js';
import { matmul } from './matmul.js';
import { reduce } from './reduce.js';
import { transpose } from './transpose.js';

export const KERNELS: Record<string, CpuKernel> = {
  arg_reduce: argReduce,
  broadcast_to: broadcastTo,
  cast,
  fill,
  matmul,
  reduce,
  transpose,
};
