import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { NatsConnection } from "@nats-io/nats-core";
import { startLocalStack, type LocalStack } from "../support/local-stack.ts";
import { PermissionProbe } from "../support/permission-probe.ts";
import { approveService, provisionInstance } from "./admin-helpers.ts";
import { courier, courierApp } from "../e2e/fixtures/operation-contracts.ts";
import { approvedSession } from "../e2e/support/sessions.ts";

/**
 * Operation grants are exact (operations.md §4, §6; auth.md §5): the owning
 * service reaches its own `trellis_operations_<deployment>` bucket and no
 * other, and no stream management on it; a caller gets the start and
 * control subjects and nothing of the bucket, so operation state changes
 * only through the service.
 */
let stack: LocalStack;
let service: { nc: NatsConnection; probe: PermissionProbe };
let caller: { nc: NatsConnection; probe: PermissionProbe };

const connect = async (keys: Parameters<LocalStack["connectAs"]>[0], digest: string) => {
  const connected = await stack.connectAs(keys, digest);
  if ("error" in connected) throw new Error(connected.error);
  return { nc: connected.nc, probe: new PermissionProbe(connected.nc) };
};

beforeAll(async () => {
  stack = await startLocalStack();
  await approveService(stack, "courier", courier.CONTRACT);
  service = await connect(await provisionInstance(stack, "courier"), courier.CONTRACT_DIGEST);
  const caps = [...(courier.API.owned.operations["Courier.Deliver"].capabilities.call ?? [])];
  caller = await connect(await approvedSession(stack, courierApp.CONTRACT, caps), courierApp.CONTRACT_DIGEST);
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([service?.nc.close(), caller?.nc.close()]);
  await stack?.stop();
});

const bucket = "trellis_operations_courier";
const stream = `KV_${bucket}`;

describe("operation grants", () => {
  test("the service may write its bucket, direct-get it and run ordered consumers on it", async () => {
    for (const subject of [
      `$KV.${bucket}.rec.01J`,
      `$KV.${bucket}.evt.01J.1`,
      `$JS.API.DIRECT.GET.${stream}.$KV.${bucket}.rec.01J`,
      `$JS.API.CONSUMER.CREATE.${stream}.c.$KV.${bucket}.evt.01J.>`,
    ]) {
      expect({ subject, allowed: await service.probe.canPublish(subject) }).toEqual({ subject, allowed: true });
    }
    for (const subject of ["operations.v1.Courier.Deliver", "operations.v1.Courier.Deliver.control"]) {
      expect({ subject, allowed: await service.probe.canSubscribe(subject) }).toEqual({ subject, allowed: true });
    }
  });

  test("near misses of the service are refused: other buckets, stream management, reading by other APIs", async () => {
    for (const subject of [
      "$KV.trellis_operations_rival.rec.01J",
      "$KV.trellis_operations_other.evt.01J.1",
      `$JS.API.STREAM.INFO.${stream}`,
      `$JS.API.STREAM.PURGE.${stream}`,
      `$JS.API.STREAM.DELETE.${stream}`,
      `$JS.API.STREAM.MSG.GET.${stream}`,
      `$JS.API.STREAM.MSG.DELETE.${stream}`,
      "$JS.API.DIRECT.GET.KV_trellis_operations_rival",
      "$JS.API.CONSUMER.CREATE.KV_trellis_operations_rival.c",
      `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.d`,
    ]) {
      expect({ subject, allowed: await service.probe.canPublish(subject) }).toEqual({ subject, allowed: false });
    }
    for (const subject of ["$KV.trellis_operations_rival.>", `$KV.${bucket}.>`, "operations.v1.>"]) {
      expect({ subject, allowed: await service.probe.canSubscribe(subject) }).toEqual({ subject, allowed: false });
    }
  });

  test("a caller may start and control, and touch nothing of the bucket", async () => {
    for (const subject of ["operations.v1.Courier.Deliver", "operations.v1.Courier.Deliver.control"]) {
      expect({ subject, allowed: await caller.probe.canPublish(subject) }).toEqual({ subject, allowed: true });
    }
    for (const subject of [
      `$KV.${bucket}.rec.01J`,
      `$JS.API.DIRECT.GET.${stream}.$KV.${bucket}.rec.01J`,
      `$JS.API.CONSUMER.CREATE.${stream}.c.$KV.${bucket}.evt.01J.>`,
      `$JS.API.STREAM.INFO.${stream}`,
    ]) {
      expect({ subject, allowed: await caller.probe.canPublish(subject) }).toEqual({ subject, allowed: false });
    }
    for (const subject of ["operations.v1.Courier.Deliver", `$KV.${bucket}.>`]) {
      expect({ subject, allowed: await caller.probe.canSubscribe(subject) }).toEqual({ subject, allowed: false });
    }
  });
});
