import { commandGroup } from "../../app/command.ts";

export default commandGroup("keys", "Session keys, connect tokens and request proofs (offline)", {
  new: () => import("./new.ts").then((m) => m.default),
  token: () => import("./token.ts").then((m) => m.default),
  proof: () => import("./proof.ts").then((m) => m.default),
});
