// Building the MPI binding (native/mpi/) with cmake-js, once per machine and MPI installation:
// into generated/mpi-<host>/, reused while the stamp (the sources and `mpicc --showme`) matches.
// Each host builds its own copy, so hosts that share the project folder over a network file
// system never build into one folder at once; the ranks of one host take turns (withDirLock).

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { hostname } from "node:os";
import { join } from "node:path";
import { BuildError, runBuildStep } from "../../compiler/build/build-step.ts";
import { findInBuild } from "../../compiler/build/find-in-build.ts";
import { withNodeAddonApi } from "../../compiler/build/napi-include.ts";
import { writeFileAtomic } from "../../compiler/util/atomic-write.ts";
import { withDirLock } from "../../compiler/util/dir-lock.ts";
import { makeDirs } from "../../compiler/util/make-dirs.ts";
import { PACKAGE_ROOT } from "../../compiler/util/package-root.ts";

const require = createRequire(import.meta.url);

export const BINDING_SOURCES = join(PACKAGE_ROOT, "native", "mpi");
const MODULE = "snnc_mpi.node";

/** The MPI installation as its compiler wrapper describes it ("" when there is no mpicc). */
function mpiFlags(): string {
  const r = spawnSync("mpicc", ["--showme"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : "";
}

function stampOf(flags: string): string {
  const h = createHash("sha256").update(flags);
  for (const f of ["mpi-binding.cpp", "CMakeLists.txt", "package.json"]) h.update(readFileSync(join(BINDING_SOURCES, f)));
  return h.digest("hex");
}

/** The built binding's path, building it first when missing or stale. */
export async function buildMpiBinding(root = join(PACKAGE_ROOT, "generated", `mpi-${hostname()}`)): Promise<string> {
  const flags = mpiFlags();
  if (!flags)
    throw new BuildError(
      "this process runs under an MPI launcher but mpicc is not on PATH, so snnc cannot build its MPI binding (install libopenmpi-dev, or load your cluster's MPI module)",
    );
  const stamp = stampOf(flags);
  const out = join(root, "build");
  const stampPath = join(root, "stamp");
  return withDirLock(root, async () => {
    const found = findInBuild(out, [MODULE]);
    if (found && existsSync(stampPath) && readFileSync(stampPath, "utf8").trim() === stamp) return found;
    makeDirs(out);
    rmSync(join(out, "CMakeCache.txt"), { force: true });
    rmSync(stampPath, { force: true });
    const { BuildSystem } = require("cmake-js") as typeof import("cmake-js");
    const { cmake } = new BuildSystem({ directory: BINDING_SOURCES, out, config: "Release", silent: true, noLog: true });
    runBuildStep(withNodeAddonApi(await cmake.getConfigureCommand()), out, "configure of the MPI binding", undefined, BINDING_SOURCES);
    runBuildStep(await cmake.getBuildCommand(), out, "build of the MPI binding", undefined, BINDING_SOURCES);
    const built = findInBuild(out, [MODULE]);
    if (!built) throw new BuildError(`the MPI binding's build finished but produced no ${MODULE} in ${out}`);
    writeFileAtomic(stampPath, `${stamp}\n`);
    return built;
  });
}
