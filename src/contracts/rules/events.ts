import type { ValidationIssue } from "../errors/builtin.ts";
import { quote } from "../schema/json-type.ts";
import { checkSchemaPointer } from "../schema/resolve.ts";
import { issueAt, type RuleContext } from "./issue.ts";
import { subjectProblem, subjectTemplatePointers } from "./subjects.ts";

/**
 * §2.7, the part that needs the whole manifest: `params` (absent = `[]`)
 * equals the subject's template pointers in order, and each pointer passes
 * the pointer check against the event schema. Brace balance and template
 * syntax are checked by `subjects.ts`, `params` syntax by the shapes.
 */
export function checkEventTemplates({ manifest, soundSchemas }: RuleContext): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const [name, event] of Object.entries(manifest.events ?? {})) {
    if (subjectProblem(event.subject, "event") !== undefined) continue; // reported by checkSubjects
    const templates = subjectTemplatePointers(event.subject);
    const params = event.params ?? [];
    if (params.length !== templates.length || params.some((param, index) => param !== templates[index])) {
      const expected = templates.length === 0 ? "[] (the subject has no templates)" : JSON.stringify(templates);
      issues.push(issueAt(["events", name, "params"], `must list the subject's template pointers in order: ${expected}`));
      continue;
    }
    const schema = soundSchemas.get(event.event.schema);
    if (schema === undefined) continue; // a dangling or broken schema is reported on its own
    params.forEach((param, index) => {
      const checked = checkSchemaPointer(schema, param);
      if (checked.isErr()) {
        issues.push(issueAt(["events", name, "params", index], `pointer ${quote(param)} (schema ${quote(event.event.schema)}) ${checked.error}`));
      }
    });
  }
  return issues;
}
