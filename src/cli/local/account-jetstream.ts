import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { credsAuthenticator, type NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import type { NatsServerProcess } from "./nats-process.ts";

/** An operator-mode account whose JWT enables JetStream, and creds of one of its users. */
export type JetStreamAccount = { id: string; credsPath: string };

type ApiInfoReply = { error?: { code?: number; err_code?: number; description?: string } };
type Jsz = { account_details?: { id?: string }[] };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

/**
 * In operator mode a node loads an account, and enables its JetStream, on
 * first use, and /healthz says nothing about accounts. On nats-server 2.10.27
 * the first JetStream API request of an account, when other accounts are
 * being loaded at the same time, can reach a meta leader (which answers API
 * calls in a cluster) that has registered the account without its JetStream:
 * it answers "JetStream not enabled for account" (10039), /jsz on the leader
 * does not list the account, and only the next request through it enables it.
 *
 * So this asks `$JS.API.INFO` for every account through every node, one at a
 * time, until it succeeds and that node's /jsz lists the account as
 * JetStream-enabled: afterwards the leader and every replica node have it.
 */
export async function waitForAccountJetStream(
  servers: NatsServerProcess[],
  accounts: JetStreamAccount[],
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending: Probe[] = servers.flatMap((server) => accounts.map((account) => ({ server, account })));
  const all = [...pending];
  let lastReason = "";
  try {
    for (;;) {
      const notReady: Probe[] = [];
      for (const probe of pending) {
        const reason = await notReadyReason(probe);
        if (reason === undefined) continue;
        notReady.push(probe);
        lastReason = `${probe.server.config.serverName}, account ${probe.account.id}: ${reason}`;
      }
      pending = notReady;
      if (pending.length === 0) return;
      if (Date.now() >= deadline) {
        throw new Error(`JetStream not enabled for every account on every node within ${timeoutMs} ms (${lastReason})`);
      }
      await sleep(50); // poll interval of a condition check, not a wait in place of one
    }
  } finally {
    await Promise.allSettled(all.map((probe) => probe.nc?.close()));
  }
}

type Probe = { server: NatsServerProcess; account: JetStreamAccount; nc?: NatsConnection };

/** Undefined when ready, otherwise why not (the last one ends up in the timeout message). */
async function notReadyReason(probe: Probe): Promise<string | undefined> {
  const { server, account } = probe;
  if (probe.nc === undefined || probe.nc.isClosed()) {
    try {
      probe.nc = await connect({
        servers: server.url,
        authenticator: credsAuthenticator(new Uint8Array(readFileSync(account.credsPath))),
        maxReconnectAttempts: 0,
        timeout: 2000,
      });
    } catch (error) {
      return `connect: ${messageOf(error)}`;
    }
  }
  try {
    const reply: unknown = (await probe.nc.request("$JS.API.INFO", "", { timeout: 2000 })).json();
    const error = isObject(reply) ? (reply as ApiInfoReply).error : undefined;
    if (error !== undefined) return `$JS.API.INFO: ${error.description ?? "error"} (${error.err_code ?? error.code})`;
  } catch (error) {
    return `$JS.API.INFO: ${messageOf(error)}`;
  }
  const jsz = await fetch(`http://127.0.0.1:${server.config.monitorPort}/jsz?accounts=true`, {
    signal: AbortSignal.timeout(1000),
  })
    .then((response) => response.json() as Promise<Jsz>)
    .catch(() => undefined);
  if (jsz === undefined) return "/jsz did not answer";
  if (!(jsz.account_details ?? []).some((details) => details.id === account.id)) return "not in /jsz account_details";
  return undefined;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
