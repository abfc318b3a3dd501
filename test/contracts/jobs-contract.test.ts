import { describe, expect, test } from "bun:test";
import {
  builtinManifests,
  cliContract,
  JobNotFoundError,
  jobsContract,
  parseManifest,
} from "../../src/contracts/index.ts";

/** jobs.md §12: `trellis.jobs@v1` as a built-in contract. */
describe("trellis.jobs@v1", () => {
  const manifest = jobsContract().CONTRACT;

  test("is a built-in whose manifest validates", () => {
    expect(builtinManifests().map((m) => m.id)).toContain("trellis.jobs@v1");
    expect(parseManifest(JSON.parse(JSON.stringify(manifest))).isOk()).toBe(true);
  });

  test("reads need admin.read, mutations admin.mutate, the tail feed admin.stream", () => {
    const calls = Object.fromEntries(
      Object.entries(manifest.rpc ?? {}).map(([name, rpc]) => [name, rpc.capabilities?.call]),
    );
    const read = ["trellis.jobs::admin.read"];
    const mutate = ["trellis.jobs::admin.mutate"];
    expect(calls).toEqual({
      "Jobs.Health": read,
      "Jobs.ListServices": read,
      "Jobs.List": read,
      "Jobs.Get": read,
      "Jobs.Cancel": mutate,
      "Jobs.Retry": mutate,
      "Jobs.ListDLQ": read,
      "Jobs.ReplayDLQ": mutate,
      "Jobs.DismissDLQ": mutate,
    });
    expect(manifest.feeds?.["Jobs.Tail"]).toMatchObject({
      subject: "feeds.v1.Jobs.Tail",
      capabilities: { subscribe: ["trellis.jobs::admin.stream"] },
    });
    expect(Object.keys(manifest.capabilities ?? {}).sort()).toEqual([
      "trellis.jobs::admin.mutate",
      "trellis.jobs::admin.read",
      "trellis.jobs::admin.stream",
    ]);
  });

  test("declares NotFoundError with resource and jobId; id-addressed methods list it", () => {
    expect(manifest.errors?.NotFound?.type).toBe("NotFoundError");
    for (const name of ["Jobs.Get", "Jobs.Cancel", "Jobs.Retry", "Jobs.ReplayDLQ", "Jobs.DismissDLQ"]) {
      expect(manifest.rpc?.[name]?.errors?.map((e) => e.type)).toContain("NotFoundError");
    }
    const error = new JobNotFoundError({ resource: "Job", jobId: "01ABC" });
    expect(error.toJSON()).toMatchObject({
      type: "NotFoundError",
      resource: "Job",
      jobId: "01ABC",
      message: "job '01ABC' not found",
    });
  });

  test("trellis.cli@v1 uses every jobs RPC and the tail feed, optionally", () => {
    const uses = cliContract().CONTRACT.uses;
    expect(uses?.optional?.jobs?.contract).toBe("trellis.jobs@v1");
    expect(uses?.optional?.jobs?.rpc?.call?.length).toBe(9);
    expect(uses?.optional?.jobs?.feeds?.subscribe).toEqual(["Jobs.Tail"]);
  });
});
