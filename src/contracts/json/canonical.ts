import { ValidationError } from "../errors/builtin.ts";
import { err, ok, type Result } from "../result/result.ts";
import { findImpureJson, type JsonValue } from "./pure-json.ts";

/**
 * RFC 8785 canonical JSON. Impure values (`-0`, non-finite numbers, lone
 * surrogates, non-JSON values) are refused up front, so what remains
 * serializes exactly as ECMAScript `JSON.stringify` writes scalars.
 */
export function canonicalJson(value: unknown): Result<string, ValidationError> {
  const issues = findImpureJson(value);
  if (issues.length > 0) return err(new ValidationError(issues));
  return ok(canonicalJsonOfPure(value as JsonValue));
}

/**
 * JCS of a value already known to be pure JSON (a validated manifest, its
 * projection), without checking it again: members sorted by UTF-16 code
 * units, no whitespace, scalars as `JSON.stringify` writes them.
 *
 * Fast path: copy the value with every object's keys inserted in sorted
 * order and let the native `JSON.stringify` write it. Two cases take the
 * hand-written path instead: integer-like keys (`{"10": .., "9": ..}`),
 * which JavaScript objects list first whatever the insertion order, and
 * nesting deeper than the native serializer's recursion allows.
 */
export function canonicalJsonOfPure(value: JsonValue): string {
  const sorted = sortedCopy(value, 0);
  return sorted === HAND_WRITTEN ? writeCanonical(value) : JSON.stringify(sorted);
}

const HAND_WRITTEN: unique symbol = Symbol("hand-written");
const INTEGER_LIKE = /^(?:0|[1-9][0-9]*)$/;
/** Well below where `JSON.stringify` overflows the stack (about 25,000 levels in Bun and Node). */
const FAST_PATH_MAX_DEPTH = 5000;

function sortedCopy(value: JsonValue, depth: number): JsonValue | typeof HAND_WRITTEN {
  if (value === null || typeof value !== "object") return value;
  if (depth > FAST_PATH_MAX_DEPTH) return HAND_WRITTEN;
  if (Array.isArray(value)) {
    const items: JsonValue[] = [];
    for (const item of value) {
      const copy = sortedCopy(item, depth + 1);
      if (copy === HAND_WRITTEN) return HAND_WRITTEN;
      items.push(copy);
    }
    return items;
  }
  const out: { [key: string]: JsonValue } = {};
  for (const key of Object.keys(value).sort()) {
    if (isDigit(key.charCodeAt(0)) && INTEGER_LIKE.test(key)) return HAND_WRITTEN;
    const copy = sortedCopy(value[key]!, depth + 1);
    if (copy === HAND_WRITTEN) return HAND_WRITTEN;
    // An own `__proto__` member must be defined: assigning it would set the prototype.
    if (key === "__proto__")
      Object.defineProperty(out, key, { value: copy, enumerable: true, writable: true, configurable: true });
    else out[key] = copy;
  }
  return out;
}

const isDigit = (code: number) => code >= 48 && code <= 57;

/** Literal output, told apart from the JSON values on the same work stack. */
class Text {
  constructor(readonly text: string) {}
}

/** The hand-written JCS writer, iterative so that no nesting depth overflows the stack. */
function writeCanonical(root: JsonValue): string {
  let out = "";
  const work: (JsonValue | Text)[] = [root];
  while (work.length > 0) {
    const task = work.pop()!;
    if (task instanceof Text) {
      out += task.text;
    } else if (task === null || typeof task !== "object") {
      out += JSON.stringify(task);
    } else if (Array.isArray(task)) {
      out += "[";
      work.push(new Text("]"));
      for (let i = task.length - 1; i >= 0; i--) {
        work.push(task[i]!);
        if (i > 0) work.push(new Text(","));
      }
    } else {
      out += "{";
      work.push(new Text("}"));
      const keys = Object.keys(task).sort();
      for (let i = keys.length - 1; i >= 0; i--) {
        work.push(task[keys[i]!]!, new Text(`${JSON.stringify(keys[i])}:`));
        if (i > 0) work.push(new Text(","));
      }
    }
  }
  return out;
}
