import {
  err,
  JOB_EVENT_TYPES,
  JOB_NAME_TOKEN,
  JOB_STATES,
  MAX_PAGE_LIMIT,
  ok,
  type JobEventType,
  type JobState,
  type Result,
} from "../../../contracts/index.ts";
import { usageFailure, type CliFailure } from "../../app/cli-failure.ts";
import { listFlag } from "../../app/command.ts";

/** Flag values of `trellis jobs ...`, checked before anything is sent; each failure names its flag (exit 2). */

export const DEFAULT_LIMIT = 50;

export function parseLimit(value: string | undefined): Result<number, CliFailure> {
  if (value === undefined) return ok(DEFAULT_LIMIT);
  const limit = Number(value);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    return err(usageFailure(`--limit must be an integer from 1 to ${MAX_PAGE_LIMIT}, got '${value}'`));
  }
  return ok(limit);
}

export function parseOffset(value: string | undefined): Result<number, CliFailure> {
  if (value === undefined) return ok(0);
  const offset = Number(value);
  if (!Number.isSafeInteger(offset) || offset < 0) {
    return err(usageFailure(`--offset must be an integer ≥ 0, got '${value}'`));
  }
  return ok(offset);
}

export function parseToken(flag: string, value: string | undefined): Result<string | undefined, CliFailure> {
  if (value === undefined) return ok(undefined);
  if (!JOB_NAME_TOKEN.test(value)) return err(usageFailure(`--${flag} must match ^[A-Za-z0-9_-]+$, got '${value}'`));
  return ok(value);
}

function oneOf<T extends string>(flag: string, values: string[], allowed: readonly T[]): Result<T[], CliFailure> {
  const unknown = values.filter((value) => !(allowed as readonly string[]).includes(value));
  if (unknown.length > 0) {
    return err(
      usageFailure(`--${flag}: unknown ${unknown.map((u) => `'${u}'`).join(", ")}; expected ${allowed.join(", ")}`),
    );
  }
  return ok(values as T[]);
}

/** `--state s1,s2` (or repeated); undefined when absent. */
export function parseStates(rawArgs: readonly string[]): Result<JobState[] | undefined, CliFailure> {
  if (!rawArgs.some((arg) => arg === "--state" || arg.startsWith("--state="))) return ok(undefined);
  return oneOf("state", listFlag(rawArgs, "state"), JOB_STATES);
}

/** `--events e1,e2` (or `--event`, tooling.md §3.3). */
export function parseEvents(rawArgs: readonly string[]): Result<JobEventType[] | undefined, CliFailure> {
  const values = [...listFlag(rawArgs, "events"), ...listFlag(rawArgs, "event")];
  if (values.length === 0) return ok(undefined);
  return oneOf("events", values, JOB_EVENT_TYPES);
}

/** `--since`: RFC 3339, or a span back from now (`15m`, `2h`, `7d`, tooling.md §3.3). */
export function parseSince(
  value: string | undefined,
  now: number = Date.now(),
): Result<string | undefined, CliFailure> {
  if (value === undefined) return ok(undefined);
  const span = /^(\d+)([smhd])$/.exec(value);
  if (span !== null) {
    const unit = { s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 }[span[2] as "s" | "m" | "h" | "d"];
    return ok(new Date(now - Number(span[1]) * unit).toISOString());
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value)))
    return ok(new Date(Date.parse(value)).toISOString());
  return err(usageFailure(`--since must be an RFC 3339 time or a span like 15m, 2h, 7d; got '${value}'`));
}

/** The job ids of a mutation: the positionals, or `-` for one id per line of stdin. */
export async function jobIds(positionals: readonly string[]): Promise<Result<string[], CliFailure>> {
  const ids =
    positionals.length === 1 && positionals[0] === "-"
      ? (await new Response(Bun.stdin.stream()).text()).split(/\s+/).filter((id) => id !== "")
      : [...positionals];
  if (ids.length === 0) return err(usageFailure("needs at least one job id (or - to read them from stdin)"));
  return ok(ids);
}
