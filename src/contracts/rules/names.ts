import * as v from "valibot";
import { quote } from "../schema/json-type.ts";

/**
 * Names inside a manifest (contracts.md §8 leaves their characters open).
 * They end up in NATS subjects, consumer and KV names, generated code and
 * state keys, so they are kept to a conservative ASCII set:
 *
 * - a *simple name* (`reindex`, `billing`) is one token: letters, digits,
 *   `_`, `-`. Job queue keys must be one (jobs.md §2); aliases, state stores,
 *   consumer groups, resources and signals use it too;
 * - a *dotted name* (`Billing.Refund`, `prefs.v1`) is simple names joined by
 *   `.`: surface, schema and error names, state versions, capability locals.
 */
export const MAX_NAME_LENGTH = 128;
export const SIMPLE_NAME = /^[A-Za-z0-9_-]+$/;
export const DOTTED_NAME = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;

/** Object keys valibot records skip silently; a surface must never vanish that way. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

export function isSimpleName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && SIMPLE_NAME.test(name);
}

export function isDottedName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && DOTTED_NAME.test(name);
}

const SIMPLE_RULE = `letters, digits, '_' and '-' only, at most ${MAX_NAME_LENGTH} characters`;
const DOTTED_RULE = `'.'-separated parts of letters, digits, '_' and '-', at most ${MAX_NAME_LENGTH} characters`;

function nameProblem(input: unknown, rule: string): string {
  const name = String(input);
  return name === "" ? "must be a non-empty name" : `invalid name ${quote(name)}: use ${rule}`;
}

export const simpleName = v.pipe(
  v.string(),
  v.check(isSimpleName, (issue) => nameProblem(issue.input, SIMPLE_RULE)),
);

export const dottedName = v.pipe(
  v.string(),
  v.check(isDottedName, (issue) => nameProblem(issue.input, DOTTED_RULE)),
);
