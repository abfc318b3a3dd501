import {
  AuthError,
  err,
  ok,
  RUNTIME_DEFAULTS,
  UnexpectedError,
  ValidationError,
  type JsonSchema,
  type NormalizedManifest,
  type Result,
} from "../../contracts/index.ts";
import type { RpcContext } from "../../runtime/index.ts";
import { readContract } from "../approvals/active-contracts.ts";
import type { AuthStore } from "../store/auth-store.ts";
import { MAX_STATE_KEY_BYTES, stateKey, storeKeyPrefix, type StateOwner } from "./state-keys.ts";

/** Whose state a request touches and under which approved contract: both from the session, never from the input. */
export type StateCaller = {
  owner: StateOwner;
  contractId: string;
  contractDigest: string;
  manifest: NormalizedManifest;
};

/** One store of the caller's contract, with the key the request addresses. */
export type StateTarget = {
  store: string;
  kind: "value" | "map";
  stateVersion: string;
  /** The JSON Schema values must match (undefined: the manifest has none by that name). */
  schema: JsonSchema | undefined;
  /** Every key of this store of this owner starts with it. */
  prefix: string;
};

const MANIFEST_CACHE_LIMIT = 256;
const encoder = new TextEncoder();

/**
 * Resolves the caller of a `trellis.state@v1` request: users own state by
 * userId, devices by their device id; services have no state of their own
 * (runtime-wire.md §6: owners are users and devices). The manifest comes
 * from the session's approved digest; digests are immutable, so manifests
 * are cached by digest.
 */
export class StateCallers {
  readonly #manifests = new Map<string, NormalizedManifest>();

  constructor(private readonly store: AuthStore) {}

  async resolve(context: RpcContext): Promise<Result<StateCaller, AuthError | UnexpectedError>> {
    const { caller } = context;
    if (caller.type === "service") {
      return err(new AuthError("forbidden", { message: "state stores belong to users and devices, not services" }));
    }
    const owner: StateOwner =
      caller.type === "user" ? { type: "user", key: caller.userId } : { type: "device", key: caller.deviceId };
    const session = await this.store.sessions.get(context.sessionKey);
    if (session.isErr()) return err(new UnexpectedError({ context: { reason: session.error.message } }));
    if (session.value === undefined) return err(new AuthError("session_not_found"));
    const { contractId, contractDigest } = session.value.value;
    const manifest = await this.#manifest(contractDigest);
    if (manifest.isErr()) return err(manifest.error);
    return ok({ owner, contractId, contractDigest, manifest: manifest.value });
  }

  async #manifest(digest: string): Promise<Result<NormalizedManifest, UnexpectedError>> {
    const cached = this.#manifests.get(digest);
    if (cached !== undefined) return ok(cached);
    const read = await readContract(this.store, digest);
    if (read.isErr()) return err(new UnexpectedError({ context: { reason: read.error.message } }));
    if (read.value === undefined) {
      return err(new UnexpectedError({ context: { reason: `the session's contract ${digest} is not stored` } }));
    }
    if (this.#manifests.size >= MANIFEST_CACHE_LIMIT) this.#manifests.clear();
    this.#manifests.set(digest, read.value);
    return ok(read.value);
  }
}

/** The declared store `name` of the caller's contract; value stores reject `key`, map stores require it. */
export function stateTarget(caller: StateCaller, name: string): Result<StateTarget, ValidationError> {
  const declaration = caller.manifest.state?.[name];
  if (declaration === undefined) {
    return err(
      new ValidationError([{ path: "/store", message: `${caller.contractId} declares no state store '${name}'` }]),
    );
  }
  return ok({
    store: name,
    kind: declaration.kind,
    stateVersion: declaration.stateVersion ?? RUNTIME_DEFAULTS.stateVersion,
    schema: caller.manifest.schemas?.[declaration.schema.schema] as JsonSchema | undefined,
    prefix: storeKeyPrefix(caller.owner, caller.contractId, name),
  });
}

/**
 * The stored key of a request's `key`, checked against the store's kind and
 * the §6 limit, which applies to the key the caller sends (UTF-8 bytes): the
 * caller cannot see the prefix or the escaping, so a limit on the stored key
 * would depend on its user id and contract id.
 */
export function targetKey(target: StateTarget, key: string | undefined): Result<string, ValidationError> {
  if (target.kind === "value" && key !== undefined) {
    return err(new ValidationError([{ path: "/key", message: `'${target.store}' is a value store: it takes no key` }]));
  }
  if (target.kind === "map" && (key === undefined || key === "")) {
    return err(new ValidationError([{ path: "/key", message: `'${target.store}' is a map store: a key is required` }]));
  }
  const bytes = key === undefined ? 0 : encoder.encode(key).length;
  if (bytes > MAX_STATE_KEY_BYTES) {
    return err(
      new ValidationError([{ path: "/key", message: `is ${bytes} bytes of UTF-8, more than ${MAX_STATE_KEY_BYTES}` }]),
    );
  }
  return ok(stateKey(target.prefix, key));
}
