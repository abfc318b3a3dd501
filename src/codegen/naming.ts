import { contractNamespace } from "../contracts/index.ts";

/**
 * Naming rules of generated SDKs (tooling.md §2.2): package names and
 * directories, Pascal and lowerCamel case, surface accessors, and the
 * collision-free allocation of identifiers.
 */

export const DEFAULT_PACKAGE_PREFIX = "@trellis-sdk/";

export type PackageNaming = {
  /** Default `@trellis-sdk/`. */
  prefix?: string;
  /** `sdk.names`: contract id → package name. */
  names?: { readonly [id: string]: string };
};

/** `sdk.names[id]`, else prefix + id without `@vN`, `.` → `-` (`acme.orders@v1` → `@trellis-sdk/acme-orders`). */
export function packageNameFor(id: string, naming: PackageNaming = {}): string {
  const named = naming.names?.[id];
  if (named !== undefined) return named;
  return `${naming.prefix ?? DEFAULT_PACKAGE_PREFIX}${contractNamespace(id).replaceAll(".", "-")}`;
}

// npm's rules, with upper case allowed (ids may hold it); one path segment after the scope.
const PACKAGE_NAME = /^(?:@[A-Za-z0-9_~-][A-Za-z0-9._~-]*\/)?[A-Za-z0-9_~-][A-Za-z0-9._~-]*$/;

/** A package name that is safe as an npm name and as a directory name (no `..`, no extra `/`). */
export function packageNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > 214) return "must be 1 to 214 characters";
  if (!PACKAGE_NAME.test(name)) return "must be '[@scope/]name' of letters, digits, '.', '_', '~' and '-'";
  return undefined;
}

/** The package directory: the name without its scope. */
export function packageDirOf(packageName: string): string {
  const slash = packageName.indexOf("/");
  return packageName.startsWith("@") && slash > 0 ? packageName.slice(slash + 1) : packageName;
}

/** Splits on `.` and every non-alphanumeric character, then capitalises only the first letter of each part. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== "")
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("");
}

export function lowerCamelCase(name: string): string {
  const pascal = pascalCase(name);
  return pascal === "" ? "" : pascal[0]!.toLowerCase() + pascal.slice(1);
}

/** `A.B.C` → `[lowerCamel(A), lowerCamel(B.C)]`; a single part is used twice (`Ping` → `ping.ping`). */
export function accessorPath(surfaceName: string): [group: string, leaf: string] {
  const dot = surfaceName.indexOf(".");
  const group = dot < 0 ? surfaceName : surfaceName.slice(0, dot);
  const leaf = dot < 0 ? surfaceName : surfaceName.slice(dot + 1);
  return [safeMember(lowerCamelCase(group)), safeMember(lowerCamelCase(leaf))];
}

/** `<Pascal(id minus @vN)>Client`. */
export function clientTypeName(id: string): string {
  return `${identifierPart(pascalCase(contractNamespace(id)))}Client`;
}

/** A Pascal part that can start an identifier (names may start with a digit). */
export function identifierPart(pascal: string): string {
  if (pascal === "") return "X";
  return /^[0-9]/.test(pascal) ? `N${pascal}` : pascal;
}

function safeMember(name: string): string {
  return name === "" ? "x" : name;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** Property keys that would not create a plain own member in an object literal or type. */
const AWKWARD_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** A property key as written in generated code: bare when it is an identifier, else a JSON string. */
export function propertyKey(key: string): string {
  return IDENTIFIER.test(key) && !AWKWARD_KEYS.has(key) ? key : JSON.stringify(key);
}

/**
 * Globals and library types the generated code refers to, plus the fixed
 * names every SDK exports; an allocated name never takes one of these.
 */
export const RESERVED_IDENTIFIERS: ReadonlySet<string> = new Set([
  "API",
  "Array",
  "AsyncIterable",
  "Boolean",
  "CONTRACT",
  "CONTRACT_DIGEST",
  "CONTRACT_ID",
  "CONTRACT_KIND",
  "ERRORS",
  "Error",
  "Exclude",
  "Extract",
  "EventMap",
  "FeedMap",
  "Function",
  "InstanceType",
  "JOBS",
  "JSON",
  "JSON_SCHEMAS",
  "Map",
  "NonNullable",
  "Number",
  "Omit",
  "Parameters",
  "Partial",
  "Pick",
  "OWNED_API",
  "Object",
  "OperationMap",
  "OwnedApi",
  "Promise",
  "RESOURCES",
  "Readonly",
  "Record",
  "RegExp",
  "ReturnType",
  "RpcMap",
  "SCHEMAS",
  "STATE",
  "Service",
  "ServiceHandle",
  "Set",
  "String",
  "Symbol",
  "TrellisApi",
  "USED_API",
  "UsedApi",
]);

/**
 * Hands out identifiers without collisions: requests are sorted by their key
 * (so the outcome does not depend on the order they were made in), the first
 * holder of a name keeps it and later ones get `2`, `3`, ...
 */
export class NameAllocator {
  readonly #requests = new Map<string, string>();
  readonly #taken = new Set<string>(RESERVED_IDENTIFIERS);
  #assigned: Map<string, string> | undefined;

  constructor(reserved: Iterable<string> = []) {
    for (const name of reserved) this.#taken.add(name);
  }

  /** Asks for `desired` under a unique, sortable `key`; read the result with `name(key)` after `allocate()`. */
  request(key: string, desired: string): void {
    if (this.#assigned !== undefined) throw new Error("NameAllocator: request after allocate");
    if (!this.#requests.has(key)) this.#requests.set(key, desired);
  }

  allocate(): void {
    const assigned = new Map<string, string>();
    for (const key of [...this.#requests.keys()].sort()) {
      const desired = this.#requests.get(key)!;
      let name = desired;
      for (let n = 2; this.#taken.has(name); n++) name = `${desired}${n}`;
      this.#taken.add(name);
      assigned.set(key, name);
    }
    this.#assigned = assigned;
  }

  name(key: string): string {
    const name = this.#assigned?.get(key);
    if (name === undefined) throw new Error(`NameAllocator: no name for '${key}'`);
    return name;
  }
}

/**
 * Suffixes repeated values in sorted key order (accessors: `Orders.Create` and
 * `Orders.create` would both be `orders.create`).
 */
export function uniqueInSortedOrder(entries: readonly [key: string, value: string][]): Map<string, string> {
  const taken = new Set<string>();
  const result = new Map<string, string>();
  for (const [key, value] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    let unique = value;
    for (let n = 2; taken.has(unique); n++) unique = `${value}${n}`;
    taken.add(unique);
    result.set(key, unique);
  }
  return result;
}
