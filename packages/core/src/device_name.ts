/**
 * TensorFlow device strings → eagerflow backend names, so `tf.device('/gpu:0')` ports as is:
 * '/cpu:0', '/device:CPU:0', 'CPU', '/job:localhost/replica:0/task:0/device:GPU:0' → 'cpu' | 'webgpu'.
 * Backend names ('cpu', 'webgpu', a custom backend's name) pass through unchanged.
 */
const TF_DEVICE = /^(?:\/job:[^/]+\/replica:\d+\/task:\d+)?\/?(?:device:)?(cpu|gpu)(?::(\d+))?$/i;

export function backendForDevice(spec: string): string {
  const m = TF_DEVICE.exec(spec);
  if (!m) return spec;
  const index = Number(m[2] ?? 0);
  // One backend instance per kind: the process drives one GPU adapter (and the CPU as one device).
  if (index !== 0) throw new Error(`withDevice('${spec}'): eagerflow has one ${m[1]!.toUpperCase()} device, '${m[1]!.toLowerCase()}:0'; found index ${index}`);
  return m[1]!.toLowerCase() === 'cpu' ? 'cpu' : 'webgpu';
}
