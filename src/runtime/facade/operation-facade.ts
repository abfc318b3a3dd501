import type { InferSurfaceSchema, OperationSurface, SurfaceInput, SurfaceOutput } from "../../contracts/index.ts";
import type { OperationClient, OperationRegistrar } from "../operations/operation-types.ts";
import type { AccessorLeaf, GroupsOf, NamesInGroup } from "./accessor-types.ts";

/** An operation's progress type; `never` when it reports none (as a generated SDK's `<P>Progress`). */
export type OperationProgress<S extends OperationSurface> = S["progress"] extends undefined
  ? never
  : InferSurfaceSchema<S["progress"]>;

/** Signal inputs by signal name. */
export type OperationSignals<S extends OperationSurface> = {
  readonly [K in keyof S["signals"] & string]: InferSurfaceSchema<S["signals"][K]>;
};

export type OperationClientOf<S extends OperationSurface> = OperationClient<
  SurfaceInput<S>,
  OperationProgress<S>,
  SurfaceOutput<S>,
  OperationSignals<S>
>;

/** `client.operation.<g>.<l>`. */
export type OperationFacade<TOps> = {
  readonly [G in GroupsOf<TOps>]: {
    readonly [N in NamesInGroup<TOps, G> as AccessorLeaf<N>]: TOps[N] extends OperationSurface
      ? OperationClientOf<TOps[N]>
      : never;
  };
};

/** `service.handle.operation.<g>.<l>`. */
export type OperationHandlerFacade<TOps, TClient, TDeps> = {
  readonly [G in GroupsOf<TOps>]: {
    readonly [N in NamesInGroup<TOps, G> as AccessorLeaf<N>]: TOps[N] extends OperationSurface
      ? OperationRegistrar<
          SurfaceInput<TOps[N]>,
          OperationProgress<TOps[N]>,
          SurfaceOutput<TOps[N]>,
          OperationSignals<TOps[N]>,
          TClient,
          TDeps
        >
      : never;
  };
};
