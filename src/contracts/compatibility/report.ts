import type { ContractKind } from "../manifest/types.ts";
import type { Finding } from "./finding.ts";

export type CompatibilityReport = {
  before: { id: string; kind: ContractKind };
  after: { id: string; kind: ContractKind };
  /** Both ids name the same lineage (`<name>` of `<name>@v<N>`). */
  sameLineage: boolean;
  /** Every change, classified; copy-only edits produce none. Sorted by section, then path. */
  findings: Finding[];
  callerBreaking: number;
  ownerBreaking: number;
  /** No finding is breaking for anyone. */
  compatible: boolean;
};
