import type { ArgsDef } from "citty";
import { Kvm, type KV } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/nats-core";
import { err, ok, type Result } from "../../../contracts/index.ts";
import { operationBucketName } from "../../../runtime/index.ts";
import { connectWithCreds, loadServerConfig } from "../../../server/index.ts";
import { usageFailure, type CliFailure } from "../../app/cli-failure.ts";
import { ExitCode } from "../../app/exit-codes.ts";

export const OPS_ARGS = {
  service: { type: "string", description: "The service's namespace (its deployment id)", required: true },
  creds: { type: "string", description: "Creds of a TRELLIS account user (default: the config's trellis creds)" },
  servers: { type: "string", description: "NATS servers (comma-separated)" },
  config: { type: "string", description: "Control-plane config for servers and creds; default TRELLIS_CONFIG" },
  json: { type: "boolean", description: "Print JSON" },
} as const satisfies ArgsDef;

export type OpsArgs = { service: string; creds?: string; servers?: string; config?: string; json?: boolean };

const NAMESPACE = /^[A-Za-z0-9_-]+$/;

/** An open operation-state bucket of one service, and the connection to close after. */
export type OpsBucket = { nc: NatsConnection; kv: KV; bucket: string; close(): Promise<void> };

/**
 * Connects with plain creds and binds `trellis_operations_<service>` without
 * creating it (operations.md §4). Reading it grants nothing more: cancels
 * and signals need ownership through the service.
 */
export async function openOpsBucket(args: OpsArgs): Promise<Result<OpsBucket, CliFailure>> {
  if (!NAMESPACE.test(args.service)) {
    return err(usageFailure(`--service must match ^[A-Za-z0-9_-]+$, got '${args.service}'`));
  }
  let servers = args.servers
    ?.split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  let creds = args.creds;
  const configPath = args.config ?? process.env.TRELLIS_CONFIG;
  if (configPath !== undefined && (servers === undefined || creds === undefined)) {
    const loaded = loadServerConfig(configPath);
    if (loaded.isErr()) return err(usageFailure(loaded.error.message));
    servers ??= loaded.value.nats.servers;
    creds ??= loaded.value.nats.trellisCreds;
  }
  if (creds === undefined)
    return err(usageFailure("needs --creds <file> (or --config)", "a local bundle has trellis/config.json"));
  const bucket = operationBucketName(args.service);
  let nc: NatsConnection;
  try {
    nc = await connectWithCreds({
      servers: servers ?? ["localhost"],
      credsPath: creds,
      name: "trellis ops",
      reconnect: false,
    });
  } catch (error) {
    return err({
      exit: ExitCode.transport,
      code: "connect",
      message: `cannot connect: ${String(error instanceof Error ? error.message : error)}`,
    });
  }
  try {
    // `open` binds an existing bucket; its status tells a missing one apart.
    const kv = await new Kvm(nc).open(bucket);
    await kv.status();
    return ok({ nc, kv, bucket, close: () => nc.close() });
  } catch (error) {
    await nc.close();
    const message = error instanceof Error ? error.message : String(error);
    return err(
      /not found/i.test(message)
        ? {
            exit: ExitCode.notFound,
            code: "not_found",
            message: `${bucket}: no such bucket (does '${args.service}' declare operations, and is it approved?)`,
          }
        : { exit: ExitCode.transport, code: "unavailable", message: `${bucket}: ${message}` },
    );
  }
}
