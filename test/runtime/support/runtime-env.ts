import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/nats-core";
import { jetstreamManager } from "@nats-io/jetstream";
import { inboxPrefix, jobStreamConfigs } from "../../../src/contracts/index.ts";
import { SessionKeys } from "../../../src/runtime/index.ts";
import { startNats, type TestNats } from "../../support/nats.ts";
import { CapabilityTable, testAuthenticator } from "./test-auth.ts";

export type Principal = { keys: SessionKeys; nc: NatsConnection };

/**
 * One nats-server plus what the control plane would provide: the `trellis`
 * event stream (created from the test, never by the runtime), and sessions
 * in a capability table checked by a real in-process authenticator.
 */
export class RuntimeEnv {
  readonly table = new CapabilityTable();
  readonly authenticator = testAuthenticator(this.table);
  readonly #connections: NatsConnection[] = [];

  private constructor(readonly nats: TestNats) {}

  /** `jobs`: also the three jobs streams of jobs.md §4 (what `infra apply` creates). */
  static async start(options: { stream?: boolean; jobs?: boolean } = {}): Promise<RuntimeEnv> {
    const env = new RuntimeEnv(await startNats());
    if (options.stream ?? true) {
      const nc = await env.connectRaw();
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: "trellis", subjects: ["events.>"], duplicate_window: 120_000_000_000 });
    }
    if (options.jobs === true) {
      const jsm = await jetstreamManager(await env.connectRaw());
      for (const config of jobStreamConfigs(1)) await jsm.streams.add(config as never);
    }
    return env;
  }

  /** A connection as the runtime expects it: reply inboxes under the session's prefix. */
  async connect(keys: SessionKeys, options: { maxReconnectAttempts?: number } = {}): Promise<NatsConnection> {
    const nc = await connect({ servers: this.nats.url, inboxPrefix: inboxPrefix(keys.sessionKey), ...options });
    this.#connections.push(nc);
    return nc;
  }

  async connectRaw(): Promise<NatsConnection> {
    const nc = await connect({ servers: this.nats.url });
    this.#connections.push(nc);
    return nc;
  }

  /** A new session: keys, a table entry with `capabilities`, and a connection. */
  async principal(name: string, capabilities: string[]): Promise<Principal> {
    const keys = await SessionKeys.generate();
    this.table.addService(keys.sessionKey, name, capabilities);
    return { keys, nc: await this.connect(keys) };
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.#connections.map((nc) => nc.close()));
    await this.nats.stop();
  }
}
