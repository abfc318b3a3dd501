import { RUNTIME_DEFAULTS } from "../../contracts/index.ts";
import { docsBlocks, withDefault, type DocsContext } from "./context.ts";
import { code, facts, sortedKeys, table } from "./markdown.ts";

/** What the owner runs and keeps: job queues, consumer groups, resources, state. */

export function jobsSection(ctx: DocsContext): string[] {
  const jobs = ctx.manifest.jobs;
  const names = sortedKeys(jobs);
  if (names.length === 0) return [];
  const defaults = RUNTIME_DEFAULTS.job;
  return [
    "## Jobs",
    ...names.flatMap((name) => {
      const job = jobs![name]!;
      return [
        `### ${name}`,
        ...docsBlocks(job.docs),
        facts([
          ["maxDeliver", withDefault(job.maxDeliver, defaults.maxDeliver)],
          ["backoffMs", withDefault(job.backoffMs, defaults.backoffMs)],
          ["ackWaitMs", withDefault(job.ackWaitMs, defaults.ackWaitMs)],
          ["defaultDeadlineMs", job.defaultDeadlineMs === undefined ? "none" : String(job.defaultDeadlineMs)],
          ["concurrency", withDefault(job.concurrency, defaults.concurrency)],
          ["progress", withDefault(job.progress, defaults.progress)],
          ["logs", withDefault(job.logs, defaults.logs)],
          ["dlq", withDefault(job.dlq, defaults.dlq)],
        ]),
        ...ctx.schemaBlock("Payload", job.payload),
        ...(job.result ? ctx.schemaBlock("Result", job.result) : []),
      ];
    }),
  ];
}

export function consumersSection(ctx: DocsContext): string[] {
  const groups = ctx.manifest.eventConsumers;
  const names = sortedKeys(groups);
  if (names.length === 0) return [];
  const rows = names.map((name) => {
    const group = groups![name]!;
    const events = [
      ...(group.self ?? []).map((event) => `${code(event)} (own)`),
      ...sortedKeys(group.uses).flatMap((alias) =>
        group.uses![alias]!.map((event) => `${code(event)} of ${code(alias)}`),
      ),
    ];
    return [
      code(name),
      events.join(", "),
      group.replay ?? "new",
      group.ordering ?? "strict",
      String(group.concurrency ?? 1),
      group.ackWaitMs === undefined ? "default" : String(group.ackWaitMs),
      group.maxDeliver === undefined ? "default" : String(group.maxDeliver),
      group.backoffMs === undefined ? "default" : group.backoffMs.join(", "),
    ];
  });
  return [
    "## Event consumers",
    table(["Group", "Events", "Replay", "Ordering", "Concurrency", "ackWaitMs", "maxDeliver", "backoffMs"], rows),
  ];
}

export function resourcesSection(ctx: DocsContext): string[] {
  const kv = ctx.manifest.resources?.kv;
  const stores = ctx.manifest.resources?.store;
  const blocks: string[] = [];
  const ttl = (ttlMs: number | undefined) =>
    ttlMs === undefined ? "0 (default: no expiry)" : ttlMs === 0 ? "0 (no expiry)" : `${ttlMs} ms`;
  if (sortedKeys(kv).length > 0) {
    blocks.push(
      "### KV",
      table(
        ["Alias", "Purpose", "Schema", "Required", "History", "TTL", "Max value bytes"],
        sortedKeys(kv).map((alias) => {
          const r = kv![alias]!;
          return [
            code(alias),
            r.purpose,
            code(r.schema.schema),
            withDefault(r.required, RUNTIME_DEFAULTS.kv.required),
            withDefault(r.history, RUNTIME_DEFAULTS.kv.history),
            ttl(r.ttlMs),
            r.maxValueBytes === undefined ? "unlimited" : String(r.maxValueBytes),
          ];
        }),
      ),
      ...sortedKeys(kv).flatMap((alias) => [
        ...docsBlocks(kv![alias]!.docs),
        ...ctx.schemaBlock(`${code(alias)} values`, kv![alias]!.schema),
      ]),
    );
  }
  if (sortedKeys(stores).length > 0) {
    blocks.push(
      "### Object stores",
      table(
        ["Alias", "Purpose", "Required", "TTL", "Max object bytes", "Max total bytes"],
        sortedKeys(stores).map((alias) => {
          const r = stores![alias]!;
          return [
            code(alias),
            r.purpose,
            withDefault(r.required, RUNTIME_DEFAULTS.store.required),
            ttl(r.ttlMs),
            r.maxObjectBytes === undefined ? "unlimited" : String(r.maxObjectBytes),
            r.maxTotalBytes === undefined ? "unlimited" : String(r.maxTotalBytes),
          ];
        }),
      ),
      ...sortedKeys(stores).flatMap((alias) => docsBlocks(stores![alias]!.docs)),
    );
  }
  return blocks.length === 0 ? [] : ["## Resources", ...blocks];
}

export function stateSection(ctx: DocsContext): string[] {
  const state = ctx.manifest.state;
  const names = sortedKeys(state);
  if (names.length === 0) return [];
  return [
    "## State",
    table(
      ["Store", "Kind", "Schema", "State version", "Accepted versions"],
      names.map((name) => {
        const store = state![name]!;
        const accepted = sortedKeys(store.acceptedVersions).map(
          (version) => `${code(version)} (${code(store.acceptedVersions![version]!.schema)})`,
        );
        return [
          code(name),
          store.kind,
          code(store.schema.schema),
          withDefault(store.stateVersion, RUNTIME_DEFAULTS.stateVersion),
          accepted.join(", ") || "—",
        ];
      }),
    ),
    ...names.flatMap((name) => [
      ...docsBlocks(state![name]!.docs),
      ...ctx.schemaBlock(code(name), state![name]!.schema),
    ]),
  ];
}
