import type { JsonSchema } from "../../manifest/types.ts";
import type { Aspect } from "./change.ts";
import type { Location, LocationStep } from "./location.ts";

/**
 * What the per-type inclusion checks (`accepts-*.ts`) need from the checker:
 * reporting, wording in old → new order, and recursion into subschemas.
 */
export interface Checker {
  /** A failure of this check means the new schema rejects more (rather than accepts more). */
  readonly narrowing: boolean;
  readonly values: "any" | "wire";
  /** "a → b" from the inner and outer texts, in old → new order. */
  arrow(inner: string, outer: string): string;
  fail(at: Location, aspect: Aspect, key: string, message: string): false;
  unprovable(at: Location, why: string): false;
  /** A difference that keeps the inclusion. */
  note(at: Location, key: string, message: string): void;
  /** Is the conjunction `inner` included in the conjunction `outer`? */
  includes(inner: readonly JsonSchema[], outer: readonly JsonSchema[], at: Location): boolean;
}

/** The descriptions of both sides' types, for type messages. */
export type TypeTexts = { inner: string; outer: string };

/** The location one step further down. */
export function step(at: Location, next: LocationStep): Location {
  return [...at, next];
}
