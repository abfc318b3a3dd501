import { createHash } from "node:crypto";
import type { ValidationError } from "../errors/builtin.ts";
import type { Result } from "../result/result.ts";
import { canonicalJson } from "./canonical.ts";

export function sha256(bytes: Uint8Array | string): Uint8Array {
  return createHash("sha256").update(bytes).digest();
}

/** RFC 4648 §5 base64url without padding. */
export function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64url");
}

/** `base64url(SHA-256(UTF-8(text)))`: 43 characters. */
export function digestText(text: string): string {
  return base64url(sha256(text));
}

/** Trellis's generic JSON digest: `base64url(SHA-256(JCS(value)))` (contracts.md §3). */
export function jsonDigest(value: unknown): Result<string, ValidationError> {
  return canonicalJson(value).map(digestText);
}
