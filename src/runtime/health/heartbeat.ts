import { healthContract, type Result } from "../../contracts/index.ts";
import type { EventPublisher, PublishError } from "../events/event-publisher.ts";
import type { PublishedEvent } from "../events/event-types.ts";
import type { Logger } from "../observability/logger.ts";
import type { HealthRegistry } from "./health-checks.ts";

export const DEFAULT_HEARTBEAT_INTERVAL_MS = 30_000;

export type HeartbeatIdentity = {
  name: string;
  instanceId: string;
  contractId: string;
  contractDigest: string;
  version?: string | undefined;
};

/** Node.js and Bun both report `node` (the health schema's closed enum); the version tells them apart. */
function runtimeVersion(): string {
  const bun = process.versions.bun;
  return typeof bun === "string" ? `bun ${bun}` : `node ${process.versions.node}`;
}

/**
 * `Health.Heartbeat` on `events.v1.Health.Heartbeat` (runtime-wire.md §5):
 * at connect and every `publishIntervalMs`. A failed publish is logged;
 * the next beat tries again.
 */
export class Heartbeat {
  readonly #startedAt = new Date().toISOString();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly publisher: EventPublisher,
    private readonly health: HealthRegistry,
    private readonly identity: HeartbeatIdentity,
    private readonly publishIntervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): Promise<Result<PublishedEvent, PublishError>> {
    this.#timer ??= setInterval(() => void this.beat(), this.publishIntervalMs);
    // A heartbeat alone must not keep a process alive.
    this.#timer.unref?.();
    return this.beat();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async beat(): Promise<Result<PublishedEvent, PublishError>> {
    const surface = healthContract().API.owned.events["Health.Heartbeat"];
    const report = await this.health.run();
    const info = this.health.info;
    const sent = await this.publisher.publish(surface, {
      status: report.status,
      ...(report.summary === undefined ? {} : { summary: report.summary }),
      checks: report.checks,
      service: {
        name: this.identity.name,
        kind: "service",
        instanceId: this.identity.instanceId,
        contractId: this.identity.contractId,
        contractDigest: this.identity.contractDigest,
        startedAt: this.#startedAt,
        publishIntervalMs: this.publishIntervalMs,
        runtime: "node",
        runtimeVersion: runtimeVersion(),
        ...(this.identity.version === undefined ? {} : { version: this.identity.version }),
        ...(info === undefined ? {} : { info }),
      },
    });
    if (sent.isErr()) this.logger.warn({ event: surface.name, error: sent.error }, "heartbeat not published");
    return sent;
  }
}
