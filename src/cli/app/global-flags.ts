import { err, ok, type Result } from "../../contracts/index.ts";
import { usageFailure, type CliFailure } from "./cli-failure.ts";

/**
 * The global flags of tooling.md §3 that are not any one command's: `-v`…`-vvv`
 * and `-q` set the log level (`TRELLIS_LOG`), `--timeout <dur>` the RPC
 * timeout of session commands (`TRELLIS_RPC_TIMEOUT_MS`), `--format json` is
 * `--json`, `-V` is `version`; `--wide` and `--format text` are the defaults
 * (nothing is truncated). They are taken out before the command tree sees the
 * arguments, so every command accepts them. `--color` is read earlier
 * (color.ts); `-y` is each confirming command's own alias of `--yes`.
 */
export function takeGlobalFlags(
  rawArgs: readonly string[],
  env: Record<string, string | undefined> = process.env,
): Result<string[], CliFailure> {
  const rest: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i]!;
    if (arg === "--") {
      rest.push(...rawArgs.slice(i));
      break;
    }
    const verbosity = /^-(v{1,3})$/.exec(arg);
    if (verbosity !== null) {
      env.TRELLIS_LOG = (["info", "debug", "trace"] as const)[verbosity[1]!.length - 1];
    } else if (arg === "-q" || arg === "--quiet") {
      env.TRELLIS_LOG = "error";
    } else if (arg === "--timeout" || arg.startsWith("--timeout=")) {
      const value = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : rawArgs[++i];
      const ms = parseDuration(value);
      if (ms === undefined) {
        return err(usageFailure(`--timeout must be a duration like 500ms, 10s or 2m; got '${value ?? ""}'`));
      }
      env.TRELLIS_RPC_TIMEOUT_MS = String(ms);
    } else if (arg === "--format" || arg.startsWith("--format=")) {
      const value = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : rawArgs[++i];
      if (value === "json") rest.push("--json");
      else if (value !== "text") return err(usageFailure(`--format must be text or json; got '${value ?? ""}'`));
    } else if (arg === "--wide") {
      // Cells are never truncated, so wide is what every table already is.
    } else if (arg === "-V" && rest.length === 0) {
      rest.push("version");
    } else {
      rest.push(arg);
    }
  }
  return ok(rest);
}

/** `500ms`, `10s`, `2m`, `1h`, or a bare number of seconds; positive. */
export function parseDuration(value: string | undefined): number | undefined {
  const match = value === undefined ? null : /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value);
  if (match === null) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? "s") as "ms" | "s" | "m" | "h"];
  const ms = Math.round(Number(match[1]) * unit);
  return ms > 0 ? ms : undefined;
}
