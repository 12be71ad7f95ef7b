/**
 * The op-level cases (issues 2 and 3): matmul, conv2d, maxPool, a LeNet-5 training step and a
 * chain of tiny adds, written once against `Framework` and run for each implementation.
 */
import type { Backend, Framework, T } from './frameworks.js';
import type { BenchContext, MeasureOptions, Step } from './harness.js';

export interface Case {
  bench: string;
  flops?: number;
  /** Builds inputs on `fw` and returns the step plus a cleanup. */
  make(fw: Framework): { step: Step<T>; check?: () => Promise<Float32Array>; cleanup(): void; extra?: MeasureOptions['extra'] };
}

/** Deterministic uniform values in [-scale, scale). */
export function randomValues(n: number, seed: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 2 ** 32 * 2 - 1) * scale;
  }
  return out;
}

const prod = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** A step that runs `op` on fixed inputs and reads the output back at the end of a sample. */
function opStep(fw: Framework, op: () => T): Step<T> {
  return {
    run: op,
    release: (h) => h.dispose(),
    settle: async (h) => {
      await fw.read(h);
      h.dispose();
    },
  };
}

function matmulCase(n: number): Case {
  return {
    bench: `matmul_${n}x${n}x${n}`,
    flops: 2 * n * n * n,
    make(fw) {
      const a = fw.tensor(randomValues(n * n, 1), [n, n]);
      const b = fw.tensor(randomValues(n * n, 2), [n, n]);
      const op = () => fw.matmul(a, b);
      return { step: opStep(fw, op), check: () => readOnce(fw, op), cleanup: () => [a, b].forEach((t) => t.dispose()) };
    },
  };
}

function conv2dCase(batch: number, hw: number, cin: number, k: number, cout: number): Case {
  const x = [batch, hw, hw, cin];
  const w = [k, k, cin, cout];
  return {
    bench: `conv2d_b${batch}_${hw}x${hw}x${cin}_k${k}_${cout}_same`,
    flops: 2 * batch * hw * hw * cout * k * k * cin, // 'SAME', stride 1: output is hw×hw
    make(fw) {
      const xt = fw.tensor(randomValues(prod(x), 3), x);
      const wt = fw.tensor(randomValues(prod(w), 4, 1 / Math.sqrt(k * k * cin)), w);
      const op = () => fw.conv2d(xt, wt, 1, 'SAME');
      return { step: opStep(fw, op), check: () => readOnce(fw, op), cleanup: () => [xt, wt].forEach((t) => t.dispose()) };
    },
  };
}

function maxPoolCase(batch: number, hw: number, c: number): Case {
  const x = [batch, hw, hw, c];
  return {
    bench: `maxpool_b${batch}_${hw}x${hw}x${c}_k2_s2`,
    make(fw) {
      const xt = fw.tensor(randomValues(prod(x), 5), x);
      const op = () => fw.maxPool(xt, 2, 2, 'VALID');
      return { step: opStep(fw, op), check: () => readOnce(fw, op), cleanup: () => xt.dispose() };
    },
  };
}

/** `count` chained adds on a [size] tensor; ms is per chain, us_per_op per add. */
function addChainCase(count: number, size: number): Case {
  return {
    bench: `add_chain_${count}x[${size}]`,
    make(fw) {
      const x0 = fw.tensor(randomValues(size, 6), [size]);
      const one = fw.tensor(new Float32Array(size).fill(1), [size]);
      const op = () => {
        let x = x0;
        for (let i = 0; i < count; i++) {
          const y = fw.add(x, one);
          if (x !== x0) x.dispose();
          x = y;
        }
        return x;
      };
      return {
        step: opStep(fw, op),
        cleanup: () => [x0, one].forEach((t) => t.dispose()),
        extra: (ms) => ({ us_per_op: Number(((ms * 1000) / count).toPrecision(4)) }),
      };
    },
  };
}

/**
 * LeNet-5 (conv 5×5 → 6 SAME, relu, maxPool 2; conv 5×5 → 16 VALID, relu, maxPool 2; dense 400→120
 * →84→10, relu between) on a [batch,28,28,1] batch with one-hot labels: forward, softmax
 * cross-entropy (batch mean), backward, an update of the 10 parameters. `fused`: each layer as
 * the framework's fused conv/matmul + bias + activation op and the update by its Adam optimizer
 * (how either library is used for speed); otherwise separate ops and its SGD optimizer.
 */
function lenetCase(batch: number, fused = false): Case {
  return {
    bench: fused ? `lenet5_fused_adam_step_b${batch}` : `lenet5_train_step_b${batch}`,
    make(fw) {
      let seed = 100;
      const param = (shape: number[], fanIn: number) => fw.variable(randomValues(prod(shape), seed++, Math.sqrt(6 / fanIn)), shape);
      const zeros = (n: number) => fw.variable(new Float32Array(n), [n]);
      const w1 = param([5, 5, 1, 6], 25), b1 = zeros(6);
      const w2 = param([5, 5, 6, 16], 150), b2 = zeros(16);
      const w3 = param([400, 120], 400), b3 = zeros(120);
      const w4 = param([120, 84], 120), b4 = zeros(84);
      const w5 = param([84, 10], 84), b5 = zeros(10);
      const vars = [w1, b1, w2, b2, w3, b3, w4, b4, w5, b5];
      const x = fw.tensor(randomValues(batch * 28 * 28, 7, 1), [batch, 28, 28, 1]);
      const onehot = new Float32Array(batch * 10);
      for (let i = 0; i < batch; i++) onehot[i * 10 + ((i * 7) % 10)] = 1;
      const labels = fw.tensor(onehot, [batch, 10]);
      const conv = (h: T, w: T, b: T, padding: 'SAME' | 'VALID') =>
        fw.maxPool(fused ? fw.fusedConv2d(h, w, b, 1, padding, 'relu') : fw.relu(fw.add(fw.conv2d(h, w, 1, padding), b)), 2, 2, 'VALID');
      const dense = (h: T, w: T, b: T, relu: boolean) =>
        fused ? fw.fusedMatMul(h, w, b, relu ? 'relu' : 'linear') : relu ? fw.relu(fw.add(fw.matmul(h, w), b)) : fw.add(fw.matmul(h, w), b);
      const loss = () => {
        let h = conv(conv(x, w1, b1, 'SAME'), w2, b2, 'VALID');
        h = fw.reshape(h, [batch, 400]);
        h = dense(dense(h, w3, b3, true), w4, b4, true);
        return fw.softmaxCrossEntropy(labels, dense(h, w5, b5, false));
      };
      const optimizer = fused ? fw.adam(0.001) : fw.sgd(0.01);
      optimizer.step(loss, vars).dispose(); // makes Adam's slots now, so they do not count as a leak
      return {
        step: opStep(fw, () => optimizer.step(loss, vars)),
        cleanup: () => [optimizer, ...vars, x, labels].forEach((t) => t.dispose()),
      };
    },
  };
}

async function readOnce(fw: Framework, op: () => T): Promise<Float32Array> {
  const y = op();
  try {
    return await fw.read(y);
  } finally {
    y.dispose();
  }
}

/**
 * The cases for a backend (issue 2 for cpu, issue 3 for webgpu). `size`: 'full' (the issues'
 * sizes), 'small' (for emulated adapters such as SwiftShader: ratios only), 'smoke' (tiny, for tests).
 */
export function casesFor(backend: Backend, size: 'full' | 'small' | 'smoke'): Case[] {
  if (size === 'smoke') return [matmulCase(16), addChainCase(10, 16)];
  if (size === 'small') {
    return [
      ...[128, 256].map(matmulCase),
      conv2dCase(8, 28, 1, 5, 32),
      conv2dCase(2, 28, 32, 3, 32),
      maxPoolCase(4, 28, 32),
      lenetCase(32),
      lenetCase(32, true),
      addChainCase(100, 16),
    ];
  }
  const gpu = backend === 'webgpu';
  return [
    ...(gpu ? [256, 1024, 2048, 4096] : [128, 256, 512]).map(matmulCase),
    conv2dCase(64, 28, 1, 5, 32),
    conv2dCase(gpu ? 32 : 8, 56, 64, 3, 64),
    maxPoolCase(32, 56, 64),
    lenetCase(128),
    lenetCase(128, true),
    addChainCase(1000, 16),
  ];
}

/** Runs each case on each framework; cases whose op is missing in one framework are reported and skipped. */
export async function runCases(ctx: BenchContext, fws: Framework[], cases: Case[]): Promise<void> {
  for (const c of cases) {
    if (!ctx.wants(c.bench)) continue;
    const outputs: Float32Array[] = [];
    for (const fw of fws) {
      let made: ReturnType<Case['make']> | undefined;
      try {
        made = c.make(fw);
        const live = fw.liveTensors();
        await ctx.measure(c.bench, fw.impl, made.step, { flops: c.flops, extra: made.extra });
        const leaked = fw.liveTensors() - live;
        if (leaked > 0) ctx.log(`warning: ${fw.impl} ${c.bench}: ${leaked} tensors leaked per run`);
        if (made.check) outputs.push(await made.check());
      } catch (e) {
        ctx.log(`skipped ${c.bench} on ${fw.impl}/${fw.backend}: ${(e as Error).message.split('\n')[0]}`);
      } finally {
        made?.cleanup();
      }
    }
    if (outputs.length === 2) {
      const [a, b] = outputs as [Float32Array, Float32Array];
      let worst = 0;
      let scale = 0;
      for (let i = 0; i < a.length; i++) {
        worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
        scale = Math.max(scale, Math.abs(b[i]!));
      }
      if (a.length !== b.length || worst > 1e-3 * Math.max(1, scale)) ctx.log(`warning: ${c.bench}: outputs differ between implementations (max |Δ| ${worst})`);
    }
  }
}
