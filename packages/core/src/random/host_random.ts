/**
 * Host-side draws from the one generator of the project, Philox 4x32-10 (random/philox.ts), for
 * work that must stay on the host: shuffling a dataset's indices, making test data. No second
 * PRNG: the words are the Philox word stream of key (seed, 0), counter offset 0; or, given a
 * resolved stream (random/seed.ts nextStream: TensorFlow's global/op seed rules), the word stream
 * of that random op call (philoxWords(stream, n)), for host-side random ops.
 */
import { boxMuller, philox4x32, type PhiloxStream } from './philox.js';

export class HostRandom {
  private readonly k0: number;
  private readonly k1: number;
  private readonly c2: number;
  private readonly c3: number;
  private readonly block = new Uint32Array(4);
  private blockIndex = 0;
  private lane = 4;
  constructor(seed: number | PhiloxStream) {
    if (typeof seed === 'number') {
      this.k0 = seed >>> 0;
      this.k1 = 0;
      this.c2 = 0;
      this.c3 = 0;
    } else {
      this.k0 = seed.key[0] >>> 0;
      this.k1 = seed.key[1] >>> 0;
      this.c2 = seed.counter[0] >>> 0;
      this.c3 = seed.counter[1] >>> 0;
    }
  }
  /** The next u32 word of the stream. */
  nextU32(): number {
    if (this.lane === 4) {
      philox4x32(this.blockIndex % 2 ** 32, Math.floor(this.blockIndex / 2 ** 32), this.c2, this.c3, this.k0, this.k1, this.block);
      this.blockIndex++;
      this.lane = 0;
    }
    return this.block[this.lane++]!;
  }
  /** Uniform in [0, 1) (32 random bits). */
  next(): number {
    return this.nextU32() / 4294967296;
  }
  /** Standard normal (Box–Muller of two words, as the random ops). */
  normal(): number {
    return boxMuller(this.nextU32(), this.nextU32(), 1);
  }
  /** Standard normal re-drawn while |x| >= 2 (TensorFlow's truncated normal). */
  truncatedNormal(): number {
    for (;;) {
      const x = this.normal();
      if (Math.abs(x) < 2) return x;
    }
  }
}
