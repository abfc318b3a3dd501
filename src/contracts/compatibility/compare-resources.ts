import { RUNTIME_DEFAULTS, type KvResource, type StoreResource } from "../manifest/types.ts";
import { schemaOf, type CompareContext } from "./context.ts";
import type { ChangeCode } from "./finding.ts";
import { diffKeys } from "./keyed.ts";
import { compareSchemaAt } from "./schema-position.ts";

/**
 * KV and object store resources (runtime-wire.md §6): buckets the owner
 * binds, stable for the lineage, whose contents outlive every deploy. So the
 * questions are about stored data: can it still be read, is it kept as long,
 * do existing values still fit the limits. `purpose` and `docs` are copy.
 */
export function compareResources(ctx: CompareContext): void {
  compareKv(ctx);
  compareStores(ctx);
}

function compareKv(ctx: CompareContext): void {
  const before = ctx.before.resources?.kv ?? {};
  const after = ctx.after.resources?.kv ?? {};
  const { removed, added, kept } = diffKeys(before, after);
  for (const alias of removed) {
    ctx.add({
      path: ["resources", "kv", alias],
      change: "kv.removed",
      message: `kv '${alias}' removed: its bucket and stored values are no longer bound`,
      owner: "breaking",
    });
  }
  for (const alias of added)
    ctx.add({ path: ["resources", "kv", alias], change: "kv.added", message: `kv '${alias}' added` });
  for (const alias of kept) {
    const old = before[alias]!;
    const now = after[alias]!;
    const at = (...path: string[]) => ["resources", "kv", alias, ...path];
    compareSchemaAt(ctx, {
      path: at("schema"),
      label: `kv '${alias}' values`,
      before: schemaOf(ctx.before, old.schema),
      after: schemaOf(ctx.after, now.schema),
      rule: { owner: { oldInNew: "values already stored may no longer validate when read" } },
    });
    const kv = (r: KvResource) => ({
      history: r.history ?? RUNTIME_DEFAULTS.kv.history,
      ttlMs: r.ttlMs ?? RUNTIME_DEFAULTS.kv.ttlMs,
      required: r.required ?? RUNTIME_DEFAULTS.kv.required,
    });
    const [o, n] = [kv(old), kv(now)];
    if (n.history !== o.history) {
      const lower = n.history < o.history;
      ctx.add({
        path: at("history"),
        change: lower ? "kv.history-lowered" : "kv.history-raised",
        message: `kv '${alias}' history ${o.history} → ${n.history}${lower ? ": older revisions of every key are discarded" : ""}`,
        owner: lower ? "breaking" : "compatible",
      });
    }
    compareTtl(ctx, at("ttlMs"), `kv '${alias}'`, o.ttlMs, n.ttlMs, "kv");
    compareLimit(ctx, at("maxValueBytes"), `kv '${alias}' maxValueBytes`, old.maxValueBytes, now.maxValueBytes, {
      lowered: "kv.max-value-bytes-lowered",
      raised: "kv.max-value-bytes-raised",
    });
    if (o.required !== n.required) {
      ctx.add({
        path: at("required"),
        change: "kv.required-changed",
        message: `kv '${alias}' required ${o.required} → ${n.required}`,
      });
    }
  }
}

function compareStores(ctx: CompareContext): void {
  const before = ctx.before.resources?.store ?? {};
  const after = ctx.after.resources?.store ?? {};
  const { removed, added, kept } = diffKeys(before, after);
  for (const alias of removed) {
    ctx.add({
      path: ["resources", "store", alias],
      change: "store.removed",
      message: `store '${alias}' removed: its objects are no longer bound`,
      owner: "breaking",
    });
  }
  for (const alias of added) {
    ctx.add({ path: ["resources", "store", alias], change: "store.added", message: `store '${alias}' added` });
  }
  for (const alias of kept) {
    const old = before[alias]!;
    const now = after[alias]!;
    const at = (...path: string[]) => ["resources", "store", alias, ...path];
    const store = (r: StoreResource) => ({
      ttlMs: r.ttlMs ?? RUNTIME_DEFAULTS.store.ttlMs,
      required: r.required ?? RUNTIME_DEFAULTS.store.required,
    });
    const [o, n] = [store(old), store(now)];
    compareTtl(ctx, at("ttlMs"), `store '${alias}'`, o.ttlMs, n.ttlMs, "store");
    compareLimit(ctx, at("maxObjectBytes"), `store '${alias}' maxObjectBytes`, old.maxObjectBytes, now.maxObjectBytes, {
      lowered: "store.max-object-bytes-lowered",
      raised: "store.max-object-bytes-raised",
    });
    compareLimit(ctx, at("maxTotalBytes"), `store '${alias}' maxTotalBytes`, old.maxTotalBytes, now.maxTotalBytes, {
      lowered: "store.max-total-bytes-lowered",
      raised: "store.max-total-bytes-raised",
    });
    if (o.required !== n.required) {
      ctx.add({
        path: at("required"),
        change: "store.required-changed",
        message: `store '${alias}' required ${o.required} → ${n.required}`,
      });
    }
  }
}

/** `ttlMs` 0 means no expiry; a shorter one expires data that was meant to stay. */
function compareTtl(
  ctx: CompareContext,
  path: readonly string[],
  what: string,
  before: number,
  after: number,
  prefix: "kv" | "store",
): void {
  if (before === after) return;
  const lifetime = (ttl: number) => (ttl === 0 ? Number.POSITIVE_INFINITY : ttl);
  const shorter = lifetime(after) < lifetime(before);
  const show = (ttl: number) => (ttl === 0 ? "0 (no expiry)" : String(ttl));
  ctx.add({
    path,
    change: shorter ? `${prefix}.ttl-shortened` : `${prefix}.ttl-lengthened`,
    message: `${what} ttlMs ${show(before)} → ${show(after)}${shorter ? ": stored data expires sooner than it was written to" : ""}`,
    owner: shorter ? "breaking" : "compatible",
  });
}

/** A size limit (absent = unlimited); lowering it rejects writes the old version accepted. */
function compareLimit(
  ctx: CompareContext,
  path: readonly string[],
  what: string,
  before: number | undefined,
  after: number | undefined,
  codes: { lowered: ChangeCode; raised: ChangeCode },
): void {
  const old = before ?? Number.POSITIVE_INFINITY;
  const now = after ?? Number.POSITIVE_INFINITY;
  if (old === now) return;
  const lower = now < old;
  ctx.add({
    path,
    change: lower ? codes.lowered : codes.raised,
    message: `${what} ${before ?? "unlimited"} → ${after ?? "unlimited"}${lower ? ": writes the old limit allowed are refused, and larger stored entries no longer fit" : ""}`,
    owner: lower ? "breaking" : "compatible",
  });
}
