export * from './initializers.js';
/** Host-side Philox draws (dataset shuffles, test data); the initializers themselves run the random ops. */
export { HostRandom } from '../random/host_random.js';
