// Compiles the `trellis` executable: `bun scripts/build.ts [--target bun-linux-arm64] [--outfile dist/trellis]`.
// Also imported by scripts/release.ts (`buildExecutable`).
import { parseArgs } from "node:util";

export type BuildOptions = { target?: string | undefined; outfile: string };

/** Runs `bun build --compile`; returns its exit code. */
export function buildExecutable(options: BuildOptions): number {
  const commit = Bun.spawnSync(["git", "rev-parse", "--short=12", "HEAD"]).stdout.toString().trim() || "unknown";
  const target = options.target ?? `bun-${process.platform}-${process.arch}`;

  const build = Bun.spawnSync(
    [
      process.execPath,
      "build",
      "--compile",
      "--minify",
      "--sourcemap",
      // Precompiled bytecode roughly halves cold start (bench/RESULTS.md).
      "--bytecode",
      "--format=esm",
      `--target=${target}`,
      `--define=TRELLIS_BUILD_COMMIT=${JSON.stringify(commit)}`,
      `--define=TRELLIS_BUILD_TARGET=${JSON.stringify(target)}`,
      "src/cli/main.ts",
      "--outfile",
      options.outfile,
    ],
    { stdout: "inherit", stderr: "inherit" },
  );
  return build.exitCode ?? 1;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      target: { type: "string" },
      outfile: { type: "string", default: "dist/trellis" },
    },
  });
  process.exit(buildExecutable({ target: values.target, outfile: values.outfile }));
}
