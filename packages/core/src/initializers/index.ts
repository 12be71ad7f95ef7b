export * from './initializers.js';
export { setInitializerSeed, HostRandom } from './host_random.js';
