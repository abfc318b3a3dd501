import { jetstreamManager } from "@nats-io/jetstream";
import { Kvm, type KV } from "@nats-io/kv";
import { jetstream } from "@nats-io/jetstream";
import {
  createLogger,
  operationStateBinding,
  TrellisService,
  type OperationOptions,
} from "../../../src/runtime/index.ts";
import { shipping } from "../fixtures/operation-contracts.ts";
import { RuntimeEnv, type Principal } from "../support/runtime-env.ts";

export const quiet = createLogger({ level: "silent" });
export type ShippingService = TrellisService<typeof shipping>;
export const SHIP_CAPS = [...(shipping.API.owned.operations["Parcels.Ship"].capabilities.call ?? [])];

/**
 * One nats-server with the operation-state bucket the control plane would
 * create for namespace `svc` (§4: history 1, no TTL, direct gets), services
 * of `acme.shipping@v1` bound to it, and callers (services of another
 * contract in the capability table, each its own principal).
 */
export class OperationEnv {
  readonly binding = operationStateBinding("svc");
  readonly services: ShippingService[] = [];

  private constructor(
    readonly env: RuntimeEnv,
    readonly kv: KV,
  ) {}

  static async start(): Promise<OperationEnv> {
    const env = await RuntimeEnv.start({ stream: false });
    const raw = await env.connectRaw();
    await jetstreamManager(raw);
    const kv = await new Kvm(jetstream(raw)).create("trellis_operations_svc", { history: 1, allow_direct: true });
    return new OperationEnv(env, kv);
  }

  async service(options: { operations?: OperationOptions; bound?: boolean } = {}): Promise<ShippingService> {
    const principal = await this.env.principal("shipping", ["service"]);
    const service = (
      await TrellisService.fromConnection({
        nc: principal.nc,
        contract: shipping,
        name: "shipping",
        keys: principal.keys,
        authenticator: this.env.authenticator,
        logger: quiet,
        bindings: options.bound === false ? {} : { operations: this.binding },
        health: { heartbeat: false },
        operations: { shutdownGraceMs: 500, ...options.operations },
      })
    ).orThrow();
    this.services.push(service);
    return service;
  }

  /** A caller: a session of its own principal `name` (another name is another principal). */
  async caller(
    name: string,
    capabilities: string[] = SHIP_CAPS,
    silenceMs?: number,
  ): Promise<{ principal: Principal; client: ShippingService["client"] }> {
    const principal = await this.env.principal(name, capabilities);
    const service = (
      await TrellisService.fromConnection({
        nc: principal.nc,
        contract: shipping,
        name,
        keys: principal.keys,
        authenticator: this.env.authenticator,
        logger: quiet,
        health: { heartbeat: false },
        ...(silenceMs === undefined ? {} : { operations: { silenceMs } }),
      })
    ).orThrow();
    this.services.push(service);
    return { principal, client: service.client };
  }

  /** Keys of the bucket under a prefix (`evt.<id>.`, `sig.<id>.`). */
  async keys(prefix: string): Promise<string[]> {
    const out: string[] = [];
    for await (const key of await this.kv.keys(`${prefix}>`)) out.push(key);
    return out.sort();
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.services.map((service) => service.stop()));
    await this.env.stop();
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `Promise.withResolvers`, which Node.js 20 does not have. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
