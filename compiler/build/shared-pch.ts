// Precompiled headers shared by every addon build on this machine (GCC only). Much of an addon's
// compile time is not its own code: the emulated CUDA build's kernels.cu spends ~4 s of its ~7 s
// parsing HIP-CPU, the CPU kernels ~0.5 s parsing the standard and intrinsics headers. Each is
// parsed once per set of compile flags instead, into generated/.pch/<wrapper>.h.gch/<flags key>.gch,
// and every build force-includes the wrapper header (`-include`), where GCC picks the first .gch in
// that folder that is valid for the translation unit's flags. A .gch that does not match (other flags, another compiler version) is
// skipped silently and the header is read as text, so a stale or missing one costs time, never
// correctness: the object code is the same either way.
//
// The .gch is built from the translation unit's own command line (compile_commands.json, written by
// the configure step), so its flags are the build's by construction.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { writeFileAtomic } from "../util/atomic-write.ts";
import { withDirLock } from "../util/dir-lock.ts";
import { makeDirs } from "../util/make-dirs.ts";
import { PACKAGE_ROOT } from "../util/package-root.ts";

/** The headers a wrapper precompiles: what the translation unit would parse first anyway. A header
 *  may come with the condition the translation unit includes it under (`#if …`). */
const WRAPPERS: Record<string, (string | [header: string, condition: string])[]> = {
  // kernels.cu of the emulated CUDA build (templates/emulated-cuda/cuda_runtime.h includes these;
  // its own include then finds them already read).
  "snnc-hip-cpu.h": ["hip/hip_runtime.h", "atomic", "chrono", "cstddef", "cstdint", "cstdio", "cstdlib", "cstring", "functional", "memory", "thread", "tuple", "type_traits", "utility", "vector"],
  // kernels.cpp of the CPU backend (templates/cpu/kernels.cpp.hbs and network.h): ~0.5 s of its
  // ~3 s compile with AVX-512's immintrin.h.
  "snnc-cpu-kernels.h": [
    "algorithm", "atomic", "chrono", "cmath", "cstddef", "cstdint", "cstdlib", "cstring", "memory", "stdexcept", "string", "vector",
    ["omp.h", "#ifdef _OPENMP"],
    ["immintrin.h", "#if defined(__AVX__)"],
  ],
};

/** Text a wrapper starts with, as the translation unit does before its headers (under templates/):
 *  the emulated build's cuda_runtime.h sets how HIP-CPU's threads wait before HIP-CPU is parsed. */
const PREAMBLES: Record<string, string> = { "snnc-hip-cpu.h": "emulated-cuda/hip_cpu_yield.h" };

/** A wrapper's text: its preamble, then its headers, each under its condition. */
function wrapperText(name: string, headers: (string | [string, string])[]): string {
  const preamble = PREAMBLES[name] ? readFileSync(join(PACKAGE_ROOT, "templates", PREAMBLES[name]), "utf8") : "";
  const lines = headers.map((h) => (typeof h === "string" ? `#include <${h}>` : `${h[1]}\n#include <${h[0]}>\n#endif`));
  return `// Precompiled once for all of snnc's builds (compiler/build/shared-pch.ts).\n#pragma once\n${preamble}${lines.join("\n")}\n`;
}

/** Where the shared headers live; null turns precompiled headers off (SNNC_NO_PCH=1). */
export function pchDir(env: NodeJS.ProcessEnv = process.env): string | null {
  return env.SNNC_NO_PCH ? null : join(PACKAGE_ROOT, "generated", ".pch");
}

/** Writes the wrapper headers (once) and returns the configure define that makes the CMakeLists
 *  force-include them, or {} where the folder cannot be written (a read-only install): the build
 *  then parses the headers itself. */
export function pchDefines(dir = pchDir()): Record<string, string> {
  if (dir === null) return {};
  try {
    makeDirs(dir);
    for (const [name, headers] of Object.entries(WRAPPERS)) {
      const text = wrapperText(name, headers);
      const path = join(dir, name);
      if (!existsSync(path) || readFileSync(path, "utf8") !== text) {
        // GCC takes any .gch in the folder that is valid for the flags, whatever text it was made
        // from: those of an older wrapper go with it.
        rmSync(`${path}.gch`, { recursive: true, force: true });
        writeFileAtomic(path, text);
      }
    }
    return { SNNC_PCH_DIR: dir };
  } catch {
    return {};
  }
}

interface CompileCommand {
  directory: string;
  command?: string;
  arguments?: string[];
  file: string;
}

/** After configure: builds the .gch each translation unit of `out` force-includes, where none of
 *  its flags is there yet. Never fails the build: a .gch that cannot be made is reported in one
 *  line and the compile reads the header as text. Returns the signal that stopped a precompile
 *  (Ctrl-C reaches the compiler too), for the caller to end the build as interrupted; else null. */
export async function ensurePrecompiledHeaders(out: string, dir: string, onLine?: (line: string) => void): Promise<NodeJS.Signals | null> {
  let commands: CompileCommand[];
  try {
    commands = JSON.parse(readFileSync(join(out, "compile_commands.json"), "utf8")) as CompileCommand[];
  } catch {
    return null; // a generator without compile_commands.json: no shared headers
  }
  let stoppedBy: NodeJS.Signals | null = null;
  for (const c of commands) {
    const args = c.arguments ?? (c.command !== undefined ? shellWords(c.command) : null);
    if (!args) continue;
    const at = args.findIndex((a, i) => a === "-include" && args[i + 1]?.startsWith(`${dir}/`));
    if (at < 0) continue;
    const header = args[at + 1];
    const flags = headerFlags(args, at, c.file);
    const key = createHash("sha256").update(JSON.stringify(flags)).update(compilerVersion(flags[0])).digest("hex").slice(0, 16);
    const gchDir = `${header}.gch`;
    const gch = join(gchDir, `${key}.gch`);
    if (existsSync(gch)) continue;
    makeDirs(gchDir);
    await withDirLock(gchDir, async () => {
      if (existsSync(gch)) return; // another build made it while this one waited
      const tmp = `${gch}.tmp-${process.pid}`;
      onLine?.(`precompiling ${header} for these flags (once per machine)…`);
      const r = spawnSync(flags[0], [...flags.slice(1), "-x", "c++-header", header, "-o", tmp], { cwd: c.directory, encoding: "utf8" });
      if (r.status === 0) renameSync(tmp, gch);
      else if (r.signal) {
        rmSync(tmp, { force: true });
        stoppedBy = r.signal;
      } else {
        rmSync(tmp, { force: true });
        onLine?.(`could not precompile ${header} (the build reads it as text): ${(r.stderr || r.error?.message || "").split("\n")[0]}`);
      }
    });
    if (stoppedBy) return stoppedBy;
  }
  return null;
}

/** The translation unit's command without what belongs to its own build: the source, the object,
 *  the dependency file, the forced include, the per-target export define and the include folders
 *  inside the build's own folder (none of which the wrapped headers read), so every model compiled
 *  with the same flags shares one .gch. */
function headerFlags(args: string[], includeAt: number, source: string): string[] {
  const own = dirname(source);
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (i === includeAt) {
      i++;
      continue;
    }
    if (a === "-o" || a === "-MF" || a === "-MT" || a === "-MQ") {
      i++;
      continue;
    }
    if (a === "-c" || a === "-MD" || a === "-MMD" || a === source || /^-D\w+_EXPORTS$/.test(a)) continue;
    if (a === "-I" && (args[i + 1] ?? "").startsWith(own)) {
      i++;
      continue;
    }
    if (a.startsWith(`-I${own}`)) continue;
    if (a === "-x") {
      i++; // the language of the source (c++ for kernels.cu); the header gets its own
      continue;
    }
    out.push(a);
  }
  return out;
}

const versions = new Map<string, string>();
/** What `<compiler> --version` prints (once per process and compiler). */
export function compilerVersion(compiler: string): string {
  if (!versions.has(compiler)) versions.set(compiler, spawnSync(compiler, ["--version"], { encoding: "utf8" }).stdout ?? "");
  return versions.get(compiler)!;
}

/** POSIX shell words of a compile_commands.json command (CMake quotes with "…" and backslashes). */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < command.length; i++) {
    const ch = command[i];
    if (quote === "'") {
      if (ch === "'") quote = null;
      else word += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = null;
      else if (ch === "\\" && i + 1 < command.length && '"\\$`'.includes(command[i + 1])) word += command[++i];
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === "\\" && i + 1 < command.length) {
      word += command[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
