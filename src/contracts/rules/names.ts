import type { ValidationIssue } from "../errors/builtin.ts";
import { quote } from "../schema/json-type.ts";
import { issueAt, type PathTokens, type RuleContext } from "./issue.ts";
import { entriesOf, type LooseManifest } from "./loose.ts";

/**
 * Names inside a manifest (contracts.md §8 leaves their characters open).
 * They end up in NATS subjects, consumer and KV names, generated code and
 * state keys, so they are kept to a conservative ASCII set:
 *
 * - a *simple name* (`reindex`, `billing`) is one token: letters, digits,
 *   `_`, `-`. Job queue keys must be one (jobs.md §2); aliases, state stores,
 *   consumer groups, resources and signals use it too;
 * - a *dotted name* (`Billing.Refund`, `prefs.v1`) is simple names joined by
 *   `.`: surface, schema and error names and types, state versions.
 */
export const MAX_NAME_LENGTH = 128;
const SIMPLE_NAME = /^[A-Za-z0-9_-]+$/;
const DOTTED_NAME = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;

/** Object keys valibot records skip silently; a surface must never vanish that way. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

export function isSimpleName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && SIMPLE_NAME.test(name);
}

export function isDottedName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && DOTTED_NAME.test(name);
}

const RULES = {
  simple: { test: isSimpleName, says: `letters, digits, '_' and '-' only, at most ${MAX_NAME_LENGTH} characters` },
  dotted: {
    test: isDottedName,
    says: `'.'-separated parts of letters, digits, '_' and '-', at most ${MAX_NAME_LENGTH} characters`,
  },
} as const;

type NameKind = keyof typeof RULES;
type NamedPlace = { path: PathTokens; name: string; kind: NameKind; what: string };

export function checkNames({ manifest }: RuleContext): ValidationIssue[] {
  return namedPlaces(manifest)
    .filter(({ name, kind }) => !RULES[kind].test(name))
    .map(({ path, name, kind, what }) => issueAt(path, `invalid ${what} ${quote(name)}: use ${RULES[kind].says}`));
}

/** Every map key and name-valued member whose characters are not checked by another rule. */
function namedPlaces(m: LooseManifest): NamedPlace[] {
  const places: NamedPlace[] = [];
  const keys = (record: object | undefined, path: PathTokens, kind: NameKind, what: string) => {
    for (const name of Object.keys(record ?? {})) places.push({ path: [...path, name], name, kind, what });
  };
  const value = (name: string | undefined, path: PathTokens, kind: NameKind, what: string) => {
    if (name !== undefined && name !== "") places.push({ path, name, kind, what });
  };
  keys(m.schemas, ["schemas"], "dotted", "schema name");
  keys(m.uses?.required, ["uses", "required"], "simple", "alias");
  keys(m.uses?.optional, ["uses", "optional"], "simple", "alias");
  keys(m.state, ["state"], "simple", "state store name");
  for (const [store, declaration] of entriesOf(m.state)) {
    value(declaration.stateVersion, ["state", store, "stateVersion"], "dotted", "state version");
    keys(declaration.acceptedVersions, ["state", store, "acceptedVersions"], "dotted", "state version");
  }
  keys(m.rpc, ["rpc"], "dotted", "rpc name");
  keys(m.operations, ["operations"], "dotted", "operation name");
  for (const [name, operation] of entriesOf(m.operations)) {
    keys(operation.signals, ["operations", name, "signals"], "simple", "signal name");
  }
  keys(m.events, ["events"], "dotted", "event name");
  keys(m.feeds, ["feeds"], "dotted", "feed name");
  keys(m.jobs, ["jobs"], "simple", "job queue name");
  keys(m.eventConsumers, ["eventConsumers"], "simple", "consumer group name");
  keys(m.resources?.kv, ["resources", "kv"], "simple", "kv alias");
  keys(m.resources?.store, ["resources", "store"], "simple", "store alias");
  keys(m.errors, ["errors"], "dotted", "error name");
  for (const [name, error] of entriesOf(m.errors)) value(error.type, ["errors", name, "type"], "dotted", "error type");
  return places;
}
