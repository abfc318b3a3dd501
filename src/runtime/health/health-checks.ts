import type * as v from "valibot";
import type { HealthCheckSchema, HealthReportSchema, TrellisError } from "../../contracts/index.ts";
import { settleHandler, type HandlerResult } from "../rpc/handler-result.ts";

export type HealthCheckResult = v.InferOutput<typeof HealthCheckSchema>;
export type HealthReport = v.InferOutput<typeof HealthReportSchema>;
export type HealthStatus = HealthReport["status"];

/** What a passing check may report; an Err (or a throw) fails it with the error's message. */
export type HealthCheckDetails = { summary?: string; info?: Record<string, unknown> };
export type HealthCheck = () => HandlerResult<HealthCheckDetails | void>;

export type HealthIdentity = { service: string; contractId: string; contractDigest: string };

/**
 * A service's health checks and extra heartbeat info (runtime-wire.md §5):
 * `add(name, check)` and `setInfo(info)`. The runtime adds the `nats` check.
 */
export class HealthRegistry {
  readonly #checks = new Map<string, HealthCheck>();
  #info: Record<string, unknown> | undefined;

  constructor(private readonly identity: HealthIdentity) {}

  add(name: string, check: HealthCheck): void {
    this.#checks.set(name, check);
  }

  setInfo(info: Record<string, unknown> | undefined): void {
    this.#info = info === undefined ? undefined : { ...info };
  }

  get info(): Record<string, unknown> | undefined {
    return this.#info;
  }

  /** Runs every check concurrently: all ok (or none) → healthy, some failed → degraded, all failed → unhealthy. */
  async run(): Promise<{ status: HealthStatus; checks: HealthCheckResult[]; summary: string | undefined }> {
    const checks = await Promise.all([...this.#checks].map(([name, check]) => this.#runOne(name, check)));
    const failed = checks.filter((check) => check.status === "failed").length;
    const status: HealthStatus = failed === 0 ? "healthy" : failed === checks.length ? "unhealthy" : "degraded";
    return { status, checks, summary: failed === 0 ? undefined : `${failed} check(s) failing` };
  }

  async #runOne(name: string, check: HealthCheck): Promise<HealthCheckResult> {
    const started = performance.now();
    const outcome = await settleHandler(check);
    const latencyMs = Math.round((performance.now() - started) * 1000) / 1000;
    if (outcome.isOk()) {
      const details = outcome.value ?? {};
      return { name, status: "ok", latencyMs, ...details };
    }
    return { name, status: "failed", error: messageOf(outcome.error), latencyMs, info: { ...this.identity } };
  }
}

/** A thrown value's own message, rather than the generic UnexpectedError text. */
function messageOf(error: TrellisError): string {
  const cause = error.context?.causeMessage;
  return error.type === "UnexpectedError" && typeof cause === "string" ? cause : error.message;
}
