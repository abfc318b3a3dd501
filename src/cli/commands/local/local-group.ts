import { commandGroup } from "../../app/command.ts";

export default commandGroup("local", "A local Trellis stack on loopback", {
  init: () => import("./init.ts").then((m) => m.default),
});
