import { commandGroup } from "../../app/command.ts";

export default commandGroup("sessions", "Approve and revoke app/agent session keys (session)", {
  approve: () => import("./approve.ts").then((m) => m.default),
  revoke: () => import("./revoke.ts").then((m) => m.default),
});
