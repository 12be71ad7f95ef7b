/**
 * TensorBoard's Graphs tab for eager code (TF1's `FileWriter(logdir, sess.graph)` / `add_graph`,
 * TF2's `tf.summary.trace_on(graph=True)`): `traceGraph(fn)` runs `fn` once and records every op
 * it dispatches (core's op observers) as a GraphDef — one NodeDef per op, named after the variable
 * scope it ran in (so 'LeNet5/conv1/…' folds into groups as TF's graphs do), its inputs wired to
 * the nodes that produced them; variables become VariableV2 nodes under their own names, other
 * tensors that enter from outside become Const nodes.
 *
 * Protos (tensorflow/core/framework/graph.proto, node_def.proto, attr_value.proto, versions.proto):
 *   GraphDef   { repeated NodeDef node = 1; VersionDef versions = 4; }
 *   NodeDef    { string name = 1; string op = 2; repeated string input = 3; map<string, AttrValue> attr = 5; }
 *   AttrValue  { ListValue list = 1; DataType type = 6; TensorShapeProto shape = 7; }
 *   ListValue  { repeated TensorShapeProto shape = 7; }
 *   VersionDef { int32 producer = 1; }
 */
import { addOpObserver, getVariableScope, Variable, type DType, type Tensor } from '@eagerflow/core';
import { ProtoWriter, readMessage, WIRE_LEN, WIRE_VARINT } from '@eagerflow/io';
import { decodeShape } from './summary.js';

/** One node of a traced graph. */
export interface GraphNode {
  name: string;
  /** The eagerflow op id ('matmul', 'fused_conv2d', …), or 'VariableV2' / 'Const' for inputs from outside. */
  op: string;
  /** 'node' for output 0 of a node, 'node:i' for output i (TensorFlow's notation). */
  inputs: string[];
  /** dtype of output 0 (the 'T' / 'dtype' attr). */
  dtype: DType;
  outputShapes: number[][];
}

const te = new TextEncoder();
const td = new TextDecoder();
const DT: Record<string, number> = { float32: 1, int32: 3, string: 7, int64: 9, bool: 10 };
const DT_NAME = Object.fromEntries(Object.entries(DT).map(([k, v]) => [v, k])) as Record<number, DType>;

/** Runs `fn` once and returns its result with the ops it dispatched as graph nodes (in order). */
export function traceGraph<T>(fn: () => T): { result: T; nodes: GraphNode[] } {
  const nodes: GraphNode[] = [];
  const producer = new Map<Tensor, string>();
  const used = new Map<string, number>();
  const unique = (base: string): string => {
    const k = used.get(base) ?? 0;
    used.set(base, k + 1);
    return k === 0 ? base : `${base}_${k}`;
  };
  const sourceOf = (t: Tensor): string => {
    let ref = producer.get(t);
    if (ref === undefined) {
      const isVar = t instanceof Variable;
      ref = isVar ? unique((t as Variable).name) : unique(scoped('Const'));
      nodes.push({ name: ref, op: isVar ? 'VariableV2' : 'Const', inputs: [], dtype: t.dtype, outputShapes: [[...t.shape]] });
      producer.set(t, ref);
    }
    return ref;
  };
  const stop = addOpObserver((def, inputs, outputs) => {
    const name = unique(scoped(def.id));
    nodes.push({ name, op: def.id, inputs: inputs.map(sourceOf), dtype: outputs[0]?.dtype ?? 'float32', outputShapes: outputs.map((o) => [...o.shape]) });
    outputs.forEach((o, i) => producer.set(o, i === 0 ? name : `${name}:${i}`));
  });
  try {
    return { result: fn(), nodes };
  } finally {
    stop();
  }
}

function scoped(name: string): string {
  const scope = getVariableScope().name;
  return scope ? `${scope}/${name}` : name;
}

function putShape(w: ProtoWriter, field: number, shape: readonly number[]): void {
  const at = w.beginLen(field);
  for (const d of shape) {
    const dim = w.beginLen(2);
    if (d !== 0) w.tag(1, WIRE_VARINT).varint(d);
    w.endLen(dim);
  }
  w.endLen(at);
}

function putAttr(w: ProtoWriter, key: string, value: (w: ProtoWriter) => void): void {
  const entry = w.beginLen(5);
  w.lenField(1, te.encode(key));
  const v = w.beginLen(2);
  value(w);
  w.endLen(v);
  w.endLen(entry);
}

/** The serialized GraphDef of `nodes` (what an Event's `graph_def` field holds). */
export function encodeGraphDef(nodes: readonly GraphNode[]): Uint8Array {
  const w = new ProtoWriter(256);
  for (const n of nodes) {
    const at = w.beginLen(1);
    w.lenField(1, te.encode(n.name));
    w.lenField(2, te.encode(n.op));
    for (const i of n.inputs) w.lenField(3, te.encode(i));
    const dtype = DT[n.dtype] ?? 0;
    if (n.op === 'VariableV2' || n.op === 'Const') {
      putAttr(w, 'dtype', (v) => v.tag(6, WIRE_VARINT).uint32(dtype));
      if (n.op === 'VariableV2') putAttr(w, 'shape', (v) => putShape(v, 7, n.outputShapes[0] ?? []));
    } else putAttr(w, 'T', (v) => v.tag(6, WIRE_VARINT).uint32(dtype));
    putAttr(w, '_output_shapes', (v) => {
      const list = v.beginLen(1);
      for (const s of n.outputShapes) putShape(v, 7, s);
      v.endLen(list);
    });
    w.endLen(at);
  }
  const versions = w.beginLen(4);
  w.tag(1, WIRE_VARINT).uint32(27); // GraphDef producer version of TensorFlow 1.15
  w.endLen(versions);
  return w.finish();
}

/** Reads back what encodeGraphDef writes (and the same fields of TensorFlow's GraphDefs). */
export function decodeGraphDef(bytes: Uint8Array): GraphNode[] {
  const nodes: GraphNode[] = [];
  readMessage(bytes, (field, wire, r) => {
    if (field !== 1 || wire !== WIRE_LEN) return false;
    const n: GraphNode = { name: '', op: '', inputs: [], dtype: 'float32', outputShapes: [] };
    readMessage(r.lenBytes(), (f, w2, r2) => {
      if (w2 !== WIRE_LEN) return false;
      if (f === 1) n.name = td.decode(r2.lenBytes());
      else if (f === 2) n.op = td.decode(r2.lenBytes());
      else if (f === 3) n.inputs.push(td.decode(r2.lenBytes()));
      else if (f === 5) decodeAttr(r2.lenBytes(), n);
      else return false;
      return true;
    }, 'NodeDef');
    nodes.push(n);
    return true;
  }, 'GraphDef');
  return nodes;
}

function decodeAttr(entry: Uint8Array, n: GraphNode): void {
  let key = '';
  let value: Uint8Array | undefined;
  readMessage(entry, (f, w, r) => {
    if (w !== WIRE_LEN) return false;
    if (f === 1) key = td.decode(r.lenBytes());
    else if (f === 2) value = r.lenBytes();
    else return false;
    return true;
  }, 'NodeDef.AttrEntry');
  if (!value) return;
  readMessage(value, (f, w, r) => {
    if ((key === 'T' || key === 'dtype') && f === 6 && w === WIRE_VARINT) n.dtype = DT_NAME[r.uint32()] ?? n.dtype;
    else if (key === '_output_shapes' && f === 1 && w === WIRE_LEN) {
      readMessage(r.lenBytes(), (g, w2, r2) => {
        if (g !== 7 || w2 !== WIRE_LEN) return false;
        n.outputShapes.push(decodeShape(r2.lenBytes()));
        return true;
      }, 'AttrValue.ListValue');
    } else return false;
    return true;
  }, 'AttrValue');
}
