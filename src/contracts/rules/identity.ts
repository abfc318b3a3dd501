import type { ValidationIssue } from "../errors/builtin.ts";
import { quote } from "../schema/json-type.ts";
import { issueAt, type RuleContext } from "./issue.ts";
import { entriesOf } from "./loose.ts";
import { MAX_NAME_LENGTH } from "./names.ts";

/**
 * Contract ids (contracts.md §2.4): `<name>@v<N>`, the name being dotted
 * parts of letters, digits, `_` and `-` (`acme.notes-web`), `N` decimal
 * without leading zeros. `trellis.` is reserved for the built-in contracts,
 * which are parsed like any other, so approval (not parsing) enforces it.
 */
const CONTRACT_ID = /^([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)@v(0|[1-9][0-9]*)$/;

export type ContractIdParts = { name: string; major: number };

export function parseContractId(id: string): ContractIdParts | undefined {
  if (id.length > MAX_NAME_LENGTH) return undefined;
  const match = CONTRACT_ID.exec(id);
  if (match === null) return undefined;
  const major = Number(match[2]);
  return Number.isSafeInteger(major) ? { name: match[1]!, major } : undefined;
}

export function isContractId(id: string): boolean {
  return parseContractId(id) !== undefined;
}

/** `NS(id)`: the id minus its trailing `@v<digits>` (the capability namespace). */
export function contractNamespace(id: string): string {
  return id.replace(/@v[0-9]+$/, "");
}

const ID_FORM =
  `expected '<name>@v<N>' (for example 'acme.notes@v1'): '.'-separated letters, digits, '_' and '-', ` +
  `then '@v' and a decimal version, at most ${MAX_NAME_LENGTH} characters`;

/** The manifest's own id and every `Use.contract`. */
export function checkContractIds({ manifest }: RuleContext): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const id = manifest.id;
  if (id !== undefined && !isContractId(id))
    issues.push(issueAt(["id"], `invalid contract id ${quote(id)}: ${ID_FORM}`));
  for (const group of ["required", "optional"] as const) {
    for (const [alias, use] of entriesOf(manifest.uses?.[group])) {
      if (use.contract !== undefined && !isContractId(use.contract)) {
        issues.push(
          issueAt(["uses", group, alias, "contract"], `invalid contract id ${quote(use.contract)}: ${ID_FORM}`),
        );
      }
    }
  }
  return issues;
}
