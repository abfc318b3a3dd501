import type { ValidationIssue } from "../errors/builtin.ts";
import { checkCapabilityDeclarations, checkCapabilityLists } from "./capabilities.ts";
import { checkEventConsumers } from "./consumers.ts";
import { checkEventTemplates } from "./events.ts";
import { checkContractIds } from "./identity.ts";
import type { ManifestRule, RuleContext } from "./issue.ts";
import { checkSurfaceCount } from "./limits.ts";
import { checkNames } from "./names.ts";
import { checkSubjectOverlap } from "./overlap.ts";
import { checkRpcErrorTypes, checkSchemaReferences } from "./refs.ts";
import { checkSubjects } from "./subjects.ts";
import { checkOperationTransfers } from "./transfer.ts";

/**
 * The rules of contracts.md §2 that read a typed manifest, in spec order.
 * They run only on a manifest whose shapes are valid; each returns every
 * problem it finds.
 */
export const MANIFEST_RULES: readonly ManifestRule[] = [
  checkContractIds, // §2.4
  checkNames, // §8: characters of names
  checkSchemaReferences, // §2.6
  checkRpcErrorTypes, // §1 rpc errors
  checkSubjects, // §2.7 braces, §8 subject well-formedness
  checkEventTemplates, // §2.7
  checkEventConsumers, // §2.8
  checkCapabilityLists, // §2.9
  checkCapabilityDeclarations, // §2.9
  checkOperationTransfers, // §2.10
  checkSubjectOverlap, // §2.11
  checkSurfaceCount, // §8: size
];

export function runManifestRules(context: RuleContext): ValidationIssue[] {
  return MANIFEST_RULES.flatMap((rule) => rule(context));
}
