/**
 * Adapter and device acquisition. Node: Dawn's addon (`webgpu`), loaded lazily so browsers and
 * CPU-only programs never touch it; browsers: `navigator.gpu`. One code path after the adapter.
 */

/** What the backend learned about the device it got. */
export interface DeviceInfo {
  readonly device: GPUDevice;
  readonly adapterInfo: { vendor: string; architecture: string; device: string; description: string };
  readonly features: ReadonlySet<string>;
  readonly limits: Readonly<Record<string, number>>;
  /** Node only: drops Dawn's GPU object so the process can exit. */
  readonly release: () => void;
}

/** Features used when the adapter has them. */
const WANTED_FEATURES = ['subgroups', 'timestamp-query', 'shader-f16'] as const;
/** Limits requested at the adapter's real value (defaults are far lower). */
const WANTED_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBuffersPerShaderStage',
  'maxUniformBufferBindingSize',
] as const;

export const HOW_TO_GET_AN_ADAPTER =
  'In Node, eagerflow uses Dawn (the `webgpu` npm package), which needs a Vulkan driver: on a machine with a GPU install its ' +
  'Vulkan driver and libvulkan1; without a GPU install Debian\'s `chromium` and `libvulkan1` packages and run with ' +
  'VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json (SwiftShader, slow but exact). In browsers, use one with ' +
  'WebGPU (Chrome/Edge >= 113, Safari 26, Firefox 141 on Windows) over https or localhost. Or use the CPU backend: ' +
  "import '@eagerflow/cpu-backend' and ef.setBackend('cpu').";

function isNode(): boolean {
  return typeof process !== 'undefined' && !!(process as { versions?: { node?: string } }).versions?.node;
}

async function getGpu(): Promise<{ gpu: GPU; release: () => void }> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return { gpu: nav.gpu, release: () => {} };
  if (!isNode()) throw new Error(`webgpu: navigator.gpu is not available in this browser. ${HOW_TO_GET_AN_ADAPTER}`);
  // A variable specifier keeps bundlers for the browser from pulling in the Node addon.
  const spec = 'webgpu';
  let mod: { create(options: string[]): GPU };
  try {
    mod = (await import(spec)) as { create(options: string[]): GPU };
  } catch (e) {
    throw new Error(`webgpu: could not load the 'webgpu' package (Dawn for Node): ${(e as Error).message}. ${HOW_TO_GET_AN_ADAPTER}`);
  }
  // One Dawn instance per process, shared by every device and dropped when the last one is
  // released (a live instance keeps Node running). Several instances alive at once, each
  // collected at an arbitrary time, is what Dawn handles worst.
  if (!sharedGpu) sharedGpu = { gpu: mod.create([]), refs: 0 };
  const entry = sharedGpu;
  entry.refs++;
  let released = false;
  return {
    gpu: entry.gpu,
    release: () => {
      if (released) return;
      released = true;
      if (--entry.refs === 0 && sharedGpu === entry) sharedGpu = null;
    },
  };
}

let sharedGpu: { gpu: GPU; refs: number } | null = null;

export interface AcquireOptions {
  /**
   * Accept a software adapter (SwiftShader, lavapipe/llvmpipe, any fallback adapter): a CPU
   * emulating a GPU, exact but far slower than the CPU backend. Default true (an explicit
   * setBackend('webgpu') runs anywhere); the automatic choice (ef.ready()) passes false.
   */
  allowSoftwareAdapter?: boolean;
}

const SOFTWARE_ADAPTERS = /swiftshader|llvmpipe|lavapipe|softpipe|\bwarp\b|basic render/i;

/** The software rasterizer behind `adapter` ('swiftshader', 'llvmpipe', 'fallback adapter'), or null for hardware. */
export function softwareAdapterName(adapter: GPUAdapter): string | null {
  const info = (adapter as { info?: Partial<GPUAdapterInfo> & { isFallbackAdapter?: boolean } }).info;
  for (const field of [info?.architecture, info?.device, info?.description]) {
    const m = field ? SOFTWARE_ADAPTERS.exec(field) : null;
    if (m) return m[0].toLowerCase();
  }
  if (info?.isFallbackAdapter || (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter) return 'fallback adapter';
  return null;
}

export async function acquireDevice(options: AcquireOptions = {}): Promise<DeviceInfo> {
  const { gpu, release } = await getGpu();
  let adapter: GPUAdapter | null = null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    release();
    throw new Error(`webgpu: requestAdapter() failed: ${(e as Error).message}. ${HOW_TO_GET_AN_ADAPTER}`);
  }
  if (!adapter) {
    release();
    const hint = isNode() && !process.env['VK_ICD_FILENAMES'] ? ' (VK_ICD_FILENAMES is not set)' : '';
    throw new Error(`webgpu: no WebGPU adapter found${hint}. ${HOW_TO_GET_AN_ADAPTER}`);
  }
  const software = options.allowSoftwareAdapter === false ? softwareAdapterName(adapter) : null;
  if (software) {
    release();
    throw Object.assign(
      new Error(`the only WebGPU adapter is a software one (${software}: the CPU emulating a GPU, far slower than the CPU backend); ef.setBackend('webgpu') still uses it`),
      { declined: true },
    );
  }
  const features = WANTED_FEATURES.filter((f) => adapter!.features.has(f)) as GPUFeatureName[];
  const requiredLimits: Record<string, number> = {};
  for (const name of WANTED_LIMITS) {
    const v = (adapter.limits as unknown as Record<string, number>)[name];
    if (typeof v === 'number') requiredLimits[name] = v;
  }
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({ requiredFeatures: features, requiredLimits });
  } catch (e) {
    release();
    throw new Error(`webgpu: requestDevice() failed: ${(e as Error).message}`);
  }
  const info = (adapter as { info?: GPUAdapterInfo }).info;
  const limits: Record<string, number> = {};
  for (const name of WANTED_LIMITS) limits[name] = (device.limits as unknown as Record<string, number>)[name] ?? 0;
  limits['minUniformBufferOffsetAlignment'] = device.limits.minUniformBufferOffsetAlignment;
  return {
    device,
    adapterInfo: {
      vendor: info?.vendor ?? '',
      architecture: info?.architecture ?? '',
      device: info?.device ?? '',
      description: info?.description ?? '',
    },
    features: new Set(features as string[]),
    limits,
    release,
  };
}
