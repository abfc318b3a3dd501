import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { jetstream, jetstreamManager, AckPolicy, DeliverPolicy } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { existsSync } from "node:fs";
import { startCluster, startNats, type TestCluster, type TestNats } from "../support/nats.ts";

/** Publishes `count` messages to a fresh stream and reads them back through a durable consumer. */
async function publishAndConsume(nc: NatsConnection, replicas: number, count: number): Promise<string[]> {
  const jsm = await jetstreamManager(nc);
  const stream = `HARNESS_R${replicas}`;
  await jsm.streams.add({ name: stream, subjects: [`harness.r${replicas}.>`], num_replicas: replicas });
  const js = jetstream(nc);
  for (let i = 0; i < count; i++) {
    const ack = await js.publish(`harness.r${replicas}.item`, JSON.stringify({ i }));
    expect(ack.seq).toBe(i + 1);
  }
  await jsm.consumers.add(stream, {
    durable_name: "reader",
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    num_replicas: replicas,
  });
  const consumer = await js.consumers.get(stream, "reader");
  const received: string[] = [];
  const batch = await consumer.fetch({ max_messages: count, expires: 5000 });
  for await (const message of batch) {
    received.push(message.string());
    message.ack();
  }
  return received;
}

const expected = (count: number) => Array.from({ length: count }, (_, i) => JSON.stringify({ i }));

describe("single nats-server", () => {
  let nats: TestNats;
  let nc: NatsConnection;
  beforeAll(async () => {
    nats = await startNats();
    nc = await connect({ servers: nats.url });
  });
  afterAll(async () => {
    await nc?.close();
    await nats?.stop();
  });

  test("listens on loopback only", () => {
    expect(nats.url).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
  });

  test("JetStream publish and consume", async () => {
    expect(await publishAndConsume(nc, 1, 20)).toEqual(expected(20));
  });

  test("restart keeps file storage", async () => {
    await nc.close();
    await nats.server.restart();
    nc = await connect({ servers: nats.url });
    const info = await (await jetstreamManager(nc)).streams.info("HARNESS_R1");
    expect(info.state.messages).toBe(20);
  });

  test("stop removes the temporary directory", async () => {
    const other = await startNats({ jetstream: false });
    expect(existsSync(other.workDir)).toBe(true);
    await other.stop();
    expect(other.server.running).toBe(false);
    expect(existsSync(other.workDir)).toBe(false);
  });
});

describe("three-node JetStream cluster", () => {
  let cluster: TestCluster;
  let nc: NatsConnection;
  beforeAll(async () => {
    cluster = await startCluster();
    nc = await connect({ servers: cluster.urls });
  });
  afterAll(async () => {
    await nc?.close();
    await cluster?.stop();
  });

  test("nodes are routed into one cluster", async () => {
    const routez = await fetch(`http://127.0.0.1:${cluster.servers[0]!.config.monitorPort}/routez`);
    const body = (await routez.json()) as { num_routes: number };
    expect(body.num_routes).toBeGreaterThanOrEqual(2);
  });

  test("R3 stream publish and consume", async () => {
    expect(await publishAndConsume(nc, 3, 10)).toEqual(expected(10));
  });

  test("a replicated stream survives losing its leader", async () => {
    const jsm = await jetstreamManager(nc);
    const leader = (await jsm.streams.info("HARNESS_R3")).cluster?.leader;
    const victim = cluster.servers.find((server) => server.config.serverName === leader);
    expect(victim).toBeDefined();
    await victim!.kill();
    // The two survivors elect a new leader; publishes succeed again once they have.
    const js = jetstream(nc);
    let seq = 0;
    for (const deadline = Date.now() + 20_000; seq === 0 && Date.now() < deadline;) {
      seq = await js.publish("harness.r3.item", JSON.stringify({ i: 10 }), { timeout: 1000 }).then(
        (ack) => ack.seq,
        () => 0,
      );
    }
    expect(seq).toBe(11);
    const info = await jsm.streams.info("HARNESS_R3");
    expect(info.cluster?.leader).not.toBe(leader);
    expect(info.state.messages).toBe(11);
  }, 30_000);
});
