import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { err, ok, type Result } from "../../contracts/index.ts";
import { usageFailure, type CliFailure } from "../app/cli-failure.ts";

/**
 * A project's `package.json` as `trellis generate` reads it: `version`,
 * `workspaces`, and the optional `"trellis"` object (tooling.md §1):
 * `contracts` (replaces discovery), `out`, `sdk.prefix|targets|names`.
 * Problems name the file and the member (`/trellis/sdk/targets`).
 */
export type TrellisConfig = {
  contracts?: string[];
  out?: string;
  sdk: { prefix?: string; targets?: string[]; names?: { [id: string]: string } };
};

export type PackageInfo = {
  dir: string;
  path: string;
  name: string | undefined;
  version: string | undefined;
  /** Workspace member patterns (`workspaces` as a list, or yarn's `{packages}`). */
  workspaces: string[] | undefined;
  config: TrellisConfig;
};

const cache = new Map<string, Result<PackageInfo | undefined, CliFailure>>();

/** Reads `<dir>/package.json`; `undefined` when there is none. Cached per process run. */
export function readPackageInfo(dir: string): Result<PackageInfo | undefined, CliFailure> {
  const cached = cache.get(dir);
  if (cached !== undefined) return cached;
  const result = read(dir);
  cache.set(dir, result);
  return result;
}

/** Watch mode re-reads package files after they change. */
export function forgetPackageInfo(): void {
  cache.clear();
}

function read(dir: string): Result<PackageInfo | undefined, CliFailure> {
  const path = join(dir, "package.json");
  if (!existsSync(path)) return ok(undefined);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    return err(usageFailure(`${path}: not valid JSON (${error instanceof Error ? error.message : String(error)})`));
  }
  if (!isObject(raw)) return err(usageFailure(`${path}: expected a JSON object`));
  const problem = (pointer: string, message: string) => err(usageFailure(`${path}: ${pointer}: ${message}`));

  const version = raw.version;
  if (version !== undefined && typeof version !== "string") return problem("/version", "must be a string");
  let workspaces: string[] | undefined;
  const ws = isObject(raw.workspaces) ? raw.workspaces.packages : raw.workspaces;
  if (ws !== undefined) {
    if (!isStringList(ws)) return problem("/workspaces", "must be a list of member paths or patterns");
    workspaces = ws;
  }
  const config: TrellisConfig = { sdk: {} };
  const trellis = raw.trellis;
  if (trellis !== undefined) {
    if (!isObject(trellis)) return problem("/trellis", "must be an object");
    const known = new Set(["contracts", "out", "sdk"]);
    for (const key of Object.keys(trellis)) {
      if (!known.has(key)) return problem(`/trellis/${key}`, "unknown member (expected contracts, out, sdk)");
    }
    if (trellis.contracts !== undefined) {
      if (!isStringList(trellis.contracts)) return problem("/trellis/contracts", "must be a list of paths");
      config.contracts = trellis.contracts;
    }
    if (trellis.out !== undefined) {
      if (typeof trellis.out !== "string" || trellis.out === "") return problem("/trellis/out", "must be a path");
      config.out = trellis.out;
    }
    const sdk = trellis.sdk;
    if (sdk !== undefined) {
      if (!isObject(sdk)) return problem("/trellis/sdk", "must be an object");
      for (const key of Object.keys(sdk)) {
        if (!["prefix", "targets", "names"].includes(key)) {
          return problem(`/trellis/sdk/${key}`, "unknown member (expected prefix, targets, names)");
        }
      }
      if (sdk.prefix !== undefined) {
        if (typeof sdk.prefix !== "string") return problem("/trellis/sdk/prefix", "must be a string");
        config.sdk.prefix = sdk.prefix;
      }
      if (sdk.targets !== undefined) {
        if (!isStringList(sdk.targets))
          return problem("/trellis/sdk/targets", 'must be a list such as ["manifest", "ts"]');
        config.sdk.targets = sdk.targets;
      }
      if (sdk.names !== undefined) {
        if (!isObject(sdk.names) || !Object.values(sdk.names).every((n) => typeof n === "string")) {
          return problem("/trellis/sdk/names", "must map contract ids to package names");
        }
        config.sdk.names = sdk.names as { [id: string]: string };
      }
    }
  }
  return ok({
    dir,
    path,
    name: typeof raw.name === "string" ? raw.name : undefined,
    version,
    workspaces,
    config,
  });
}

function isObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}
