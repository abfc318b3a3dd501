/** The os/arch pair in artifact names: `trellis-<version>-<os>-<arch>.tar.gz`. */
export type ReleasePlatform = { os: "linux" | "darwin"; arch: "x64" | "arm64" };

export const SUPPORTED_PLATFORMS = "linux-x64, linux-arm64, darwin-x64, darwin-arm64";

/** This process's platform, or undefined where no release is built (tooling.md §0: linux and darwin, x64 and arm64). */
export function hostPlatform(): ReleasePlatform | undefined {
  const os = process.platform === "linux" || process.platform === "darwin" ? process.platform : undefined;
  const arch = process.arch === "x64" || process.arch === "arm64" ? process.arch : undefined;
  return os === undefined || arch === undefined ? undefined : { os, arch };
}

export const platformKey = (platform: ReleasePlatform): string => `${platform.os}-${platform.arch}`;

export const artifactName = (version: string, platform: ReleasePlatform): string =>
  `trellis-${version}-${platformKey(platform)}.tar.gz`;
