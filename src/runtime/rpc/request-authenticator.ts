import type * as v from "valibot";
import {
  AuthError,
  authContract,
  err,
  ok,
  UnexpectedError,
  type Result,
  type ValidateRequestSchema,
  type ValidateResponseSchema,
} from "../../contracts/index.ts";
import type { RpcClient } from "./rpc-client.ts";

export type ValidateRequest = v.InferOutput<typeof ValidateRequestSchema>;
export type ValidateResponse = v.InferOutput<typeof ValidateResponseSchema>;
/** The principal behind a request, as Validate reports it (auth.md §4). */
export type Caller = ValidateResponse["caller"];

/** Why a request could not be authenticated: a denial (AuthError with an auth.md §8 reason) or a failure to decide. */
export type AuthenticationError = AuthError | UnexpectedError;

/**
 * Proof, freshness, replay, session and capability checks of auth.md §4
 * (Validate steps 1-7). `allowed: false` is an answer, not an error: the
 * caller is known but lacks the capabilities.
 */
export interface RequestAuthenticator {
  authenticate(request: ValidateRequest): Promise<Result<ValidateResponse, AuthenticationError>>;
}

/**
 * A service's authenticator: asks `rpc.v1.Auth.Requests.Validate` over NATS,
 * signed with the service's own keys (the RpcClient's). Validate runs proof
 * and replay checks on every request, so nothing here may answer in its
 * place: the session/Caller cache auth.md §4 allows lives on the server side
 * of Validate (see `CachedPrincipalLookup`, design/runtime.md "Caching").
 *
 * A Validate error (AuthError) is relayed unchanged; a failure to reach
 * Validate is an UnexpectedError for the caller, never a silent allow.
 */
export class ValidateRpcAuthenticator implements RequestAuthenticator {
  readonly #client: RpcClient;
  readonly #timeoutMs: number | undefined;

  constructor(client: RpcClient, options: { timeoutMs?: number } = {}) {
    this.#client = client;
    this.#timeoutMs = options.timeoutMs;
  }

  async authenticate(request: ValidateRequest): Promise<Result<ValidateResponse, AuthenticationError>> {
    const surface = authContract().API.owned.rpc["Auth.Requests.Validate"];
    const answer = await this.#client.call(
      surface,
      request,
      this.#timeoutMs === undefined ? {} : { timeoutMs: this.#timeoutMs },
    );
    if (answer.isOk()) return ok(answer.value);
    const error = answer.error;
    if (error instanceof AuthError || error instanceof UnexpectedError) return err(error);
    return err(
      UnexpectedError.from(error, { context: { reason: "Validate could not be reached", errorType: error.type } }),
    );
  }
}
