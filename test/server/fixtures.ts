import * as v from "valibot";
import { defineAppContract, defineServiceContract } from "../../src/contracts/index.ts";

const Text = v.object({ text: v.string() });

/** A service other contracts use: one RPC is used, its sibling is not; one event is used, another is not. */
export const otherContract = defineServiceContract({ schemas: { Text } }, (ref) => ({
  id: "test.other@v1",
  displayName: "Other",
  description: "The service the echo service depends on.",
  rpc: {
    "Other.Used": { version: "v1", input: ref.schema("Text"), output: ref.schema("Text"), capabilities: { call: [] } },
    "Other.Sibling": {
      version: "v1",
      input: ref.schema("Text"),
      output: ref.schema("Text"),
      capabilities: { call: [] },
    },
  },
  events: {
    "Other.Happened": { version: "v1", event: ref.schema("Text") },
    "Other.Private": { version: "v1", event: ref.schema("Text") },
  },
}));

/**
 * Echo: rpc, events with a parameter, an event consumer group, a kv
 * resource, a job queue, and uses of Other. `revision: 2` adds an RPC (another digest of
 * the same contract).
 */
export function echoContract(options: { revision?: 1 | 2 } = {}) {
  const extra = options.revision === 2 ? { "Echo.Extra": { version: "v1" as const, capabilities: { call: [] } } } : {};
  return defineServiceContract({ schemas: { Text } }, (ref) => ({
    id: "test.echo@v1",
    displayName: "Echo",
    description: "Echoes text.",
    capabilities: { secret: { displayName: "Secret", description: "Call Echo.Secret." } },
    rpc: {
      "Echo.Ping": { version: "v1", input: ref.schema("Text"), output: ref.schema("Text"), capabilities: { call: [] } },
      "Echo.Secret": {
        version: "v1",
        input: ref.schema("Text"),
        output: ref.schema("Text"),
        capabilities: { call: ["secret"] },
        errors: [ref.error("AuthError"), ref.error("UnexpectedError")],
      },
      ...Object.fromEntries(
        Object.entries(extra).map(([name, d]) => [
          name,
          { ...d, input: ref.schema("Text"), output: ref.schema("Text") },
        ]),
      ),
    },
    events: { "Echo.Pinged": { version: "v1", params: ["/text"], event: ref.schema("Text") } },
    eventConsumers: {
      audit: { self: ["Echo.Pinged"], uses: { other: ["Other.Happened"] } },
    },
    resources: { kv: { notes: { purpose: "Notes kept by echo.", schema: ref.schema("Text") } } },
    jobs: { reindex: { payload: ref.schema("Text"), maxDeliver: 3, concurrency: 2 } },
    uses: {
      required: {
        other: otherContract.use({ rpc: { call: ["Other.Used"] }, events: { subscribe: ["Other.Happened"] } }),
      },
    },
  }));
}

/** An app that calls Echo. */
export const echoApp = defineAppContract(() => ({
  id: "test.echo-app@v1",
  displayName: "Echo app",
  description: "Calls echo.",
  uses: {
    required: { echo: echoContract().use({ rpc: { call: ["Echo.Ping", "Echo.Secret"] } }) },
  },
}));
