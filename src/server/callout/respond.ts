import { encodeAuthorizationResponse, encodeUser, fromPublic, type KeyPair } from "@nats-io/jwt";
import type { CalloutRequest } from "./request.ts";

export type CalloutKeys = {
  authAccount: string;
  authSigning: KeyPair;
  trellisAccount: string;
  trellisSigning: KeyPair;
  xkey: KeyPair;
};

export type GrantedConnection = {
  kind: "user" | "service";
  name: string;
  publishSubjects: readonly string[];
  subscribeSubjects: readonly string[];
};

export type MintOptions = { jwtTtlSeconds: number; operationResponseMax: number; operationResponseTtlSeconds: number };

const encoder = new TextEncoder();
const NS_PER_SECOND = 1_000_000_000;

/**
 * Permission lists of a minted user JWT. An empty `allow` means "everything"
 * to nats-server, so a direction with nothing granted is denied outright
 * instead: never a broader JWT than the approval.
 */
function direction(subjects: readonly string[]) {
  return subjects.length === 0 ? { deny: [">"] } : { allow: [...subjects] };
}

/**
 * Mints and seals callout answers (auth.md §5): the TRELLIS-account user JWT
 * signed by the TRELLIS signing key, wrapped in an authorization response
 * signed by the AUTH signing key, sealed for the requesting server's xkey.
 */
export class CalloutResponder {
  constructor(
    private readonly keys: CalloutKeys,
    private readonly options: MintOptions,
  ) {}

  /** The curve key requests are sealed for. */
  get xkey(): KeyPair {
    return this.keys.xkey;
  }

  async userJwt(request: CalloutRequest, grant: GrantedConnection, nowSeconds: number): Promise<string> {
    const resp =
      grant.kind === "service"
        ? { max: this.options.operationResponseMax, ttl: this.options.operationResponseTtlSeconds * NS_PER_SECOND }
        : { max: 1, ttl: 0 };
    return encodeUser(
      grant.name,
      fromPublic(request.userNkey),
      this.keys.trellisAccount,
      { pub: direction(grant.publishSubjects), sub: direction(grant.subscribeSubjects), resp },
      { signer: this.keys.trellisSigning, aud: "trellis", exp: nowSeconds + this.options.jwtTtlSeconds },
    );
  }

  async allow(request: CalloutRequest, userJwt: string): Promise<Uint8Array> {
    return this.#seal(request, await this.#response(request, { jwt: userJwt }));
  }

  async deny(request: CalloutRequest, reason: string): Promise<Uint8Array> {
    return this.#seal(request, await this.#response(request, { error: reason }));
  }

  #response(request: CalloutRequest, data: { jwt: string } | { error: string }): Promise<string> {
    return encodeAuthorizationResponse(
      fromPublic(request.userNkey),
      fromPublic(request.serverId),
      this.keys.authAccount,
      data,
      { signer: this.keys.authSigning },
    );
  }

  #seal(request: CalloutRequest, response: string): Uint8Array {
    return this.keys.xkey.seal(encoder.encode(response), request.serverXkey);
  }
}
