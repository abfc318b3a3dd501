import { commandGroup } from "../../app/command.ts";

export default commandGroup("contracts", "Validate, digest and inspect contracts", {
  list: () => import("../generate/contracts-list.ts").then((m) => m.default),
  verify: () => import("./verify.ts").then((m) => m.default),
  digest: () => import("./digest.ts").then((m) => m.default),
  show: () => import("./show.ts").then((m) => m.default),
  diff: () => import("./diff.ts").then((m) => m.default),
  docs: () => import("./docs.ts").then((m) => m.default),
});
