import type { KeyPair } from "@nats-io/nkeys";
import * as v from "valibot";
import { err, ok, type Result } from "../../contracts/index.ts";
import { decodeServerJwt } from "./native-keys.ts";

/** What the responder needs from an authorization request (auth.md §5). */
export type CalloutRequest = {
  serverId: string;
  serverName: string | undefined;
  /** The server's curve key: the response is sealed for it. */
  serverXkey: string;
  /** One-time user key; the `sub` of any answer. */
  userNkey: string;
  clientHost: string | undefined;
  clientId: number | undefined;
  authToken: string | undefined;
};

// snake_case only, as the server sends it; unknown members are ignored.
const ClaimsSchema = v.object({
  iss: v.string(),
  aud: v.literal("nats-authorization-request"),
  nats: v.object({
    type: v.literal("authorization_request"),
    user_nkey: v.pipe(v.string(), v.startsWith("U")),
    server_id: v.object({ id: v.pipe(v.string(), v.startsWith("N")), name: v.optional(v.string()) }),
    client_info: v.optional(v.object({ host: v.optional(v.string()), id: v.optional(v.number()) })),
    connect_opts: v.optional(v.object({ auth_token: v.optional(v.string()) })),
  }),
});

const decoder = new TextDecoder();

/**
 * Step 1 of the callout: the `Nats-Server-Xkey` header, the sealed body
 * (`xkv1` ‖ nonce ‖ box), the request JWT signed by the server's key, and
 * `iss == server_id.id`. Any failure means the request cannot be answered
 * (there is no verified server key to seal for); the string says why, for
 * the log.
 */
export function openRequest(
  data: Uint8Array,
  serverXkey: string | undefined,
  xkey: KeyPair,
): Result<CalloutRequest, string> {
  if (serverXkey === undefined || serverXkey === "") return err("missing Nats-Server-Xkey header");
  if (data.length === 0) return err("empty request body");
  let plain: Uint8Array | null;
  try {
    plain = xkey.open(data, serverXkey);
  } catch (error) {
    return err(`cannot decrypt: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (plain === null) return err("cannot decrypt the request");
  let claims: unknown;
  try {
    claims = decodeServerJwt(decoder.decode(plain));
  } catch (error) {
    return err(`bad request JWT: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = v.safeParse(ClaimsSchema, claims);
  if (!parsed.success) return err(`unexpected request claims: ${v.summarize(parsed.issues)}`);
  const { iss, nats } = parsed.output;
  if (iss !== nats.server_id.id) return err("request issuer is not the server it names");
  return ok({
    serverId: nats.server_id.id,
    serverName: nats.server_id.name,
    serverXkey,
    userNkey: nats.user_nkey,
    clientHost: nats.client_info?.host,
    clientId: nats.client_info?.id,
    authToken: nats.connect_opts?.auth_token,
  });
}
