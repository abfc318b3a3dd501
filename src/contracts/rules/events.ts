import type { ValidationIssue } from "../errors/builtin.ts";
import { quote } from "../schema/json-type.ts";
import { checkSchemaPointer } from "../schema/resolve.ts";
import { issueAt, type RuleContext } from "./issue.ts";
import { entriesOf } from "./loose.ts";
import { subjectProblem, subjectTemplatePointers } from "./subjects.ts";

/**
 * §2.7, the part that needs the whole manifest: `params` (absent = `[]`)
 * equals the subject's template pointers in order, and each pointer passes
 * the pointer check against the event schema. Brace balance and template
 * syntax are checked by `subjects.ts`, `params` syntax by the shapes.
 */
export function checkEventTemplates({ manifest, soundSchemas }: RuleContext): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const [name, event] of entriesOf(manifest.events)) {
    const subject = event.subject;
    // A malformed subject is reported by checkSubjects, unreadable params by the shapes.
    if (subject === undefined || subjectProblem(subject, "event") !== undefined) continue;
    const params = event.params ?? [];
    if (params.some((param) => param === undefined)) continue;
    const templates = subjectTemplatePointers(subject);
    if (params.length !== templates.length || params.some((param, index) => param !== templates[index])) {
      const expected = templates.length === 0 ? "[] (the subject has no templates)" : JSON.stringify(templates);
      issues.push(
        issueAt(["events", name, "params"], `must list the subject's template pointers in order: ${expected}`),
      );
      continue;
    }
    const schemaName = event.event?.schema;
    const schema = schemaName === undefined ? undefined : soundSchemas.get(schemaName);
    if (schemaName === undefined || schema === undefined) continue; // a dangling or broken schema is reported on its own
    templates.forEach((pointer, index) => {
      const checked = checkSchemaPointer(schema, pointer);
      if (checked.isErr()) {
        issues.push(
          issueAt(
            ["events", name, "params", index],
            `pointer ${quote(pointer)} (schema ${quote(schemaName)}) ${checked.error}`,
          ),
        );
      }
    });
  }
  return issues;
}
