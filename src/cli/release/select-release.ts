import { err, ok, type Result } from "../../contracts/index.ts";
import type { CliFailure } from "../app/cli-failure.ts";
import { ExitCode } from "../app/exit-codes.ts";
import { latestRelease, type ReleaseIndex } from "./release-index.ts";

export type SelectedRelease = { version: string; artifact: string };

const notFound = (message: string, hint?: string): CliFailure => ({
  exit: ExitCode.notFound,
  code: "release_not_found",
  type: "NotFoundError",
  message,
  ...(hint === undefined ? {} : { hint }),
});

/**
 * `--version <v>` exactly (a prerelease too, without `--prerelease`), else the
 * newest release built for this platform. Not found is exit 6 naming the index.
 */
export function selectRelease(
  index: ReleaseIndex,
  indexUrl: string,
  platformKey: string,
  request: { version: string | undefined; prerelease: boolean },
): Result<SelectedRelease, CliFailure> {
  if (request.version !== undefined) {
    const entry = index.releases.find((release) => release.version === request.version);
    if (entry === undefined) {
      const known = index.releases.map((release) => release.version).join(", ") || "none";
      return err(notFound(`version ${request.version} is not in ${indexUrl}`, `available: ${known}`));
    }
    const artifact = entry.artifacts[platformKey];
    if (artifact === undefined) {
      const built = Object.keys(entry.artifacts).join(", ") || "none";
      return err(
        notFound(`version ${entry.version} has no artifact for ${platformKey} in ${indexUrl}`, `built for: ${built}`),
      );
    }
    return ok({ version: entry.version, artifact });
  }
  const latest = latestRelease(index, platformKey, request.prerelease);
  if (latest === undefined) {
    const kind = request.prerelease ? "release or prerelease" : "release (try --prerelease)";
    return err(notFound(`${indexUrl} has no ${kind} for ${platformKey}`));
  }
  return ok({ version: latest.version, artifact: latest.artifacts[platformKey]! });
}
