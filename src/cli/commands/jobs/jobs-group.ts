import { commandGroup } from "../../app/command.ts";

/** `trellis jobs ...` (tooling.md §3.3): the operator's view over `trellis.jobs@v1` (session). */
export default commandGroup(
  "jobs",
  "Jobs of every service: list, get, tail, cancel, retry, dlq, services, health (session)",
  {
    list: () => import("./list.ts").then((m) => m.default),
    get: () => import("./get.ts").then((m) => m.default),
    show: () => import("./get.ts").then((m) => m.default),
    tail: () => import("./tail.ts").then((m) => m.default),
    cancel: () => import("./mutate.ts").then((m) => m.cancelCommand),
    retry: () => import("./mutate.ts").then((m) => m.retryCommand),
    dlq: () => import("./dlq-group.ts").then((m) => m.default),
    services: () => import("./services.ts").then((m) => m.default),
    health: () => import("./health.ts").then((m) => m.default),
  },
);
