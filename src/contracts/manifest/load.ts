import type { ValidationError } from "../errors/builtin.ts";
import type { Result } from "../result/result.ts";
import { canonicalManifest, contractDigest } from "./digest.ts";
import { normalizeManifest } from "./normalize.ts";
import { parseManifest } from "./parse.ts";
import type { NormalizedManifest } from "./types.ts";

export type LoadedManifest = {
  manifest: NormalizedManifest;
  /** `base64url(SHA-256(JCS(P(manifest))))`. */
  digest: string;
  /** Canonical JSON of the normalized manifest: what is stored and written to disk. */
  canonical: string;
};

/** Validate, normalize and digest (contracts.md §3: what every tool and runtime does first). */
export function loadManifest(input: unknown): Result<LoadedManifest, ValidationError> {
  return parseManifest(input).map((parsed) => {
    const manifest = normalizeManifest(parsed);
    return { manifest, digest: contractDigest(manifest), canonical: canonicalManifest(manifest) };
  });
}
