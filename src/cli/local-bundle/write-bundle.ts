import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { err, ok, type Result } from "../../contracts/index.ts";
import { formatSeedFile, SessionKeys } from "../../runtime/index.ts";
import { buildAdminImport, type ServerConfigFile } from "../../server/index.ts";
import { BUNDLE } from "./layout.ts";
import { mintBundle, seedText, type BundleNames } from "./mint.ts";
import { renderJwtConf, renderNatsConf, type BundleNetwork } from "./render-nats-conf.ts";
import { renderReadme } from "./render-readme.ts";
import { cliContext, type CliContext } from "./cli-context.ts";

export type BundleOptions = {
  out: string;
  force: boolean;
  names: BundleNames;
  network: BundleNetwork;
  trellisPort: number;
  publicOrigin: string;
  natsServerUrl: string;
  natsWebsocketUrl: string | undefined;
};

export type BundleSummary = {
  out: string;
  operator: string;
  accounts: { system: string; auth: string; trellis: string };
  natsServerUrl: string;
  publicOrigin: string;
  adminSessionKey: string;
  adminUserId: string;
  files: string[];
};

const SECRET = 0o600;
const PUBLIC = 0o644;

/**
 * `trellis local init` (tooling.md §3.5): a movable local stack. Keys and
 * JWTs are minted natively; secrets are 0600; every path inside the bundle
 * is relative; the admin CLI session (`trellis/session.seed`,
 * `trellis/context.json`) and its import file are written so that
 * `TRELLIS_CONFIG_DIR=<bundle>/trellis` works once `trellis server` runs.
 */
export async function writeBundle(options: BundleOptions): Promise<Result<BundleSummary, string>> {
  const { out } = options;
  if (existsSync(out) && readdirSync(out).length > 0) {
    if (!options.force) return err(`${out} is not empty (use --force to replace it)`);
    rmSync(out, { recursive: true, force: true });
  }
  const material = await mintBundle(options.names);
  const written: string[] = [];
  const write = (path: string, content: string | Uint8Array, mode: number) => {
    const target = join(out, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content, { mode });
    chmodSync(target, mode); // the umask must not loosen a secret
    written.push(path);
  };
  for (const dir of [BUNDLE.jwtDir, BUNDLE.jetstreamDir, BUNDLE.importsDir])
    mkdirSync(join(out, dir), { recursive: true });

  write(BUNDLE.natsConf, renderNatsConf(options.network), PUBLIC);
  write(BUNDLE.jwtConf, renderJwtConf(material), PUBLIC);
  write(BUNDLE.creds.system, material.creds.system, SECRET);
  write(BUNDLE.creds.trellisAuth, material.creds.trellisAuth, SECRET);
  write(BUNDLE.creds.trellis, material.creds.trellis, SECRET);
  write(BUNDLE.creds.sentinel, material.creds.sentinel, SECRET);
  const secrets = BUNDLE.secrets;
  write(secrets.operator, seedText(material.operator.identity), SECRET);
  write(secrets.operatorSigning, seedText(material.operator.signing), SECRET);
  write(secrets.sys, seedText(material.sys.identity), SECRET);
  write(secrets.sysSigning, seedText(material.sys.signing), SECRET);
  write(secrets.auth, seedText(material.auth.identity), SECRET);
  write(secrets.authSigning, seedText(material.auth.signing), SECRET);
  write(secrets.trellis, seedText(material.trellis.identity), SECRET);
  write(secrets.trellisSigning, seedText(material.trellis.signing), SECRET);
  write(secrets.xkey, seedText(material.xkey), SECRET);

  // From trellis/config.json, the bundle root is one level up.
  const fromTrellis = (path: string) => `../${path}`;
  const config: ServerConfigFile = {
    format: "trellis.server-config.v1",
    nats: {
      servers: [options.natsServerUrl],
      authCreds: fromTrellis(BUNDLE.creds.trellisAuth),
      trellisCreds: fromTrellis(BUNDLE.creds.trellis),
      systemCreds: fromTrellis(BUNDLE.creds.system),
      sentinelCreds: fromTrellis(BUNDLE.creds.sentinel),
    },
    clients: {
      natsServers: [options.natsServerUrl],
      ...(options.natsWebsocketUrl === undefined ? {} : { websocketServers: [options.natsWebsocketUrl] }),
    },
    callout: {
      authAccount: material.auth.identity.getPublicKey(),
      trellisAccount: material.trellis.identity.getPublicKey(),
      authSigningKey: fromTrellis(secrets.authSigning),
      trellisSigningKey: fromTrellis(secrets.trellisSigning),
      xkey: fromTrellis(secrets.xkey),
    },
    http: { listen: `127.0.0.1:${options.trellisPort}`, publicOrigin: options.publicOrigin },
    importsDir: "data/imports",
  };
  write(BUNDLE.config, `${JSON.stringify(config, null, 2)}\n`, PUBLIC);

  const admin = await SessionKeys.generate();
  const adminUserId = "admin";
  const imported = buildAdminImport({ sessionKey: admin.sessionKey, userId: adminUserId });
  if (imported.isErr()) return err(`cannot build the admin session: ${imported.error.message}`);
  write(`${BUNDLE.importsDir}/admin.json`, `${JSON.stringify(imported.value, null, 2)}\n`, SECRET);
  write(BUNDLE.sessionSeed, formatSeedFile(admin), SECRET);
  const context: CliContext = cliContext({
    trellisUrl: options.publicOrigin,
    natsServers: [options.natsServerUrl],
    sentinelCreds: fromTrellis(BUNDLE.creds.sentinel),
    contractId: imported.value.approval.contractId,
    contractDigest: imported.value.approval.contractDigest,
    userId: adminUserId,
  });
  write(BUNDLE.context, `${JSON.stringify(context, null, 2)}\n`, PUBLIC);

  const summary: BundleSummary = {
    out,
    operator: material.operator.identity.getPublicKey(),
    accounts: {
      system: material.sys.identity.getPublicKey(),
      auth: material.auth.identity.getPublicKey(),
      trellis: material.trellis.identity.getPublicKey(),
    },
    natsServerUrl: options.natsServerUrl,
    publicOrigin: options.publicOrigin,
    adminSessionKey: admin.sessionKey,
    adminUserId,
    files: [],
  };
  const manifest = {
    format: "trellis.local-bundle.v1",
    names: options.names,
    serverName: options.network.serverName,
    operator: summary.operator,
    accounts: summary.accounts,
    xkey: material.xkey.getPublicKey(),
    calloutResponder: material.publicKeys.responderUser,
    sentinel: material.publicKeys.sentinelUser,
    ports: {
      nats: options.network.natsPort,
      monitor: options.network.monitorPort,
      websocket: options.network.websocketPort ?? null,
      trellis: options.trellisPort,
    },
    natsServerUrl: options.natsServerUrl,
    publicOrigin: options.publicOrigin,
    adminSessionKey: admin.sessionKey,
    layout: BUNDLE,
  };
  write(BUNDLE.manifest, `${JSON.stringify(manifest, null, 2)}\n`, PUBLIC);
  write(BUNDLE.readme, renderReadme(manifest), PUBLIC);
  return ok({ ...summary, files: written.sort() });
}
