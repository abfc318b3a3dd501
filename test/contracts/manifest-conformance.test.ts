import { describe, expect, test } from "bun:test";
import canonicalVectors from "../../conformance/canonical-json/vectors.json";
import {
  canonicalJson,
  contractDigest,
  jsonDigest,
  loadManifest,
  normalizeManifest,
  parseManifest,
  projectManifest,
} from "../../src/contracts/index.ts";
import { APPENDIX_A_VECTORS, CONFORMANCE_VECTORS, conformanceInput } from "./manifest-fixtures.ts";

type CanonicalVector = { name: string; input: unknown; canonical: string; digest: string };

describe("canonical JSON vectors (conformance/canonical-json)", () => {
  for (const vector of canonicalVectors as CanonicalVector[]) {
    test(vector.name, () => {
      expect(canonicalJson(vector.input).orThrow()).toBe(vector.canonical);
      expect(jsonDigest(vector.input).orThrow()).toBe(vector.digest);
    });
  }

  test("the generic JSON digest example of §3", () => {
    expect(canonicalJson({ b: 1, a: "x" }).orThrow()).toBe('{"a":"x","b":1}');
    expect(jsonDigest({ b: 1, a: "x" }).orThrow()).toBe("zasGfp876zLRJSz9Y-SSWS_sv1kbDQjK2yS7F_OGQkY");
  });
});

describe("contract digest vectors", () => {
  for (const vector of [...CONFORMANCE_VECTORS, ...APPENDIX_A_VECTORS]) {
    test(vector.name, () => {
      const loaded = loadManifest(vector.input).orThrow();
      expect(loaded.digest).toBe(vector.digest);
      expect(loaded.digest).toMatch(/^[A-Za-z0-9_-]{43}$/);
      // The same through the individual steps.
      expect(contractDigest(normalizeManifest(parseManifest(vector.input).orThrow()))).toBe(vector.digest);
    });
  }

  test("the conformance vector projects to exactly the string of §4", () => {
    const n = normalizeManifest(parseManifest(conformanceInput()).orThrow());
    expect(canonicalJson(projectManifest(n)).orThrow()).toBe(
      '{"capabilities":{"conformance.capabilities::read":{"description":"Read records.","displayName":"Read"}},"format":"trellis.contract.v1","id":"conformance.capabilities@v1","kind":"service","rpc":{"Conformance.Read":{"capabilities":{"call":["conformance.capabilities::read"]},"input":{"schema":"Input"},"output":{"schema":"Output"},"subject":"rpc.v1.Conformance.Read","version":"v1"}},"schemas":{"Input":{"properties":{},"type":"object"},"Output":{"properties":{"value":{"type":"string"}},"required":["value"],"type":"object"}}}',
    );
  });

  test("A1 keeps schemas Approve In Limit Out Prog and only errors.LimitExceeded", () => {
    const n = normalizeManifest(parseManifest(APPENDIX_A_VECTORS[0]!.input).orThrow());
    const projection = projectManifest(n) as { schemas: Record<string, unknown>; errors: Record<string, unknown> };
    expect(Object.keys(projection.schemas).sort()).toEqual(["Approve", "In", "Limit", "Out", "Prog"]);
    expect(projection.errors).toEqual({ LimitExceeded: { type: "LimitExceeded", schema: { schema: "Limit" } } });
  });

  test("loadManifest's canonical text is the canonical JSON of the normalized manifest, and reloads to the same digest", () => {
    for (const vector of [...CONFORMANCE_VECTORS, ...APPENDIX_A_VECTORS]) {
      const loaded = loadManifest(vector.input).orThrow();
      expect(loaded.canonical).toBe(canonicalJson(loaded.manifest).orThrow());
      const reloaded = loadManifest(JSON.parse(loaded.canonical)).orThrow();
      expect(reloaded.canonical).toBe(loaded.canonical);
      expect(reloaded.digest).toBe(vector.digest);
    }
  });
});
