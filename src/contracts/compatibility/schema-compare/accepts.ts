import type { JsonValue } from "../../json/pure-json.ts";
import type { JsonSchema } from "../../manifest/types.ts";
import { arraysIncluded, objectsIncluded } from "./accepts-containers.ts";
import { numbersIncluded, stringsIncluded } from "./accepts-scalars.ts";
import type { Branch } from "./branch.ts";
import { emptyForType } from "./branch-parts.ts";
import { branchesOf } from "./branches.ts";
import type { Aspect, Inclusion, Orientation, Reason } from "./change.ts";
import type { Checker, TypeTexts } from "./checker.ts";
import { describeTypes } from "./describe.ts";
import { evaluateAll } from "./evaluate.ts";
import { classifyKeyword } from "./keywords.ts";
import { ROOT, renderLocation, type Location } from "./location.ts";
import { jsonTypeOf, keyOf, showValue, showValues, type JsonType } from "./values.ts";

/**
 * Does `outer` accept every value `inner` accepts? A sound, incomplete
 * decision: `proven: true` is a proof; `proven: false` comes with reasons,
 * each a place where a value accepted by `inner` may be rejected by `outer`,
 * or where the comparer could not tell (reason aspect `unprovable`).
 *
 * Reasons are worded as a change from old to new: with `old-in-new` the
 * inner schema is the old one (a failure is a narrowing), with `new-in-old`
 * the inner schema is the new one (a failure is a widening).
 */
export function schemaAccepts(outer: JsonSchema, inner: JsonSchema, options: InclusionOptions = {}): Inclusion {
  const checker = new InclusionChecker(options.orientation ?? "old-in-new", options.values ?? "any");
  const proven = checker.includes([inner], [outer], ROOT);
  const failures = checker.reasons.filter((reason) => reason.note !== true);
  const notes = checker.reasons.filter((reason) => reason.note === true);
  return { proven, reasons: [...failures, ...notes] };
}

export type InclusionOptions = {
  orientation?: Orientation;
  /**
   * Which values of the inner schema count. `any` (default): every JSON value
   * it accepts, plain JSON Schema inclusion. `wire`: values as a Trellis
   * sender produces them, encoded with the inner schema, so objects that
   * declare `properties` without `additionalProperties` carry no undeclared
   * ones (`wireClosed`). Contract comparison uses `wire`: the inner schema is
   * always the producer's (old senders, or the new owner's outputs).
   */
  values?: "any" | "wire";
};

/** Nesting beyond this is not compared (manifests limit schema depth well below it). */
const MAX_LOCATION_DEPTH = 64;

/** Keywords that only constrain one type of value; elsewhere they are vacuous. */
const TYPE_OF_KEYWORD: Readonly<Record<string, JsonType>> = {
  propertyNames: "object",
  dependentRequired: "object",
  dependentSchemas: "object",
  dependencies: "object",
  unevaluatedProperties: "object",
  contains: "array",
  unevaluatedItems: "array",
  prefixItems: "array",
};

const STRUCTURED_TYPES: readonly JsonType[] = ["number", "string", "array", "object"];

class InclusionChecker implements Checker {
  reasons: Reason[] = [];
  private seen = new Set<string>();

  constructor(
    private readonly orientation: Orientation,
    readonly values: "any" | "wire",
  ) {}

  /** A failure of this check means the new schema rejects more (rather than accepts more). */
  get narrowing(): boolean {
    return this.orientation === "old-in-new";
  }

  /** "a → b" from the inner and outer texts, in old → new order. */
  arrow(inner: string, outer: string): string {
    return this.narrowing ? `${inner} → ${outer}` : `${outer} → ${inner}`;
  }

  fail(at: Location, aspect: Aspect, key: string, message: string): false {
    const where = renderLocation(at);
    this.record({ at, aspect, key, message: where === "" ? message : `${where}: ${message}` });
    return false;
  }

  /** Keeps a reason once (the same place can be reached through several branches). */
  private record(reason: Reason): void {
    const id = `${renderLocation(reason.at)}\u0000${reason.aspect}\u0000${reason.key}\u0000${reason.message}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.reasons.push(reason);
  }

  /** A difference that keeps the inclusion: kept as a note. */
  note(at: Location, key: string, message: string): void {
    const where = renderLocation(at);
    this.record({ note: true, at, aspect: "declared", key, message: where === "" ? message : `${where}: ${message}` });
  }

  unprovable(at: Location, why: string): false {
    return this.fail(at, "unprovable", why, `could not prove compatibility: ${why}`);
  }

  /** Runs a check aside, returning its reasons instead of keeping them. */
  private attempt(check: () => boolean): { ok: boolean; reasons: Reason[] } {
    const [reasons, seen] = [this.reasons, this.seen];
    this.reasons = [];
    this.seen = new Set();
    const ok = check();
    const found = this.reasons;
    [this.reasons, this.seen] = [reasons, seen];
    return { ok, reasons: found };
  }

  /** Is the conjunction `inner` included in the conjunction `outer`? */
  includes(innerSchemas: readonly JsonSchema[], outerSchemas: readonly JsonSchema[], at: Location): boolean {
    const inner = innerSchemas.filter((schema) => !isTrivial(schema));
    const outer = outerSchemas.filter((schema) => !isTrivial(schema));
    if (outer.length === 0 || inner.includes(false)) return true;
    // Every outer constraint also constrains inner: inner = outer ∧ more.
    const innerKeys = new Set(inner.map((schema) => keyOf(schema)));
    if (outer.every((schema) => innerKeys.has(keyOf(schema)))) return true;
    if (at.length > MAX_LOCATION_DEPTH) return this.unprovable(at, "schemas nested too deeply");
    if (outer.includes(false)) {
      return this.fail(at, "value", "value", this.narrowing ? "no longer allowed" : "now allowed");
    }

    const innerBranches = branchesOf(inner, "included");
    if (!innerBranches.ok) return this.unprovable(at, innerBranches.why);
    const outerBranches = branchesOf(outer, "including");
    if (!outerBranches.ok) return this.unprovable(at, outerBranches.why);
    const texts: TypeTexts = {
      inner: describeTypes(innerBranches.branches),
      outer: describeTypes(outerBranches.branches),
    };
    let ok = true;
    for (const branch of innerBranches.branches) {
      ok = this.branchIncluded(branch, outerBranches.branches, outer, at, texts) && ok;
    }
    return ok;
  }

  private branchIncluded(
    x: Branch,
    outer: readonly Branch[],
    outerSchemas: readonly JsonSchema[],
    at: Location,
    texts: TypeTexts,
  ): boolean {
    let ok = true;
    // Finite sets are checked value by value against the outer schema: exact.
    const values: JsonValue[] =
      x.enum !== undefined
        ? [...x.enum]
        : [...(x.types.has("null") ? [null] : []), ...(x.types.has("boolean") ? [true, false] : [])];
    const rejected: JsonValue[] = [];
    const rejectedTypes = new Set<JsonType>();
    for (const value of values) {
      const verdict = evaluateAll(value, outerSchemas);
      if (verdict === undefined) {
        ok = this.unprovable(at, `cannot decide whether ${showValue(value)} is accepted`);
      } else if (!verdict) {
        const type = jsonTypeOf(value);
        if (x.enum === undefined && !outer.some((y) => !emptyForType(y, type))) rejectedTypes.add(type);
        else rejected.push(value);
      }
    }
    if (rejectedTypes.size > 0) ok = this.fail(at, "type", "type", `type ${this.arrow(texts.inner, texts.outer)}`);
    if (rejected.length > 0) {
      const list = showValues(rejected);
      ok = this.fail(at, "enum", "enum", this.narrowing ? `no longer accepts ${list}` : `now accepts ${list}`);
    }
    if (x.enum !== undefined) return ok;

    for (const type of STRUCTURED_TYPES) {
      if (emptyForType(x, type)) continue;
      ok = this.typeIncluded(x, type, outer, at, texts) && ok;
    }
    return ok;
  }

  /** The `type` part of branch x is included in the union of the outer branches. */
  private typeIncluded(x: Branch, type: JsonType, outer: readonly Branch[], at: Location, texts: TypeTexts): boolean {
    const candidates = outer.filter((y) => !emptyForType(y, type));
    if (candidates.length === 0) return this.fail(at, "type", "type", `type ${this.arrow(texts.inner, texts.outer)}`);
    if (candidates.length === 1) return this.typeIncludedIn(x, candidates[0]!, type, at, texts);
    // Several variants could hold these values: one of them must hold them all.
    let best: ReturnType<InclusionChecker["attempt"]> | undefined;
    for (const y of candidates) {
      const attempt = this.attempt(() => this.typeIncludedIn(x, y, type, at, texts));
      if (attempt.ok) {
        for (const reason of attempt.reasons) this.record(reason); // notes only: it held
        return true;
      }
      if (best === undefined || attempt.reasons.length < best.reasons.length) best = attempt;
    }
    for (const reason of best!.reasons) this.record(reason);
    return false;
  }

  private typeIncludedIn(x: Branch, y: Branch, type: JsonType, at: Location, texts: TypeTexts): boolean {
    if (y.enum !== undefined) {
      const list = showValues(y.enum);
      return this.fail(
        at,
        "enum",
        "enum",
        this.narrowing ? `now only accepts ${list}` : `now accepts any ${type}, not only ${list}`,
      );
    }
    let ok = true;
    for (const keyword of y.interacting) {
      const only = TYPE_OF_KEYWORD[keyword];
      if (only === undefined || only === type) ok = this.unprovable(at, `'${keyword}' is not compared`);
    }
    for (const [group, occurrences] of y.independent) {
      const only = TYPE_OF_KEYWORD[group];
      if (only !== undefined && only !== type) continue;
      const mine = new Set(x.independent.get(group) ?? []);
      if (!occurrences.every((text) => mine.has(text))) ok = this.unprovable(at, `'${group}' differs`);
    }
    switch (type) {
      case "number":
        return numbersIncluded(this, x, y, at, texts) && ok;
      case "string":
        return stringsIncluded(this, x, y, at) && ok;
      case "array":
        return arraysIncluded(this, x, y, at) && ok;
      case "object":
        return objectsIncluded(this, x, y, at) && ok;
      default:
        return ok;
    }
  }
}

/** `true`, or an object of annotations only: accepts everything. */
function isTrivial(schema: JsonSchema): boolean {
  if (schema === true) return true;
  if (schema === false) return false;
  return Object.keys(schema).every((keyword) => classifyKeyword(keyword) === "annotation");
}
