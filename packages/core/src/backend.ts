import type { DataValues } from './dtype.js';
import type { EngineConfig } from './engine.js';
import type { OpDef, TensorInfo } from './ops/op_def.js';

/** One kernel run measured by ef.time: the op and the kernel's own time. */
export interface KernelTiming {
  readonly op: string;
  readonly ms: number;
}

/** An input as a kernel sees it: shape, dtype and the backend's own storage handle. */
export interface KernelInput extends TensorInfo {
  readonly data: unknown;
}

/** What each backend implements; core talks to backends only through this. */
export interface Backend {
  readonly name: string;
  /** Stores host values; returns the backend's storage handle. */
  write(values: DataValues, info: TensorInfo): unknown;
  read(data: unknown, info: TensorInfo): Promise<DataValues>;
  /** Synchronous read, where the backend can (the CPU can; WebGPU cannot). */
  readSync?(data: unknown, info: TensorInfo): DataValues;
  /**
   * Backends without readSync: the values when they are already on the host (WebGPU's host copy
   * of tiny or host-written tensors), without waiting or copying (callers must not modify them);
   * undefined when they are only on the device. Used for checks such as int64 index ranges.
   */
  peekSync?(data: unknown, info: TensorInfo): DataValues | undefined;
  release(data: unknown): void;
  /** Runs one op; returns one storage handle per output. */
  run(def: OpDef<any>, inputs: readonly KernelInput[], attrs: unknown, outputs: readonly TensorInfo[]): unknown[];
  /** Whether this backend has a kernel for `def` (elementwise defs are generated, so always). */
  hasKernel(def: OpDef<any>): boolean;
  /** Backend-specific memory figures (pool sizes, GPU bytes) beyond what core counts. */
  memoryInfo?(): Record<string, number>;
  /** Waits for queued work (GPU) to finish. */
  sync?(): Promise<void>;
  /** Starts timing each kernel run (ef.time); false when this backend cannot (no timestamp queries). */
  startKernelTiming?(): boolean;
  /** Stops timing; resolves with one entry per kernel run since startKernelTiming, in order. */
  endKernelTiming?(): Promise<KernelTiming[]>;
  /** Called at start and whenever ef.config() changes (memory limits and the like). */
  configure?(config: Readonly<EngineConfig>): void;
  dispose(): void;
}

export interface BackendFactory {
  readonly name: string;
  /** Higher wins when no backend was chosen. */
  readonly priority: number;
  create(): Promise<Backend>;
  /**
   * Used by ready() (automatic choice) instead of create() when present: a backend that works but
   * is not worth picking unasked (e.g. WebGPU on a software adapter) throws here an Error with
   * `declined: true` and the reason; ready() names it and moves on to the next backend.
   * setBackend(name) always uses create().
   */
  createForAutoSelect?(): Promise<Backend>;
}
