import type { Bound, Branch } from "./branch.ts";
import { integerLower, integerOnly, integerUpper } from "./branch-parts.ts";
import type { Checker, TypeTexts } from "./checker.ts";
import { describeCount, describeLower, describeUpper } from "./describe.ts";
import type { Location } from "./location.ts";

/** Inclusion of the number and string parts of two branches. */

export function numbersIncluded(c: Checker, x: Branch, y: Branch, at: Location, texts: TypeTexts): boolean {
  let ok = true;
  const xInteger = integerOnly(x);
  if (y.integer && !xInteger) ok = c.fail(at, "type", "type", `type ${c.arrow(texts.inner, texts.outer)}`);
  const lower = xInteger ? integerLower(x.lower) : x.lower;
  if (y.lower !== undefined && (lower === undefined || !lowerWithin(lower, y.lower))) {
    ok = c.fail(at, "bounds", "lower", `lower bound ${c.arrow(describeLower(x.lower), describeLower(y.lower))}`);
  }
  const upper = xInteger ? integerUpper(x.upper) : x.upper;
  if (y.upper !== undefined && (upper === undefined || !upperWithin(upper, y.upper))) {
    ok = c.fail(at, "bounds", "upper", `upper bound ${c.arrow(describeUpper(x.upper), describeUpper(y.upper))}`);
  }
  for (const divisor of y.multipleOf) {
    const implied = x.multipleOf.some((m) => isWholeMultiple(m, divisor)) || (xInteger && isWholeMultiple(1, divisor));
    if (!implied) {
      const list = (branch: Branch) => (branch.multipleOf.length === 0 ? "none" : branch.multipleOf.join(", "));
      ok = c.fail(at, "multiple-of", String(divisor), `multipleOf ${c.arrow(list(x), list(y))}`);
    }
  }
  return ok;
}

export function stringsIncluded(c: Checker, x: Branch, y: Branch, at: Location): boolean {
  let ok = true;
  if (x.minLength < y.minLength) {
    ok = c.fail(at, "bounds", "minLength", `minLength ${c.arrow(String(x.minLength), String(y.minLength))}`);
  }
  if (y.maxLength !== undefined && (x.maxLength === undefined || x.maxLength > y.maxLength)) {
    ok = c.fail(
      at,
      "bounds",
      "maxLength",
      `maxLength ${c.arrow(describeCount(x.maxLength), describeCount(y.maxLength))}`,
    );
  }
  for (const pattern of y.patterns) {
    if (x.patterns.includes(pattern)) continue;
    ok = c.fail(at, "pattern", pattern, `pattern ${JSON.stringify(pattern)} ${c.narrowing ? "added" : "removed"}`);
  }
  for (const format of y.formats) {
    if (x.formats.includes(format)) continue;
    ok = c.fail(at, "format", format, `format '${format}' ${c.narrowing ? "added" : "removed"}`);
  }
  return ok;
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
