import { renderTable } from "../../app/output.ts";
import type { StoredOperationEvent } from "../../../runtime/index.ts";
import type { ListedOperation, Snapshot } from "./ops-store.ts";

export function renderOperations(listed: readonly ListedOperation[]): string {
  return renderTable(
    ["ID", "OPERATION", "STATE", "REVISION", "UPDATED", "OWNER"],
    listed.map(({ snapshot, owner }) => [
      snapshot.id,
      snapshot.operation,
      snapshot.state,
      String(snapshot.revision),
      snapshot.updatedAt,
      owner,
    ]),
  );
}

export function renderSnapshot(snapshot: Snapshot, owner: string): string {
  const lines: [string, string | undefined][] = [
    ["id", snapshot.id],
    ["service", snapshot.service],
    ["operation", snapshot.operation],
    ["state", snapshot.state],
    ["revision", String(snapshot.revision)],
    ["owner", owner],
    ["created", snapshot.createdAt],
    ["updated", snapshot.updatedAt],
    ["completed", snapshot.completedAt],
    ["progress", snapshot.progress === undefined ? undefined : JSON.stringify(snapshot.progress)],
    ["output", snapshot.output === undefined ? undefined : JSON.stringify(snapshot.output)],
    ["error", snapshot.error === undefined ? undefined : `${snapshot.error.type}: ${snapshot.error.message}`],
  ];
  return lines
    .filter((line): line is [string, string] => line[1] !== undefined)
    .map(([key, value]) => `${key}: ${value}`)
    .join("\n");
}

/** One tail line: time, sequence, event, state, and what the event carries. */
export function renderEvent({ sequence, event }: StoredOperationEvent): string {
  const cells = [event.snapshot.updatedAt, `#${sequence}`, event.type, `state=${event.snapshot.state}`];
  if (event.progress !== undefined) cells.push(`progress=${JSON.stringify(event.progress)}`);
  if (event.snapshot.output !== undefined && event.type === "completed")
    cells.push(`output=${JSON.stringify(event.snapshot.output)}`);
  if (event.snapshot.error !== undefined)
    cells.push(`error=${JSON.stringify(`${event.snapshot.error.type}: ${event.snapshot.error.message}`)}`);
  return cells.join("  ");
}
