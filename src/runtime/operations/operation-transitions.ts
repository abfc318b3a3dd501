import { err, ok, OperationAlreadyTerminalError, type Result } from "../../contracts/index.ts";
import { isTerminal, type WireEvent, type WireSnapshot } from "./operation-wire.ts";

/** A change a writer asks for; the §3 table decides which event (if any) it becomes. */
export type TransitionRequest =
  | { type: "started" }
  | { type: "progress"; progress: unknown }
  | { type: "completed"; output: unknown }
  | { type: "failed"; error: NonNullable<WireSnapshot["error"]> }
  | { type: "cancelled" };

/**
 * One step of the §3 table from `snapshot`: the event to commit, `final:
 * false` when it is only the `started` that must precede progress from
 * `pending` (the caller commits it and asks again), or nothing (`started` on
 * `running`). Terminal snapshots never change.
 */
export type Step = { event: WireEvent; final: boolean } | { event: undefined; final: true };

export function nextStep(
  snapshot: WireSnapshot,
  request: TransitionRequest,
  now: string,
): Result<Step, OperationAlreadyTerminalError> {
  if (isTerminal(snapshot)) {
    return err(
      new OperationAlreadyTerminalError({
        operationId: snapshot.id,
        state: snapshot.state,
        operation: snapshot.operation,
        service: snapshot.service,
      }),
    );
  }
  const base = { ...snapshot, revision: snapshot.revision + 1, updatedAt: now };
  if (request.type === "started") {
    if (snapshot.state === "running") return ok({ event: undefined, final: true });
    return ok({ event: { type: "started", snapshot: { ...base, state: "running" } }, final: true });
  }
  if (request.type === "progress") {
    if (snapshot.state === "pending") {
      return ok({ event: { type: "started", snapshot: { ...base, state: "running" } }, final: false });
    }
    const next = { ...base, state: "running" as const, progress: request.progress };
    return ok({ event: { type: "progress", progress: request.progress, snapshot: next }, final: true });
  }
  const terminal = { ...base, completedAt: now };
  if (request.type === "completed") {
    return ok({
      event: { type: "completed", snapshot: { ...terminal, state: "completed", output: request.output } },
      final: true,
    });
  }
  if (request.type === "failed") {
    return ok({
      event: { type: "failed", snapshot: { ...terminal, state: "failed", error: request.error } },
      final: true,
    });
  }
  return ok({ event: { type: "cancelled", snapshot: { ...terminal, state: "cancelled" } }, final: true });
}
