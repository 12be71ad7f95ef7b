/**
 * TF1's tf.train.QueueRunner (enqueue ops run as coordinated tasks until their input ends or a stop
 * is requested) and the queue-runner collections that startQueueRunners starts.
 */
import { CoordinatedThread, type Coordinator } from './coordinator.js';
import { CancelledError, checkFunction, describeValue, InvalidArgumentError, OutOfRangeError } from './errors.js';

export type EnqueueOp = () => Promise<unknown>;

/**
 * TF's tf.train.QueueRunner: runs each enqueue op in its own loop (a "thread") until the coordinator
 * stops. An op that throws OutOfRangeError is finished; when all are, the queue is closed (so its
 * consumers see OutOfRange after draining it). On a stop request the queue is closed with
 * cancelPendingEnqueues so blocked enqueues end. Other errors stop the coordinator.
 */
export class QueueRunner {
  readonly exceptions: unknown[] = [];
  constructor(
    readonly queue: { close(o?: { cancelPendingEnqueues?: boolean }): void; name?: string },
    readonly enqueueOps: readonly EnqueueOp[],
  ) {
    if (!Array.isArray(enqueueOps) || !enqueueOps.length) throw new InvalidArgumentError(`QueueRunner: enqueueOps must be a non-empty list of functions; found ${Array.isArray(enqueueOps) ? 'an empty list' : describeValue(enqueueOps)}`);
    enqueueOps.forEach((op, i) => checkFunction(op, 'QueueRunner', `enqueueOps[${i}]`));
  }

  createThreads(coord?: Coordinator): CoordinatedThread[] {
    let running = this.enqueueOps.length;
    const qname = this.queue.name ?? 'queue';
    let allDone: () => void = () => undefined;
    const finished = new Promise<void>((r) => (allDone = r));
    const threads = this.enqueueOps.map(
      (op, i) =>
        new CoordinatedThread(`QueueRunner(${qname})#${i}`, async () => {
          try {
            while (!coord?.shouldStop()) await op();
          } catch (e) {
            if (e instanceof OutOfRangeError) {
              // This op's input is exhausted.
            } else if (e instanceof CancelledError && (coord?.shouldStop() ?? true)) {
              // Cancelled by the stop request.
            } else {
              this.exceptions.push(e);
              if (coord) coord.requestStop(e);
              else throw e;
            }
          } finally {
            if (--running === 0) {
              this.queue.close();
              allDone();
            }
          }
        }),
    );
    if (coord) {
      const watcher = new CoordinatedThread(`QueueRunner(${qname})#cancel`, async () => {
        const stopped = await Promise.race([coord.waitForStop().then(() => true), finished.then(() => false)]);
        if (stopped) this.queue.close({ cancelPendingEnqueues: true });
      });
      threads.push(watcher);
      for (const t of threads) coord.registerThread(t);
    }
    return threads;
  }
}

const collections = new Map<string, QueueRunner[]>();
export const QUEUE_RUNNERS = 'queue_runners';

/** Adds a runner to a collection (TF's tf.train.add_queue_runner). */
export function addQueueRunner(qr: QueueRunner, collection = QUEUE_RUNNERS): void {
  const list = collections.get(collection) ?? [];
  list.push(qr);
  collections.set(collection, list);
}
export function queueRunners(collection = QUEUE_RUNNERS): readonly QueueRunner[] {
  return collections.get(collection) ?? [];
}
/** Empties a collection (eager programs have no graph to reset; call between independent pipelines). */
export function clearQueueRunners(collection = QUEUE_RUNNERS): void {
  collections.delete(collection);
}

/**
 * Starts every runner of the collection (TF's tf.train.start_queue_runners) and returns its threads.
 * The collection is emptied, so a runner is never started twice.
 */
export function startQueueRunners(coord?: Coordinator, options: { collection?: string } = {}): CoordinatedThread[] {
  const name = options.collection ?? QUEUE_RUNNERS;
  const list = collections.get(name) ?? [];
  collections.delete(name);
  return list.flatMap((qr) => qr.createThreads(coord));
}
