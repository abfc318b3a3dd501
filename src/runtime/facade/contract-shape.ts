import type { ContractApi, NormalizedManifest } from "../../contracts/index.ts";

/**
 * What the runtime needs from a contract: a source module
 * (`define*Contract(...)`) and a generated SDK's `sdk` object both have
 * exactly these members, so either can be passed wherever a contract is
 * taken. Types come from `API`: `owned` for handlers, `trellis` for calls.
 */
export interface RuntimeContract<TApi extends ContractApi = ContractApi> {
  readonly CONTRACT_ID: string;
  readonly CONTRACT_DIGEST: string;
  readonly CONTRACT: NormalizedManifest;
  readonly API: TApi;
  /**
   * The module's valibot schemas by manifest schema name (sources and
   * generated SDKs both have them): kv values and state values are checked
   * with these. Without them the manifest's JSON Schemas are used.
   */
  readonly SCHEMAS?: { readonly [name: string]: unknown };
}

export type OwnedApi<C extends RuntimeContract> = C["API"]["owned"];
export type TrellisApi<C extends RuntimeContract> = C["API"]["trellis"];
