import type { ValidationIssue } from "../errors/builtin.ts";
import { isJsonObject } from "../schema/json-type.ts";
import { issueAt } from "./issue.ts";

/**
 * §2.2: members that older or future drafts used and v1 refuses outright
 * (rather than dropping them like other unknown members, which would
 * silently lose intent). Runs on the raw input, before the shapes.
 */
const NOT_SUPPORTED = "not supported in v1";
const UNSUPPORTED_RESOURCES: Readonly<Record<string, string>> = {
  jobs: "declare job queues in top-level 'jobs'",
  stream: "Trellis owns the event stream",
  streams: "Trellis owns the event stream",
};

export function findUnsupportedMembers(input: Record<string, unknown>): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (Object.hasOwn(input, "subjects")) issues.push(issueAt(["subjects"], NOT_SUPPORTED));
  const resources = input.resources;
  if (isJsonObject(resources)) {
    for (const [key, hint] of Object.entries(UNSUPPORTED_RESOURCES)) {
      if (Object.hasOwn(resources, key)) issues.push(issueAt(["resources", key], `${NOT_SUPPORTED} (${hint})`));
    }
  }
  const uses = input.uses;
  if (isJsonObject(uses)) {
    for (const group of ["required", "optional"]) {
      const aliases = uses[group];
      if (!isJsonObject(aliases)) continue;
      for (const [alias, use] of Object.entries(aliases)) {
        if (isJsonObject(use) && Object.hasOwn(use, "subjects"))
          issues.push(issueAt(["uses", group, alias, "subjects"], NOT_SUPPORTED));
      }
    }
  }
  return issues;
}
