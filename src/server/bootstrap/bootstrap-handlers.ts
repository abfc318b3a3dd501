import * as v from "valibot";
import { natsConnectValue, verifyDomain, isFresh, type SentinelCredentials } from "../../runtime/index.ts";
import { checkServicePrincipal, checkUserPrincipal, sessionExpired, type Denial } from "../sessions/principal.ts";
import type { AuthStore } from "../store/auth-store.ts";
import { connectInfo, serviceBinding, type Transports } from "./connect-info.ts";

export type BootstrapDeps = {
  store: AuthStore;
  sentinel: SentinelCredentials;
  transports: Transports;
  sessionTtlSeconds: number;
  nowMs?: () => number;
};

/** An HTTP answer: status and JSON body. */
export type Reply = { status: number; body: Record<string, unknown> };

const base64urlish = v.pipe(v.string(), v.minLength(1));
const ClientRequest = v.object({
  sessionKey: base64urlish,
  iat: v.pipe(v.number(), v.safeInteger()),
  sig: base64urlish,
});
const ServiceRequest = v.object({
  sessionKey: base64urlish,
  contractId: v.string(),
  contractDigest: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]+$/)),
  contract: v.optional(v.unknown()),
  iat: v.pipe(v.number(), v.safeInteger()),
  sig: base64urlish,
});

const serverNowOf = (nowMs: number) => Math.floor(nowMs / 1000);

function refused(status: number, reason: string, nowMs: number): Reply {
  return { status, body: { reason, serverNow: serverNowOf(nowMs) } };
}

const STATUS_OF: Record<string, number> = { internal_error: 503, session_corrupted: 503 };
const denialReply = (denial: Denial, nowMs: number) => refused(STATUS_OF[denial.reason] ?? 403, denial.reason, nowMs);

/**
 * `POST /bootstrap/client` (auth.md §3): a signed `bootstrap-client` request
 * from a session key. A bound, valid session gets its connect info (sentinel,
 * transports); anything else `auth_required`. Both carry `serverNow`.
 */
export async function bootstrapClient(deps: BootstrapDeps, raw: unknown): Promise<Reply> {
  const nowMs = (deps.nowMs ?? Date.now)();
  const parsed = v.safeParse(ClientRequest, raw);
  if (!parsed.success) return refused(400, "invalid_request", nowMs);
  const { sessionKey, iat, sig } = parsed.output;
  if (!isFresh(iat, nowMs)) return refused(400, "iat_out_of_range", nowMs);
  if (!(await verifyDomain(sessionKey, "bootstrap-client", String(iat), sig))) {
    return refused(401, "invalid_signature", nowMs);
  }
  const authRequired = { status: 200, body: { status: "auth_required", serverNow: serverNowOf(nowMs) } };
  const session = await deps.store.sessions.get(sessionKey);
  if (session.isErr() || session.value === undefined) return authRequired;
  const record = session.value.value;
  if (record.type !== "user" || sessionExpired(record, nowMs, deps.sessionTtlSeconds)) return authRequired;
  const principal = await checkUserPrincipal(deps.store, record);
  if (principal.isErr()) return authRequired;
  return {
    status: 200,
    body: {
      status: "ready",
      serverNow: serverNowOf(nowMs),
      connectInfo: connectInfo({
        sessionKey,
        contractId: record.contractId,
        contractDigest: record.contractDigest,
        transports: deps.transports,
        sentinel: deps.sentinel,
        service: false,
      }),
    },
  };
}

/**
 * `POST /bootstrap/service` (auth.md §3): signed like a connect token
 * (`nats-connect` over `iat:contractDigest`). Runs the same service checks
 * as the callout, so a service learns why it would be refused
 * (`service_authority_miss` while its digest awaits approval) before it
 * connects, and gets its resource bindings.
 */
export async function bootstrapService(deps: BootstrapDeps, raw: unknown): Promise<Reply> {
  const nowMs = (deps.nowMs ?? Date.now)();
  const parsed = v.safeParse(ServiceRequest, raw);
  if (!parsed.success) return refused(400, "invalid_request", nowMs);
  const { sessionKey, contractId, contractDigest, iat, sig } = parsed.output;
  if (!isFresh(iat, nowMs)) return refused(400, "iat_out_of_range", nowMs);
  if (!(await verifyDomain(sessionKey, "nats-connect", natsConnectValue(iat, contractDigest), sig))) {
    return refused(401, "invalid_signature", nowMs);
  }
  const instance = await deps.store.instances.get(sessionKey);
  if (instance.isErr()) return refused(503, "internal_error", nowMs);
  if (instance.value === undefined) return refused(403, "unknown_service", nowMs);
  const principal = await checkServicePrincipal(deps.store, instance.value.value, contractDigest);
  if (principal.isErr()) return denialReply(principal.error, nowMs);
  const { approval } = principal.value;
  if (approval.contractId !== contractId) return refused(409, "contract_digest_mismatch", nowMs);
  return {
    status: 200,
    body: {
      status: "ready",
      serverNow: serverNowOf(nowMs),
      connectInfo: connectInfo({
        sessionKey,
        contractId,
        contractDigest,
        transports: deps.transports,
        sentinel: deps.sentinel,
        service: true,
      }),
      binding: serviceBinding(approval.bindings),
    },
  };
}
