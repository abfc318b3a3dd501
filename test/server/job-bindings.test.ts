import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as v from "valibot";
import { authContract, defineServiceContract, ValidationError } from "../../src/contracts/index.ts";
import { startLocalStack, type LocalStack } from "../support/local-stack.ts";
import { approveService } from "./admin-helpers.ts";

/** A service contract whose only surface is one job queue named `queue`. */
const withQueue = (id: string, queue: string) =>
  defineServiceContract({ schemas: { P: v.object({}) } }, (ref) => ({
    id,
    displayName: "Jobs",
    description: "Owns a job queue.",
    jobs: { [queue]: { payload: ref.schema("P") } },
  })).CONTRACT;

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack();
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

const apply = async (deploymentId: string, manifest: ReturnType<typeof withQueue>) => {
  const rpc = authContract().API.owned.rpc;
  (await stack.admin.client.call(rpc["Auth.Admin.Deployments.Create"], { deploymentId })).orThrow();
  return stack.admin.client.call(rpc["Auth.Admin.Approvals.Apply"], { deploymentId, contract: manifest as never });
};

describe("job queue bindings at approval (jobs.md §2)", () => {
  test("the namespace is the deployment id; consumer names that would collide are refused, naming the holder", async () => {
    const first = await approveService(stack, "a-b", withQueue("test.jobs-one@v1", "c"));
    const binding = first.approval.bindings.find((b) => b.kind === "job");
    expect(binding).toMatchObject({ name: "c", resource: "a-b-c", binding: { service: "a-b", consumerName: "a-b-c" } });
    // Approving the same deployment again keeps its name.
    expect((await approveService(stack, "a-b", withQueue("test.jobs-one@v1", "c"))).applied).toBe(true);
    const second = await apply("a", withQueue("test.jobs-two@v1", "b-c"));
    expect(second.isErr()).toBe(true);
    const error = second.isErr() ? second.error : undefined;
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]).toMatchObject({ path: "/jobs/b-c" });
    expect((error as ValidationError).issues[0]!.message).toContain("a-b queue c");
  });

  test("a deployment named workers cannot own job queues (the heartbeat namespace)", async () => {
    const refused = await apply("workers", withQueue("test.jobs-three@v1", "q"));
    expect(refused.isErr() && refused.error instanceof ValidationError && refused.error.issues[0]?.path).toBe("/jobs");
  });
});
