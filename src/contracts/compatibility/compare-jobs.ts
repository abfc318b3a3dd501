import { RUNTIME_DEFAULTS, type JobQueue } from "../manifest/types.ts";
import { schemaOf, type CompareContext } from "./context.ts";
import { compareDelivery } from "./delivery.ts";
import { diffKeys } from "./keyed.ts";
import { renameHints } from "./renames.ts";
import { compareSchemaAt } from "./schema-position.ts";
import { keyOf } from "./schema-compare/values.ts";

/**
 * Job queues (jobs.md) are private to the owner: callers never see them, so
 * every finding here is about the owner. Jobs sit in `JOBS_WORK` across
 * deploys and are processed by whichever instance pulls them, old or new
 * version, so a payload schema must keep accepting queued payloads and the
 * old workers must accept new ones: any payload change is a migration.
 */
export function compareJobs(ctx: CompareContext): void {
  const before = ctx.before.jobs ?? {};
  const after = ctx.after.jobs ?? {};
  const { removed, added, kept } = diffKeys(before, after);
  const hints = renameHints(removed, added, (name, side) =>
    keyOf(side === "before" ? schemaOf(ctx.before, before[name]!.payload) : schemaOf(ctx.after, after[name]!.payload)),
  );
  for (const queue of removed) {
    ctx.add({
      path: ["jobs", queue],
      change: "job.removed",
      message: `job queue '${queue}' removed: jobs still queued or retrying have no worker${hints.to(queue)}`,
      owner: "breaking",
    });
  }
  for (const queue of added) {
    ctx.add({ path: ["jobs", queue], change: "job.added", message: `job queue '${queue}' added${hints.from(queue)}` });
  }
  for (const queue of kept) compareQueue(ctx, queue, before[queue]!, after[queue]!);
}

function compareQueue(ctx: CompareContext, queue: string, before: JobQueue, after: JobQueue): void {
  const at = (...path: string[]) => ["jobs", queue, ...path];
  compareSchemaAt(ctx, {
    path: at("payload"),
    label: `job '${queue}' payload`,
    before: schemaOf(ctx.before, before.payload),
    after: schemaOf(ctx.after, after.payload),
    rule: {
      owner: {
        oldInNew: "queued and retried jobs created before fail payload validation",
        newInOld: "workers still on the old version reject jobs created by the new one",
      },
    },
  });
  if (before.result !== undefined && after.result !== undefined) {
    compareSchemaAt(ctx, {
      path: at("result"),
      label: `job '${queue}' result`,
      before: schemaOf(ctx.before, before.result),
      after: schemaOf(ctx.after, after.result),
      rule: { owner: { oldInNew: "results recorded before may no longer validate when read back" } },
    });
  } else if (before.result === undefined && after.result !== undefined) {
    ctx.add({ path: at("result"), change: "job.result-added", message: `job '${queue}' result is now typed` });
  } else if (before.result !== undefined && after.result === undefined) {
    ctx.add({ path: at("result"), change: "job.result-removed", message: `job '${queue}' result is no longer typed` });
  }

  const defaults = RUNTIME_DEFAULTS.job;
  const delivery = (job: JobQueue) => ({
    maxDeliver: job.maxDeliver ?? defaults.maxDeliver,
    ackWaitMs: job.ackWaitMs ?? defaults.ackWaitMs,
    backoffMs: job.backoffMs ?? defaults.backoffMs,
  });
  compareDelivery(ctx, { prefix: "job", path: at(), what: `job '${queue}'` }, delivery(before), delivery(after));

  // Settings that change how new work runs, not what is already queued.
  const settings = {
    concurrency: [before.concurrency ?? defaults.concurrency, after.concurrency ?? defaults.concurrency],
    progress: [before.progress ?? defaults.progress, after.progress ?? defaults.progress],
    logs: [before.logs ?? defaults.logs, after.logs ?? defaults.logs],
    dlq: [before.dlq ?? defaults.dlq, after.dlq ?? defaults.dlq],
    defaultDeadlineMs: [before.defaultDeadlineMs ?? "none", after.defaultDeadlineMs ?? "none"],
  } as const;
  for (const [setting, [old, now]] of Object.entries(settings)) {
    if (old === now) continue;
    ctx.add({
      path: at(setting),
      change: "job.setting-changed",
      message: `job '${queue}' ${setting} ${String(old)} → ${String(now)}${setting === "dlq" && now === false ? " (exhausted jobs now fail instead of going to the DLQ)" : ""}`,
    });
  }
}
