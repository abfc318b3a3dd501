import * as v from "valibot";
import { ValidationError } from "../errors/builtin.ts";
import { jsonDigest } from "../json/digest.ts";
import { pointerOf } from "../json/pure-json.ts";
import { ManifestSchema } from "../manifest/schema.ts";
import type { NormalizedManifest } from "../manifest/types.ts";
import { err, type Result } from "../result/result.ts";

export interface LoadedContract {
  readonly manifest: NormalizedManifest;
  readonly digest: string;
}

/**
 * The one place authoring meets the manifest pipeline: validate, normalize
 * and digest the emitted JSON exactly as a JSON artifact would be.
 * TEMPORARY: shape parse plus a plain JSON digest until `loadManifest` lands.
 */
export function loadEmittedManifest(json: unknown): Result<LoadedContract, ValidationError> {
  const parsed = v.safeParse(ManifestSchema, json);
  if (!parsed.success) {
    return err(
      new ValidationError(
        parsed.issues.map((issue) => ({ path: pointerOf((issue.path ?? []).map((p) => String(p.key))), message: issue.message })),
      ),
    );
  }
  const manifest = parsed.output as NormalizedManifest;
  return jsonDigest(manifest).map((digest) => ({ manifest, digest }));
}
