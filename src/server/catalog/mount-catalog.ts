import { coreContract, err, ok, type Result, type TrellisError } from "../../contracts/index.ts";
import type { RpcServer } from "../../runtime/index.ts";
import type { CatalogService } from "./catalog-service.ts";

/** Serves `Trellis.Catalog` and `Trellis.Contract.Get`; the RpcServer checks the capabilities first. */
export function mountCatalogRpcs(server: RpcServer, catalog: CatalogService): Result<void, TrellisError> {
  const rpc = coreContract().API.owned.rpc;
  const mounts = [
    server.handle(rpc["Trellis.Catalog"], () => catalog.catalog()),
    server.handle(rpc["Trellis.Contract.Get"], ({ input }) => catalog.contract(input.digest)),
  ];
  for (const mounted of mounts) if (mounted.isErr()) return err(mounted.error);
  return ok(undefined);
}
