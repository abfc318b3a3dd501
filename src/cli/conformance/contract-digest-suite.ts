import * as v from "valibot";
import { loadManifest } from "../../contracts/index.ts";
import type { SuiteRunner } from "./types.ts";

const Vector = v.object({ name: v.string(), input: v.unknown(), digest: v.string() });

export const runContractDigestVector: SuiteRunner = (raw) => {
  const parsed = v.safeParse(Vector, raw);
  if (!parsed.success) return { error: `malformed vector: ${v.summarize(parsed.issues)}` };
  const loaded = loadManifest(parsed.output.input);
  const actual = loaded.isOk()
    ? loaded.value.digest
    : `invalid manifest: ${loaded.error.issues.map((issue) => `${issue.path} ${issue.message}`).join("; ")}`;
  return [{ field: "digest", expected: parsed.output.digest, actual }];
};
