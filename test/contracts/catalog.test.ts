import { describe, expect, test } from "bun:test";
import { activeContractIssues, buildCatalog, withCatalogIssues, type CatalogIssue } from "../../src/contracts/index.ts";
import { BILLING_A1, billing, normalized, partners, workers } from "./permissions-fixtures.ts";

const copy = (id: string, displayName = id) => ({ id, displayName, description: `${id} description` });

describe("buildCatalog", () => {
  test("one entry per concrete digest, sorted by id then digest", () => {
    const catalog = buildCatalog([
      { digest: "zzz", manifest: copy("workers@v1") },
      { digest: "bbb", manifest: copy("billing@v1") },
      { digest: "Bxx", manifest: copy("billing@v1") }, // uppercase sorts before lowercase (UTF-16)
      { digest: "aaa", manifest: copy("trellis.core@v1") },
      { digest: "-_0", manifest: copy("billing@v1") },
      { digest: "ccc", manifest: copy("billing-ext@v1") }, // '-' (0x2D) < '@' (0x40)
    ]);
    expect(catalog.format).toBe("trellis.catalog.v1");
    expect(catalog.contracts.map((c) => `${c.id} ${c.digest}`)).toEqual([
      "billing-ext@v1 ccc",
      "billing@v1 -_0",
      "billing@v1 Bxx",
      "billing@v1 bbb",
      "trellis.core@v1 aaa",
      "workers@v1 zzz",
    ]);
  });

  test("entries carry exactly id, digest, displayName and description", () => {
    const catalog = buildCatalog([{ digest: "d1", manifest: billing }]);
    expect(catalog.contracts).toEqual([
      { id: "billing@v1", digest: "d1", displayName: "Billing", description: "Refunds." },
    ]);
  });

  test("a digest listed twice yields one entry; an empty input an empty catalog", () => {
    expect(
      buildCatalog([
        { digest: "d", manifest: billing },
        { digest: "d", manifest: billing },
      ]).contracts,
    ).toHaveLength(1);
    expect(buildCatalog([])).toEqual({ format: "trellis.catalog.v1", contracts: [] });
  });
});

describe("catalog issues", () => {
  const catalog = buildCatalog([{ digest: "d1", manifest: billing }]);

  test("issues are omitted when there are none, sorted otherwise", () => {
    expect(withCatalogIssues(catalog, [])).toEqual(catalog);
    expect("issues" in withCatalogIssues(catalog, [])).toBe(false);
    const issues: CatalogIssue[] = [
      { kind: "invalid-active-contract", contractId: "z@v1", digest: "d", message: "bad" },
      { kind: "missing-active-contract", contractId: "a@v1", digest: "d", message: "gone" },
    ];
    expect(withCatalogIssues(catalog, issues).issues?.map((i) => i.contractId)).toEqual(["a@v1", "z@v1"]);
  });

  test("a consistent active set has no issues", () => {
    const entries = [billing, partners, workers].map((manifest, i) => ({ digest: `d${i}`, manifest }));
    expect(activeContractIssues(entries)).toEqual([]);
  });

  test("an active digest whose required uses do not resolve is invalid-active-contract-uses", () => {
    const issues = activeContractIssues([
      { digest: "b", manifest: billing },
      { digest: "w", manifest: workers },
    ]);
    expect(issues).toEqual([
      {
        kind: "invalid-active-contract-uses",
        contractId: "workers@v1",
        digest: "w",
        message: "/uses/required/partners: Dependency 'partners' references unknown contract 'partners@v1'",
      },
    ]);
  });

  test("digests of one id that disagree on a surface are incompatible-active-contract", () => {
    const diverged = normalized({
      ...BILLING_A1,
      rpc: { "Billing.Quote": { ...BILLING_A1.rpc["Billing.Quote"], subject: "rpc.v2.Billing.Quote" } },
    });
    const issues = activeContractIssues([
      { digest: "b1", manifest: billing },
      { digest: "b2", manifest: diverged },
    ]);
    expect(issues).toEqual([
      {
        kind: "incompatible-active-contract",
        contractId: "billing@v1",
        message: "active digests of 'billing@v1' disagree on rpc 'Billing.Quote'",
      },
    ]);
  });

  test("docs-only differences, signal docs included, are compatible", () => {
    const op = BILLING_A1.operations["Billing.Refund"];
    const redocumented = normalized({
      ...BILLING_A1,
      operations: {
        "Billing.Refund": {
          ...op,
          docs: { markdown: "Refund money." },
          signals: { approve: { input: { schema: "Approve" }, docs: { markdown: "Approve it." } } },
        },
      },
    });
    expect(
      activeContractIssues([
        { digest: "b1", manifest: billing },
        { digest: "b2", manifest: redocumented },
      ]),
    ).toEqual([]);
  });
});
