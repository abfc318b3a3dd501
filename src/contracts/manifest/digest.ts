import { canonicalJson } from "../json/canonical.ts";
import { digestText } from "../json/digest.ts";
import { projectManifest } from "./project.ts";
import type { NormalizedManifest } from "./types.ts";

/**
 * The contract digest (contracts.md §3): `base64url(SHA-256(JCS(P(n))))`,
 * 43 characters. Only a normalized manifest has one.
 */
export function contractDigest(n: NormalizedManifest): string {
  return digestText(canonicalText(projectManifest(n)));
}

/**
 * Canonical JSON (RFC 8785) of a value that parsing already proved pure; a
 * failure here is a bug, hence the throw.
 */
export function canonicalText(value: unknown): string {
  const canonical = canonicalJson(value);
  if (canonical.isErr()) throw new Error(`canonical JSON of a validated manifest failed: ${canonical.error.message}`);
  return canonical.value;
}
