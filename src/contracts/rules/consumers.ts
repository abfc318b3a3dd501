import type { ValidationIssue } from "../errors/builtin.ts";
import type { Use } from "../manifest/types.ts";
import { quote } from "../schema/json-type.ts";
import { issueAt, type RuleContext } from "./issue.ts";
import { entriesOf, itemsOf, type Loose, type LooseManifest } from "./loose.ts";

/**
 * §2.8: an event consumer group selects at least one event; strict ordering
 * (the default, and the only ordering in v1) needs `concurrency` 1; each
 * `uses` alias exists and subscribes to the events it names; `self` names
 * own events.
 */
export function checkEventConsumers({ manifest, declared }: RuleContext): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const [group, consumer] of entriesOf(manifest.eventConsumers)) {
    const at = ["eventConsumers", group];
    const selected =
      entriesOf(consumer.uses).reduce((count, [, names]) => count + names.length, 0) + (consumer.self?.length ?? 0);
    if (selected === 0) issues.push(issueAt(at, "must select at least one event (in 'uses' or 'self')"));

    const ordering = consumer.ordering ?? "strict";
    const concurrency = consumer.concurrency ?? 1;
    if (ordering === "strict" && concurrency !== 1) {
      issues.push(issueAt([...at, "concurrency"], `must be 1 with strict ordering (the default), got ${concurrency}`));
    }

    for (const [alias, names] of entriesOf(consumer.uses)) {
      if (!declared.aliases.has(alias)) {
        issues.push(
          issueAt([...at, "uses", alias], `alias ${quote(alias)} is not declared in uses.required or uses.optional`),
        );
        continue;
      }
      const use = findUse(manifest, alias);
      if (use === undefined || use.events?.subscribe?.some((name) => name === undefined)) continue; // unreadable: a shape issue
      const subscribed = new Set(use.events?.subscribe ?? []);
      for (const [index, name] of itemsOf(names)) {
        if (!subscribed.has(name)) {
          issues.push(
            issueAt(
              [...at, "uses", alias, index],
              `alias ${quote(alias)} does not subscribe to event ${quote(name)} (add it to its events.subscribe)`,
            ),
          );
        }
      }
    }

    for (const [index, name] of itemsOf(consumer.self)) {
      if (!declared.events.has(name))
        issues.push(issueAt([...at, "self", index], `names unknown own event ${quote(name)}`));
    }
  }
  return issues;
}

/** An alias in both groups counts as required (§5). */
function findUse(manifest: LooseManifest, alias: string): Loose<Use> | undefined {
  const required = manifest.uses?.required ?? {};
  if (Object.hasOwn(required, alias)) return required[alias];
  const optional = manifest.uses?.optional ?? {};
  return Object.hasOwn(optional, alias) ? optional[alias] : undefined;
}
