// Running `snnc` under mpirun in tests: whether Open MPI is here, a describe block that skips
// (saying why) without it outside CI and fails on CI, which installs it (.ci/run), and the runs
// themselves as child processes whose output, exit and duration the tests read.

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const SNNC = join(ROOT, "bin", "snnc.mjs");

function onPath(cmd: string): boolean {
  return spawnSync(cmd, ["--version"], { encoding: "utf8" }).status === 0;
}

/** What is missing for the MPI tests, or null when mpirun and mpicc are both here. */
export function mpiMissing(): string | null {
  const missing = ["mpirun", "mpicc"].filter((c) => !onPath(c));
  return missing.length ? `${missing.join(" and ")} not found (apt-get install openmpi-bin libopenmpi-dev)` : null;
}

/** Runs `body` where Open MPI is installed; elsewhere skips with the reason, except on CI, where
 *  it fails (CI installs Open MPI). */
export function describeMpi(title: string, body: () => void): void {
  const missing = mpiMissing();
  if (!missing) describe(title, body);
  else if (process.env.CI) describe(title, () => it("has Open MPI (CI installs it)", () => expect.fail(missing)));
  else {
    console.log(`skipped: ${title}: ${missing}`);
    describe.skip(`${title} (skipped: ${missing})`, body);
  }
}

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

export interface Started {
  child: ChildProcess;
  done: Promise<Run>;
  output(): string;
}

/** Environment of every run: one OpenMP thread per process, as the checks ask. */
function envWith(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: "1", SNNC_DEBUG: "", ...extra };
  // A test runner's own launcher variables must not make the solo runs join an MPI job.
  for (const k of Object.keys(env)) if (/^(OMPI_|PMI_|PMIX_)/.test(k) && !(k in extra)) delete env[k];
  return env;
}

function start(cmd: string, args: string[], env: Record<string, string>): Started {
  const t0 = performance.now();
  const child = spawn(cmd, args, { cwd: ROOT, env: envWith(env) });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const done = new Promise<Run>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr, seconds: (performance.now() - t0) / 1000 })),
  );
  return { child, done, output: () => stdout + stderr };
}

/** `snnc <args>` under `mpirun -np <ranks>`. */
export function startMpi(ranks: number, args: string[], env: Record<string, string> = {}): Started {
  return start("mpirun", ["--allow-run-as-root", "--oversubscribe", "-np", String(ranks), process.execPath, SNNC, ...args], env);
}

/** `snnc <args>` as one plain process. */
export function startSolo(args: string[], env: Record<string, string> = {}): Started {
  return start(process.execPath, [SNNC, ...args], env);
}

/** The pid of rank `rank` among the processes mpirun `parent` started (read from their environment). */
export function rankPid(parent: number, rank: number): number | null {
  const r = spawnSync("pgrep", ["-P", String(parent)], { encoding: "utf8" });
  for (const pid of r.stdout.split(/\s+/).filter(Boolean).map(Number)) {
    try {
      const env = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
      if (env.includes(`OMPI_COMM_WORLD_RANK=${rank}`)) return pid;
    } catch {
      // gone already
    }
  }
  return null;
}

/** Resolves once `check()` holds (polled), or rejects after `seconds`. */
export async function until(check: () => boolean, seconds: number, what: string): Promise<void> {
  const deadline = performance.now() + seconds * 1000;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
