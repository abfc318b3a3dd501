import { ok } from "../../../contracts/index.ts";
import { buildInfo } from "../../app/build-info.ts";
import { trellisCommand } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { writeJson, writeResult } from "../../app/output.ts";
import { hostPlatform, platformKey, SUPPORTED_PLATFORMS } from "../../release/platform.ts";
import { isNewer, latestRelease } from "../../release/release-index.ts";
import { fetchReleaseIndex, releasesBaseUrl } from "../../release/release-source.ts";

type CheckReport = {
  current: string;
  latest: string | null;
  upgradeAvailable: boolean;
  prerelease: boolean;
  platform: string;
  releasesUrl: string;
  error?: { code: string; message: string };
};

async function check(prerelease: boolean): Promise<CheckReport> {
  const current = buildInfo().version;
  const platform = hostPlatform();
  const report: CheckReport = {
    current,
    latest: null,
    upgradeAvailable: false,
    prerelease,
    platform: platform === undefined ? `${process.platform}-${process.arch}` : platformKey(platform),
    releasesUrl: process.env.TRELLIS_RELEASES_URL ?? "",
  };
  const base = releasesBaseUrl();
  if (base.isErr()) return { ...report, error: { code: base.error.code, message: base.error.message } };
  report.releasesUrl = base.value.href;
  if (platform === undefined) {
    const message = `no releases are built for ${report.platform} (${SUPPORTED_PLATFORMS})`;
    return { ...report, error: { code: "unsupported_platform", message } };
  }
  const index = await fetchReleaseIndex(base.value);
  if (index.isErr()) return { ...report, error: { code: index.error.code, message: index.error.message } };
  const latest = latestRelease(index.value, report.platform, prerelease);
  if (latest === undefined) return report;
  return { ...report, latest: latest.version, upgradeAvailable: isNewer(latest.version, current) };
}

function renderCheck(report: CheckReport): string {
  const lines = [`current: ${report.current}`, `latest: ${report.latest ?? "unknown"}`];
  if (report.error !== undefined) lines.push("upgrade: unknown", `error: ${report.error.message}`);
  else if (report.upgradeAvailable)
    lines.push(`upgrade: available (trellis upgrade install${report.prerelease ? " --prerelease" : ""})`);
  else lines.push("upgrade: none, up to date");
  return lines.join("\n");
}

export default trellisCommand({
  name: "check",
  description: "Report the current and latest version and whether an upgrade exists; always exits 0",
  args: {
    prerelease: { type: "boolean", description: "Count prereleases as candidates" },
    json: {
      type: "boolean",
      description: "Print {current, latest, upgradeAvailable, prerelease, platform, releasesUrl, error?}",
    },
  },
  // Always 0 (tooling.md §3.7): a failed lookup is part of the report, so scripts and shell prompts never break on it.
  run: async (args) => {
    const report = await check(args.prerelease === true);
    if (args.json) writeJson(report);
    else writeResult(renderCheck(report));
    return ok(ExitCode.ok);
  },
});
