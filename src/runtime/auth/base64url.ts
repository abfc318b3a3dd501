import { err, ok, type Result } from "../../contracts/index.ts";

const ALPHABET = /^[A-Za-z0-9_-]*$/;

/** RFC 4648 §5 base64url, never padded (auth.md §1). */
export function base64urlEncode(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64url");
}

export type Base64urlProblem = "padding" | "alphabet" | "length" | "trailing-bits";

/**
 * Strict decoding: no `=`, nothing outside `A-Za-z0-9-_`, no length that is
 * impossible for base64 (`n % 4 == 1`), and canonical trailing bits (the
 * unused low bits of the last character must be zero), so that every byte
 * string has exactly one accepted text. `bytes` fixes the decoded length.
 */
export function base64urlDecode(text: string, bytes?: number): Result<Uint8Array, Base64urlProblem> {
  if (text.includes("=")) return err("padding");
  if (!ALPHABET.test(text)) return err("alphabet");
  if (text.length % 4 === 1) return err("length");
  const decoded = new Uint8Array(Buffer.from(text, "base64url"));
  if (base64urlEncode(decoded) !== text) return err("trailing-bits");
  if (bytes !== undefined && decoded.length !== bytes) return err("length");
  return ok(decoded);
}

/** Fixed sizes of auth.md §1: seeds, session keys and SHA-256 digests are 32 bytes (43 chars), signatures 64 (86). */
export const KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;
