import { commandGroup } from "../../app/command.ts";

export default commandGroup("infra", "Create or check the streams and KV buckets Trellis needs (direct NATS)", {
  apply: () => import("./apply.ts").then((m) => m.default),
  check: () => import("./check.ts").then((m) => m.default),
});
