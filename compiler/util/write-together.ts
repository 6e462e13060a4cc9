// Files that only make sense together (`snnc import`'s spec and its weights) are written so that
// either all of them appear or none does: every file is first written and flushed under a
// temporary name (where a full disk fails), and only then are they renamed into place. A rename
// within one folder needs no space, so it fails only in rare cases (the disk made read-only in
// between); then the files already renamed are undone: a replaced file comes back from a hard
// link taken before, a new one is removed.

import { existsSync, linkSync, renameSync, rmSync } from "node:fs";
import { commitFile, stageFile, type StagedFile } from "./atomic-write.ts";

export function writeFilesTogether(files: readonly { path: string; data: string | Uint8Array }[]): void {
  const staged: StagedFile[] = [];
  try {
    for (const f of files) staged.push(stageFile(f.path, f.data));
  } catch (e) {
    for (const s of staged) rmSync(s.tmp, { force: true });
    throw e;
  }
  const olds = staged.map(keepOld);
  let done = 0;
  try {
    for (const s of staged) {
      commitFile(s);
      done++;
    }
  } catch (e) {
    for (let k = 0; k < done; k++) undo(staged[k], olds[k]);
    for (const s of staged.slice(done)) rmSync(s.tmp, { force: true });
    throw e;
  } finally {
    for (const old of olds) if (old.kind === "kept") rmSync(old.link, { force: true });
  }
}

/** What a staged file will replace: nothing, a file kept as a hard link (its name ends like a
 *  temporary file's, so removeStaleTemps clears it after a kill), or a file that cannot be linked
 *  here (an undo then leaves the new file in place rather than lose both). */
type Old = { kind: "none" } | { kind: "kept"; link: string } | { kind: "unkept" };

function keepOld(s: StagedFile): Old {
  if (!existsSync(s.target)) return { kind: "none" };
  const link = `${s.target}.old${s.tmp.slice(s.target.length)}`;
  try {
    linkSync(s.target, link);
    return { kind: "kept", link };
  } catch {
    return { kind: "unkept" };
  }
}

function undo(s: StagedFile, old: Old): void {
  try {
    if (old.kind === "none") rmSync(s.target, { force: true });
    else if (old.kind === "kept") renameSync(old.link, s.target);
  } catch {
    // The disk refuses this too: the error being thrown already names the path.
  }
}
