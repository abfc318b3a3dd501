import type { Caller } from "../rpc/request-authenticator.ts";

/**
 * operations.md §6 "creator-bound visibility": the principal recorded at
 * accept and compared on every control request. `user:<userId>`,
 * `service:<id>` or `device:<deviceId>` from the validated caller.
 */
export function principalOf(caller: Caller): string {
  if (caller.type === "user") return `user:${caller.userId}`;
  if (caller.type === "service") return `service:${caller.id}`;
  return `device:${caller.deviceId}`;
}

/** By default only the same principal passes (another session of the same user does). */
export function isOwner(caller: Caller, owner: { readonly principal: string }): boolean {
  return principalOf(caller) === owner.principal;
}
