import * as v from "valibot";
import type { NormalizedManifest } from "../../contracts/index.ts";
import type { ServerClock } from "../auth/server-clock.ts";
import type { SessionKeys } from "../auth/session-keys.ts";
import { natsConnectValue, signDomain } from "../auth/signatures.ts";
import { BootstrapReplySchema, type ConnectInfo, type ServiceBindingInfo } from "./bootstrap-schemas.ts";

/**
 * One bootstrap answer (auth.md §3), already sorted into what connecting
 * does next. Every reply that carries `serverNow` has been observed into
 * the clock before this is returned, refusals included.
 */
export type BootstrapOutcome =
  | { kind: "ready"; connectInfo: ConnectInfo; binding: ServiceBindingInfo | undefined }
  | { kind: "auth_required" }
  | { kind: "refused"; status: number; reason: string }
  | { kind: "unreachable"; status?: number; message: string };

export const DEFAULT_BOOTSTRAP_TIMEOUT_MS = 5000;

export type BootstrapTarget = { trellisUrl: string; keys: SessionKeys; clock: ServerClock; timeoutMs?: number };

/** `POST /bootstrap/service`, signed `nats-connect` over `iat:contractDigest`; `manifest` only when asked for. */
export async function bootstrapService(
  target: BootstrapTarget,
  contract: { contractId: string; contractDigest: string; manifest?: NormalizedManifest },
): Promise<BootstrapOutcome> {
  const iat = target.clock.iat();
  return post(target, "/bootstrap/service", {
    sessionKey: target.keys.sessionKey,
    contractId: contract.contractId,
    contractDigest: contract.contractDigest,
    ...(contract.manifest === undefined ? {} : { contract: contract.manifest }),
    iat,
    sig: await signDomain(target.keys, "nats-connect", natsConnectValue(iat, contract.contractDigest)),
  });
}

/** `POST /bootstrap/client`, signed `bootstrap-client` over `iat`. */
export async function bootstrapClient(target: BootstrapTarget): Promise<BootstrapOutcome> {
  const iat = target.clock.iat();
  return post(target, "/bootstrap/client", {
    sessionKey: target.keys.sessionKey,
    iat,
    sig: await signDomain(target.keys, "bootstrap-client", String(iat)),
  });
}

async function post(target: BootstrapTarget, path: string, body: Record<string, unknown>): Promise<BootstrapOutcome> {
  let url: URL;
  try {
    url = new URL(path, target.trellisUrl);
  } catch {
    return { kind: "unreachable", message: `not a URL: ${target.trellisUrl}` };
  }
  const sentAt = Date.now();
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(target.timeoutMs ?? DEFAULT_BOOTSTRAP_TIMEOUT_MS),
    });
  } catch (error) {
    return { kind: "unreachable", message: `${url.origin} unreachable (${messageOf(error)})` };
  }
  const receivedAt = Date.now();
  const parsed = v.safeParse(BootstrapReplySchema, await response.json().catch(() => undefined));
  if (!parsed.success) {
    return {
      kind: "unreachable",
      status: response.status,
      message: `HTTP ${response.status} without a bootstrap body`,
    };
  }
  const reply = parsed.output;
  // auth.md §3 "Clock offset": every serverNow refreshes the offset, so a retry after iat_out_of_range is corrected.
  if (reply.serverNow !== undefined) target.clock.observe(reply.serverNow, sentAt, receivedAt);
  if (response.ok && reply.status === "ready" && reply.connectInfo !== undefined) {
    return { kind: "ready", connectInfo: reply.connectInfo, binding: reply.binding };
  }
  if (response.ok && reply.status === "auth_required") return { kind: "auth_required" };
  if (reply.reason !== undefined) return { kind: "refused", status: response.status, reason: reply.reason };
  return { kind: "unreachable", status: response.status, message: `HTTP ${response.status} without a reason` };
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
