import { encodeSubjectToken } from "../../contracts/index.ts";

/**
 * Keys of kv resources (runtime-wire.md §6): `.`-delimited, each token
 * encoded as a subject token (§0.2): NUL, whitespace, `*`, `>`, `~` →
 * `~<HEX>~`; an empty or `$`-leading token gets a `_` prefix. Every other
 * character is kept (NATS subjects allow it), so the stored key is exactly
 * the spec's and any runtime binding the same bucket finds it.
 *
 * One addition keeps the encoding injective, which `keys()` and `watch()`
 * need to give back the caller's key: a token that *looks* prefixed (`_`
 * alone, or `_$…`) has its own leading `_` written `~5F~`; otherwise `""`
 * and `"_"` (or `"$a"` and `"_$a"`) would share one stored key.
 */

const LOOKS_PREFIXED = /^_(\$|$)/;

function encodeToken(token: string): string {
  if (!LOOKS_PREFIXED.test(token)) return encodeSubjectToken(token);
  // The rest is empty or `$`-leading, so §0.2 always prefixes it: that `_` is dropped.
  return `~5F~${encodeSubjectToken(token.slice(1)).slice(1)}`;
}

function decodeToken(token: string): string {
  const body = LOOKS_PREFIXED.test(token) ? token.slice(1) : token;
  return body.replace(/~([0-9A-F]+)~/g, (_, code: string) => String.fromCodePoint(parseInt(code, 16)));
}

/** A user key as the KV key stored in the bucket. */
export function encodeKvKey(key: string): string {
  return key.split(".").map(encodeToken).join(".");
}

/**
 * A `keys()`/`watch()` filter: whole `*` and `>` tokens stay wildcards (a
 * literal `*` token of a key is encoded, so it cannot be matched by itself).
 */
export function encodeKvFilter(filter: string): string {
  return filter
    .split(".")
    .map((token) => (token === "*" || token === ">" ? token : encodeToken(token)))
    .join(".");
}

/** The user key of a stored KV key. */
export function decodeKvKey(stored: string): string {
  return stored.split(".").map(decodeToken).join(".");
}

const INVALID_STORED = /[\u0000\s*>]/u;

/**
 * What nats.js checks of a key before using it, replaced on our buckets: its
 * own rule (`[-/=.\w]` only) would refuse the `~HEX~` escapes and every
 * non-ASCII character the spec keeps. An encoded key is always a valid
 * subject, so this only guards against a bug.
 */
export function checkStoredKey(stored: string): void {
  if (stored.split(".").some((token) => token === "" || INVALID_STORED.test(token))) {
    throw new Error(`invalid kv key '${stored}'`);
  }
}

/** The same for filters, where whole `*` and `>` tokens are wildcards. */
export function checkStoredFilter(stored: string): void {
  const tokens = stored.split(".");
  const bad = tokens.some(
    (token, index) =>
      token === "" || (token === ">" ? index !== tokens.length - 1 : token !== "*" && INVALID_STORED.test(token)),
  );
  if (bad) throw new Error(`invalid kv filter '${stored}'`);
}
