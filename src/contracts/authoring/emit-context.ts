import type { Ref } from "../manifest/types.ts";
import type { IssueCollector } from "./contract-definition-error.ts";
import type { CapabilityNames } from "./capabilities.ts";
import type { WireErrorClass } from "./define-error.ts";

export type Path = readonly (string | number)[];

/** What the section emitters share while one contract body is emitted. */
export interface EmitContext {
  readonly issues: IssueCollector;
  readonly capabilities: CapabilityNames;
  /** Keys of the source's `schemas` (refs may only name these). */
  readonly schemaNames: ReadonlySet<string>;
  /** Declared errors by local key. */
  readonly errorClasses: ReadonlyMap<string, WireErrorClass>;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Entries of a keyed section, or nothing (with an issue) when it is not an object. */
export function sectionEntries(value: unknown, path: Path, context: EmitContext): [string, Record<string, unknown>][] {
  if (value === undefined) return [];
  if (!isPlainObject(value)) {
    context.issues.add(path, "must be an object");
    return [];
  }
  const entries: [string, Record<string, unknown>][] = [];
  for (const [name, entry] of Object.entries(value)) {
    if (isPlainObject(entry)) entries.push([name, entry]);
    else context.issues.add([...path, name], "must be an object");
  }
  return entries;
}

/**
 * Reports members the manifest does not know. Normalization would drop them
 * silently; in a source they are almost always typos.
 */
export function checkMembers(
  value: Record<string, unknown>,
  known: readonly string[],
  path: Path,
  context: EmitContext,
): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key))
      context.issues.add([...path, key], `unknown member '${key}' (expected one of: ${known.join(", ")})`);
  }
}

/** A `Ref` to a schema of the source's registry; `undefined` (with an issue) otherwise. */
export function schemaRef(value: unknown, path: Path, context: EmitContext): Ref | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value) || typeof value.schema !== "string") {
    context.issues.add(path, "must be a schema reference: use ref.schema(name)");
    return undefined;
  }
  if (!context.schemaNames.has(value.schema)) {
    context.issues.add([...path, "schema"], `unknown schema '${value.schema}': add it to the 'schemas' option`);
  }
  return { schema: value.schema };
}

/** Copies the listed members that are present (not `undefined`), in that order. */
export function pickDefined(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of keys) if (source[key] !== undefined) picked[key] = source[key];
  return picked;
}

/** Drops members whose value is `undefined` (absent optional sections). */
export function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined));
}
