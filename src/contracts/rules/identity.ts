import * as v from "valibot";
import { quote } from "../schema/json-type.ts";
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

export const contractId = v.pipe(
  v.string(),
  v.check(
    isContractId,
    (issue) =>
      `invalid contract id ${quote(String(issue.input))}: expected '<name>@v<N>' (for example 'acme.notes@v1'), ` +
      `the name made of '.'-separated letters, digits, '_' and '-', at most ${MAX_NAME_LENGTH} characters`,
  ),
);
