import type { JsonValue } from "../../json/pure-json.ts";
import type { JsonSchema } from "../../manifest/types.ts";
import {
  branchesOf,
  declaredNames,
  emptyForType,
  integerLower,
  integerOnly,
  integerUpper,
  itemSchemas,
  otherPropertySchemas,
  propertySchemas,
  restItemSchemas,
  tupleLength,
  wireClosed,
  type Bound,
  type Branch,
} from "./branch.ts";
import type { Aspect, Inclusion, Orientation, Reason } from "./change.ts";
import { describeCount, describeLower, describeTypes, describeUpper } from "./describe.ts";
import { evaluateAll } from "./evaluate.ts";
import { classifyKeyword } from "./keywords.ts";
import { ROOT, renderLocation, type Location, type LocationStep } from "./location.ts";
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

type TypeTexts = { inner: string; outer: string };

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

class InclusionChecker {
  reasons: Reason[] = [];
  private seen = new Set<string>();

  constructor(
    private readonly orientation: Orientation,
    private readonly values: "any" | "wire",
  ) {}

  /** A failure of this check means the new schema rejects more (rather than accepts more). */
  private get narrowing(): boolean {
    return this.orientation === "old-in-new";
  }

  /** "a → b" from the inner and outer texts, in old → new order. */
  private arrow(inner: string, outer: string): string {
    return this.narrowing ? `${inner} → ${outer}` : `${outer} → ${inner}`;
  }

  private fail(at: Location, aspect: Aspect, key: string, message: string): false {
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
  private note(at: Location, key: string, message: string): void {
    const where = renderLocation(at);
    this.record({ note: true, at, aspect: "declared", key, message: where === "" ? message : `${where}: ${message}` });
  }

  private unprovable(at: Location, why: string): false {
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
      if (attempt.ok) return true;
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
        return this.numberIncluded(x, y, at, texts) && ok;
      case "string":
        return this.stringIncluded(x, y, at) && ok;
      case "array":
        return this.arrayIncluded(x, y, at) && ok;
      case "object":
        return this.objectIncluded(x, y, at) && ok;
      default:
        return ok;
    }
  }

  private numberIncluded(x: Branch, y: Branch, at: Location, texts: TypeTexts): boolean {
    let ok = true;
    const xInteger = integerOnly(x);
    if (y.integer && !xInteger) ok = this.fail(at, "type", "type", `type ${this.arrow(texts.inner, texts.outer)}`);
    const lower = xInteger ? integerLower(x.lower) : x.lower;
    if (y.lower !== undefined && (lower === undefined || !lowerWithin(lower, y.lower))) {
      ok = this.fail(
        at,
        "bounds",
        "lower",
        `lower bound ${this.arrow(describeLower(x.lower), describeLower(y.lower))}`,
      );
    }
    const upper = xInteger ? integerUpper(x.upper) : x.upper;
    if (y.upper !== undefined && (upper === undefined || !upperWithin(upper, y.upper))) {
      ok = this.fail(
        at,
        "bounds",
        "upper",
        `upper bound ${this.arrow(describeUpper(x.upper), describeUpper(y.upper))}`,
      );
    }
    for (const divisor of y.multipleOf) {
      const implied =
        x.multipleOf.some((m) => isWholeMultiple(m, divisor)) || (xInteger && isWholeMultiple(1, divisor));
      if (!implied) {
        const list = (branch: Branch) => (branch.multipleOf.length === 0 ? "none" : branch.multipleOf.join(", "));
        ok = this.fail(at, "multiple-of", String(divisor), `multipleOf ${this.arrow(list(x), list(y))}`);
      }
    }
    return ok;
  }

  private stringIncluded(x: Branch, y: Branch, at: Location): boolean {
    let ok = true;
    if (x.minLength < y.minLength) {
      ok = this.fail(at, "bounds", "minLength", `minLength ${this.arrow(String(x.minLength), String(y.minLength))}`);
    }
    if (y.maxLength !== undefined && (x.maxLength === undefined || x.maxLength > y.maxLength)) {
      ok = this.fail(
        at,
        "bounds",
        "maxLength",
        `maxLength ${this.arrow(describeCount(x.maxLength), describeCount(y.maxLength))}`,
      );
    }
    for (const pattern of y.patterns) {
      if (x.patterns.includes(pattern)) continue;
      ok = this.fail(
        at,
        "pattern",
        pattern,
        `pattern ${JSON.stringify(pattern)} ${this.narrowing ? "added" : "removed"}`,
      );
    }
    for (const format of y.formats) {
      if (x.formats.includes(format)) continue;
      ok = this.fail(at, "format", format, `format '${format}' ${this.narrowing ? "added" : "removed"}`);
    }
    return ok;
  }

  private arrayIncluded(x: Branch, y: Branch, at: Location): boolean {
    let ok = true;
    if (x.minItems < y.minItems) {
      ok = this.fail(at, "bounds", "minItems", `minItems ${this.arrow(String(x.minItems), String(y.minItems))}`);
    }
    if (y.maxItems !== undefined && (x.maxItems === undefined || x.maxItems > y.maxItems)) {
      ok = this.fail(
        at,
        "bounds",
        "maxItems",
        `maxItems ${this.arrow(describeCount(x.maxItems), describeCount(y.maxItems))}`,
      );
    }
    if (y.uniqueItems && !x.uniqueItems && !(x.maxItems !== undefined && x.maxItems <= 1)) {
      ok = this.fail(
        at,
        "unique-items",
        "uniqueItems",
        this.narrowing ? "items must now be unique" : "items no longer need to be unique",
      );
    }
    const positions = Math.max(tupleLength(x), tupleLength(y));
    const longest = x.maxItems ?? Number.POSITIVE_INFINITY;
    for (let index = 0; index < positions && index < longest; index++) {
      ok = this.includes(itemSchemas(x, index), itemSchemas(y, index), step(at, { kind: "index", index })) && ok;
    }
    if (longest > positions) {
      ok = this.includes(restItemSchemas(x), restItemSchemas(y), step(at, { kind: "items" })) && ok;
    }
    return ok;
  }

  private objectIncluded(x: Branch, y: Branch, at: Location): boolean {
    let ok = true;
    // On the wire, properties the producer's schema does not declare are never sent.
    const closed = this.values === "wire" && wireClosed(x);
    const declared = declaredNames(x);
    const required = closed ? new Set([...x.required].filter((name) => declared.has(name))) : x.required;
    for (const name of y.required) {
      if (required.has(name)) continue;
      ok = this.fail(
        at,
        "required",
        name,
        this.narrowing ? `'${name}' is now required` : `'${name}' is no longer required`,
      );
    }
    // A value has at least its required properties; stripping may drop any others.
    const fewest = closed ? required.size : Math.max(x.minProperties, required.size);
    const most = closed ? minOf(x.maxProperties, declared.size) : x.maxProperties;
    if (fewest < y.minProperties) {
      ok = this.fail(
        at,
        "bounds",
        "minProperties",
        `minProperties ${this.arrow(String(fewest), String(y.minProperties))}`,
      );
    }
    if (y.maxProperties !== undefined && (most === undefined || most > y.maxProperties)) {
      ok = this.fail(
        at,
        "bounds",
        "maxProperties",
        `maxProperties ${this.arrow(describeCount(most), describeCount(y.maxProperties))}`,
      );
    }

    const usesPatterns = [...x.objects, ...y.objects].some((part) => part.patterns !== undefined);
    if (usesPatterns) {
      // Which names fall to which schema depends on the patterns: compared only when identical.
      if (objectPartsText(x) !== objectPartsText(y)) ok = this.unprovable(at, "'patternProperties' differs");
      return ok;
    }

    const names = new Set(declared);
    for (const name of declaredNames(y)) {
      if (!closed) names.add(name);
      else if (!declared.has(name) && !y.required.has(name)) {
        const sender = this.narrowing ? "old senders never send it" : "new senders never send it";
        this.note(at, name, `'${name}' ${this.narrowing ? "added" : "removed"} (optional; ${sender})`);
      }
    }
    for (const name of [...names].sort()) {
      const inner = propertySchemas(x, name);
      const outer = propertySchemas(y, name);
      if (outer.includes(false) && !inner.includes(false)) {
        ok = this.fail(
          at,
          "property",
          name,
          this.narrowing ? `'${name}' is no longer allowed` : `'${name}' is now allowed`,
        );
      } else {
        ok = this.includes(inner, outer, step(at, { kind: "property", name })) && ok;
      }
    }
    if (closed) return ok;
    const innerOthers = otherPropertySchemas(x);
    const outerOthers = otherPropertySchemas(y);
    if (outerOthers.includes(false) && !innerOthers.includes(false)) {
      ok = this.fail(
        at,
        "other-properties",
        "additionalProperties",
        this.narrowing ? "no longer accepts other properties" : "now accepts other properties",
      );
    } else {
      ok = this.includes(innerOthers, outerOthers, step(at, { kind: "other-properties" })) && ok;
    }
    return ok;
  }
}

const minOf = (a: number | undefined, b: number) => (a === undefined ? b : Math.min(a, b));

function step(at: Location, next: LocationStep): Location {
  return [...at, next];
}

/** `true`, or an object of annotations only: accepts everything. */
function isTrivial(schema: JsonSchema): boolean {
  if (schema === true) return true;
  if (schema === false) return false;
  return Object.keys(schema).every((keyword) => classifyKeyword(keyword) === "annotation");
}

/** Lower bound `a` excludes at least what `b` excludes. */
function lowerWithin(a: Bound, b: Bound): boolean {
  return a.value > b.value || (a.value === b.value && (a.exclusive || !b.exclusive));
}

function upperWithin(a: Bound, b: Bound): boolean {
  return a.value < b.value || (a.value === b.value && (a.exclusive || !b.exclusive));
}

/** Every multiple of `m` is a multiple of `divisor` (exactly, in floating point). */
function isWholeMultiple(m: number, divisor: number): boolean {
  const quotient = m / divisor;
  return Number.isInteger(quotient) && quotient * divisor === m;
}

function objectPartsText(branch: Branch): string {
  return keyOf(
    branch.objects.map((part) => ({
      properties: part.properties,
      additional: part.additional ?? null,
      patterns: part.patterns ?? null,
    })) as unknown as JsonValue,
  );
}
