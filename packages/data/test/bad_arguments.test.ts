// Bad arguments across the public API of @eagerflow/data: each case must throw (or reject with) the
// package's error class, with a message that names the function and argument and states what was
// expected and what was found. Corrupt files are covered by fuzz_parsers.test.ts; this is about calls.
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import * as d from '@eagerflow/data';
import { tempDir } from './helpers.js';
import { checkErrorCases as check } from '../../../tools/test/error_cases.js';

beforeAll(async () => {
  await ef.setBackend('cpu');
});
afterEach(() => d.clearQueueRunners());

const any = <T>(v: unknown) => v as T;
const IA = d.InvalidArgumentError;
const ds3 = () => d.Dataset.fromTensorSlices([1, 2, 3]);
const disposed = () => {
  const t = ef.ones([2]);
  t.dispose();
  return t;
};
const nums = async (ds: d.Dataset<unknown>): Promise<number[]> => (await ds.toArray()).map((t) => Number((t as ef.Tensor).dataSync()[0]));


describe('Dataset sources', () => {
  check([
    ['fromTensorSlices(undefined)', () => d.Dataset.fromTensorSlices(undefined), IA, 'fromTensorSlices', "argument 'tensors' is missing (undefined)"],
    ['fromTensorSlices: mismatched first dimensions show both', () => d.Dataset.fromTensorSlices({ a: [1, 2, 3], b: [1, 2] }), IA, 'fromTensorSlices', 'same first dimension', 'component 0 has 3', 'component 1 has 2'],
    ['fromTensorSlices: a scalar', () => d.Dataset.fromTensorSlices(5), IA, 'fromTensorSlices', 'rank ≥ 1'],
    ['fromTensorSlices: a disposed tensor (was deferred to iteration)', () => d.Dataset.fromTensorSlices(disposed()), IA, 'fromTensorSlices', 'component 0', '[2]', 'float32', 'was disposed'],
    ['fromTensors(null)', () => d.Dataset.fromTensors(null), IA, 'fromTensors', "argument 'tensors' is missing (null)"],
    ['fromGenerator(undefined)', () => d.Dataset.fromGenerator(any(undefined)), IA, 'fromGenerator', 'generator must be a function', 'found undefined'],
    ['fromGenerator: not returning an iterable', () => d.Dataset.fromGenerator(any(() => 5)).toArray(), IA, 'fromGenerator', 'iterable', 'returned 5'],
    ['fromGenerator: element structure changes', () => d.Dataset.fromGenerator(function* () { yield { a: 1 }; yield { b: 1 }; }).toArray(), IA, 'fromGenerator', "element 1 is {'b'", "earlier element was {'a'", 'must not change'],
    ['fromGenerator: element dtype changes', () => d.Dataset.fromGenerator(function* () { yield 1; yield 'x'; }).toArray(), IA, 'fromGenerator', 'element 1', 'tf.string', 'earlier element', 'tf.float32'],
    ['fromGenerator: signature mismatch', () => d.Dataset.fromGenerator(function* () { yield [1, 2]; }, new d.TensorSpec([3], 'float32')).toArray(), IA, 'fromGenerator', 'element 0', 'float32[2]', 'shape=(3,)'],
    ['range(1.5)', () => d.Dataset.range(1.5), IA, 'range', 'stop must be an integer', 'found 1.5'],
    ['range("a")', () => d.Dataset.range(any('a')), IA, 'range', 'stop must be an integer', 'found "a"'],
    ['range(0, 10, 0)', () => d.Dataset.range(0, 10, 0), IA, 'range', 'step must not be 0'],
    ['TFRecordDataset(5)', () => d.Dataset.TFRecordDataset(any(5)), IA, 'TFRecordDataset', 'filenames must be a string', 'found 5'],
    ['TFRecordDataset([undefined])', () => d.Dataset.TFRecordDataset(any([undefined])), IA, 'TFRecordDataset', 'found undefined'],
    ['TFRecordDataset: bad compression', () => d.Dataset.TFRecordDataset('x', any({ compression: 'LZ4' })).toArray(), IA, "compression must be 'NONE', 'GZIP' or 'ZLIB'", 'found "LZ4"'],
    ['listFiles(undefined)', () => d.Dataset.listFiles(any(undefined)), IA, 'listFiles', 'pattern must be a glob string', 'found undefined'],
    ['zip(undefined)', () => d.Dataset.zip(any(undefined)), IA, 'zip', 'array or an object of Datasets', 'found undefined'],
    ['zip with a non-dataset', () => d.Dataset.zip(any([ds3(), 5])), IA, 'zip', 'datasets[1] must be a Dataset', 'found 5'],
    ['zip with null in an object', () => d.Dataset.zip(any({ a: ds3(), b: null })), IA, 'zip', 'datasets["b"] must be a Dataset', 'found null'],
    ['TensorSpec(5, ...)', () => new d.TensorSpec(any(5), 'float32'), IA, 'TensorSpec', 'shape must be an array of non-negative integers or null (unknown) dimensions', 'found 5'],
    ['TensorSpec(undefined, ...)', () => new d.TensorSpec(any(undefined), 'float32'), IA, 'TensorSpec', 'shape must be an array', 'found undefined'],
    ['TensorSpec([2, 2.5])', () => new d.TensorSpec([2, 2.5], 'float32'), IA, 'TensorSpec', 'shape must be', 'found 2.5 at shape[1]'],
    ['TensorSpec([-1]) (null is unknown)', () => new d.TensorSpec([-1], 'float32'), IA, 'TensorSpec', 'null (unknown)', 'found -1 at shape[0]'],
    ['TensorSpec dtype float64', () => new d.TensorSpec([2], any('float64')), IA, 'TensorSpec', 'dtype must be one of float32, int32, bool, int64, string', 'found "float64"'],
    ['TensorSpec dtype undefined', () => new d.TensorSpec([2], any(undefined)), IA, 'TensorSpec', 'dtype must be one of', 'found undefined'],
    ['SparseTensorSpec(["a"])', () => new d.SparseTensorSpec(any(['a']), 'float32'), IA, 'SparseTensorSpec', 'shape must be', 'found "a" at shape[0]'],
  ]);
});

describe('Dataset transformations: counts (TF semantics: -1 = all / forever; non-integers refused)', () => {
  check([
    ['batch(0)', () => ds3().batch(0), IA, 'batch', 'batchSize must be a positive integer', 'found 0'],
    ['batch(-1)', () => ds3().batch(-1), IA, 'batch', 'batchSize', 'found -1'],
    ['batch(1.5)', () => ds3().batch(1.5), IA, 'batch', 'batchSize', 'found 1.5'],
    ['batch("2")', () => ds3().batch(any('2')), IA, 'batch', 'batchSize', 'found "2"'],
    ['paddedBatch(0)', () => ds3().paddedBatch(0), IA, 'paddedBatch', 'batchSize', 'found 0'],
    ['shuffle(0)', () => ds3().shuffle(0), IA, 'shuffle', 'bufferSize must be a positive integer', 'found 0'],
    ['shuffle()', () => ds3().shuffle(any(undefined)), IA, 'shuffle', 'bufferSize', 'found undefined'],
    ['repeat(1.5) (repeated twice before)', () => ds3().repeat(1.5), IA, 'repeat', 'count must be an integer', '-1 repeats forever', 'found 1.5'],
    ['repeat(NaN) (was empty)', () => ds3().repeat(NaN), IA, 'repeat', 'found NaN'],
    ['take(1.5) (took 2 before)', () => ds3().take(1.5), IA, 'take', 'count must be an integer', '-1 takes all', 'found 1.5'],
    ['take() (took all before)', () => ds3().take(any(undefined)), IA, 'take', 'found undefined'],
    ['skip(1.5)', () => ds3().skip(1.5), IA, 'skip', 'count must be an integer', '-1 skips all', 'found 1.5'],
    ['skip(NaN) (skipped none before)', () => ds3().skip(NaN), IA, 'skip', 'found NaN'],
    ['prefetch(-2)', () => ds3().prefetch(-2), IA, 'prefetch', 'bufferSize', 'found -2'],
    ['map numParallelCalls 0', () => ds3().map((x) => x, { numParallelCalls: 0 }), IA, 'map', 'numParallelCalls', 'AUTOTUNE', 'found 0'],
    ['interleave cycleLength 0', () => ds3().interleave((x) => d.Dataset.fromTensors(x), { cycleLength: 0 }), IA, 'interleave', 'cycleLength', 'found 0'],
    ['window(0)', () => ds3().window(0), IA, 'window', 'size must be a positive integer', 'found 0'],
    ['window(2, 0)', () => ds3().window(2, 0), IA, 'window', 'shift must be a positive integer', 'found 0'],
    ['window(2, 1, 1.5)', () => ds3().window(2, 1, 1.5), IA, 'window', 'stride must be a positive integer', 'found 1.5'],
    ['window dropRemainder "yes"', () => ds3().window(2, 1, 1, any('yes')), IA, 'window', 'dropRemainder must be a boolean', 'found "yes"'],
  ]);

  test('negative counts follow TF: take(-1) all, skip(-1) all, repeat(-2) forever', async () => {
    expect(await nums(ds3().take(-1))).toEqual([1, 2, 3]);
    expect(await nums(ds3().skip(-1))).toEqual([]);
    expect(ds3().repeat(-2).cardinality).toBe(Infinity);
    expect(await nums(ds3().repeat(-2).take(7))).toEqual([1, 2, 3, 1, 2, 3, 1]);
  });

  test('Infinity (an infinite dataset\'s cardinality) counts as -1', async () => {
    const inf = ds3().repeat().cardinality!;
    expect(inf).toBe(Infinity);
    expect(await nums(ds3().take(inf))).toEqual([1, 2, 3]);
    expect(await nums(ds3().skip(inf))).toEqual([]);
    expect(await nums(ds3().repeat(inf).take(4))).toEqual([1, 2, 3, 1]);
  });
});

describe('Dataset transformations: functions, structures, specs', () => {
  const mixed = () => ds3().map((x) => ((x as ef.Tensor).dataSync()[0] === 1 ? { a: x } : [x]));
  check([
    ['map(undefined)', () => ds3().map(any(undefined)), IA, 'map', 'fn must be a function', 'found undefined'],
    ['filter(undefined)', () => ds3().filter(any(undefined)), IA, 'filter', 'predicate must be a function', 'found undefined'],
    ['interleave(undefined)', () => ds3().interleave(any(undefined)), IA, 'interleave', 'fn must be a function'],
    ['forEachAsync(undefined)', () => ds3().forEachAsync(any(undefined)), IA, 'forEachAsync', 'fn must be a function'],
    ['apply returning a non-dataset', () => ds3().apply(any(() => 5)), IA, 'apply', 'must return a Dataset', 'returned 5'],
    ['cache(5)', () => ds3().cache(any(5)), IA, 'cache', 'filename must be a string', 'found 5'],
    ['map returning nothing', () => ds3().map(() => undefined).toArray(), IA, 'map', 'returned nothing'],
    ['map returning a function', () => ds3().map(() => ({ a: () => 1 })).toArray(), IA, "component 'a'", 'Function', 'to a tensor'],
    ['map: element structure changes', () => mixed().toArray(), IA, 'map', 'element 1 is (TensorSpec', "earlier element was {'a'", 'must not change'],
    ['map: elements contradict outputSpec (elementSpec was silently wrong)', () => ds3().map((x) => x, { outputSpec: new d.TensorSpec([5], 'int32') }).toArray(), IA, 'map', 'element 0 is TensorSpec(shape=(), dtype=tf.float32', 'does not match outputSpec', 'shape=(5,), dtype=tf.int32'],
    ['filter returning a string', () => ds3().filter(any(() => 'yes')).toArray(), IA, 'filter', 'boolean or a scalar bool tensor', 'found "yes"'],
    ['filter returning a vector', () => ds3().filter(() => ef.ones([2])).toArray(), IA, 'filter', 'scalar', 'shape [2]'],
    ['interleave fn returning a number', () => ds3().interleave(any(() => 5)).toArray(), IA, 'interleave', 'must return a Dataset', 'returned 5'],
    ['interleave fn returning an array', () => ds3().interleave(any(() => [1])).toArray(), IA, 'interleave', 'returned Array'],
    ['flatMap(undefined)', () => ds3().flatMap(any(undefined)), IA, 'flatMap', 'fn must be a function', 'found undefined'],
    ['flatMap fn returning a number for element 2', () => ds3().flatMap(any((x: ef.Tensor) => (x.dataSync()[0] === 3 ? 5 : d.Dataset.fromTensors(x)))).toArray(), IA, 'flatMap', 'must return a Dataset', 'for element 2', 'returned 5'],
    ['flatMap: elements contradict outputSpec', () => ds3().flatMap((x) => d.Dataset.fromTensors(x), { outputSpec: new d.TensorSpec([], 'int32') }).toArray(), IA, 'flatMap', 'element 0 is TensorSpec(shape=(), dtype=tf.float32', 'does not match outputSpec', 'dtype=tf.int32'],
    ['flatMap: datasets of different structures', () => ds3().flatMap(any((x: ef.Tensor) => (x.dataSync()[0] === 2 ? d.Dataset.fromTensors({ a: x }) : d.Dataset.fromTensors(x)))).toArray(), IA, 'flatMap', 'element 1 is {\'a\'', 'earlier element was TensorSpec', 'must not change'],
    ['interleave: datasets of different dtypes', () => ds3().interleave(any((x: ef.Tensor) => (x.dataSync()[0] === 3 ? d.Dataset.fromTensors(ef.cast(x, 'int32')) : d.Dataset.fromTensors(x))), { cycleLength: 1 }).toArray(), IA, 'interleave', 'element 2', 'int32', 'must not change'],
    ['unbatch of scalars (known when built)', () => ds3().unbatch(), IA, 'unbatch: element component 0 is a scalar', 'rank ≥ 1'],
    ['unbatch of a scalar component (found when iterating)', () => d.Dataset.fromGenerator(function* () { yield [ef.ones([2]), ef.scalar(3)]; }).unbatch().toArray(), IA, 'unbatch: element component 1 is a scalar'],
    ['unbatch: first dimensions differ', () => d.Dataset.fromTensors({ a: ef.ones([3]), b: ef.ones([2, 4]) }).unbatch().toArray(), IA, 'unbatch', 'element 0', 'same first dimension', 'component 0 has 3', 'component 1 has 2'],
    ['batch: different shapes', () => d.Dataset.fromGenerator(function* () { yield [1, 2]; yield [1]; }).batch(2).toArray(), IA, 'batch', 'shapes [2] and [1]', 'paddedBatch'],
    ['paddedBatch: paddedShapes of another rank', () => d.Dataset.fromTensorSlices([[1, 2]]).paddedBatch(1, { paddedShapes: [2, 3] }).toArray(), IA, 'paddedBatch', 'rank 2', 'rank 1'],
    ['paddedBatch: paddedShapes smaller than an element', () => d.Dataset.fromTensorSlices([[1, 2]]).paddedBatch(1, { paddedShapes: [1] }).toArray(), IA, 'paddedBatch', 'size 2', 'padded size 1'],
    ['paddedBatch: non-integer paddedShapes', () => ds3().paddedBatch(1, { paddedShapes: [2.5] }), IA, 'paddedBatch', 'paddedShapes', 'non-negative integers or -1/null', 'found 2.5'],
    ['paddedBatch: paddedShapes -2', () => ds3().paddedBatch(1, { paddedShapes: { a: [-2] } }), IA, 'paddedBatch', "paddedShapes 'a'", 'found -2'],
    ['concatenate(undefined)', () => ds3().concatenate(any(undefined)), IA, 'concatenate', 'must be a Dataset', 'found undefined'],
    ['concatenate an array (iterated it before)', () => ds3().concatenate(any([1, 2])), IA, 'concatenate', 'found Array'],
    ['concatenate: different dtypes', () => ds3().concatenate(any(d.Dataset.fromTensorSlices(ef.ones([2], 'int32')))), IA, 'concatenate', 'element specs differ', 'tf.float32', 'vs', 'tf.int32'],
    ['concatenate: different structures (mixed elements before)', () => ds3().concatenate(any(d.Dataset.fromTensorSlices({ a: [1, 2] }))), IA, 'concatenate', 'element specs differ', 'TensorSpec', "vs {'a'"],
    ['iteratorFromStructure: other dtype', () => d.Dataset.iteratorFromStructure(new d.TensorSpec([], 'int32')).initialize(any(ds3())), IA, "element spec TensorSpec(shape=(), dtype=tf.float32", "iterator's", 'tf.int32'],
    ['getNext before initialize', () => d.Dataset.makeInitializableIterator(() => ds3()).getNext(), IA, 'not been initialized', 'initialize(params)'],
  ]);
});

describe('queues, runners, producers, readers, Coordinator', () => {
  check([
    ['FIFOQueue capacity 0', () => new d.FIFOQueue(0), IA, 'FIFOQueue', 'capacity must be a positive integer', 'found 0'],
    ['FIFOQueue capacity 1.5', () => new d.FIFOQueue(1.5), IA, 'FIFOQueue', 'capacity', 'found 1.5'],
    ['FIFOQueue unknown dtype', () => new d.FIFOQueue(2, any('float99')), IA, 'FIFOQueue', 'dtypes[0] must be one of', 'found "float99"'],
    ['RandomShuffleQueue minAfterDequeue > capacity', () => new d.RandomShuffleQueue(2, 5), IA, 'RandomShuffleQueue', 'minAfterDequeue (5)', '[0, 2)'],
    ['enqueue: wrong dtype', () => new d.FIFOQueue(2, 'int32').enqueue(ef.ones([])), IA, 'FIFOQueue', 'component 0 has dtype float32', 'holds int32'],
    ['enqueue: wrong shape', () => new d.FIFOQueue(2, { dtypes: 'float32', shapes: [[2]] }).enqueue(ef.ones([3])), IA, 'FIFOQueue', 'component 0 has shape [3]', 'expects [2]'],
    ['enqueue: wrong number of components', () => new d.FIFOQueue(2, { dtypes: ['float32', 'int32'] }).enqueue([ef.ones([3])]), IA, 'FIFOQueue', 'expected 2 components, found 1'],
    ['enqueue: 1.5 into int32 (was truncated to 1)', () => new d.FIFOQueue(2, 'int32').enqueue(1.5), IA, 'FIFOQueue', 'component 0', '1.5 is not an integer', 'int32'],
    ['enqueue: a string into float32', () => new d.FIFOQueue(2, 'float32').enqueue('x'), IA, 'FIFOQueue', 'component 0', 'cannot convert "x" to a float32 tensor'],
    ['enqueue: undefined', () => new d.FIFOQueue(2, 'float32').enqueue(undefined), IA, 'FIFOQueue', 'component 0', 'cannot convert undefined'],
    ['enqueue: a disposed tensor', () => new d.FIFOQueue(2, 'float32').enqueue(disposed()), IA, 'FIFOQueue', 'component 0', '[2]', 'was disposed'],
    ['enqueueMany: different first dimensions', () => new d.FIFOQueue(4, ['float32', 'float32']).enqueueMany([ef.ones([2]), ef.ones([3])]), IA, 'FIFOQueue', 'different first dimensions', '2 vs 3 in component 1'],
    ['dequeueMany(0)', () => new d.FIFOQueue(2, 'float32').dequeueMany(0), IA, "FIFOQueue 'fifoqueue", '.dequeueMany: n must be a positive integer', 'found 0'],
    ['dequeueUpTo(1.5)', () => new d.FIFOQueue(2, 'float32').dequeueUpTo(1.5), IA, '.dequeueUpTo: n', 'found 1.5'],
    ['FIFOQueue shape with a null dimension (enqueue always failed)', () => new d.FIFOQueue(2, { dtypes: 'float32', shapes: [null] }), IA, 'FIFOQueue', 'shapes[0] must be a list of non-negative integers', 'PaddingFIFOQueue', 'found null at shapes[0][0]'],
    ['FIFOQueue shape 2.5', () => new d.FIFOQueue(2, { dtypes: 'float32', shapes: [[2.5]] }), IA, 'FIFOQueue', 'shapes[0]', 'found 2.5 at shapes[0][0]'],
    ['FIFOQueue: 1 shape for 2 dtypes', () => new d.FIFOQueue(2, { dtypes: ['float32', 'int32'], shapes: [[2]] }), IA, 'FIFOQueue', '1 shapes for 2 dtypes'],
    ['PaddingFIFOQueue without shapes', () => new d.PaddingFIFOQueue(2, { dtypes: 'float32' }), IA, 'PaddingFIFOQueue', 'options.shapes is required', 'null/-1', 'found undefined'],
    ['PaddingFIFOQueue without options', () => new d.PaddingFIFOQueue(2, any(undefined)), IA, 'PaddingFIFOQueue', 'options.dtypes is required', 'found undefined'],
    ['PaddingFIFOQueue shape -2', () => new d.PaddingFIFOQueue(2, { dtypes: 'float32', shapes: [-2] }), IA, 'PaddingFIFOQueue', 'shapes[0] must be a list of non-negative integers or null/-1', 'found -2 at shapes[0][0]'],
    ['PaddingFIFOQueue enqueue of another rank', () => new d.PaddingFIFOQueue(2, { dtypes: 'float32', shapes: [null] }).enqueue(ef.ones([2, 2])), IA, 'PaddingFIFOQueue', 'component 0 has shape [2,2]', 'expects [?]'],
    ['batch(source, 0)', () => d.batch(async () => 1, 0), IA, 'batch', 'batchSize must be a positive integer', 'found 0'],
    ['batch(undefined source)', () => d.batch(any(undefined), 2), IA, 'batch', 'source must be a queue/producer', 'found undefined'],
    ['shuffleBatch without minAfterDequeue', () => d.shuffleBatch(async () => 1, 2, any(undefined)), IA, 'shuffleBatch', 'minAfterDequeue is required', 'found undefined'],
    ['shuffleBatch minAfterDequeue ≥ capacity', () => d.shuffleBatch(async () => 1, 2, { minAfterDequeue: 40 }), IA, 'shuffleBatch', 'minAfterDequeue (40)', 'capacity (32)'],
    ['QueueRunner(queue, undefined)', () => new d.QueueRunner(new d.FIFOQueue(2), any(undefined)), IA, 'QueueRunner', 'enqueueOps must be a non-empty list', 'found undefined'],
    ['QueueRunner with a non-function op', () => new d.QueueRunner(new d.FIFOQueue(2), any([5])), IA, 'QueueRunner', 'enqueueOps[0] must be a function', 'found 5'],
    ['stringInputProducer("abc") (was 3 one-letter names)', () => d.stringInputProducer(any('abc')), IA, 'stringInputProducer', 'list of strings', 'found "abc"'],
    ['stringInputProducer numEpochs 0', () => d.stringInputProducer(['a'], { numEpochs: 0 }), IA, 'stringInputProducer', 'numEpochs', 'positive integer', 'found 0'],
    ['rangeInputProducer(0) (runner spun without yielding)', () => d.rangeInputProducer(0), IA, 'rangeInputProducer', 'limit must be a positive integer', 'found 0'],
    ['sliceInputProducer: mismatched first dimensions', () => d.sliceInputProducer([[1, 2, 3], [1, 2]]), IA, 'sliceInputProducer', 'tensor 0: 3', 'tensor 1: 2'],
    ['sliceInputProducer: a scalar', () => d.sliceInputProducer([ef.scalar(1)]), IA, 'sliceInputProducer', 'tensor 0 is a scalar', 'rank ≥ 1'],
    ['Coordinator.join with a non-thread', () => new d.Coordinator().join(any([5])), IA, 'Coordinator.join', 'threads[0]', 'found 5'],
    ['matchFilenamesOnce(undefined)', () => d.matchFilenamesOnce(any(undefined)), IA, 'matchFilenamesOnce', 'pattern must be a glob string or a list of them', 'found undefined'],
    ['matchFilenamesOnce([5])', () => d.matchFilenamesOnce(any([5])), IA, 'matchFilenamesOnce', 'pattern', 'found 5'],
    ['TFRecordReader.read(undefined)', () => new d.TFRecordReader().read(any(undefined)), IA, 'reader.read', 'filenameQueue must be a queue', 'found undefined'],
    ['WholeFileReader.readUpTo(q, 0)', () => new d.WholeFileReader().readUpTo(new d.FIFOQueue(1), 0), IA, 'readUpTo', 'numRecords must be a positive integer', 'found 0'],
  ]);

  test('closed queues: dequeue → OutOfRange, enqueue → Cancelled', async () => {
    const q = new d.FIFOQueue(2, 'float32');
    q.close();
    await expect(q.dequeue()).rejects.toThrow(d.OutOfRangeError);
    await expect(q.dequeue()).rejects.toThrow(/closed and has insufficient elements \(requested 1, current size 0\)/);
    await expect(q.enqueue(1)).rejects.toThrow(d.CancelledError);
  });

  test('dequeueMany beyond capacity works as in TF (it hung), and closing gives the elements back', async () => {
    const q = new d.FIFOQueue<ef.Tensor>(2, 'float32');
    const filling = q.enqueueMany(ef.tensor([1, 2, 3, 4, 5]));
    const b = await q.dequeueMany(3);
    expect(Array.from(b.dataSync() as Float32Array)).toEqual([1, 2, 3]);
    await filling;
    const short = q.dequeueMany(3);
    q.close();
    await expect(short).rejects.toThrow(d.OutOfRangeError);
    expect(q.size()).toBe(2); // the two taken elements went back
    expect(Array.from((await q.dequeueUpTo(3)).dataSync() as Float32Array)).toEqual([4, 5]);
    const rsq = new d.RandomShuffleQueue<ef.Tensor>(4, 2, { dtypes: 'float32', seed: 1 });
    void rsq.enqueueMany(ef.tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    const r = await rsq.dequeueMany(3); // 3 + minAfterDequeue 2 > capacity 4
    expect(r.shape).toEqual([3]);
    rsq.close();
  });
});

describe('Example, Features, parsing', () => {
  const enc = (f: unknown) => () => d.encodeExample({ f: any(f) });
  check([
    ['floatFeature("a") (wrote NaN)', enc(d.floatFeature(any('a'))), IA, 'encodeExample', "feature 'f'", 'floatList value must be a list of numbers', 'found "a"'],
    ['floatFeature(["a"]) (wrote NaN)', enc(d.floatFeature(any(['a']))), IA, 'encodeExample', "feature 'f'[0]", 'holds numbers', 'found "a"'],
    ['floatFeature(undefined)', enc(d.floatFeature(any(undefined))), IA, 'encodeExample', 'found undefined'],
    ['int64Feature(1.5)', enc(d.int64Feature(1.5)), IA, 'encodeExample', "feature 'f'[0]", '1.5 is not an integer'],
    ['int64Feature(2n ** 64n)', enc(d.int64Feature(2n ** 64n)), IA, 'encodeExample', '18446744073709551616 is outside the int64 range'],
    ['int64Feature(2 ** 64)', enc(d.int64Feature(2 ** 64)), IA, 'encodeExample', 'beyond 2^53', 'bigint, Long or string'],
    ['int64Feature("abc")', enc(d.int64Feature('abc')), IA, 'encodeExample', '"abc" is not a decimal integer'],
    ['int64Feature("9223372036854775808") (wrapped to -2^63)', enc(d.int64Feature('9223372036854775808')), IA, 'encodeExample', "feature 'f'[0]", '9223372036854775808 is outside the int64 range'],
    ['bytesFeature(5)', enc(d.bytesFeature(any(5))), IA, 'encodeExample', 'bytesList value must be a list', 'found 5'],
    ['bytesFeature([5])', enc(d.bytesFeature(any([5]))), IA, 'encodeExample', "feature 'f'[0]", 'strings or Uint8Arrays', 'found 5'],
    ['a feature that is not a Feature', enc(5), IA, 'encodeExample', "feature 'f'", 'expected a Feature', 'found 5'],
    ['an unknown feature kind', enc({ kind: 'doubleList', value: [1] }), IA, 'encodeExample', 'found kind "doubleList"'],
    ['encodeExample(undefined)', () => d.encodeExample(any(undefined)), IA, 'encodeExample', 'found undefined'],
    ['encodeSequenceExample: a feature list that is not a list', () => d.encodeSequenceExample({ featureLists: { a: any(d.floatFeature(1)) } }), IA, 'encodeSequenceExample', "feature list 'a'", 'list of Features', 'found Object'],
    ['decodeExample("x")', () => d.decodeExample(any('x')), IA, 'decodeExample', 'Uint8Array', 'found "x"'],
    ['FixedLenFeature shape 5', () => d.FixedLenFeature(any(5), 'float32'), IA, 'FixedLenFeature', 'shape must be an array of non-negative integers', 'found 5'],
    ['FixedLenFeature dtype float64', () => d.FixedLenFeature([], any('float64')), IA, 'FixedLenFeature', 'dtype must be one of', 'found "float64"'],
    ['FixedLenFeature default of the wrong size', () => d.parseSingleExample(d.encodeExample({}), { f: d.FixedLenFeature([2], 'float32', [1, 2, 3]) }), IA, "feature 'f'", 'default value has 3 elements', 'shape [2] needs 2'],
    ['FixedLenFeature default of the wrong type', () => d.parseSingleExample(d.encodeExample({}), { f: d.FixedLenFeature([2], 'float32', any(['a', 'b'])) }), IA, "feature 'f'", 'must be a number', 'found string "a"'],
    ['FixedLenFeature string default 5', () => d.parseSingleExample(d.encodeExample({}), { f: d.FixedLenFeature([], 'string', any(5)) }), IA, "feature 'f'", 'string or Uint8Array', 'found 5'],
    ['parseSingleExample(bytes, undefined)', () => d.parseSingleExample(d.encodeExample({}), any(undefined)), IA, 'parseSingleExample', 'features must be an object', 'found undefined'],
    ['parseSingleExample: a spec that is not a feature', () => d.parseSingleExample(d.encodeExample({}), any({ f: 5 })), IA, 'parseSingleExample', "feature 'f'", 'FixedLenFeature/VarLenFeature', 'found 5'],
    ['parseSingleExample(undefined)', () => d.parseSingleExample(any(undefined), {}), IA, 'parseSingleExample', 'serialized bytes', 'found undefined'],
    ['parseExample(undefined)', () => d.parseExample(any(undefined), {}), IA, 'parseExample', 'list of Uint8Arrays', 'found undefined'],
    ['decodeIdx(undefined)', () => d.decodeIdx(any(undefined)), IA, 'decodeIdx', 'bytes must be a Uint8Array', 'found undefined'],
    ['decodeIdx of a number array', () => d.decodeIdx(any([0, 0, 8, 1])), IA, 'decodeIdx', 'bytes must be a Uint8Array', 'found Array'],
    ['decodeIdx file 5', () => d.decodeIdx(new Uint8Array(4), any(5)), IA, 'decodeIdx', 'file must be a string', 'found 5'],
    ['mnistToDataset(undefined)', () => d.mnistToDataset(any(undefined)), IA, 'mnistToDataset', 'm must be MnistData', 'found undefined'],
    ['mnistToDataset: labels not a Uint8Array', () => d.mnistToDataset(any({ images: new Uint8Array(4), labels: [1], count: 1, rows: 2, cols: 2 })), IA, 'mnistToDataset', 'm.labels must be a Uint8Array', 'found Array'],
    ['mnistToDataset: rows 1.5', () => d.mnistToDataset({ images: new Uint8Array(4), labels: new Uint8Array(1), count: 1, rows: 1.5, cols: 2 }), IA, 'mnistToDataset', 'm.rows must be a non-negative integer', 'found 1.5'],
    ['mnistToDataset: sizes that do not match count', () => d.mnistToDataset({ images: new Uint8Array(4), labels: new Uint8Array(2), count: 2, rows: 2, cols: 2 }), IA, 'mnistToDataset', 'needs 8 pixels and 2 labels', 'found 4 and 2'],
    ['mnistToDataset imageDtype uint8', () => d.mnistToDataset({ images: new Uint8Array(4), labels: new Uint8Array(1), count: 1, rows: 2, cols: 2 }, { imageDtype: any('uint8') }), IA, 'mnistToDataset', "imageDtype must be 'float32' or 'int32'", 'found "uint8"'],
    ['decodeRaw of a float tensor', () => d.decodeRaw(ef.ones([4]), 'uint8'), IA, 'decodeRaw', 'Uint8Array or a string tensor', 'found a float32 tensor'],
    ['decodeRaw to an Object.prototype name', () => d.decodeRaw(new Uint8Array(4), any('toString')), IA, 'decodeRaw', 'unsupported out type "toString"', 'expected one of uint8'],
  ]);
});

describe('TFRecord writer, summaries, images', () => {
  const { dir, cleanup } = tempDir();
  afterAll(cleanup);
  const sw = () => new d.SummaryWriter(`${dir}/events.out.tfevents.${Math.random()}`);
  check([
    ['createFileWriter(undefined)', () => d.createFileWriter(any(undefined)), IA, 'createFileWriter', 'logdir must be a non-empty string', 'found undefined'],
    ["createFileWriter('')", () => d.createFileWriter(''), IA, 'createFileWriter', 'logdir', 'found ""'],
    ['TFRecordWriter(undefined)', () => new d.TFRecordWriter(any(undefined)), IA, 'TFRecordWriter', 'path must be a string', 'found undefined'],
    ['TFRecordWriter bufferSize 0', () => new d.TFRecordWriter(`${dir}/a`, { bufferSize: 0 }), IA, 'TFRecordWriter', 'bufferSize', 'found 0'],
    ['TFRecordWriter.write(5) (wrote garbage)', async () => { const w = new d.TFRecordWriter(`${dir}/b`); try { await w.write(any(5)); } finally { await w.close(); } }, IA, 'TFRecordWriter(', '.write: record must be a Uint8Array or a string', 'found 5'],
    ['TFRecordWriter.write after close', async () => { const w = new d.TFRecordWriter(`${dir}/c`); await w.close(); await w.write('x'); }, Error, 'TFRecordWriter(', 'write after close()'],
    ['encodeTFRecords([5])', () => d.encodeTFRecords(any([5])), IA, 'encodeTFRecords', 'records[0]', 'found 5'],
    ['scalar: step 1.5', () => sw().scalar('loss', 1, 1.5), IA, "SummaryWriter.scalar('loss')", 'step must be an integer', 'found 1.5'],
    ['scalar: tag undefined', () => sw().scalar(any(undefined), 1, 1), IA, 'SummaryWriter.scalar', 'tag must be a non-empty string', 'found undefined'],
    ['scalar: a string value (wrote NaN)', () => sw().scalar('loss', any('x'), 1), IA, "SummaryWriter.scalar('loss')", 'number or a scalar tensor', 'found "x"'],
    ['scalar: a non-scalar tensor (wrote NaN)', () => sw().scalar('loss', ef.ones([3]), 1), IA, "SummaryWriter.scalar('loss')", 'must be a scalar', 'shape [3]'],
    ['histogram: undefined', () => sw().histogram('h', any(undefined), 1), IA, "SummaryWriter.histogram('h')", 'values must be', 'found undefined'],
    ['histogram: strings', () => sw().histogram('h', any(['a']), 1), IA, "SummaryWriter.histogram('h')", 'values[0] must be a number', 'found "a"'],
    ['histogram: NaN (TF1: "Nan in summary histogram")', () => sw().histogram('h', [1, NaN], 1), IA, "SummaryWriter.histogram('h')", 'finite', 'NaN at index 1'],
    ['text: a number', () => sw().text('t', any(5), 1), IA, "SummaryWriter.text('t')", 'must be a string', 'found 5'],
    ['image: 5 channels', () => sw().image('i', new Uint8Array(20), [2, 2, any(5)], 1), IA, 'encodePngPixels', 'channels must be 1..4', 'found 5'],
    ['image: shape of rank 2', () => sw().image('i', new Uint8Array(4), any([2, 2]), 1), IA, "SummaryWriter.image('i')", 'shape must be [height, width, channels]', 'found [2,2]'],
    ['image: 0..1 floats as pixels (were truncated to 0)', () => sw().image('i', [0.5, 0.5, 0.5, 0.5], [2, 2, 1], 1), IA, 'encodePngPixels', 'integers in 0..255', 'found 0.5'],
    ['image: a 2-D tensor', () => sw().image('i', ef.ones([2, 2]), undefined, 1), IA, 'encodePng', 'must be 3-D', 'found shape [2,2]'],
    ['encodePng of a rank-2 image', () => d.encodePng(ef.ones([2, 2], 'int32')), IA, 'encodePng', 'must be 3-D', 'found shape [2,2]'],
    ['encodePng with 5 channels', () => d.encodePng(ef.ones([2, 2, 5], 'int32')), IA, 'encodePng', 'channels', 'found 5'],
    ['encodePng of a bool image', () => d.encodePng(ef.cast(ef.ones([2, 2, 1]), 'bool')), IA, 'encodePng', 'int32', 'float32', 'found bool'],
    ['encodePng of a disposed image', () => { const t = ef.ones([2, 2, 1], 'int32'); t.dispose(); return d.encodePng(t); }, IA, 'encodePng', 'image (shape [2,2,1], int32) was disposed'],
    ['encodePng of a nested array', () => d.encodePng(any([[[1]]])), IA, 'encodePng', 'must be a Tensor', 'found Array'],
    ['encodeJpeg with 4 channels', () => d.encodeJpeg(ef.ones([2, 2, 4], 'int32')), IA, 'encodeJpeg', '1, 3 channels', 'found 4'],
    ['encodeJpeg quality 101', () => d.encodeJpeg(ef.ones([2, 2, 3], 'int32'), { quality: 101 }), IA, 'encodeJpeg', 'quality', '0..100', 'found 101'],
    ['encodePngPixels height -2', () => d.encodePngPixels(new Uint8Array(4), -2, 2, 1), IA, 'encodePngPixels', 'height must be a positive integer', 'found -2'],
    ['decodeImage(5)', () => d.decodeImage(any(5)), IA, 'decodeImage', 'Uint8Array or a scalar string tensor', 'found 5'],
    ['decodeImage channels 2', () => d.decodeImage(d.encodePng(ef.ones([2, 2, 3], 'int32')), { channels: any(2) }), IA, 'decodeImage', 'channels must be one of 0, 1, 3, 4', 'found 2'],
  ]);

  test('summary values that TF takes as tensors are written from tensors', async () => {
    const path = `${dir}/events.out.tfevents.tensors`;
    const w = new d.SummaryWriter(path);
    await w.scalar('s', ef.scalar(2.5), 1);
    await w.histogram('h', ef.tensor([1, 2, 3]), 1);
    await w.image('i', ef.fill([2, 2, 3], 0.5), undefined, 1);
    await w.close();
    const events: d.SummaryEvent[] = [];
    for await (const e of d.readEventFile(path)) events.push(e);
    const vals = events.flatMap((e) => e.summary ?? []);
    expect(d.scalarValue(vals.find((v) => v.tag === 's')!)).toBe(2.5);
    expect(vals.find((v) => v.tag === 'h')!.histo!.num).toBe(3);
    expect(vals.find((v) => v.tag === 'i')!.image!.colorspace).toBe(3);
  });
});
