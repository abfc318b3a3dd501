import * as v from "valibot";

/** `payload.header` of every event (runtime-wire.md §3): set by the publishing runtime. */
export const EventHeaderSchema = v.object({ id: v.string(), time: v.string() });

/** The principal behind a request, as Validate reports it (auth.md §4). */
export const CallerSchema = v.variant("type", [
  v.object({
    type: v.literal("user"),
    capabilities: v.array(v.string()),
    active: v.boolean(),
    participantKind: v.picklist(["app", "agent"]),
    userId: v.string(),
    email: v.string(),
    name: v.string(),
    image: v.optional(v.string()),
    identity: v.object({ identityId: v.string(), provider: v.string(), subject: v.string() }),
  }),
  v.object({
    type: v.literal("service"),
    capabilities: v.array(v.string()),
    active: v.boolean(),
    id: v.string(),
    name: v.string(),
  }),
  v.object({
    type: v.literal("device"),
    capabilities: v.array(v.string()),
    active: v.boolean(),
    deviceId: v.string(),
    deviceType: v.string(),
    runtimePublicKey: v.string(),
    deploymentId: v.string(),
  }),
]);

export const EmptySchema = v.object({});
