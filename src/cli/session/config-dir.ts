import { homedir } from "node:os";
import { join } from "node:path";

/** `TRELLIS_CONFIG_DIR`, else `$XDG_CONFIG_HOME/trellis`, else `~/.config/trellis` (tooling.md §3.1). */
export function configDir(): string {
  const explicit = process.env.TRELLIS_CONFIG_DIR;
  if (explicit !== undefined && explicit !== "") return explicit;
  const xdg = process.env.XDG_CONFIG_HOME;
  return join(xdg !== undefined && xdg !== "" ? xdg : join(homedir(), ".config"), "trellis");
}

export const SESSION_FILES = { seed: "session.seed", context: "context.json" } as const;
