import { CapabilityDeclSchema } from "../manifest/schema.ts";
import type { CapabilityDecl } from "../manifest/types.ts";
import type { IssueCollector } from "./contract-definition-error.ts";
import { sortedUnique } from "../manifest/normalize.ts";
import type { CapabilityInput } from "./types.ts";

type Path = readonly (string | number)[];

/** Platform capabilities that lists keep as they are (contracts.md §1). */
const PLATFORM_CAPABILITIES = new Set(["admin", "service"]);
const DECLARATION_MEMBERS = Object.keys(CapabilityDeclSchema.entries);

/**
 * Capability naming of §7.1: declared local names become `<NS>::<local>`,
 * and list entries are mapped from local names to those keys.
 */
export class CapabilityNames {
  readonly #namespace: string;
  readonly #declared: ReadonlyMap<string, string>;

  constructor(namespace: string, declared: Iterable<string>) {
    this.#namespace = namespace;
    this.#declared = new Map([...declared].map((local) => [local, `${namespace}::${local}`]));
  }

  /** The `capabilities` section keyed by global key; local names that cannot be renamed are reported. */
  emitDeclarations(
    declarations: { readonly [local: string]: CapabilityInput },
    issues: IssueCollector,
  ): Record<string, CapabilityDecl> {
    const emitted: Record<string, CapabilityDecl> = {};
    for (const [local, declaration] of Object.entries(declarations)) {
      const problem = this.#localNameProblem(local);
      if (problem !== undefined) {
        issues.add(["capabilities", local], problem);
        continue;
      }
      for (const member of Object.keys(declaration)) {
        if (!DECLARATION_MEMBERS.includes(member))
          issues.add(["capabilities", local, member], `unknown member '${member}'`);
      }
      emitted[`${this.#namespace}::${local}`] = { ...declaration };
    }
    return emitted;
  }

  /** Maps one all-of list: declared locals → keys; `admin`, `service`, `::` keys kept; `SU`. */
  mapList(list: unknown, path: Path, issues: IssueCollector): string[] {
    if (!Array.isArray(list)) {
      issues.add(path, "must be a list of capability names");
      return [];
    }
    const mapped: string[] = [];
    list.forEach((entry: unknown, index) => {
      if (typeof entry !== "string") {
        issues.add([...path, index], "must be a capability name");
        return;
      }
      const key = this.#declared.get(entry);
      if (key !== undefined) mapped.push(key);
      else if (PLATFORM_CAPABILITIES.has(entry) || entry.includes("::")) mapped.push(entry);
      else {
        issues.add(
          [...path, index],
          `unknown capability '${entry}': declare it in 'capabilities', or use 'admin', 'service' or a '<namespace>::<name>' key`,
        );
      }
    });
    return sortedUnique(mapped);
  }

  #localNameProblem(local: string): string | undefined {
    if (local.length === 0) return "a capability name must not be empty";
    if (local.includes("::"))
      return `local capability name '${local}' must not contain '::' (it is prefixed with '${this.#namespace}::')`;
    // A declared 'admin' or 'service' would make list entries ambiguous with the platform capabilities.
    if (PLATFORM_CAPABILITIES.has(local)) return `'${local}' is a platform capability and cannot be declared locally`;
    const lastSegment = this.#namespace.slice(this.#namespace.lastIndexOf(".") + 1);
    for (const prefix of new Set([`${this.#namespace}.`, `${lastSegment}.`])) {
      if (local.startsWith(prefix)) {
        return `local capability name '${local}' must not start with '${prefix}' (it becomes '${this.#namespace}::${local}')`;
      }
    }
    return undefined;
  }
}
