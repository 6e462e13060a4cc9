// The Node binding every addon shares (templates/shared/addon.cpp), compiled once per machine and
// compiler. addon.cpp reads a network only through network-api.h, so its object code is the same
// for every network and backend: the first build compiles it (native/addon-core/, ~2.5 s with its
// configure) into generated/.addon-core/<key>.o and every CPU and emulated CUDA build links that
// object (SNNC_ADDON_CORE) instead of compiling addon.cpp again. The key covers everything the object is
// made from: the sources, the compiler and its flags from the environment, the Node-API headers.
// Where the object cannot be made (a read-only install, a failed compile) the build compiles
// addon.cpp itself, as a build run by hand does: the same source, so the same addon either way.

import { createHash } from "node:crypto";
import { readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { environmentError, writeFileAtomic } from "../util/atomic-write.ts";
import { withDirLock } from "../util/dir-lock.ts";
import { makeDirs } from "../util/make-dirs.ts";
import { PACKAGE_ROOT } from "../util/package-root.ts";
import { BuildInterruptedError, runBuildStep } from "./build-step.ts";
import { findInBuild } from "./find-in-build.ts";
import { withNodeAddonApi } from "./napi-include.ts";
import { compilerVersion } from "./shared-pch.ts";

const require = createRequire(import.meta.url);

/** The CMake project that compiles the binding (it reads addon.cpp from templates/shared/). */
export const ADDON_CORE_PROJECT = join(PACKAGE_ROOT, "native", "addon-core");
const SOURCES = [
  join(ADDON_CORE_PROJECT, "CMakeLists.txt"),
  join(ADDON_CORE_PROJECT, "package.json"),
  join(PACKAGE_ROOT, "templates", "shared", "addon.cpp"),
  join(PACKAGE_ROOT, "templates", "shared", "network-api.h"),
];

const versionOf = (pkg: string) => (require(`${pkg}/package.json`) as { version: string }).version;

/** Where the shared object for this machine's compiler lives (made or not yet), or null when it is
 *  turned off (SNNC_NO_SHARED_BINDING=1): builds then compile addon.cpp themselves. */
export function addonCoreObject(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.SNNC_NO_SHARED_BINDING) return null;
  // CMake takes the compiler from CXX, else the first c++ on PATH, and adds CXXFLAGS to every compile.
  const compiler = env.CXX || "c++";
  const hash = createHash("sha256");
  for (const f of SOURCES) hash.update(f).update("\0").update(readFileSync(f)).update("\0");
  hash.update(JSON.stringify([compiler, compilerVersion(compiler), env.CXXFLAGS ?? "", process.platform, process.arch]));
  hash.update(JSON.stringify(["cmake-js", "node-addon-api", "node-api-headers"].map(versionOf)));
  return join(PACKAGE_ROOT, "generated", ".addon-core", `${hash.digest("hex").slice(0, 16)}.o`);
}

/** Makes `object` (addonCoreObject()'s) when it is not there yet. false: it could not be made (said
 *  in one line through onLine) and the build should compile addon.cpp itself. A stop by a signal
 *  is rethrown (BuildInterruptedError), as in the build. */
export async function ensureAddonCore(object: string, onLine?: (line: string) => void): Promise<boolean> {
  if (made(object)) return true;
  try {
    return await withDirLock(dirname(object), async () => {
      if (made(object)) return true; // another build made it while this one waited
      onLine?.("compiling the Node binding (addon.cpp) shared by every model, once for this compiler…");
      await compileCore(object);
      return true;
    });
  } catch (e) {
    if (e instanceof BuildInterruptedError) throw e;
    const why = (environmentError(e) ?? (e as Error)).message.split("\n")[0];
    onLine?.(`could not compile the shared Node binding (this build compiles addon.cpp itself): ${why}`);
    return false;
  }
}

async function compileCore(object: string): Promise<void> {
  const work = `${object}.build-${process.pid}`;
  try {
    makeDirs(work);
    const { BuildSystem } = require("cmake-js") as typeof import("cmake-js");
    const { cmake } = new BuildSystem({ directory: ADDON_CORE_PROJECT, out: work, config: "Release", silent: true, noLog: true });
    runBuildStep(withNodeAddonApi(await cmake.getConfigureCommand()), work, "configure of the shared Node binding", undefined, ADDON_CORE_PROJECT);
    runBuildStep(await cmake.getBuildCommand(), work, "build of the shared Node binding", undefined, ADDON_CORE_PROJECT);
    const built = findInBuild(work, ["addon.cpp.o", "addon.cpp.obj"], true);
    if (!built) throw new Error(`the build in ${work} produced no addon.cpp object`);
    // Written to a temporary name, flushed, then renamed: a build that finds the object finds all of it.
    writeFileAtomic(object, readFileSync(built));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The object is there and not empty (an empty one, left by a full disk, would fail every link). */
function made(object: string): boolean {
  try {
    return statSync(object).size > 0;
  } catch {
    return false;
  }
}
