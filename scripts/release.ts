// Release artifacts for this host (design/packaging.md "Releases"):
//   bun scripts/release.ts [--out dist/release] [--binary <file>] [--version <v>]
// Builds dist/trellis with scripts/build.ts (unless --binary names an executable to package instead), then writes
// <out>/trellis-<version>-<os>-<arch>.tar.gz, its .sha256, and records it in <out>/index.json.
// Only the host target: other targets would download other Bun runtimes.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pkg from "../package.json" with { type: "json" };
import { packageRelease } from "../src/cli/release/package-release.ts";
import { hostPlatform, SUPPORTED_PLATFORMS } from "../src/cli/release/platform.ts";
import { parseSemVer } from "../src/cli/release/semver.ts";
import { buildExecutable } from "./build.ts";

const root = join(import.meta.dir, "..");
const { values } = parseArgs({
  options: {
    out: { type: "string", default: join(root, "dist", "release") },
    binary: { type: "string" },
    // Defaults to package.json's; an override lets tests and rehearsals make several versions.
    version: { type: "string", default: pkg.version },
  },
});

const fail = (message: string): never => {
  process.stderr.write(`release: ${message}\n`);
  process.exit(1);
};

const platform = hostPlatform() ?? fail(`no release for ${process.platform}-${process.arch} (${SUPPORTED_PLATFORMS})`);
if (parseSemVer(values.version) === undefined) fail(`--version: expected a semantic version, got '${values.version}'`);

let binary = values.binary;
if (binary === undefined) {
  binary = join(root, "dist", "trellis");
  const code = buildExecutable({ outfile: binary });
  if (code !== 0) fail(`scripts/build.ts exited ${code}`);
}
if (!existsSync(binary)) fail(`--binary: ${binary} does not exist`);

const epoch = Number(process.env.SOURCE_DATE_EPOCH ?? "0");
const released = packageRelease({
  binary,
  extras: ["README.md", "LICENSE"].map((name) => join(root, name)).filter((file) => existsSync(file)),
  version: values.version,
  platform,
  outDir: values.out,
  mtime: Number.isSafeInteger(epoch) && epoch >= 0 ? epoch : 0,
});
process.stdout.write(`${released.tarball}\n${released.checksum}\n${released.index}\n`);
