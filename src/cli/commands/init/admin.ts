import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { err, ok } from "../../../contracts/index.ts";
import { formatSeedFile, readSeedFile, SessionKeys } from "../../../runtime/index.ts";
import { buildAdminImport, loadServerConfig } from "../../../server/index.ts";
import { usageFailure } from "../../app/cli-failure.ts";
import { trellisCommand } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { writeJson, writeResult } from "../../app/output.ts";
import { cliContext } from "../../local-bundle/cli-context.ts";
import { SESSION_FILES } from "../../session/config-dir.ts";

/**
 * `trellis init admin --out <dir>` (auth.md §6.5, tooling.md §6): the first
 * operator, offline. It writes the CLI session directory (`session.seed`,
 * `context.json`) and an import file (User in group `admin`, its
 * ApprovalRecord and Session for `trellis.cli@v1`) into the control plane's
 * `importsDir`, which `trellis server` applies at start, create-if-absent.
 */
export default trellisCommand({
  name: "admin",
  description: "Create the first operator offline: a CLI session directory and the records trellis server imports",
  args: {
    out: {
      type: "string",
      description: "The operator's session directory (use it as TRELLIS_CONFIG_DIR)",
      required: true,
    },
    config: {
      type: "string",
      description: "Control-plane config (default TRELLIS_CONFIG): servers, sentinel, imports dir",
    },
    user: { type: "string", description: "User id of the operator (default admin)" },
    "seed-file": { type: "string", description: "Use this existing seed instead of generating one" },
    force: { type: "boolean", description: "Overwrite an existing session in --out" },
    json: { type: "boolean", description: "Print the summary as JSON" },
  },
  run: async (args) => {
    const configPath = args.config ?? process.env.TRELLIS_CONFIG;
    if (configPath === undefined) return err(usageFailure("needs --config <control-plane config> (or TRELLIS_CONFIG)"));
    const config = loadServerConfig(configPath);
    if (config.isErr()) return err(usageFailure(config.error.message));
    const userId = args.user ?? "admin";
    if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(userId)) return err(usageFailure(`--user '${userId}' is not a user id`));

    const out = resolve(args.out);
    const seedPath = join(out, SESSION_FILES.seed);
    if (existsSync(seedPath) && args.force !== true) return err(usageFailure(`${seedPath} exists (use --force)`));
    let keys: SessionKeys;
    if (args["seed-file"] !== undefined) {
      const read = await readSeedFile(args["seed-file"]);
      if (read.isErr()) return err(usageFailure(read.error.issues[0]?.message ?? read.error.message));
      keys = read.value;
    } else keys = await SessionKeys.generate();

    const imported = buildAdminImport({ sessionKey: keys.sessionKey, userId });
    if (imported.isErr()) return err(usageFailure(imported.error.message));
    mkdirSync(config.value.importsDir, { recursive: true });
    const importPath = join(config.value.importsDir, `admin-${userId}-${keys.sessionKey.slice(0, 8)}.json`);
    writeFileSync(importPath, `${JSON.stringify(imported.value, null, 2)}\n`, { mode: 0o600 });
    chmodSync(importPath, 0o600);

    mkdirSync(out, { recursive: true });
    writeFileSync(seedPath, formatSeedFile(keys), { mode: 0o600 });
    chmodSync(seedPath, 0o600);
    const context = cliContext({
      ...(config.value.http === undefined ? {} : { trellisUrl: config.value.http.publicOrigin }),
      natsServers: config.value.clients.natsServers,
      sentinelCreds: relative(out, config.value.nats.sentinelCreds),
      contractId: imported.value.approval.contractId,
      contractDigest: imported.value.approval.contractDigest,
      userId,
    });
    writeFileSync(join(out, SESSION_FILES.context), `${JSON.stringify(context, null, 2)}\n`);

    const summary = {
      out,
      userId,
      sessionKey: keys.sessionKey,
      importFile: importPath,
      contractDigest: context.contractDigest,
    };
    if (args.json) writeJson(summary);
    else {
      writeResult(
        [
          `ok operator created user=${userId} sessionKey=${keys.sessionKey}`,
          `session: ${out} (export TRELLIS_CONFIG_DIR=${out})`,
          `import:  ${importPath} (applied when trellis server starts)`,
        ].join("\n"),
      );
    }
    return ok(ExitCode.ok);
  },
});
