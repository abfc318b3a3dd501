import { AsyncResult, TransportError, ValidationError, type OperationSurface } from "../../contracts/index.ts";
import type { OperationRegistrar, SignalInputs } from "./operation-types.ts";

/**
 * A service without its operation-state binding (operations.md §4; e.g.
 * connected with `fromConnection` and no bindings) cannot serve operations.
 * Rather than leave `service.handle.operation.*` undefined (a TypeError far
 * from its cause), registrations answer with a ValidationError naming the
 * surface and `control(id)` with TransportError `trellis.operations.unavailable`.
 * Calling operations needs no binding (`client.operation.*` is always real).
 */
export const OPERATIONS_UNAVAILABLE = "trellis.operations.unavailable";

type AnyOperationRegistrar = OperationRegistrar<unknown, unknown, unknown, SignalInputs, unknown, unknown>;

function unavailable(surface: OperationSurface): TransportError {
  return new TransportError(
    OPERATIONS_UNAVAILABLE,
    `operation ${surface.name} of ${surface.contractId}: this service has no operation-state binding (the control plane materializes it at approval)`,
  );
}

export function unavailableOperationRegistrar(surface: OperationSurface): AnyOperationRegistrar {
  const register = () =>
    AsyncResult.err(
      new ValidationError([
        {
          path: `/operations/${surface.name}`,
          message:
            "operations are served only with the operation-state binding the control plane materializes at approval: no handler was registered",
        },
      ]),
    );
  return Object.assign(register, { control: () => AsyncResult.err(unavailable(surface)) });
}
