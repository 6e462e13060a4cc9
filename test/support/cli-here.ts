// The CLI run inside the test's own process: runtime/cli/main.ts's main() as bin/snnc.mjs calls it,
// with stdout and stderr captured and its exit code returned. A child process per call costs about a
// second of TypeScript start-up, which dozens of calls per file turned into minutes of the suite;
// each file that uses this keeps one spawned call, so the real path stays covered.

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function snncHere(args: string[]): Promise<CliRun> {
  const { main } = await import("../../runtime/cli/main.ts");
  const out: string[] = [];
  const err: string[] = [];
  const saved = { stdout: process.stdout.write, stderr: process.stderr.write, debug: process.env.SNNC_DEBUG };
  process.stdout.write = ((chunk: string | Uint8Array) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => (err.push(String(chunk)), true)) as typeof process.stderr.write;
  process.env.SNNC_DEBUG = "";
  try {
    const code = await main([process.execPath, "snnc", ...args]);
    return { code, stdout: out.join(""), stderr: err.join("") };
  } finally {
    process.stdout.write = saved.stdout;
    process.stderr.write = saved.stderr;
    if (saved.debug === undefined) delete process.env.SNNC_DEBUG;
    else process.env.SNNC_DEBUG = saved.debug;
    process.exitCode = undefined;
  }
}
