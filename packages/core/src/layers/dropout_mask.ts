/** Inverted dropout with a host-generated mask (seeded; no random kernel needed). */
import { OpError } from '../errors.js';
import { sizeOf, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { makeTensor } from '../ops/create_values.js';
import { mul } from '../ops/api/elementwise.js';
import { generatorFor } from '../initializers/host_random.js';

/** x · mask / (1 − rate), mask ~ Bernoulli(1 − rate) of `noiseShape` (broadcast to x). */
export function dropoutApply(x: Tensor, rate: number, options: { noiseShape?: Shape; seed?: number } = {}): Tensor {
  if (!(rate >= 0 && rate < 1)) throw new OpError('dropout', `rate must be in [0, 1), found ${rate}`);
  if (rate === 0) return x;
  const shape = options.noiseShape ?? x.shape;
  const r = generatorFor(options.seed);
  const n = sizeOf(shape);
  const m = new Float32Array(n);
  const keep = 1 / (1 - rate);
  for (let i = 0; i < n; i++) m[i] = r.next() >= rate ? keep : 0;
  return mul(x, makeTensor(m, shape, 'float32'));
}
