import { defineCommand, type CommandDef } from "citty";
import { buildInfo } from "./build-info.ts";

/**
 * The command tree. Families are imported lazily so that `trellis version`
 * and `--help` start without loading NATS clients, valibot or the generator.
 */
export function rootCommand(): CommandDef {
  const root: CommandDef = defineCommand({
    meta: {
      name: "trellis",
      version: buildInfo().version,
      description: "Contract-driven services on NATS JetStream",
    },
    subCommands: {
      version: () => import("../commands/version.ts").then((m) => m.default),
      completion: () =>
        import("../commands/completion/completion-command.ts").then((m) => m.completionCommand(async () => root)),
      contracts: () => import("../commands/contracts/contracts-group.ts").then((m) => m.default),
      generate: () => import("../commands/generate/generate-command.ts").then((m) => m.default),
      conformance: () => import("../commands/conformance/conformance-group.ts").then((m) => m.default),
      keys: () => import("../commands/keys/keys-group.ts").then((m) => m.default),
      local: () => import("../commands/local/local-group.ts").then((m) => m.default),
      infra: () => import("../commands/infra/infra-group.ts").then((m) => m.default),
      server: () => import("../commands/server/server.ts").then((m) => m.default),
      dev: () => import("../commands/dev/dev.ts").then((m) => m.default),
      run: () => import("../commands/run/run.ts").then((m) => m.default),
      svc: () => import("../commands/svc/svc-command.ts").then((m) => m.default),
      init: () => import("../commands/init/init-group.ts").then((m) => m.default),
      sessions: () => import("../commands/sessions/sessions-group.ts").then((m) => m.default),
      jobs: () => import("../commands/jobs/jobs-group.ts").then((m) => m.default),
      ops: () => import("../commands/ops/ops-group.ts").then((m) => m.default),
      upgrade: () => import("../commands/upgrade/upgrade-group.ts").then((m) => m.default),
    },
  });
  return root;
}
