import { describe, expect, test } from "bun:test";
import {
  activeContractsOf,
  resolveUses,
  type ActiveContracts,
  type NormalizedManifest,
  type ResolvedUses,
  type ValidationError,
} from "../../src/contracts/index.ts";
import {
  BILLING_A1,
  PARTNERS_A2,
  WORKERS_A3,
  appUsing,
  billing,
  digestOf,
  normalized,
  partners,
  workers,
} from "./permissions-fixtures.ts";

const active = (...manifests: NormalizedManifest[]): ActiveContracts =>
  activeContractsOf(manifests.map((manifest, i) => ({ digest: `d${i}`, manifest })));

function resolved(manifest: NormalizedManifest, contracts: ActiveContracts): ResolvedUses {
  const result = resolveUses(manifest, contracts);
  if (result.isErr()) throw new Error(`expected Ok, got ${result.error.message}`);
  return result.value;
}

function failure(manifest: NormalizedManifest, contracts: ActiveContracts): ValidationError {
  const result = resolveUses(manifest, contracts);
  if (result.isOk()) throw new Error("expected Err");
  return result.error;
}

/** Names per list of each resolved alias, for compact comparison. */
function shape(uses: ResolvedUses) {
  return uses.uses.map((u) => ({
    alias: u.alias,
    group: u.group,
    contractId: u.contractId,
    rpc: u.rpc.map((s) => s.name),
    operations: u.operations.map((s) => s.name),
    eventsPublish: u.eventsPublish.map((s) => s.name),
    eventsSubscribe: u.eventsSubscribe.map((s) => s.name),
    feeds: u.feeds.map((s) => s.name),
    skipped: u.skipped,
  }));
}

describe("resolveUses on the Appendix A set", () => {
  test("workers@v1 resolves billing and partners; shadowed optional partners and absent core are skipped", () => {
    const result = resolved(workers, active(billing, partners));
    expect(shape(result)).toEqual([
      {
        alias: "billing",
        group: "required",
        contractId: "billing@v1",
        rpc: ["Billing.Quote"], // listed twice, resolved once
        operations: ["Billing.Refund"],
        eventsPublish: [],
        eventsSubscribe: [],
        feeds: [],
        skipped: [],
      },
      {
        alias: "partners",
        group: "required",
        contractId: "partners@v1",
        rpc: [], // the required entry's empty rpc; the optional entry's "Nope" is shadowed, not merged
        operations: [],
        eventsPublish: [],
        eventsSubscribe: ["Partner.Changed", "Partner.Ping"],
        feeds: ["Partner.Watch"],
        skipped: [],
      },
    ]);
    expect(result.skippedAliases).toEqual([{ alias: "core", contractId: "trellis.core@v1" }]);
  });

  test("resolved descriptors are the target's", () => {
    const result = resolved(workers, active(billing, partners));
    const refund = result.uses[0]!.operations[0]!.descriptor;
    expect(refund.subject).toBe("operations.v1.Billing.Refund");
    expect(refund.cancel).toBe(true);
  });

  test("a required target that is not active fails with the spec wording and the alias path", () => {
    const error = failure(workers, active(billing));
    expect(error.issues).toEqual([
      { path: "/uses/required/partners", message: "Dependency 'partners' references unknown contract 'partners@v1'" },
    ]);
  });

  test("an empty digest list counts as not active", () => {
    const contracts: ActiveContracts = new Map([
      ["billing@v1", [billing]],
      ["partners@v1", []],
    ]);
    expect(failure(workers, contracts).issues.map((i) => i.path)).toEqual(["/uses/required/partners"]);
  });

  test("every problem is reported, each at its list entry", () => {
    const app = appUsing({
      billing: {
        contract: "billing@v1",
        rpc: { call: ["Billing.Quote", "Billing.Nope"] },
        operations: { call: ["Billing.Gone"] },
      },
      partners: {
        contract: "partners@v1",
        events: { publish: ["Partner.Changed", "Partner.Missing"], subscribe: ["Partner.Ping"] },
        feeds: { subscribe: ["Partner.Absent", "Partner.Absent"] },
      },
      ghost: { contract: "ghost@v1", rpc: { call: ["Ghost.Call"] } },
      aux: { contract: "billing@v1", rpc: { call: ["X"] } },
    });
    expect(failure(app, active(billing, partners)).issues).toEqual([
      // Aliases are visited in name order, so issues come sorted by alias.
      { path: "/uses/required/aux/rpc/call/0", message: "Dependency 'aux' references missing rpc 'X' on 'billing@v1'" },
      {
        path: "/uses/required/billing/rpc/call/1",
        message: "Dependency 'billing' references missing rpc 'Billing.Nope' on 'billing@v1'",
      },
      {
        path: "/uses/required/billing/operations/call/0",
        message: "Dependency 'billing' references missing operation 'Billing.Gone' on 'billing@v1'",
      },
      { path: "/uses/required/ghost", message: "Dependency 'ghost' references unknown contract 'ghost@v1'" },
      {
        path: "/uses/required/partners/events/publish/1",
        message: "Dependency 'partners' references missing event 'Partner.Missing' on 'partners@v1'",
      },
      {
        path: "/uses/required/partners/feeds/subscribe/0",
        message: "Dependency 'partners' references missing feed 'Partner.Absent' on 'partners@v1'",
      },
    ]);
  });

  test("names resolve per section: an rpc name does not satisfy operations.call", () => {
    const app = appUsing({ billing: { contract: "billing@v1", operations: { call: ["Billing.Quote"] } } });
    expect(failure(app, active(billing)).issues[0]?.message).toBe(
      "Dependency 'billing' references missing operation 'Billing.Quote' on 'billing@v1'",
    );
  });
});

describe("optional aliases", () => {
  const withOptional = (optional: Record<string, unknown>) =>
    normalized({
      format: "trellis.contract.v1",
      id: "tool@v1",
      displayName: "Tool",
      description: "A tool.",
      kind: "agent",
      uses: { optional },
    });

  test("missing names are skipped, present ones granted", () => {
    const tool = withOptional({
      extra: {
        contract: "partners@v1",
        rpc: { call: ["Nope"] },
        feeds: { subscribe: ["Partner.Watch", "Partner.Gone"] },
      },
    });
    const result = resolved(tool, active(partners));
    expect(shape(result)[0]).toMatchObject({
      alias: "extra",
      group: "optional",
      feeds: ["Partner.Watch"],
      skipped: [
        { kind: "rpc", name: "Nope", reason: "missing" },
        { kind: "feed", name: "Partner.Gone", reason: "missing" },
      ],
    });
  });

  test("an absent target skips the alias without error", () => {
    const tool = withOptional({ core: { contract: "trellis.core@v1", rpc: { call: ["Trellis.Catalog"] } } });
    const result = resolved(tool, active(billing));
    expect(result.uses).toEqual([]);
    expect(result.skippedAliases).toEqual([{ alias: "core", contractId: "trellis.core@v1" }]);
  });

  test("an alias in both groups counts as required", () => {
    // workers' optional partners names rpc "Nope"; if it were resolved as optional it would be skipped,
    // and if merged into required it would fail. Neither happens: the required entry wins whole.
    const result = resolved(workers, active(billing, partners));
    expect(result.uses.filter((u) => u.alias === "partners").map((u) => u.group)).toEqual(["required"]);
    expect(result.uses.flatMap((u) => u.skipped)).toEqual([]);
  });
});

describe("union of active digests", () => {
  const billingV1b = normalized({
    ...BILLING_A1,
    rpc: {
      ...BILLING_A1.rpc,
      // Same surface, different copy only: agrees.
      "Billing.Quote": { ...BILLING_A1.rpc["Billing.Quote"], docs: { markdown: "Quote, now with docs." } },
      "Billing.Void": {
        version: "v1",
        subject: "rpc.v1.Billing.Void",
        input: { schema: "In" },
        output: { schema: "Out" },
      },
    },
  });
  const billingDiverged = normalized({
    ...BILLING_A1,
    rpc: {
      "Billing.Quote": { ...BILLING_A1.rpc["Billing.Quote"], capabilities: { call: ["billing::refund"] } },
    },
  });
  const quoteAndVoid = appUsing({
    billing: { contract: "billing@v1", rpc: { call: ["Billing.Quote", "Billing.Void"] } },
  });

  test("agreeing digests union their surfaces; a name in only one digest resolves", () => {
    const result = resolved(quoteAndVoid, active(billing, billingV1b));
    expect(result.uses[0]!.rpc.map((s) => s.name)).toEqual(["Billing.Quote", "Billing.Void"]);
  });

  test("the union needs the newer digest: with only the first, Billing.Void is missing", () => {
    expect(failure(quoteAndVoid, active(billing)).issues.map((i) => i.path)).toEqual([
      "/uses/required/billing/rpc/call/1",
    ]);
  });

  test("diverging same-named surfaces fail a required alias", () => {
    const error = failure(quoteAndVoid, active(billing, billingV1b, billingDiverged));
    expect(error.issues).toEqual([
      {
        path: "/uses/required/billing/rpc/call/0",
        message: "Dependency 'billing' references rpc 'Billing.Quote' on 'billing@v1' whose active digests disagree",
      },
    ]);
  });

  test("divergence is per surface: other names of the target still resolve", () => {
    const voidOnly = appUsing({ billing: { contract: "billing@v1", rpc: { call: ["Billing.Void"] } } });
    expect(resolved(voidOnly, active(billing, billingV1b, billingDiverged)).uses[0]!.rpc.map((s) => s.name)).toEqual([
      "Billing.Void",
    ]);
  });

  test("an optional alias skips a divergent surface and says why", () => {
    const tool = normalized({
      format: "trellis.contract.v1",
      id: "tool@v1",
      displayName: "Tool",
      description: "A tool.",
      kind: "agent",
      uses: { optional: { billing: { contract: "billing@v1", rpc: { call: ["Billing.Quote"] } } } },
    });
    const result = resolved(tool, active(billing, billingDiverged));
    expect(result.uses[0]!.rpc).toEqual([]);
    expect(result.uses[0]!.skipped).toEqual([{ kind: "rpc", name: "Billing.Quote", reason: "divergent" }]);
  });
});

describe("fixtures", () => {
  test("are the Appendix A manifests: their digests match the spec", () => {
    expect(digestOf(BILLING_A1)).toBe("3UUMO-GzclQvsxweA4IrDmGLimlR337us1ZUNF773Vw");
    expect(digestOf(PARTNERS_A2)).toBe("mdcbi9H1sGcQkMhnIWSlsUZ8q7dI19ibXLITyyW3hKE");
    expect(digestOf(WORKERS_A3)).toBe("HuTAbY_0o_reB8YP-QNBZxD0SY_gpJWfIqlkbyXNnqw");
  });
});
