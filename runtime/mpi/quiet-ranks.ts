// Errors on the ranks of an MPI job other than 0. Most errors happen on every rank alike (a bad
// flag, a non-finite loss): rank 0 says them and its exit ends the job, so the others wait a moment
// before saying anything, and the launcher usually ends them first. An error only one rank has
// (its data folder is missing on its host) is still said, after that moment, naming the rank.

import type { World } from "./world.ts";

/** How long a rank other than 0 holds back its error. */
export const HOLD_BACK_MS = 3000;

export async function quietUnlessRoot<T>(world: World, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (world.rank === 0) throw e;
    await new Promise((resolve) => setTimeout(resolve, HOLD_BACK_MS));
    if (e instanceof Error) e.message = `rank ${world.rank} of ${world.size}: ${e.message}`;
    throw e;
  }
}
