import { AsyncResult, TransportError, ValidationError, type OperationSurface } from "../../contracts/index.ts";
import type { OperationClient, OperationRef, OperationRegistrar, SignalInputs } from "./operation-types.ts";

/**
 * Operations (operations.md) are typed end to end but not served by this
 * runtime yet. Rather than leave `client.operation.*` undefined (a TypeError
 * far from its cause), every member answers at once with an Err that says
 * so: calls with TransportError `trellis.operations.unavailable` (nothing
 * can carry them), registrations with a ValidationError naming the surface.
 */
export const OPERATIONS_UNAVAILABLE = "trellis.operations.unavailable";

type AnyOperationClient = OperationClient<unknown, unknown, unknown, SignalInputs>;
type AnyOperationRegistrar = OperationRegistrar<unknown, unknown, unknown, SignalInputs, unknown, unknown>;

function unavailable(surface: OperationSurface): TransportError {
  return new TransportError(
    OPERATIONS_UNAVAILABLE,
    `operation ${surface.name} of ${surface.contractId}: this version of the Trellis runtime does not serve operations yet`,
  );
}

export function unavailableOperationClient(surface: OperationSurface): AnyOperationClient {
  const fail = (): AsyncResult<never, TransportError> => AsyncResult.err(unavailable(surface));
  const ref = (id: string): OperationRef<unknown, unknown, SignalInputs> => ({
    id,
    service: surface.contractId,
    operation: surface.name,
    get: fail,
    wait: fail,
    watch: fail,
    cancel: fail,
    signal: fail,
  });
  return Object.freeze({ start: fail, input: () => Object.freeze({ start: fail }), resume: ref });
}

export function unavailableOperationRegistrar(surface: OperationSurface): AnyOperationRegistrar {
  const register = () =>
    AsyncResult.err(
      new ValidationError([
        {
          path: `/operations/${surface.name}`,
          message: "operations are not served by this version of the Trellis runtime yet: no handler was registered",
        },
      ]),
    );
  return Object.assign(register, { control: () => AsyncResult.err(unavailable(surface)) });
}
