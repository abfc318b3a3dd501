import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { gzipSync } from "node:zlib";
import { checksumLine, sha256Hex } from "./checksum.ts";
import { artifactName, platformKey, type ReleasePlatform } from "./platform.ts";
import { addArtifact, INDEX_FILE, parseReleaseIndex, type ReleaseIndex } from "./release-index.ts";
import { writeTar, type TarEntry } from "./tar.ts";

export type PackageRequest = {
  /** The executable, stored as `trellis` (mode 755). */
  binary: string;
  /** Files stored beside it under their base names (mode 644), e.g. README.md, LICENSE. */
  extras: readonly string[];
  version: string;
  platform: ReleasePlatform;
  outDir: string;
  /** Seconds since the epoch for every tar entry (SOURCE_DATE_EPOCH, else 0). */
  mtime: number;
};

export type PackagedRelease = { tarball: string; checksum: string; index: string; sha256: string };

/** Writes `<outDir>/<artifact>.tar.gz`, its `.sha256`, and records it in `<outDir>/index.json` (kept from earlier runs). */
export function packageRelease(request: PackageRequest): PackagedRelease {
  const entries: TarEntry[] = [
    { name: "trellis", mode: 0o755, data: readFileSync(request.binary) },
    ...request.extras.map((file) => ({ name: basename(file), mode: 0o644, data: readFileSync(file) })),
  ];
  // gzip's header mtime is 0 in node:zlib, so equal entries give equal bytes.
  const tarball = gzipSync(writeTar(entries, request.mtime), { level: 9 });
  const file = artifactName(request.version, request.platform);
  mkdirSync(request.outDir, { recursive: true });
  const tarballPath = join(request.outDir, file);
  writeFileSync(tarballPath, tarball);
  writeFileSync(`${tarballPath}.sha256`, checksumLine(tarball, file));

  const indexPath = join(request.outDir, INDEX_FILE);
  let existing: ReleaseIndex | undefined;
  if (existsSync(indexPath) && statSync(indexPath).isFile()) {
    const parsed = parseReleaseIndex(JSON.parse(readFileSync(indexPath, "utf8")) as unknown);
    if ("problem" in parsed) throw new Error(`${indexPath} ${parsed.problem}`);
    existing = parsed.index;
  }
  const index = addArtifact(existing, request.version, platformKey(request.platform), file);
  // The index is what clients read first: replace it whole, never leave it half written.
  writeFileSync(`${indexPath}.tmp`, `${JSON.stringify(index, null, 2)}\n`);
  renameSync(`${indexPath}.tmp`, indexPath);
  return { tarball: tarballPath, checksum: `${tarballPath}.sha256`, index: indexPath, sha256: sha256Hex(tarball) };
}
