import type {
  EventDescriptor,
  FeedDescriptor,
  NormalizedManifest,
  OperationDescriptor,
  RpcDescriptor,
  SurfaceKind,
} from "../manifest/types.ts";

/**
 * Shared model of uses resolution and permission derivation (contracts.md §5,
 * auth.md §6.2). See design/permissions.md for how the pieces fit.
 */

/**
 * The active contracts a resolution runs against: contract id → the
 * normalized manifests of its active, compatible digests (several during a
 * rollout). Which digests count as active and compatible is the caller's
 * business (catalog, approval store); resolution only unions them.
 */
export type ActiveContracts = ReadonlyMap<string, readonly NormalizedManifest[]>;

export type UsesGroup = "required" | "optional";

/** A surface of the effective (union) target contract, under its name. */
export type Resolved<D> = { name: string; descriptor: D };

/** One `uses` alias after resolution: only names that exist in the target. */
export type ResolvedUse = {
  alias: string;
  /** `required` also when the alias appears in both groups (it shadows the optional one). */
  group: UsesGroup;
  contractId: string;
  rpc: Resolved<RpcDescriptor>[];
  operations: Resolved<OperationDescriptor>[];
  eventsPublish: Resolved<EventDescriptor>[];
  eventsSubscribe: Resolved<EventDescriptor>[];
  feeds: Resolved<FeedDescriptor>[];
  /**
   * Names of an optional alias that did not resolve (skipped, granting
   * nothing): absent from every active digest, or divergent between them.
   */
  skipped: { kind: SurfaceKind; name: string; reason: "missing" | "divergent" }[];
};

export type ResolvedUses = {
  /** Required aliases first, then unshadowed optional ones; each group by alias name. */
  uses: ResolvedUse[];
  /** Optional aliases whose target contract is not active (skipped, granting nothing). */
  skippedAliases: { alias: string; contractId: string }[];
};

export type SurfaceAction = "call" | "observe" | "cancel" | "publish" | "subscribe";

/** What a rule grants access to: one action on one named surface. */
export type RuleSurface = { contractId: string; kind: SurfaceKind; name: string; action: SurfaceAction };

/**
 * Where a rule comes from. Not part of the spec's rule tuple: approval needs
 * it to tell a required dependency (refuse when unmet) from the rest.
 */
export type RuleOrigin =
  { source: "uses"; alias: string; group: UsesGroup } | { source: "own" } | { source: "platform" };

/** `(dir, subject, requiredCaps, surface)` of contracts.md §5; `subject` is already `W(...)`. */
export type PermissionRule = {
  dir: "pub" | "sub";
  subject: string;
  /** All-of, sorted and unique; `[]` means authentication only. */
  requiredCaps: string[];
  surface: RuleSurface;
  origin: RuleOrigin;
};
