/** Image-classification data for the training program: IDX files → normalized float batches. */
import * as ef from '@eagerflow/core';
import { DEFAULT_FASHION_MNIST_DIR, loadFashionMnist, type MnistData } from '@eagerflow/data';

export interface ImageSet {
  name: string;
  train: MnistData;
  test: MnistData;
  numClasses: number;
  /** Per-pixel normalization: (x/255 − mean)/std. */
  mean: number;
  std: number;
}

const KNOWN: Record<string, { dir: string; mean: number; std: number; how: string }> = {
  'fashion-mnist': {
    dir: DEFAULT_FASHION_MNIST_DIR,
    mean: 0.286,
    std: 0.353,
    how: "install Debian's package (apt-get install dataset-fashion-mnist → /usr/share/datasets/fashion-mnist/), or download the four *-ubyte.gz files from https://github.com/zalandoresearch/fashion-mnist and pass --data-dir DIR",
  },
  mnist: {
    dir: '/usr/share/datasets/mnist',
    mean: 0.1307,
    std: 0.3081,
    how: 'download train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz and pass --data-dir DIR',
  },
};

export function loadImageSet(dataset: string, dataDir: string | null, limitTrain: number | null, limitTest: number | null = null): ImageSet {
  const k = KNOWN[dataset];
  if (!k) throw new Error(`unknown dataset '${dataset}' (known: ${Object.keys(KNOWN).join(', ')})`);
  const dir = dataDir ?? k.dir;
  let train: MnistData, test: MnistData;
  try {
    train = loadFashionMnist(dir, { split: 'train' });
    test = loadFashionMnist(dir, { split: 'test' });
  } catch (e) {
    throw new Error(`could not load ${dataset} from ${dir}: ${(e as Error).message}\nTo get the data: ${k.how}`);
  }
  train = head(train, limitTrain);
  test = head(test, limitTest);
  return { name: dataset, train, test, numClasses: 10, mean: k.mean, std: k.std };
}

function head(d: MnistData, n: number | null): MnistData {
  if (!n || n >= d.count) return d;
  const px = d.rows * d.cols;
  return { ...d, count: n, images: d.images.subarray(0, n * px), labels: d.labels.subarray(0, n) };
}

/** Seeded Fisher–Yates permutation. */
export function shuffled(n: number, rng: ef.initializers.HostRandom): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

/** Images idx[start:end] as [B, rows, cols, 1] normalized float32, and int32 labels [B]. */
export function makeBatch(set: ImageSet, d: MnistData, order: ArrayLike<number> | null, start: number, end: number): { x: ef.Tensor; y: ef.Tensor } {
  const px = d.rows * d.cols;
  const b = end - start;
  const xs = new Float32Array(b * px);
  const ys = new Int32Array(b);
  const scale = 1 / (255 * set.std);
  const shift = set.mean / set.std;
  for (let i = 0; i < b; i++) {
    const idx = order ? order[start + i]! : start + i;
    const src = idx * px;
    const dst = i * px;
    for (let p = 0; p < px; p++) xs[dst + p] = d.images[src + p]! * scale - shift;
    ys[i] = d.labels[idx]!;
  }
  return { x: ef.tensor(xs, [b, d.rows, d.cols, 1]), y: ef.tensor(ys, [b], 'int32') };
}
