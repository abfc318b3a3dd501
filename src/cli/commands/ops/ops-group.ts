import { commandGroup } from "../../app/command.ts";

/** `trellis ops ...` (tooling.md §3.4): a service's operations, read-only, over direct NATS. */
export default commandGroup("ops", "Operations of one service: list, show, tail (direct NATS, read-only)", {
  list: () => import("./list.ts").then((m) => m.default),
  show: () => import("./show.ts").then((m) => m.default),
  tail: () => import("./tail.ts").then((m) => m.default),
});
