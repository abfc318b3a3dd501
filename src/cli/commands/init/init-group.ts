import { commandGroup } from "../../app/command.ts";

export default commandGroup("init", "Initialize Trellis principals (offline)", {
  admin: () => import("./admin.ts").then((m) => m.default),
});
