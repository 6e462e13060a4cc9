// The CLI run inside the test's own process: runtime/cli/main.ts's main() as bin/snnc.mjs calls it,
// with stdout and stderr captured and its exit code returned. A child process per call costs about a
// second of TypeScript start-up, which dozens of calls per file turned into minutes of the suite;
// each file that uses this keeps one spawned call, so the real path stays covered.

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `env`: variables set for this call only (as a child process's environment would be). */
export async function snncHere(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const { main } = await import("../../runtime/cli/main.ts");
  const out: string[] = [];
  const err: string[] = [];
  const saved = { stdout: process.stdout.write, stderr: process.stderr.write, env: { ...process.env } };
  const listeners = process.stdout.listeners("error");
  process.stdout.write = ((chunk: string | Uint8Array) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => (err.push(String(chunk)), true)) as typeof process.stderr.write;
  process.env.SNNC_DEBUG = "";
  Object.assign(process.env, env);
  try {
    const code = await main([process.execPath, "snnc", ...args]);
    return { code, stdout: out.join(""), stderr: err.join("") };
  } finally {
    process.stdout.write = saved.stdout;
    process.stderr.write = saved.stderr;
    for (const key of Object.keys(process.env)) if (!(key in saved.env)) delete process.env[key];
    Object.assign(process.env, saved.env);
    // main() listens for EPIPE on stdout once per call; a process that calls it many times drops them.
    for (const l of process.stdout.listeners("error")) if (!listeners.includes(l)) process.stdout.off("error", l as (e: Error) => void);
    process.exitCode = undefined;
  }
}
