import { pointerOf } from "../json/pure-json.ts";
import type { NormalizedManifest } from "../manifest/types.ts";
import { sessionKeyToken } from "./inbox.ts";
import type { RuleCollector } from "./make-rule.ts";
import type { RuleOrigin } from "./types.ts";

/** The platform RPC every service calls to check callers (auth.md §4, §5). */
export const AUTH_VALIDATE_SUBJECT = "rpc.v1.Auth.Requests.Validate";
const AUTH_VALIDATE_SURFACE = {
  contractId: "trellis.auth@v1",
  kind: "rpc",
  name: "Auth.Requests.Validate",
  action: "call",
} as const;

/**
 * Services hear revocations to drop the callers they cached from Validate
 * (auth.md §4: a cached session lookup is "dropped on revocation").
 */
export const AUTH_REVOKED_SUBJECT = "events.v1.Auth.Sessions.Revoked";
const AUTH_REVOKED_SURFACE = {
  contractId: "trellis.auth@v1",
  kind: "event",
  name: "Auth.Sessions.Revoked",
  action: "subscribe",
} as const;

/**
 * "When it holds `service`" (contracts.md §5) is expressed as the rule's
 * requiredCaps, so approval decides with the same all-of check as for any
 * other rule instead of a special case.
 */
const SERVICE = ["service"] as const;

/**
 * A service's rules on its own contract. Serving rules (dir `sub`) use the
 * action `subscribe`: the owner receives on the surface subject.
 *
 * `transferSessionKey` is set only when transfer rules are asked for: owned
 * transfer subjects are per session (`transfer.v1.<dir>.<sk16>.*`).
 */
export function addOwnRules(
  out: RuleCollector,
  manifest: NormalizedManifest,
  transferSessionKey: string | undefined,
): void {
  if (manifest.kind !== "service") return;
  const contractId = manifest.id;
  const origin: RuleOrigin = { source: "own" };
  const sk16 = transferSessionKey === undefined ? undefined : sessionKeyToken(transferSessionKey);

  for (const [name, t] of Object.entries(manifest.events ?? {})) {
    const at = pointerOf(["events", name, "subject"]);
    // Publishing owned events needs no capability: owning the contract is the authority.
    out.surface("pub", t.subject, [], { contractId, kind: "event", name, action: "publish" }, origin, at);
    out.surface(
      "sub",
      t.subject,
      t.capabilities?.subscribe ?? [],
      { contractId, kind: "event", name, action: "subscribe" },
      origin,
      at,
    );
  }

  for (const [name, t] of Object.entries(manifest.rpc ?? {})) {
    const surface = { contractId, kind: "rpc", name, action: "subscribe" } as const;
    out.surface("sub", t.subject, SERVICE, surface, origin, pointerOf(["rpc", name, "subject"]));
    if (sk16 !== undefined && t.transfer !== undefined)
      out.fixed("sub", `transfer.v1.download.${sk16}.*`, SERVICE, surface, origin);
  }

  for (const [name, t] of Object.entries(manifest.operations ?? {})) {
    const surface = { contractId, kind: "operation", name, action: "subscribe" } as const;
    const at = pointerOf(["operations", name, "subject"]);
    out.surface("sub", t.subject, SERVICE, surface, origin, at);
    out.surface("sub", `${t.subject}.control`, SERVICE, surface, origin, at);
    if (sk16 !== undefined && t.transfer !== undefined)
      out.fixed("sub", `transfer.v1.upload.${sk16}.*`, SERVICE, surface, origin);
  }

  for (const [name, t] of Object.entries(manifest.feeds ?? {})) {
    const surface = { contractId, kind: "feed", name, action: "subscribe" } as const;
    out.surface("sub", t.subject, SERVICE, surface, origin, pointerOf(["feeds", name, "subject"]));
  }

  out.fixed("pub", AUTH_VALIDATE_SUBJECT, SERVICE, AUTH_VALIDATE_SURFACE, { source: "platform" });
  out.fixed("sub", AUTH_REVOKED_SUBJECT, SERVICE, AUTH_REVOKED_SURFACE, { source: "platform" });
}
