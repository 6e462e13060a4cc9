// The part of cmake-js (no bundled types) that build-addon.ts uses: its command lines, which we
// run ourselves so compiler errors are captured instead of swallowed.
declare module "cmake-js" {
  export interface BuildSystemOptions {
    directory: string;
    out: string;
    config?: "Release" | "Debug";
    silent?: boolean;
    noLog?: boolean;
    cMakeOptions?: Record<string, string>;
  }
  export class BuildSystem {
    constructor(options: BuildSystemOptions);
    cmake: {
      getConfigureCommand(): Promise<string[]>;
      getBuildCommand(): Promise<string[]>;
    };
  }
}
