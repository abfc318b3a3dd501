import { canonicalJsonOfPure } from "../json/canonical.ts";
import { digestText } from "../json/digest.ts";
import type { JsonValue } from "../json/pure-json.ts";
import { projectManifest } from "./project.ts";
import type { NormalizedManifest } from "./types.ts";

/**
 * The contract digest (contracts.md §3): `base64url(SHA-256(JCS(P(n))))`,
 * 43 characters. Only a normalized manifest has one.
 */
export function contractDigest(n: NormalizedManifest): string {
  return digestText(canonicalJsonOfPure(projectManifest(n)));
}

/** Canonical JSON of a normalized manifest: parsing proved it pure JSON, so it is not checked again. */
export function canonicalManifest(n: NormalizedManifest): string {
  return canonicalJsonOfPure(n as unknown as JsonValue);
}
