import type { ValidationIssue } from "../errors/builtin.ts";
import { quote } from "../schema/json-type.ts";
import { checkSchemaPointer } from "../schema/resolve.ts";
import { issueAt, type RuleContext } from "./issue.ts";
import { entriesOf } from "./loose.ts";

/**
 * §2.10: an operation's `transfer.store` is a declared store alias, and its
 * pointers resolve in the operation's input schema. `key` and `contentType`
 * must resolve to strings or numbers (they become an object key and a
 * header); `metadata` names a string map, so it only has to resolve.
 */
export function checkOperationTransfers({ manifest, declared, soundSchemas }: RuleContext): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const [name, operation] of entriesOf(manifest.operations)) {
    const transfer = operation.transfer;
    if (transfer === undefined) continue;
    const at = ["operations", name, "transfer"];
    if (transfer.store !== undefined && !declared.stores.has(transfer.store)) {
      issues.push(
        issueAt([...at, "store"], `names unknown store ${quote(transfer.store)} (declare it in resources.store)`),
      );
    }
    const schemaName = operation.input?.schema;
    const schema = schemaName === undefined ? undefined : soundSchemas.get(schemaName);
    if (schemaName === undefined || schema === undefined) continue;
    const pointers = [
      { member: "key", pointer: transfer.key, requireTokenable: true },
      { member: "contentType", pointer: transfer.contentType, requireTokenable: true },
      { member: "metadata", pointer: transfer.metadata, requireTokenable: false },
    ];
    for (const { member, pointer, requireTokenable } of pointers) {
      if (pointer === undefined || pointer === "") continue;
      const checked = checkSchemaPointer(schema, pointer, { requireTokenable });
      if (checked.isErr()) {
        issues.push(
          issueAt([...at, member], `pointer ${quote(pointer)} (input schema ${quote(schemaName)}) ${checked.error}`),
        );
      }
    }
  }
  return issues;
}
