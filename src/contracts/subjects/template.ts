import { ValidationError } from "../errors/builtin.ts";
import { err, ok, type Result } from "../result/result.ts";
import { parsePointer } from "../schema/pointer.ts";

/**
 * Subject templates (runtime-wire.md §0.2): `{<json-pointer>}` placeholders,
 * each filling one whole subject token from the payload.
 */

/** The value a placeholder may take: what the manifest pointer check calls tokenable. */
export type SubjectTokenValue = string | number | boolean;

/**
 * Characters that would break a NATS subject token or collide with the escape
 * itself: NUL, whitespace, the token separator, both wildcards and `~`.
 */
const UNSAFE = /[\u0000\s.*>~]/u;

/**
 * One payload value as one subject token: each unsafe character becomes
 * `~<HEX>~` (uppercase code point, space → `~20~`); an empty result or one
 * starting with `$` (reserved for `$JS`, `$SYS`, ...) gets a `_` prefix.
 */
export function encodeSubjectToken(value: SubjectTokenValue): string {
  let encoded = "";
  // for..of walks code points, so astral characters are never split.
  for (const char of String(value)) {
    encoded += UNSAFE.test(char) ? `~${char.codePointAt(0)!.toString(16).toUpperCase()}~` : char;
  }
  return encoded === "" || encoded.startsWith("$") ? `_${encoded}` : encoded;
}

/** A subject split into literal text and `{pointer}` placeholders, in order. */
type TemplatePart = { literal: string } | { pointer: string };

/**
 * Splits at braces rather than at dots, because a JSON pointer may itself
 * contain a `.` (`{/a.b}`). Unbalanced or nested braces are a template error.
 */
function parseTemplate(subject: string): Result<TemplatePart[], ValidationError> {
  const parts: TemplatePart[] = [];
  let rest = subject;
  while (rest.length > 0) {
    const open = rest.indexOf("{");
    const close = rest.indexOf("}");
    if (open === -1) {
      if (close !== -1) return templateError(subject);
      parts.push({ literal: rest });
      break;
    }
    if (close !== -1 && close < open) return templateError(subject);
    const end = rest.indexOf("}", open);
    const nested = rest.indexOf("{", open + 1);
    if (end === -1 || (nested !== -1 && nested < end)) return templateError(subject);
    if (open > 0) parts.push({ literal: rest.slice(0, open) });
    parts.push({ pointer: rest.slice(open + 1, end) });
    rest = rest.slice(end + 1);
  }
  return ok(parts);
}

function templateError(subject: string): Result<never, ValidationError> {
  return err(
    new ValidationError([{ path: "", message: `subject template '${subject}' has unbalanced or nested braces` }]),
  );
}

type Lookup = { kind: "absent" } | { kind: "value"; value: unknown } | { kind: "bad-pointer" };

/** The payload value at `pointer`; arrays are indexed by decimal segment. */
function lookup(payload: unknown, pointer: string): Lookup {
  // Placeholders always start with "/" (contracts.md §2.7), so the root pointer "" is refused too.
  const segments = pointer.startsWith("/") ? parsePointer(pointer) : undefined;
  if (segments === undefined) return { kind: "bad-pointer" };
  let current: unknown = payload;
  for (const segment of segments) {
    if (Array.isArray(current)) {
      if (!/^(0|[1-9][0-9]*)$/.test(segment)) return { kind: "absent" };
      current = current[Number(segment)];
    } else if (typeof current === "object" && current !== null) {
      current = Object.hasOwn(current, segment) ? (current as Record<string, unknown>)[segment] : undefined;
    } else {
      return { kind: "absent" };
    }
    if (current === undefined || current === null) return { kind: "absent" };
  }
  return { kind: "value", value: current };
}

function isTokenValue(value: unknown): value is SubjectTokenValue {
  return (
    typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value))
  );
}

/**
 * Fills every placeholder from `payload` (sending side). A null or missing
 * value fails with a ValidationError whose issue path is the pointer; so does
 * a non-scalar one, which the manifest pointer check rules out for payloads
 * that match their schema.
 */
export function fillSubjectTemplate(subject: string, payload: unknown): Result<string, ValidationError> {
  return substitute(subject, payload, "fill");
}

/**
 * The subject to subscribe to for a partial payload: a placeholder whose value
 * is absent (or null) or the string `"*"` becomes the wildcard `*`; any other
 * value is encoded as when sending, so a filter matches what a publisher of
 * that value sends.
 */
export function subscriptionSubject(subject: string, partialPayload: unknown = {}): Result<string, ValidationError> {
  return substitute(subject, partialPayload, "subscribe");
}

function substitute(subject: string, payload: unknown, mode: "fill" | "subscribe"): Result<string, ValidationError> {
  const parsed = parseTemplate(subject);
  if (parsed.isErr()) return err(parsed.error);
  const issues: { path: string; message: string }[] = [];
  let out = "";
  for (const part of parsed.value) {
    if ("literal" in part) {
      out += part.literal;
      continue;
    }
    const found = lookup(payload, part.pointer);
    if (found.kind === "bad-pointer") {
      issues.push({ path: "", message: `'{${part.pointer}}' is not a JSON Pointer placeholder` });
    } else if (found.kind === "absent") {
      if (mode === "subscribe") out += "*";
      else issues.push({ path: part.pointer, message: "is required to fill the subject (null or missing)" });
    } else if (mode === "subscribe" && found.value === "*") {
      out += "*";
    } else if (isTokenValue(found.value)) {
      out += encodeSubjectToken(found.value);
    } else {
      issues.push({ path: part.pointer, message: "must be a string, number or boolean to fill a subject token" });
    }
  }
  return issues.length > 0 ? err(new ValidationError(issues)) : ok(out);
}
