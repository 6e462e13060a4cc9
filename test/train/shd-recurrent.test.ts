// The recurrent SHD models train through `snnc train` on the committed SHD fixture with a hidden
// layer that spikes (test/train/shd-fixture.ts): models/shd-recurrent.json (one recurrent CuBa LIF
// layer, after Perez-Nieves et al. 2021) and models/shd-alif.json (the same with an adaptive
// threshold, docs/design.md §2.1). shd-hetero.json has its own file (its trained τ are checked too).

import { join } from "node:path";
import { afterAll, describe, it } from "vitest";
import { trainOnShdFixture } from "./shd-fixture.ts";
import { tempDir } from "./support.ts";

const tmp = tempDir("shd-recurrent");
afterAll(() => tmp.remove());

describe("snnc train on the SHD fixture", () => {
  it.each([
    ["models/shd-recurrent.json", "recurrent CuBa"],
    ["models/shd-alif.json", "recurrent ALIF"],
  ])("%s builds, trains 2 epochs at batch 4 and its %s layer is active", (model, _kind) => {
    trainOnShdFixture(model, join(tmp.path, model.replace(/\W/g, "-")));
  });
});
