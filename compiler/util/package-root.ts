// The package's own folder, where templates/, generated/ and the spec models live. The compiler
// runs from its TypeScript sources (compiler/…) under tsx and, for `import … from "snnc"` with
// plain node, from the compiled copy in dist/compiler/…: a fixed number of `..` from a file is
// right for one of them only, so the root is the nearest folder up holding snnc's package.json
// and templates/ (dist/ holds neither).

import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

function isRoot(dir: string): boolean {
  try {
    return existsSync(join(dir, "templates")) && (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string }).name === "snnc";
  } catch {
    return false;
  }
}

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (isRoot(dir)) return dir;
    if (dirname(dir) === dir) throw new Error(`snnc's package folder (package.json and templates/) is not above ${from}`);
  }
}

export const PACKAGE_ROOT = findRoot(import.meta.dirname);
