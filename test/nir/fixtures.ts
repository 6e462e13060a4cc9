// Where the committed NIR fixtures are (written by scripts/nir/make-fixtures.py).

import { join } from "node:path";

export const FIXTURES = join(import.meta.dirname, "fixtures");
