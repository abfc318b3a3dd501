import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { err, ok, type Result } from "../../contracts/index.ts";
import { BUNDLE } from "../local-bundle/layout.ts";

/**
 * A `trellis dev` directory (tooling.md §3.5): a `local init` bundle at its
 * root, plus what the dev stack adds. `trellis/` is the dev admin session
 * (`TRELLIS_CONFIG_DIR=<dir>/trellis`); `seeds/` holds the session keys
 * `trellis run` provisions; `dev.json` marks the directory as a dev stack,
 * the only kind on which `run` approves digests by itself.
 */
export const DEV_FILES = { marker: "dev.json", seeds: "seeds" } as const;

export const DEFAULT_DEV_DIR = ".trellis/dev";

export type DevMarker = {
  format: "trellis.dev.v1";
  trellisUrl: string;
  natsUrl: string;
  natsPort: number;
  monitorPort: number;
};

export type DevDir = {
  dir: string;
  marker: DevMarker;
  configPath: string;
  natsConf: string;
  adminDir: string;
  seedsDir: string;
};

export const devPaths = (dir: string) => ({
  marker: join(dir, DEV_FILES.marker),
  configPath: join(dir, BUNDLE.config),
  natsConf: join(dir, BUNDLE.natsConf),
  adminDir: join(dir, BUNDLE.trellisDir),
  seedsDir: join(dir, DEV_FILES.seeds),
});

export function writeDevMarker(dir: string, marker: DevMarker): void {
  writeFileSync(devPaths(dir).marker, `${JSON.stringify(marker, null, 2)}\n`);
}

/** Reads a dev directory, or says why it is not one. */
export function readDevDir(path: string): Result<DevDir, string> {
  const dir = resolve(path);
  const paths = devPaths(dir);
  if (!existsSync(paths.marker)) {
    return err(
      `${dir} is not a trellis dev directory (no ${DEV_FILES.marker}); start one with trellis dev --dir ${path}`,
    );
  }
  try {
    const marker = JSON.parse(readFileSync(paths.marker, "utf8")) as Partial<DevMarker>;
    if (
      marker.format !== "trellis.dev.v1" ||
      typeof marker.trellisUrl !== "string" ||
      typeof marker.natsUrl !== "string" ||
      typeof marker.natsPort !== "number" ||
      typeof marker.monitorPort !== "number"
    ) {
      return err(`${paths.marker}: not a trellis.dev.v1 marker`);
    }
    const { configPath, natsConf, adminDir, seedsDir } = paths;
    return ok({ dir, marker: marker as DevMarker, configPath, natsConf, adminDir, seedsDir });
  } catch (error) {
    return err(`${paths.marker}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
