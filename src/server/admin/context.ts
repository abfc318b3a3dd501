import { err, UnexpectedError, type Result } from "../../contracts/index.ts";
import type { Logger } from "../../runtime/index.ts";
import type { Reconciler } from "../reconcile/reconciler.ts";
import type { Revoker } from "../sessions/revocation.ts";
import type { AuthStore } from "../store/auth-store.ts";
import type { StoreFailure } from "../store/record-bucket.ts";

/** What every admin operation works with. */
export type AdminContext = {
  store: AuthStore;
  revoker: Revoker;
  reconciler: Reconciler;
  logger: Logger;
  now?: () => Date;
};

export const nowOf = (context: AdminContext) => (context.now ?? (() => new Date()))();

/** A store failure inside an admin operation: the operator sees an UnexpectedError, the log the detail. */
export function storeError(failure: StoreFailure): Result<never, UnexpectedError> {
  return err(
    new UnexpectedError({
      context: { reason: `auth state ${failure.kind}`, bucket: failure.bucket, key: failure.key },
    }),
  );
}
