import type { ValidationIssue } from "../errors/builtin.ts";
import { checkCapabilityDeclarations } from "./capabilities.ts";
import { checkEventConsumers } from "./consumers.ts";
import { checkEventTemplates } from "./events.ts";
import type { ManifestRule, RuleContext } from "./issue.ts";
import { checkSubjectOverlap } from "./overlap.ts";
import { checkRpcErrorTypes, checkSchemaReferences } from "./refs.ts";
import { checkOperationTransfers } from "./transfer.ts";

/**
 * The whole-manifest rules of contracts.md §2, in spec order. They run only
 * on a manifest whose shapes are valid; each returns every problem it finds.
 */
export const MANIFEST_RULES: readonly ManifestRule[] = [
  checkSchemaReferences, // §2.6
  checkRpcErrorTypes, // §1 rpc errors
  checkEventTemplates, // §2.7
  checkEventConsumers, // §2.8
  checkCapabilityDeclarations, // §2.9
  checkOperationTransfers, // §2.10
  checkSubjectOverlap, // §2.11
];

export function runManifestRules(context: RuleContext): ValidationIssue[] {
  return MANIFEST_RULES.flatMap((rule) => rule(context));
}
