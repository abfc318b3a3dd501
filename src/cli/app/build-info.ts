import pkg from "../../../package.json" with { type: "json" };

// Replaced by `bun build --define` in scripts/build.ts; absent when run from source.
declare const TRELLIS_BUILD_COMMIT: string | undefined;
declare const TRELLIS_BUILD_TARGET: string | undefined;

export type BuildInfo = { version: string; commit: string; bunVersion: string; target: string };

export function buildInfo(): BuildInfo {
  return {
    version: pkg.version,
    commit: typeof TRELLIS_BUILD_COMMIT === "string" ? TRELLIS_BUILD_COMMIT : "dev",
    bunVersion: Bun.version,
    target: typeof TRELLIS_BUILD_TARGET === "string" ? TRELLIS_BUILD_TARGET : `bun-${process.platform}-${process.arch}`,
  };
}
