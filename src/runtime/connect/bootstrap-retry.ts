import type { Logger } from "../observability/logger.ts";
import type { BootstrapOutcome } from "./bootstrap.ts";
import { connectError } from "./connect-errors.ts";
import type { TransportError } from "../../contracts/index.ts";

/**
 * Reasons that mean "not yet" rather than "no": the instance is not
 * provisioned yet, its digest awaits approval, or the control plane is
 * starting or reconciling (auth.md §8; runtime-wire.md §7.1 "retrying while
 * authority/reconciliation is pending"). Everything else is final.
 */
const PENDING_REASONS = new Set([
  "unknown_service",
  "service_authority_miss",
  "contract_changed",
  "approval_required",
  "auth_required",
  "internal_error",
  "session_corrupted",
  "rate_limited",
]);

export type RetryOptions = {
  /** How long to keep retrying while pending or unreachable (ms). */
  waitMs: number;
  logger: Logger;
  /** Injected in tests; `setTimeout` by default. */
  sleep?: (ms: number) => Promise<void>;
};

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5000;

/**
 * Runs bootstrap until it is ready, with exponential backoff (250 ms doubling
 * to 5 s) while the outcome is pending or unreachable, for at most
 * `waitMs`; `iat_out_of_range` is retried once at once (the reply's
 * `serverNow` has corrected the clock; auth.md §3 step 4), as is
 * `manifest_required` with the manifest. The final error carries the last
 * reason.
 */
export async function bootstrapUntilReady(
  attempt: (withManifest: boolean) => Promise<BootstrapOutcome>,
  options: RetryOptions,
): Promise<Extract<BootstrapOutcome, { kind: "ready" }> | TransportError> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = Date.now() + options.waitMs;
  let clockRetried = false;
  let withManifest = false;
  let delay = FIRST_DELAY_MS;
  for (let attempts = 1; ; attempts++) {
    const outcome = await attempt(withManifest);
    if (outcome.kind === "ready") return outcome;
    const reason = outcome.kind === "refused" ? outcome.reason : outcome.kind;
    if (reason === "iat_out_of_range" && !clockRetried) {
      clockRetried = true;
      continue;
    }
    if ((reason === "manifest_required" || reason === "invalid_manifest") && !withManifest) {
      withManifest = true;
      continue;
    }
    const pending = outcome.kind === "unreachable" || PENDING_REASONS.has(reason);
    const context = {
      reason,
      attempts,
      ...(outcome.kind === "refused" ? { status: outcome.status } : {}),
      ...(outcome.kind === "unreachable" ? { detail: outcome.message } : {}),
    };
    if (!pending) return connectError("refused", context);
    if (Date.now() + delay > deadline) {
      return connectError(outcome.kind === "unreachable" ? "unreachable" : "pending", {
        ...context,
        waitedMs: options.waitMs,
      });
    }
    options.logger.info({ reason, retryInMs: delay, attempts }, "bootstrap: not admitted yet, retrying");
    await sleep(delay);
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  }
}
