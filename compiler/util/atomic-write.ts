// Files are written to a temporary name, flushed, then renamed over the target, so a crash or
// Ctrl-C never leaves a half-written file behind. A process killed mid-write (SIGKILL) leaves its
// `<file>.tmp-<pid>-<ms>`; removeStaleTemps() clears those of processes that are gone.
//
// Errors of the environment (read-only or full disk, a file where a folder should be, no
// permission) are not bugs in snnc: environmentError() turns them into one sentence naming the
// path, which the CLI prints with exit 1 (runtime/cli/fail.ts asks it for every error).

import { makeDirs } from "./make-dirs.ts";
import { closeSync, fsyncSync, lstatSync, openSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** errno codes that mean "the disk or the path is the problem", with the words a user reads. */
const ENVIRONMENT_CODES: Record<string, string> = {
  EROFS: "the file system is read-only",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is exceeded",
  ENOTDIR: "a part of the path is a file, not a folder",
  EEXIST: "a file is in the way",
  EISDIR: "it is a folder",
  ENAMETOOLONG: "the name is too long",
  EMFILE: "too many open files",
  EIO: "input/output error (a failing disk?)",
  // From makeDirs (compiler/util/make-dirs.ts):
  ENOFOLDER: "the folder above it takes no new folders (a pseudo file system such as /proc?)",
  EDANGLING: "it is a symbolic link to nothing",
  // From stageFile below: the folder exists but refuses a new file with ENOENT (/proc, /sys).
  ENOFILE: "the folder takes no new files (a pseudo file system such as /proc?)",
};

/** A write the environment refused; userFacing, so the CLI prints its message with exit 1. */
export class FileSystemError extends Error {
  readonly userFacing = true;
  override readonly name = "FileSystemError";
  constructor(
    message: string,
    readonly path: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** The nearest existing ancestor of `path` (or `path` itself) that is not a folder, if any. */
function fileInTheWay(path: string): string | null {
  let p = resolve(path);
  for (;;) {
    try {
      return statSync(p).isDirectory() ? null : p;
    } catch {
      const up = dirname(p);
      if (up === p) return null;
      p = up;
    }
  }
}

/** What the failed system call was doing, for the message ("cannot read …", "cannot create …"). */
const SYSCALL_VERB: Record<string, string> = {
  open: "open",
  read: "read",
  scandir: "read",
  readdir: "read",
  opendir: "read",
  stat: "access",
  lstat: "access",
  access: "access",
  mkdir: "create",
};

/** `err` as a FileSystemError naming `path` (default: the error's own path) when its errno code
 *  is the environment's fault; null for anything else (a bug). `verb` defaults to what the
 *  failed system call did ("write" for writes, renames and the like). */
export function environmentError(err: unknown, path?: string, verb?: string): FileSystemError | null {
  if (err instanceof FileSystemError) return err;
  const e = err as NodeJS.ErrnoException | null;
  const code = e && typeof e === "object" ? e.code : undefined;
  if (typeof code !== "string" || !(code in ENVIRONMENT_CODES)) return null;
  // makeDirs's own codes name the folder it could not make, which says more than the file below it.
  const ownFolder = code === "ENOFOLDER" || code === "EDANGLING";
  const target = ownFolder ? e!.path : (path ?? e!.path ?? (e as { dest?: string }).dest);
  if (target === undefined) return null;
  if (ownFolder) verb = e!.syscall === "mkdir" ? "create" : "write";
  verb ??= SYSCALL_VERB[e!.syscall ?? ""] ?? "write";
  let reason = ENVIRONMENT_CODES[code];
  if (code === "ENOTDIR" || code === "EEXIST") {
    const blocker = fileInTheWay(target);
    if (blocker !== null) reason = blocker === resolve(target) ? "a file with that name is in the way" : `${blocker} is a file, not a folder`;
  }
  return new FileSystemError(`cannot ${verb} ${target}: ${reason}`, target, code);
}

/** Runs `fn`; an environment error from it is rethrown as a FileSystemError naming `path`. */
export function withPath<T>(path: string, fn: () => T, verb?: string): T {
  try {
    return fn();
  } catch (e) {
    throw environmentError(e, path, verb) ?? e;
  }
}

/** Test seam: replaces the byte writer (e.g. to simulate ENOSPC); returns the previous one. */
let writeBytes = (fd: number, bytes: Uint8Array, off: number, len: number) => writeSync(fd, bytes, off, len);
export function setWriteBytesForTest(fn: typeof writeBytes): typeof writeBytes {
  const prev = writeBytes;
  writeBytes = fn;
  return prev;
}

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  commitFile(stageFile(path, data));
}

/** A file written and flushed under a temporary name beside its target, not yet in place. */
export interface StagedFile {
  /** The path as the caller named it (for messages). */
  path: string;
  /** Where it lands: `path`, or the file a symbolic link at `path` points to. */
  target: string;
  tmp: string;
}

/** Writes `data` to a temporary file beside `path` and flushes it; commitFile puts it in place.
 *  Writing is where a full disk fails, so staging every file of a set before committing any
 *  (compiler/util/write-together.ts) makes the set appear whole or not at all. */
export function stageFile(path: string, data: string | Uint8Array): StagedFile {
  const target = withPath(path, () => writeTarget(path), "write");
  withPath(path, () => makeDirs(dirname(target)), "write");
  const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
  try {
    const fd = openNew(tmp, target);
    try {
      const bytes = typeof data === "string" ? Buffer.from(data) : data;
      let off = 0;
      while (off < bytes.length) off += writeBytes(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    rmSync(tmp, { force: true });
    throw environmentError(e, path, "write") ?? e;
  }
  return { path, target, tmp };
}

/** Renames a staged file over its target (its temporary file is removed if that fails). */
export function commitFile(staged: StagedFile): void {
  try {
    renameSync(staged.tmp, staged.target);
  } catch (e) {
    rmSync(staged.tmp, { force: true });
    throw environmentError(e, staged.path, "write") ?? e;
  }
}

/** Where a write to `path` goes. A symbolic link is written through, so the link stays a link
 *  (a rename over it would replace it with a plain file); a link to nothing is refused, as
 *  makeDirs refuses one in place of a folder, rather than silently replaced. A folder (or a link
 *  to one) is refused before anything is written: a rename over "." fails with EBUSY. */
function writeTarget(path: string): string {
  let target = path;
  try {
    if (lstatSync(path).isSymbolicLink()) target = realpathSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    // Nothing there yet (or the folder above is missing: makeDirs says why), or a link to nothing.
    if (target === path && !isLink(path)) return path;
    throw Object.assign(new Error(`EDANGLING: open '${path}'`), { code: "EDANGLING", path, syscall: "open" });
  }
  if (isFolder(target)) throw Object.assign(new Error(`EISDIR: open '${path}'`), { code: "EISDIR", syscall: "open" });
  return target;
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A new file; ENOENT in a folder that exists means the file system takes no new files there. */
function openNew(tmp: string, target: string): number {
  try {
    return openSync(tmp, "w");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw Object.assign(new Error(`ENOFILE: open '${target}'`), { code: "ENOFILE", syscall: "open" });
    throw e;
  }
}

const TEMP_NAME = /\.tmp-(\d+)-\d+$/;

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes the `*.tmp-<pid>-<ms>` files in `dir` whose writer process is gone (killed mid-write);
 *  returns their names. A missing or unreadable folder is left alone. */
export function removeStaleTemps(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m || processAlive(Number(m[1]))) continue;
    try {
      rmSync(join(dir, name), { force: true });
      removed.push(name);
    } catch {
      // not ours to fight over (read-only disk): leave it
    }
  }
  return removed;
}
