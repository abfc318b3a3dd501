/**
 * Where everything sits in a local bundle (tooling.md §3.5), relative to
 * its root. Every path written into a file inside the bundle is relative,
 * so the directory can be moved as a whole.
 */
export const BUNDLE = {
  manifest: "manifest.json",
  readme: "README.md",
  natsDir: "nats",
  natsConf: "nats/nats.conf",
  jwtConf: "nats/jwt.conf",
  jwtDir: "nats/data/jwt",
  jetstreamDir: "nats/data/jetstream",
  creds: {
    system: "nats/creds/system.creds",
    trellisAuth: "nats/creds/trellis-auth.creds",
    trellis: "nats/creds/trellis.creds",
    sentinel: "nats/creds/sentinel.creds",
  },
  secrets: {
    operator: "nats/secrets/operator.nk",
    operatorSigning: "nats/secrets/operator-signing.nk",
    sys: "nats/secrets/sys.nk",
    sysSigning: "nats/secrets/sys-signing.nk",
    auth: "nats/secrets/auth.nk",
    authSigning: "nats/secrets/auth-signing.nk",
    trellis: "nats/secrets/trellis.nk",
    trellisSigning: "nats/secrets/trellis-signing.nk",
    xkey: "nats/secrets/xkey.nk",
  },
  trellisDir: "trellis",
  config: "trellis/config.json",
  dataDir: "trellis/data",
  importsDir: "trellis/data/imports",
  /** The admin CLI session: `TRELLIS_CONFIG_DIR=<bundle>/trellis`. */
  sessionSeed: "trellis/session.seed",
  context: "trellis/context.json",
} as const;
