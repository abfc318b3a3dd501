import type { Manifest } from "../manifest/types.ts";
import { isJsonObject } from "../schema/json-type.ts";

/**
 * A manifest whose shapes may have failed: what valibot could read, with
 * every value that had a shape issue removed, so each member may be missing
 * (and list entries may be holes). The whole-manifest rules read this, so a
 * manifest with a wrong `version` still gets its dangling refs reported.
 */
export type Loose<T> = T extends readonly (infer U)[]
  ? readonly (Loose<U> | undefined)[]
  : T extends object
    ? { [K in keyof T]?: Loose<T[K]> }
    : T;

export type LooseManifest = Loose<Manifest>;

/** Entries of an optional record, skipping removed values. */
export function entriesOf<V>(record: Readonly<Record<string, V | undefined>> | undefined): [string, V][] {
  const found: [string, V][] = [];
  for (const [key, value] of Object.entries(record ?? {})) if (value !== undefined) found.push([key, value]);
  return found;
}

/** The defined entries of an optional list, with their indexes. */
export function itemsOf<V>(list: readonly (V | undefined)[] | undefined): [number, V][] {
  const found: [number, V][] = [];
  list?.forEach((value, index) => {
    if (value !== undefined) found.push([index, value]);
  });
  return found;
}

/**
 * Removes the value at each path (object member deleted, array entry left as
 * a hole so indexes keep matching the input). The target is valibot's
 * output, which valibot built fresh: no input value is touched.
 */
export function removeAtPaths(output: unknown, paths: readonly (readonly (string | number)[])[]): void {
  for (const path of paths) {
    if (path.length === 0) continue;
    let parent: unknown = output;
    for (const token of path.slice(0, -1)) {
      parent =
        isJsonObject(parent) || Array.isArray(parent) ? (parent as Record<string | number, unknown>)[token] : undefined;
    }
    const last = path[path.length - 1]!;
    if (Array.isArray(parent) && typeof last === "number") parent[last] = undefined;
    else if (isJsonObject(parent)) delete parent[String(last)];
  }
}

/**
 * Names the input declares, read from the raw input: a name whose entry
 * failed its shape still exists, so references to it are not reported as
 * dangling on top of the shape issue.
 */
export type DeclaredNames = {
  schemas: ReadonlySet<string>;
  events: ReadonlySet<string>;
  stores: ReadonlySet<string>;
  aliases: ReadonlySet<string>;
  errorTypes: ReadonlySet<string>;
  /** False when some error declaration has no readable `type`: unknown types are then not reported. */
  errorTypesComplete: boolean;
};

export function declaredNames(input: Record<string, unknown>): DeclaredNames {
  const keys = (value: unknown) => new Set(isJsonObject(value) ? Object.keys(value) : []);
  const resources = isJsonObject(input.resources) ? input.resources : {};
  const uses = isJsonObject(input.uses) ? input.uses : {};
  const errors = isJsonObject(input.errors) ? Object.values(input.errors) : [];
  const errorTypes = errors.flatMap((error) =>
    isJsonObject(error) && typeof error.type === "string" ? [error.type] : [],
  );
  return {
    schemas: keys(input.schemas),
    events: keys(input.events),
    stores: keys(resources.store),
    aliases: new Set([...keys(uses.required), ...keys(uses.optional)]),
    errorTypes: new Set(errorTypes),
    errorTypesComplete: errorTypes.length === errors.length,
  };
}
