import { err, ok } from "../../../contracts/index.ts";
import { buildInfo } from "../../app/build-info.ts";
import { unexpectedFailure } from "../../app/cli-failure.ts";
import { trellisCommand } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { writeJson, writeResult } from "../../app/output.ts";
import { parseChecksumFile, sha256Hex } from "../../release/checksum.ts";
import { extractBinary } from "../../release/extract-binary.ts";
import { hostPlatform, platformKey, SUPPORTED_PLATFORMS } from "../../release/platform.ts";
import { INDEX_FILE, isNewer } from "../../release/release-index.ts";
import { fetchBytes, fetchReleaseIndex, releasesBaseUrl } from "../../release/release-source.ts";
import { replaceExecutable } from "../../release/replace-executable.ts";
import { selectRelease } from "../../release/select-release.ts";
import { upgradeTarget } from "../../release/upgrade-target.ts";

export default trellisCommand({
  name: "install",
  description: "Download a release, verify its sha256 and replace this executable atomically",
  args: {
    prerelease: {
      type: "boolean",
      description: "Install the newest prerelease if it is newer than the newest release",
    },
    version: {
      type: "string",
      description: "Install exactly this version (also older ones, or the current one again)",
    },
    json: { type: "boolean", description: "Print {previous, version, path, upgraded, artifact?, sha256?}" },
  },
  run: async (args) => {
    const current = buildInfo().version;
    // Refused first: from source there is nothing to replace, so nothing is fetched.
    const target = upgradeTarget();
    if (target.isErr()) return err(target.error);
    const platform = hostPlatform();
    if (platform === undefined) {
      return err(
        unexpectedFailure(`no releases are built for ${process.platform}-${process.arch} (${SUPPORTED_PLATFORMS})`),
      );
    }
    const base = releasesBaseUrl();
    if (base.isErr()) return err(base.error);
    const index = await fetchReleaseIndex(base.value);
    if (index.isErr()) return err(index.error);
    const selected = selectRelease(index.value, new URL(INDEX_FILE, base.value).href, platformKey(platform), {
      version: args.version,
      prerelease: args.prerelease === true,
    });
    if (selected.isErr()) return err(selected.error);
    const { version, artifact } = selected.value;

    if (args.version === undefined && !isNewer(version, current)) {
      if (args.json) writeJson({ previous: current, version: current, path: target.value, upgraded: false });
      else writeResult(`ok trellis ${current} is up to date latest=${version} path=${target.value}`);
      return ok(ExitCode.ok);
    }

    const tarballUrl = new URL(artifact, base.value);
    const tarball = await fetchBytes(tarballUrl);
    if (tarball.isErr()) return err(tarball.error);
    const checksumUrl = new URL(`${artifact}.sha256`, base.value);
    const checksumFile = await fetchBytes(checksumUrl);
    if (checksumFile.isErr()) return err(checksumFile.error);
    const expected = parseChecksumFile(new TextDecoder().decode(checksumFile.value), artifact);
    if ("problem" in expected)
      return err({ ...unexpectedFailure(`${checksumUrl.href}: ${expected.problem}`), code: "checksum_invalid" });
    const actual = sha256Hex(tarball.value);
    if (actual !== expected.hex) {
      return err({
        ...unexpectedFailure(
          `${tarballUrl.href}: sha256 is ${actual}, expected ${expected.hex} (${checksumUrl.href}); nothing was replaced`,
        ),
        code: "checksum_mismatch",
      });
    }
    const binary = extractBinary(tarball.value, artifact);
    if (binary.isErr()) return err(binary.error);
    const replaced = replaceExecutable(target.value, binary.value);
    if (replaced.isErr()) return err(replaced.error);

    if (args.json)
      writeJson({ previous: current, version, path: target.value, upgraded: true, artifact, sha256: actual });
    else writeResult(`ok installed trellis ${version} previous=${current} path=${target.value} sha256=${actual}`);
    return ok(ExitCode.ok);
  },
});
