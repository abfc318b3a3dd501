import { RUNTIME_DEFAULTS } from "../manifest/types.ts";
import { schemaOf, type CompareContext } from "./context.ts";
import { diffKeys } from "./keyed.ts";
import { compareSchemaAt } from "./schema-position.ts";

/**
 * State stores (runtime-wire.md §6): per-user or per-device entries the
 * contract's participant keeps through `trellis.state@v1`, namespaced by
 * lineage, so they outlive any one version. Entries carry the `stateVersion`
 * they were written under; entries of another version read as
 * "migration required", which is the designed way to change a schema that
 * stored entries would no longer satisfy. Changing the schema *without*
 * bumping `stateVersion` must keep every stored entry valid.
 */
export function compareState(ctx: CompareContext): void {
  const before = ctx.before.state ?? {};
  const after = ctx.after.state ?? {};
  const { removed, added, kept } = diffKeys(before, after);
  for (const store of removed) {
    ctx.add({
      path: ["state", store],
      change: "state.removed",
      message: `state store '${store}' removed: entries users and devices saved are no longer read`,
      owner: "breaking",
    });
  }
  for (const store of added)
    ctx.add({ path: ["state", store], change: "state.added", message: `state store '${store}' added` });

  for (const store of kept) {
    const old = before[store]!;
    const now = after[store]!;
    const at = (...path: string[]) => ["state", store, ...path];
    if (old.kind !== now.kind) {
      ctx.add({
        path: at("kind"),
        change: "state.kind-changed",
        message: `state store '${store}' kind ${old.kind} → ${now.kind}: stored entries do not fit the new kind (value stores have no keys)`,
        owner: "breaking",
      });
    }
    const oldVersion = old.stateVersion ?? RUNTIME_DEFAULTS.stateVersion;
    const newVersion = now.stateVersion ?? RUNTIME_DEFAULTS.stateVersion;
    const sameVersion = oldVersion === newVersion;
    if (!sameVersion) {
      const stillAccepted = now.acceptedVersions !== undefined && Object.hasOwn(now.acceptedVersions, oldVersion);
      ctx.add({
        path: at("stateVersion"),
        change: "state.version-changed",
        message:
          `state store '${store}' stateVersion '${oldVersion}' → '${newVersion}': entries written under '${oldVersion}' read as migration-required` +
          (stillAccepted ? ` ('${oldVersion}' is an accepted version)` : ""),
      });
    }
    compareSchemaAt(ctx, {
      path: at("schema"),
      label: `state '${store}'`,
      before: schemaOf(ctx.before, old.schema),
      after: schemaOf(ctx.after, now.schema),
      rule: sameVersion
        ? {
            owner: {
              oldInNew: `entries stored under stateVersion '${oldVersion}' may no longer validate; bump stateVersion to migrate`,
            },
          }
        : {},
    });

    const accepted = diffKeys(old.acceptedVersions, now.acceptedVersions);
    for (const version of accepted.removed) {
      ctx.add({
        path: at("acceptedVersions", version),
        change: "state.accepted-version-removed",
        message: `state store '${store}' no longer accepts entries of version '${version}'`,
        owner: "breaking",
      });
    }
    for (const version of accepted.added) {
      ctx.add({
        path: at("acceptedVersions", version),
        change: "state.accepted-version-added",
        message: `state store '${store}' accepts entries of version '${version}'`,
      });
    }
    for (const version of accepted.kept) {
      compareSchemaAt(ctx, {
        path: at("acceptedVersions", version),
        label: `state '${store}' version '${version}'`,
        before: schemaOf(ctx.before, old.acceptedVersions![version]!),
        after: schemaOf(ctx.after, now.acceptedVersions![version]!),
        rule: { owner: { oldInNew: `entries stored under '${version}' may no longer validate` } },
      });
    }
  }
}
