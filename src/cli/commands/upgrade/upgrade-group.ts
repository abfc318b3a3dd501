import { commandGroup } from "../../app/command.ts";

export default commandGroup("upgrade", "Check for and install newer trellis releases (TRELLIS_RELEASES_URL)", {
  check: () => import("./check.ts").then((m) => m.default),
  install: () => import("./install.ts").then((m) => m.default),
});
