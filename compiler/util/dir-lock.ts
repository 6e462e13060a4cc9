// A lock on a folder between processes (a `.lock` directory: mkdir is atomic), so two builds of
// the same generated folder (parallel test files, two `snnc train` runs) never run cmake there at
// the same time. A lock whose owner process is gone is taken over.

import { makeDirs } from "./make-dirs.ts";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function ownerAlive(lock: string): boolean {
  try {
    const pid = Number(readFileSync(join(lock, "pid"), "utf8"));
    if (!Number.isInteger(pid) || pid <= 0) return true; // being written: assume alive
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM" || (e as NodeJS.ErrnoException).code === "ENOENT";
  }
}

export async function withDirLock<T>(dir: string, fn: () => Promise<T>, onWait?: () => void): Promise<T> {
  makeDirs(dir);
  const lock = join(dir, ".lock");
  let waited = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, "pid"), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      if (!ownerAlive(lock)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (!waited) onWait?.();
      waited = true;
      await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
