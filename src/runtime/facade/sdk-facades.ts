import type { ClientFacade } from "./client-facade.ts";
import type { OwnedApi, RuntimeContract, TrellisApi } from "./contract-shape.ts";
import type { StateFacade } from "./resource-facade.ts";
import type { ServiceRpcHandler } from "./service-facade.ts";

/**
 * The named facade types a generated SDK's `client.ts` exports
 * (`<Name>Client`, `<P>Handler`), as the runtime's own types applied to the
 * SDK's module: one definition of every member shape.
 */

/** What a contract's client calls: `rpc`, `operation`, `event`, `feed` over `API.trellis`, and `state`. */
export type ClientOf<C extends RuntimeContract> = ClientFacade<TrellisApi<C>> & { readonly state: StateFacade<C> };

/** The handler of an owned RPC, as `service.handle.rpc.<g>.<l>` takes it. */
export type RpcHandlerOf<
  C extends RuntimeContract,
  TName extends keyof OwnedApi<C>["rpc"],
  TDeps = undefined,
> = ServiceRpcHandler<OwnedApi<C>["rpc"][TName], ClientFacade<TrellisApi<C>>, TDeps>;
