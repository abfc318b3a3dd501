import { describe, expect, test } from "bun:test";
import {
  activeContractsOf,
  deriveRules,
  grantForService,
  grantForUser,
  missingCapabilities,
  refuseTransferSurfaces,
  resolveUses,
  transferSurfaces,
  type NormalizedManifest,
  type PermissionRule,
} from "../../src/contracts/index.ts";
import { appUsing, billing, normalized, partners, workers } from "./permissions-fixtures.ts";

const ACTIVE = activeContractsOf([billing, partners].map((manifest, i) => ({ digest: `d${i}`, manifest })));

function rulesOf(manifest: NormalizedManifest): PermissionRule[] {
  const rules = resolveUses(manifest, ACTIVE).andThen((resolved) => deriveRules(manifest, resolved));
  if (rules.isErr()) throw new Error(rules.error.message);
  return rules.value;
}

const console_ = appUsing({
  billing: { contract: "billing@v1", rpc: { call: ["Billing.Quote"] }, operations: { call: ["Billing.Refund"] } },
  partners: {
    contract: "partners@v1",
    events: { subscribe: ["Partner.Changed", "Partner.Ping"] },
    feeds: { subscribe: ["Partner.Watch"] },
  },
});

describe("grantForUser: all or nothing", () => {
  test("capabilities are the union of every rule's requiredCaps; subjects split by direction", () => {
    expect(grantForUser(rulesOf(console_))).toEqual({
      capabilities: ["admin", "billing::refund", "partners::read"],
      publishSubjects: [
        "feeds.v1.Partner.Watch",
        "operations.v1.Billing.Refund",
        "operations.v1.Billing.Refund.control",
        "rpc.v1.Billing.Quote",
      ],
      subscribeSubjects: ["events.v1.Partner.Changed.*.*", "events.v2.Partner.Ping"],
    });
  });

  test("the user must hold all of them", () => {
    const { capabilities } = grantForUser(rulesOf(console_));
    expect(missingCapabilities(capabilities, ["billing::refund", "partners::read"])).toEqual(["admin"]);
    expect(missingCapabilities(capabilities, ["partners::read", "admin", "billing::refund", "other"])).toEqual([]);
  });

  test("no rules, no grant", () => {
    expect(grantForUser([])).toEqual({ capabilities: [], publishSubjects: [], subscribeSubjects: [] });
  });
});

describe("grantForService: per rule against G", () => {
  const rules = rulesOf(workers);
  const always = {
    pub: ["rpc.v1.Auth.Requests.Validate", "rpc.v1.Billing.Quote"],
    sub: [
      "events.v1.Auth.Sessions.Revoked",
      "events.v2.Partner.Ping",
      "operations.v1.Workers.Start",
      "operations.v1.Workers.Start.control",
      "rpc.v1.Workers.Status",
    ],
  };
  const unmetOf = (g: string[]) =>
    grantForService(rules, g).unmet.map(
      ({ rule, missingCaps }) => `${rule.subject} ${rule.surface.action} -${missingCaps.join(",")}`,
    );

  test("G = {service}: only authentication-only and service-gated rules", () => {
    const grant = grantForService(rules, []);
    expect(grant.capabilities).toEqual(["service"]); // `service` is always in G
    expect(grant.publishSubjects).toEqual(always.pub);
    expect(grant.subscribeSubjects).toEqual(always.sub);
    expect(unmetOf([])).toEqual([
      "operations.v1.Billing.Refund call -billing::refund",
      "operations.v1.Billing.Refund.control observe -billing::refund",
      "events.v1.Partner.Changed.*.* subscribe -partners::read",
      "feeds.v1.Partner.Watch subscribe -admin,partners::read",
    ]);
    // All four come from required aliases, so approval should refuse.
    expect(grant.blocking).toHaveLength(4);
  });

  test("G = {billing::refund}: the refund operation opens", () => {
    const grant = grantForService(rules, ["billing::refund", "service"]);
    expect(grant.capabilities).toEqual(["billing::refund", "service"]);
    expect(grant.publishSubjects).toEqual([
      "operations.v1.Billing.Refund",
      "operations.v1.Billing.Refund.control",
      ...always.pub,
    ]);
    expect(unmetOf(["billing::refund"])).toEqual([
      "events.v1.Partner.Changed.*.* subscribe -partners::read",
      "feeds.v1.Partner.Watch subscribe -admin,partners::read",
    ]);
  });

  test("G = {billing::refund, partners::read}: the feed still needs admin (all-of)", () => {
    const grant = grantForService(rules, ["partners::read", "billing::refund"]);
    expect(grant.subscribeSubjects).toEqual(["events.v1.Partner.Changed.*.*", ...always.sub].sort());
    expect(grant.publishSubjects).not.toContain("feeds.v1.Partner.Watch");
    expect(unmetOf(["partners::read", "billing::refund"])).toEqual(["feeds.v1.Partner.Watch subscribe -admin"]);
  });

  test("G with everything: nothing unmet, nothing blocking", () => {
    const grant = grantForService(rules, ["admin", "billing::refund", "partners::read", "admin"]);
    expect(grant.unmet).toEqual([]);
    expect(grant.blocking).toEqual([]);
    expect(grant.capabilities).toEqual(["admin", "billing::refund", "partners::read", "service"]);
    expect(grant.publishSubjects).toEqual([
      "feeds.v1.Partner.Watch",
      "operations.v1.Billing.Refund",
      "operations.v1.Billing.Refund.control",
      "rpc.v1.Auth.Requests.Validate",
      "rpc.v1.Billing.Quote",
    ]);
  });

  test("a subject is included when any rule on it is met (observe met, cancel unmet)", () => {
    const rule = (action: "observe" | "cancel", caps: string[]): PermissionRule => ({
      dir: "pub",
      subject: "operations.v1.X.control",
      requiredCaps: caps,
      surface: { contractId: "x@v1", kind: "operation", name: "X", action },
      origin: { source: "uses", alias: "x", group: "required" },
    });
    const grant = grantForService([rule("observe", []), rule("cancel", ["x::cancel"])], []);
    expect(grant.publishSubjects).toEqual(["operations.v1.X.control"]);
    expect(grant.unmet.map((u) => u.rule.surface.action)).toEqual(["cancel"]);
  });

  test("unmet rules of optional aliases or own events narrow the grant but do not block", () => {
    const optionalRule: PermissionRule = {
      dir: "sub",
      subject: "events.v1.Partner.Changed.*.*",
      requiredCaps: ["partners::read"],
      surface: { contractId: "partners@v1", kind: "event", name: "Partner.Changed", action: "subscribe" },
      origin: { source: "uses", alias: "p", group: "optional" },
    };
    const ownRule: PermissionRule = { ...optionalRule, origin: { source: "own" } };
    const grant = grantForService([optionalRule, ownRule], []);
    expect(grant.unmet).toHaveLength(2);
    expect(grant.blocking).toEqual([]);
    expect(grant.subscribeSubjects).toEqual([]);
  });

  test("service-gated own rules need `service`: G always has it, a bare principal would not", () => {
    const own = rules.filter((r) => r.origin.source !== "uses");
    expect(own.every((r) => missingCapabilities(r.requiredCaps, []).join() === "service")).toBe(true);
    expect(grantForService(own, []).unmet).toEqual([]);
  });
});

describe("grants never widen", () => {
  const forged = (subject: string): PermissionRule => ({
    dir: "sub",
    subject,
    requiredCaps: [],
    surface: { contractId: "x@v1", kind: "event", name: "X", action: "subscribe" },
    origin: { source: "own" },
  });

  for (const subject of [">", "_INBOX.>", "$JS.API.>", "events.>", "_INBOX.abc.>", "$SYS.REQ.USER.AUTH"]) {
    test(`'${subject}' is refused by both combiners`, () => {
      expect(() => grantForUser([forged(subject)])).toThrow(/refusing to grant/);
      expect(() => grantForService([forged(subject)], [])).toThrow(/refusing to grant/);
    });
  }
});

describe("transfer refusal at approval", () => {
  const files = normalized({
    format: "trellis.contract.v1",
    id: "files@v1",
    displayName: "Files",
    description: "Files.",
    kind: "service",
    schemas: { In: { type: "object", properties: { key: { type: "string" } } }, Out: { type: "object" } },
    rpc: {
      "Files.Stat": { version: "v1", subject: "rpc.v1.Files.Stat", input: { schema: "In" }, output: { schema: "Out" } },
      "Files.Download": {
        version: "v1",
        subject: "rpc.v1.Files.Download",
        input: { schema: "In" },
        output: { schema: "Out" },
        transfer: { direction: "receive" },
      },
    },
    operations: {
      "Files.Upload": {
        version: "v1",
        subject: "operations.v1.Files.Upload",
        input: { schema: "In" },
        output: { schema: "Out" },
        transfer: { direction: "send", store: "blobs", key: "/key" },
      },
    },
    resources: { store: { blobs: { purpose: "Blobs" } } },
  });
  const active = activeContractsOf([{ digest: "f", manifest: files }]);
  const resolvedFor = (m: NormalizedManifest) => resolveUses(m, active).orThrow();

  test("a contract declaring transfer surfaces is refused, naming each", () => {
    const result = refuseTransferSurfaces(files, resolvedFor(files));
    expect(result.isErr() && result.error.issues.map((i) => i.path)).toEqual([
      "/rpc/Files.Download/transfer",
      "/operations/Files.Upload/transfer",
    ]);
    expect(result.isErr() && result.error.issues[0]?.message).toContain("transfer is not supported in v1");
  });

  test("a contract using one is refused at the list entry; one using only plain surfaces is not", () => {
    const caller = appUsing({ files: { contract: "files@v1", rpc: { call: ["Files.Stat", "Files.Download"] } } });
    expect(transferSurfaces(caller, resolvedFor(caller))).toEqual([
      {
        via: "uses",
        contractId: "files@v1",
        kind: "rpc",
        name: "Files.Download",
        path: "/uses/required/files/rpc/call/1",
      },
    ]);
    const plain = appUsing({ files: { contract: "files@v1", rpc: { call: ["Files.Stat"] } } });
    expect(refuseTransferSurfaces(plain, resolvedFor(plain)).isOk()).toBe(true);
    expect(refuseTransferSurfaces(workers, resolveUses(workers, ACTIVE).orThrow()).isOk()).toBe(true);
  });
});
