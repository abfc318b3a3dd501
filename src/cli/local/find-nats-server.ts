import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, statSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";

/** nats-server 2.10 is the platform floor; nothing may need 2.11+. */
const MIN_VERSION: readonly [number, number] = [2, 10];

export type NatsServerBinary = { path: string; version: string };

/** Reads `nats-server --version` ("nats-server: v2.10.27"); undefined if it does not run. */
export function natsServerVersion(path: string): string | undefined {
  try {
    const run = spawnSync(path, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return /v(\d+\.\d+\.\d+)/.exec(`${run.stdout ?? ""}${run.stderr ?? ""}`)?.[1];
  } catch {
    return undefined;
  }
}

function isSupported(version: string): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major > MIN_VERSION[0] || (major === MIN_VERSION[0] && minor >= MIN_VERSION[1]);
}

/**
 * Finds a usable nats-server: `TRELLIS_NATS_SERVER`, then the copy that
 * scripts/setup.sh unpacks into `.trellis/bin/` (searched upwards from `from`),
 * then PATH. Each candidate must report version 2.10 or newer.
 */
export function findNatsServer(from: string = process.cwd()): NatsServerBinary | undefined {
  for (const candidate of candidates(from)) {
    const version = natsServerVersion(candidate);
    if (version !== undefined && isSupported(version)) return { path: candidate, version };
  }
  return undefined;
}

function* candidates(from: string): Generator<string> {
  const fromEnv = process.env.TRELLIS_NATS_SERVER;
  if (fromEnv) yield fromEnv;
  for (let dir = resolve(from); ; dir = resolve(dir, "..")) {
    const local = join(dir, ".trellis", "bin", "nats-server");
    if (existsSync(local)) yield local;
    if (dir === resolve(dir, "..")) break;
  }
  const onPath = which("nats-server");
  if (onPath) yield onPath;
}

/** The first executable file named `name` on PATH (what `command -v` finds). */
function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      if (statSync(path).isFile()) return path;
    } catch {
      // not here
    }
  }
  return undefined;
}

export const NATS_SERVER_MISSING_HINT =
  "no nats-server 2.10 or newer found: run scripts/setup.sh (it unpacks one into .trellis/bin/), " +
  "put one on PATH, or set TRELLIS_NATS_SERVER";
