import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { TimeoutError, type NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import * as v from "valibot";
import { err, inboxPrefix, ok, type Result } from "../../contracts/index.ts";
import {
  calloutAuthenticator,
  parseCredsText,
  readSeedFile,
  RpcClient,
  ServerClock,
  signDomain,
  type SentinelCredentials,
  type SessionKeys,
} from "../../runtime/index.ts";
import type { CliFailure } from "../app/cli-failure.ts";
import { ExitCode } from "../app/exit-codes.ts";
import { configDir, SESSION_FILES } from "./config-dir.ts";

const ContextSchema = v.object({
  format: v.literal("trellis.cli-context.v1"),
  trellisUrl: v.optional(v.string()),
  natsServers: v.array(v.string()),
  sentinelCreds: v.optional(v.string()),
  contractId: v.string(),
  contractDigest: v.string(),
  userId: v.optional(v.string()),
});

export type CliSession = {
  dir: string;
  keys: SessionKeys;
  nc: NatsConnection;
  client: RpcClient;
  close(): Promise<void>;
};

const sessionFailure = (message: string, hint?: string): CliFailure => ({
  exit: ExitCode.transport,
  code: "session",
  type: "TransportError",
  message,
  ...(hint === undefined ? {} : { hint }),
});

const BootstrapReply = v.object({
  status: v.string(),
  serverNow: v.number(),
  connectInfo: v.optional(
    v.object({
      transports: v.object({ native: v.optional(v.object({ natsServers: v.array(v.string()) })) }),
      transport: v.object({ sentinel: v.object({ jwt: v.string(), seed: v.string() }) }),
    }),
  ),
});

type Route = { servers: string[]; sentinel: SentinelCredentials };

/**
 * How long a session waits for the control plane. A one-shot operator command
 * (`svc`, `sessions`) gives up on the connect after 2 s, nats-server's own
 * auth-callout timeout: past it the server has dropped the callout, no
 * answer can admit the session, and nats-server does not tell the client (it
 * would wait for its own timeout). It does not retry a connect that timed out
 * (only a refused one, auth.md §3). `trellis run` starts a long-running module
 * against `trellis dev` and keeps the patient defaults.
 */
export type SessionPatience = "one-shot" | "long-running";

const PATIENCE: Record<SessionPatience, { bootstrapMs: number; connectMs: number; retryTimedOut: boolean }> = {
  "one-shot": { bootstrapMs: 2000, connectMs: 2000, retryTimedOut: false },
  "long-running": { bootstrapMs: 5000, connectMs: 5000, retryTimedOut: true },
};

/** `POST /bootstrap/client` (auth.md §3): clock offset, and the sentinel and servers for a bound session. */
async function bootstrap(
  url: string,
  keys: SessionKeys,
  clock: ServerClock,
  timeoutMs: number,
): Promise<Result<Route | "auth_required", string>> {
  const iat = clock.iat();
  const body = JSON.stringify({
    sessionKey: keys.sessionKey,
    iat,
    sig: await signDomain(keys, "bootstrap-client", String(iat)),
  });
  const t0 = Date.now();
  let reply: Response;
  try {
    reply = await fetch(new URL("/bootstrap/client", url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return err(`bootstrap ${url} unreachable (${error instanceof Error ? error.message : String(error)})`);
  }
  const t1 = Date.now();
  const parsed = v.safeParse(BootstrapReply, await reply.json().catch(() => undefined));
  if (!parsed.success) return err(`bootstrap ${url} answered HTTP ${reply.status} without a usable body`);
  clock.observe(parsed.output.serverNow, t0, t1);
  if (parsed.output.status === "auth_required") return ok("auth_required");
  const info = parsed.output.connectInfo;
  if (parsed.output.status !== "ready" || info === undefined) {
    return err(`bootstrap refused (${(parsed.output as { reason?: string }).reason ?? reply.status})`);
  }
  return ok({ servers: info.transports.native?.natsServers ?? [], sentinel: info.transport.sentinel });
}

/**
 * A CLI session (tooling.md §3.1 "session" class): the stored seed and
 * context, bootstrap for the clock and sentinel (falling back to the
 * context's sentinel creds), then a NATS connection through the callout
 * with a fresh token and the session's inbox prefix. Every failure is exit 5.
 */
export async function openCliSession(
  options: { timeoutMs?: number; patience?: SessionPatience } = {},
): Promise<Result<CliSession, CliFailure>> {
  const patience = PATIENCE[options.patience ?? "one-shot"];
  const dir = configDir();
  const seedPath = join(dir, SESSION_FILES.seed);
  const contextPath = join(dir, SESSION_FILES.context);
  if (!existsSync(seedPath) || !existsSync(contextPath)) {
    return err(
      sessionFailure(
        `no Trellis session in ${dir}`,
        "set TRELLIS_CONFIG_DIR to a session directory (trellis init admin --out <dir>)",
      ),
    );
  }
  const keys = await readSeedFile(seedPath);
  if (keys.isErr()) return err(sessionFailure(`${seedPath}: ${keys.error.issues[0]?.message ?? keys.error.message}`));
  let context: v.InferOutput<typeof ContextSchema>;
  try {
    const parsed = v.safeParse(ContextSchema, JSON.parse(readFileSync(contextPath, "utf8")));
    if (!parsed.success) return err(sessionFailure(`${contextPath}: ${v.summarize(parsed.issues)}`));
    context = parsed.output;
  } catch (error) {
    return err(sessionFailure(`${contextPath}: ${error instanceof Error ? error.message : String(error)}`));
  }
  const clock = new ServerClock();
  const local = localRoute(dir, context);

  /** A failed attempt, and whether a second one (with a fresh bootstrap) can help. */
  type Failed = { failure: CliFailure; retry: boolean };
  const attempt = async (): Promise<Result<NatsConnection, Failed>> => {
    const fail = (failure: CliFailure, retry = false) => err<Failed>({ failure, retry });
    let route: Route | undefined;
    let unreachable: string | undefined;
    if (context.trellisUrl !== undefined) {
      const booted = await bootstrap(context.trellisUrl, keys.value, clock, patience.bootstrapMs);
      if (booted.isOk() && booted.value === "auth_required") {
        return fail(
          sessionFailure("this session is not approved (auth_required)", "ask an operator: trellis sessions approve"),
        );
      }
      if (booted.isOk() && booted.value !== "auth_required") route = booted.value;
      else if (local === undefined) return fail(sessionFailure(booted.isErr() ? booted.error : "bootstrap failed"));
      else if (booted.isErr()) unreachable = booted.error;
    }
    route ??= local;
    if (route === undefined) return fail(sessionFailure(`${contextPath} names neither trellisUrl nor sentinelCreds`));
    try {
      const nc = await connect({
        servers: route.servers.length > 0 ? route.servers : context.natsServers,
        authenticator: calloutAuthenticator({
          sentinel: route.sentinel,
          keys: keys.value,
          contractDigest: context.contractDigest,
          clock,
        }),
        inboxPrefix: inboxPrefix(keys.value.sessionKey),
        name: "trellis cli",
        maxReconnectAttempts: 0,
        timeout: patience.connectMs,
      });
      return ok(nc);
    } catch (error) {
      const who = `${keys.value.sessionKey.slice(0, 16)}…`;
      if (error instanceof TimeoutError) {
        const also = unreachable === undefined ? "" : `; ${unreachable}`;
        return fail(
          sessionFailure(
            `cannot connect as ${who}: no answer within ${patience.connectMs} ms, the auth callout did not admit the session${also}`,
            "is a control plane running (trellis server, or trellis dev)? nats-server waits 2 s for the callout",
          ),
          patience.retryTimedOut && context.trellisUrl !== undefined,
        );
      }
      const message = error instanceof Error ? error.message : String(error);
      // auth.md §3 step 4: a refused connect may be clock skew, which a fresh bootstrap corrects.
      return fail(
        sessionFailure(
          `cannot connect as ${who}: ${message}`,
          /authorization/i.test(message)
            ? "the control plane logs the reason (and `trellis svc <id> show` for services); is this session still approved?"
            : undefined,
        ),
        context.trellisUrl !== undefined,
      );
    }
  };

  // auth.md §3 step 4: after a rejected connect, refresh serverNow and retry once.
  let connected = await attempt();
  if (connected.isErr() && connected.error.retry) connected = await attempt();
  if (connected.isErr()) return err(connected.error.failure);
  const nc = connected.value;
  return ok({
    dir,
    keys: keys.value,
    nc,
    client: new RpcClient(nc, { keys: keys.value, clock, timeoutMs: options.timeoutMs ?? rpcTimeoutMs() }),
    close: async () => {
      await nc.close();
    },
  });
}

function localRoute(dir: string, context: v.InferOutput<typeof ContextSchema>): Route | undefined {
  if (context.sentinelCreds === undefined) return undefined;
  const path = isAbsolute(context.sentinelCreds) ? context.sentinelCreds : join(dir, context.sentinelCreds);
  try {
    const creds = parseCredsText(readFileSync(path, "utf8"));
    return creds.isOk() ? { servers: context.natsServers, sentinel: creds.value } : undefined;
  } catch {
    return undefined;
  }
}

/** `--timeout` (global-flags.ts) or `TRELLIS_RPC_TIMEOUT_MS`, else tooling.md §3's 10 s. */
function rpcTimeoutMs(): number {
  const configured = Number(process.env.TRELLIS_RPC_TIMEOUT_MS);
  return Number.isSafeInteger(configured) && configured > 0 ? configured : 10_000;
}
