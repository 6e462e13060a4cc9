// cmake-js looks for node-addon-api (napi.h) from the addon folder's own package.json up, so an
// addon folder outside snnc's tree (`snnc build --out /tmp/x`) found none and failed with
// "napi.h: No such file or directory". snnc depends on node-addon-api itself: its include folder
// is added to the configure command's CMAKE_JS_INC whenever cmake-js did not put it there.

import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** snnc's own node-addon-api include folder (its `include` is quoted for gyp). */
export function nodeAddonApiInclude(): string {
  return (require("node-addon-api") as { include: string }).include.replace(/"/g, "");
}

/** The cmake-js configure command with node-addon-api's headers on CMAKE_JS_INC. */
export function withNodeAddonApi(configure: string[], include = nodeAddonApiInclude()): string[] {
  const key = "-DCMAKE_JS_INC=";
  if (!configure.some((arg) => arg.startsWith(key))) return [...configure, `${key}${include}`];
  return configure.map((arg) => {
    if (!arg.startsWith(key)) return arg;
    const paths = arg.slice(key.length).split(";").filter((p) => p !== "");
    return paths.includes(include) ? arg : `${key}${[...paths, include].join(";")}`;
  });
}
