import * as v from "valibot";
import { canonicalJson, jsonDigest, type Result, type ValidationError } from "../../contracts/index.ts";
import type { SuiteRunner } from "./types.ts";

const Vector = v.object({ name: v.string(), input: v.unknown(), canonical: v.string(), digest: v.string() });

const describe = (result: Result<string, ValidationError>) =>
  result.match({ ok: (text) => text, err: (error) => `error: ${error.message}` });

export const runCanonicalJsonVector: SuiteRunner = (raw) => {
  const parsed = v.safeParse(Vector, raw);
  if (!parsed.success) return { error: `malformed vector: ${v.summarize(parsed.issues)}` };
  const { input, canonical, digest } = parsed.output;
  return [
    { field: "canonical", expected: canonical, actual: describe(canonicalJson(input)) },
    { field: "digest", expected: digest, actual: describe(jsonDigest(input)) },
  ];
};
