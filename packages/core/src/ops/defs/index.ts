/** Every op declaration; the conformance suite and the backends' kernel tables read this list. */
import type { OpDef } from '../op_def.js';
import { argReduceDef } from './arg_reduce.js';
import { broadcastToDef } from './broadcast_to.js';
import { castDef } from './cast.js';
import { ELEMENTWISE } from './elementwise.js';
import { fillDef } from './fill.js';
import { matmulDef } from './matmul.js';
import { reduceDef } from './reduce.js';
import { reshapeDef } from './reshape.js';
import { transposeDef } from './transpose.js';

export { ELEMENTWISE, type ElementwiseId } from './elementwise.js';
export { argReduceDef, broadcastToDef, castDef, fillDef, matmulDef, reduceDef, reshapeDef, transposeDef };

/** Non-elementwise ops: each has one kernel file per backend, named by its id. */
export const KERNEL_OPS = [argReduceDef, broadcastToDef, castDef, fillDef, matmulDef, reduceDef, transposeDef] as const;

export const ALL_OPS: readonly OpDef<any>[] = [...Object.values(ELEMENTWISE), ...KERNEL_OPS, reshapeDef];

export type { ArgReduceAttrs } from './arg_reduce.js';
export type { BroadcastToAttrs } from './broadcast_to.js';
export type { CastAttrs } from './cast.js';
export type { FillAttrs } from './fill.js';
export type { MatmulAttrs } from './matmul.js';
export type { ReduceAttrs, ReduceKind } from './reduce.js';
export type { ReshapeAttrs } from './reshape.js';
export type { TransposeAttrs } from './transpose.js';
