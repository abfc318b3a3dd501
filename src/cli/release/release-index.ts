import { compareSemVer, parseSemVer, type SemVer } from "./semver.ts";

/**
 * `index.json` beside the artifacts (design/packaging.md "Releases"): every
 * version, newest first, whether it is a prerelease, and its tarball per
 * `<os>-<arch>`. File names are relative to the index's URL.
 */
export type ReleaseIndex = { format: typeof INDEX_FORMAT; releases: ReleaseEntry[] };
export type ReleaseEntry = { version: string; prerelease: boolean; artifacts: Record<string, string> };

export const INDEX_FORMAT = "trellis.releases.v1";
export const INDEX_FILE = "index.json";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Validates a fetched or stored index; the message names the JSON pointer and what was expected. */
export function parseReleaseIndex(value: unknown): { index: ReleaseIndex } | { problem: string } {
  if (!isRecord(value)) return { problem: "(root): expected an object" };
  if (value.format !== INDEX_FORMAT) {
    return { problem: `/format: expected "${INDEX_FORMAT}", got ${JSON.stringify(value.format) ?? "nothing"}` };
  }
  if (!Array.isArray(value.releases)) return { problem: "/releases: expected an array" };
  const releases: ReleaseEntry[] = [];
  for (const [i, entry] of value.releases.entries()) {
    const at = `/releases/${i}`;
    if (!isRecord(entry)) return { problem: `${at}: expected an object` };
    if (typeof entry.version !== "string" || parseSemVer(entry.version) === undefined) {
      return { problem: `${at}/version: expected a semantic version, got ${JSON.stringify(entry.version)}` };
    }
    if (typeof entry.prerelease !== "boolean") return { problem: `${at}/prerelease: expected a boolean` };
    if (!isRecord(entry.artifacts)) return { problem: `${at}/artifacts: expected an object of <os>-<arch> to file` };
    const artifacts: Record<string, string> = {};
    for (const [key, file] of Object.entries(entry.artifacts)) {
      // A file name, never a path: the index must not point the download elsewhere.
      if (typeof file !== "string" || !/^[A-Za-z0-9._-]+$/.test(file) || file.startsWith(".")) {
        return { problem: `${at}/artifacts/${key}: expected a file name, got ${JSON.stringify(file)}` };
      }
      artifacts[key] = file;
    }
    releases.push({ version: entry.version, prerelease: entry.prerelease, artifacts });
  }
  return { index: { format: INDEX_FORMAT, releases } };
}

const semver = (entry: ReleaseEntry): SemVer => parseSemVer(entry.version)!;

/** The index with `file` recorded for `version` on `platformKey`, newest version first and keys sorted. */
export function addArtifact(
  index: ReleaseIndex | undefined,
  version: string,
  platformKey: string,
  file: string,
): ReleaseIndex {
  const parsed = parseSemVer(version);
  if (parsed === undefined) throw new Error(`version '${version}' is not a semantic version`);
  const releases = (index?.releases ?? []).filter((entry) => entry.version !== version);
  const previous = index?.releases.find((entry) => entry.version === version);
  const artifacts = { ...previous?.artifacts, [platformKey]: file };
  releases.push({
    version,
    prerelease: parsed.prerelease.length > 0,
    artifacts: Object.fromEntries(Object.entries(artifacts).sort(([a], [b]) => (a < b ? -1 : 1))),
  });
  releases.sort((a, b) => compareSemVer(semver(b), semver(a)));
  return { format: INDEX_FORMAT, releases };
}

/** The newest release with an artifact for `platformKey`; prereleases only when asked for. */
export function latestRelease(index: ReleaseIndex, platformKey: string, prerelease: boolean): ReleaseEntry | undefined {
  return index.releases
    .filter((entry) => (prerelease || !entry.prerelease) && entry.artifacts[platformKey] !== undefined)
    .sort((a, b) => compareSemVer(semver(b), semver(a)))[0];
}

export function isNewer(candidate: string, current: string): boolean {
  const a = parseSemVer(candidate);
  const b = parseSemVer(current);
  return a !== undefined && b !== undefined && compareSemVer(a, b) > 0;
}
