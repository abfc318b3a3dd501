import { commandGroup } from "../../app/command.ts";

export default commandGroup("conformance", "Check this build against the shared test vectors", {
  run: () => import("./run.ts").then((m) => m.default),
});
