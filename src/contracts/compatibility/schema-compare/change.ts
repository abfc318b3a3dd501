import type { Location } from "./location.ts";

/**
 * What one comparison step found. A check "does schema B accept every value
 * schema A accepts?" fails at some location for some aspect; run with
 * A = old, B = new a failure means the new schema *narrowed* (rejects a value
 * the old one accepted), run with A = new, B = old that it *widened*.
 */
export type Aspect =
  | "type"
  | "required"
  | "property"
  | "other-properties"
  | "enum"
  | "bounds"
  | "multiple-of"
  | "pattern"
  | "format"
  | "unique-items"
  | "value"
  | "unprovable"
  /** Not a failure: on the wire, a property only one side declares (and does not require). */
  | "declared";

/** Which way a check ran: is old included in new (widening check), or new in old (narrowing check)? */
export type Orientation = "old-in-new" | "new-in-old";

export type Reason = {
  /** A note records a difference that does not break the inclusion (aspect `declared`). */
  note?: true;
  at: Location;
  aspect: Aspect;
  /** Tells apart reasons of one aspect at one location (the property name, the bound...). */
  key: string;
  message: string;
};

/** `reasons` are the failures (empty iff proven) followed by any notes. */
export type Inclusion = { proven: boolean; reasons: Reason[] };

export type SchemaChangeCode =
  | "schema.type-narrowed"
  | "schema.type-widened"
  | "schema.type-changed"
  | "schema.required-added"
  | "schema.required-removed"
  | "schema.property-removed"
  | "schema.property-added"
  | "schema.additional-properties-restricted"
  | "schema.additional-properties-relaxed"
  | "schema.additional-properties-changed"
  | "schema.enum-narrowed"
  | "schema.enum-widened"
  | "schema.enum-changed"
  | "schema.bounds-narrowed"
  | "schema.bounds-widened"
  | "schema.bounds-changed"
  | "schema.multiple-of-narrowed"
  | "schema.multiple-of-widened"
  | "schema.multiple-of-changed"
  | "schema.pattern-added"
  | "schema.pattern-removed"
  | "schema.format-added"
  | "schema.format-removed"
  | "schema.unique-items-added"
  | "schema.unique-items-removed"
  | "schema.value-narrowed"
  | "schema.value-widened"
  | "schema.value-changed"
  | "schema.not-provable"
  | "schema.optional-property-added"
  | "schema.optional-property-removed";

type AspectCodes = { narrowed: SchemaChangeCode; widened: SchemaChangeCode; both?: SchemaChangeCode };

/** Change codes by aspect: named from the old schema to the new one, whichever check found them. */
export const ASPECT_CODES: Readonly<Record<Aspect, AspectCodes>> = {
  type: { narrowed: "schema.type-narrowed", widened: "schema.type-widened", both: "schema.type-changed" },
  required: { narrowed: "schema.required-added", widened: "schema.required-removed" },
  property: { narrowed: "schema.property-removed", widened: "schema.property-added" },
  "other-properties": {
    narrowed: "schema.additional-properties-restricted",
    widened: "schema.additional-properties-relaxed",
    both: "schema.additional-properties-changed",
  },
  enum: { narrowed: "schema.enum-narrowed", widened: "schema.enum-widened", both: "schema.enum-changed" },
  bounds: { narrowed: "schema.bounds-narrowed", widened: "schema.bounds-widened", both: "schema.bounds-changed" },
  "multiple-of": {
    narrowed: "schema.multiple-of-narrowed",
    widened: "schema.multiple-of-widened",
    both: "schema.multiple-of-changed",
  },
  pattern: { narrowed: "schema.pattern-added", widened: "schema.pattern-removed" },
  format: { narrowed: "schema.format-added", widened: "schema.format-removed" },
  "unique-items": { narrowed: "schema.unique-items-added", widened: "schema.unique-items-removed" },
  value: { narrowed: "schema.value-narrowed", widened: "schema.value-widened", both: "schema.value-changed" },
  unprovable: { narrowed: "schema.not-provable", widened: "schema.not-provable", both: "schema.not-provable" },
  declared: { narrowed: "schema.optional-property-added", widened: "schema.optional-property-removed" },
};
