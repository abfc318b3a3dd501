import {
  createAccount,
  createCurve,
  createOperator,
  createUser,
  encodeAccount,
  encodeOperator,
  encodeUser,
  fmtCreds,
  type KeyPair,
} from "@nats-io/jwt";

/** Names of the operator and accounts (tooling.md §3.5 flags). */
export type BundleNames = { operator: string; system: string; auth: string; trellis: string };

export type AccountMaterial = { name: string; identity: KeyPair; signing: KeyPair; jwt: string };

export type BundleMaterial = {
  operator: { name: string; identity: KeyPair; signing: KeyPair; jwt: string };
  sys: AccountMaterial;
  auth: AccountMaterial;
  trellis: AccountMaterial;
  xkey: KeyPair;
  /** Creds files (JWT + seed) of the bundle's users. */
  creds: { system: Uint8Array; trellisAuth: Uint8Array; trellis: Uint8Array; sentinel: Uint8Array };
  publicKeys: { responderUser: string; sentinelUser: string };
};

// On nats-server 2.10.27 an account JWT without limits admits 0 connections (auth.md §5 "Observed").
const OPEN_ACCOUNT = { subs: -1, data: -1, payload: -1, imports: -1, exports: -1, wildcards: true, conn: -1, leaf: -1 };
const JETSTREAM_UNLIMITED = {
  mem_storage: -1,
  disk_storage: -1,
  streams: -1,
  consumer: -1,
  max_ack_pending: -1,
  mem_max_stream_bytes: -1,
  disk_max_stream_bytes: -1,
  max_bytes_required: false,
};

/**
 * Mints the operator, its three accounts, the callout xkey and the users of a
 * bundle with the NATS team's own libraries. Accounts are signed by the
 * operator signing key and users by their account's signing key, so the
 * identity seeds are needed only to re-issue account JWTs.
 */
export async function mintBundle(names: BundleNames): Promise<BundleMaterial> {
  const operatorKey = createOperator();
  const operatorSigning = createOperator();
  const account = () => ({ identity: createAccount(), signing: createAccount() });
  const sys = account();
  const auth = account();
  const trellis = account();
  const xkey = createCurve();
  const users = { system: createUser(), trellisAuth: createUser(), trellis: createUser(), sentinel: createUser() };

  const operatorJwt = await encodeOperator(
    names.operator,
    operatorKey,
    { signing_keys: [operatorSigning.getPublicKey()], system_account: sys.identity.getPublicKey() },
    { signer: operatorKey },
  );
  const signedByOperator = { signer: operatorSigning };
  const sysJwt = await encodeAccount(
    names.system,
    sys.identity,
    { signing_keys: [sys.signing.getPublicKey()], limits: OPEN_ACCOUNT },
    signedByOperator,
  );
  const authJwt = await encodeAccount(
    names.auth,
    auth.identity,
    {
      signing_keys: [auth.signing.getPublicKey()],
      // The auth state buckets live here, out of reach of anything a service can be granted in TRELLIS.
      limits: { ...OPEN_ACCOUNT, ...JETSTREAM_UNLIMITED },
      authorization: {
        auth_users: [users.trellisAuth.getPublicKey()],
        allowed_accounts: [trellis.identity.getPublicKey()],
        xkey: xkey.getPublicKey(),
      },
    },
    signedByOperator,
  );
  const trellisJwt = await encodeAccount(
    names.trellis,
    trellis.identity,
    { signing_keys: [trellis.signing.getPublicKey()], limits: { ...OPEN_ACCOUNT, ...JETSTREAM_UNLIMITED } },
    signedByOperator,
  );

  const user = async (name: string, kp: KeyPair, acct: { identity: KeyPair; signing: KeyPair }, perms = {}) =>
    fmtCreds(await encodeUser(name, kp, acct.identity.getPublicKey(), perms, { signer: acct.signing }), kp);

  return {
    operator: { name: names.operator, identity: operatorKey, signing: operatorSigning, jwt: operatorJwt },
    sys: { name: names.system, ...sys, jwt: sysJwt },
    auth: { name: names.auth, ...auth, jwt: authJwt },
    trellis: { name: names.trellis, ...trellis, jwt: trellisJwt },
    xkey,
    creds: {
      system: await user("system", users.system, sys),
      trellisAuth: await user("trellis-auth", users.trellisAuth, auth),
      trellis: await user("trellis", users.trellis, trellis),
      // Denied everything: it only routes a connection into the callout.
      sentinel: await user("sentinel", users.sentinel, auth, { pub: { deny: [">"] }, sub: { deny: [">"] } }),
    },
    publicKeys: { responderUser: users.trellisAuth.getPublicKey(), sentinelUser: users.sentinel.getPublicKey() },
  };
}

export const seedText = (kp: KeyPair): string => `${new TextDecoder().decode(kp.getSeed())}\n`;
