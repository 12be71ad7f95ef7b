// TensorBoard graphs for eager code: traceGraph records the ops a function dispatches as a
// GraphDef; SummaryWriter.addGraph writes it as an Event's graph_def.
import { beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import * as data from '@eagerflow/data';

beforeAll(async () => {
  await ef.setBackend('cpu');
});

describe('traceGraph', () => {
  test('nodes follow the dispatched ops, named by variable scope, inputs wired to their producers', () => {
    const w = ef.variable(ef.ones([3, 2]), { name: 'dense_g/kernel' });
    const x = ef.ones([4, 3]);
    const { result, nodes } = data.traceGraph(() => ef.variableScope('dense_g', () => ef.nn.relu(ef.matmul(x, w))));
    expect(result.shape).toEqual([4, 2]);
    expect(nodes.map((n) => [n.name, n.op, n.inputs])).toEqual([
      ['dense_g/Const', 'Const', []],
      ['dense_g/kernel', 'VariableV2', []],
      ['dense_g/matmul', 'matmul', ['dense_g/Const', 'dense_g/kernel']],
      ['dense_g/relu', 'relu', ['dense_g/matmul']],
    ]);
    expect(nodes[2]!.outputShapes).toEqual([[4, 2]]);
    expect(nodes[1]!.outputShapes).toEqual([[3, 2]]);
    ef.dispose([w, x, result]);
  });

  test('repeated ops get TensorFlow-style unique names; outputs past the first are name:i', () => {
    const x = ef.ones([2, 6]);
    const { result, nodes } = data.traceGraph(() => {
      const [a, b] = ef.split(x, 2, 1);
      return ef.add(ef.exp(a!), ef.exp(b!));
    });
    const split = nodes.find((n) => n.op === 'split')!;
    expect(split.outputShapes).toEqual([[2, 3], [2, 3]]);
    expect(nodes.filter((n) => n.op === 'exp').map((n) => [n.name, n.inputs])).toEqual([
      ['exp', [split.name]],
      ['exp_1', [`${split.name}:1`]],
    ]);
    expect(nodes.at(-1)!.inputs).toEqual(['exp', 'exp_1']);
    ef.dispose([x, result]);
  });

  test('GraphDef bytes read back to the same nodes (dtypes, shapes, inputs)', () => {
    const nodes: data.GraphNode[] = [
      { name: 'v', op: 'VariableV2', inputs: [], dtype: 'float32', outputShapes: [[2, 0, 3]] },
      { name: 'c', op: 'Const', inputs: [], dtype: 'int32', outputShapes: [[]] },
      { name: 's/split', op: 'split', inputs: ['v', 'c'], dtype: 'float32', outputShapes: [[1, 0, 3], [1, 0, 3]] },
      { name: 'cmp', op: 'greater', inputs: ['s/split:1', 's/split'], dtype: 'bool', outputShapes: [[1, 0, 3]] },
    ];
    expect(data.decodeGraphDef(data.encodeGraphDef(nodes))).toEqual(nodes);
  });

  test('a corrupt GraphDef names the message that failed', () => {
    const bytes = data.encodeGraphDef([{ name: 'n', op: 'relu', inputs: [], dtype: 'float32', outputShapes: [[2]] }]);
    expect(() => data.decodeGraphDef(bytes.subarray(0, bytes.length - 9))).toThrow(/GraphDef|NodeDef|AttrValue|TensorShapeProto/);
  });
});

describe('SummaryWriter.addGraph', () => {
  test('writes the traced LeNet-5 step as an Event graph_def that reads back', async () => {
    const fs = data.memoryFileSystem();
    const writer = new data.SummaryWriter('mem://graph/events.out.tfevents.1.test', { fs, now: () => 7 });
    const images = ef.ones([2, 28, 28, 1]);
    const logits = await writer.addGraph(() => ef.models.lenet5(images, { scope: 'LeNet5' })[0]);
    expect(logits.shape).toEqual([2, 10]);
    await writer.scalar('loss', 1.5, 1);
    await writer.close();
    const events: data.SummaryEvent[] = [];
    for await (const e of data.readEventFile('mem://graph/events.out.tfevents.1.test', { fs })) events.push(e);
    expect(events.map((e) => [e.wallTime, e.step, !!e.graphDef, e.summary.length])).toEqual([
      [7, 0, false, 0], // file_version
      [7, 0, true, 0],
      [7, 1, false, 1],
    ]);
    const nodes = data.decodeGraphDef(events[1]!.graphDef!);
    const byName = new Map(nodes.map((n) => [n.name, n]));
    // Fused conv + bias + relu per layer, under the layer's scope, its variables as inputs.
    expect(byName.get('LeNet5/conv1/fused_conv2d')?.inputs).toEqual(['LeNet5/conv1/Const', 'LeNet5/conv1/weights', 'LeNet5/conv1/biases']); // the images enter as a Const where first used
    expect(byName.get('LeNet5/conv1/weights')).toMatchObject({ op: 'VariableV2', outputShapes: [[5, 5, 1, 6]] });
    expect(byName.get('LeNet5/logits/fused_matmul')?.outputShapes).toEqual([[2, 10]]);
    expect(nodes.filter((n) => n.op === 'VariableV2')).toHaveLength(10);
    ef.dispose([images, logits, ...ef.globalVariables()]);
  });
});
