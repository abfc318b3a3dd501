import { describe, expect, test } from "bun:test";
import {
  activeContractsOf,
  deriveRules,
  inboxPrefix,
  inboxSubscribeSubject,
  loadManifest,
  resolveUses,
  wildcardSubject,
  withSessionInbox,
  type DeriveOptions,
  type NormalizedManifest,
  type PermissionRule,
} from "../../src/contracts/index.ts";
import {
  BILLING_A1,
  PARTNERS_A2,
  appUsing,
  billing,
  normalized,
  partners,
  unvalidated,
  workers,
} from "./permissions-fixtures.ts";

const ACTIVE = activeContractsOf([billing, partners, workers].map((manifest, i) => ({ digest: `d${i}`, manifest })));

function rulesOf(manifest: NormalizedManifest, options?: DeriveOptions): PermissionRule[] {
  const rules = resolveUses(manifest, ACTIVE).andThen((resolved) => deriveRules(manifest, resolved, options));
  if (rules.isErr()) throw new Error(`expected Ok, got ${rules.error.message}`);
  return rules.value;
}

/** `dir subject [caps] contract kind name action origin` per rule: one line each, easy to read in a diff. */
function table(rules: PermissionRule[]): string[] {
  return rules.map((r) => {
    const origin = r.origin.source === "uses" ? `uses:${r.origin.group}:${r.origin.alias}` : r.origin.source;
    const s = r.surface;
    return `${r.dir} ${r.subject} [${r.requiredCaps.join(",")}] ${s.contractId} ${s.kind} ${s.name} ${s.action} ${origin}`;
  });
}

describe("deriveRules for workers@v1 (Appendix A)", () => {
  test("the full rule list matches the hand-written table", () => {
    expect(table(rulesOf(workers))).toEqual([
      // uses.required.billing
      "pub rpc.v1.Billing.Quote [] billing@v1 rpc Billing.Quote call uses:required:billing",
      "pub operations.v1.Billing.Refund [billing::refund] billing@v1 operation Billing.Refund call uses:required:billing",
      // observe absent → call; cancel: true but no cancel list → no cancel rule; control adds no rule.
      "pub operations.v1.Billing.Refund.control [billing::refund] billing@v1 operation Billing.Refund observe uses:required:billing",
      // uses.required.partners (the shadowed optional entry adds nothing)
      "sub events.v1.Partner.Changed.*.* [partners::read] partners@v1 event Partner.Changed subscribe uses:required:partners",
      "sub events.v2.Partner.Ping [] partners@v1 event Partner.Ping subscribe uses:required:partners",
      "pub feeds.v1.Partner.Watch [admin,partners::read] partners@v1 feed Partner.Watch subscribe uses:required:partners",
      // own contract: serving needs `service`
      "sub rpc.v1.Workers.Status [service] workers@v1 rpc Workers.Status subscribe own",
      "sub operations.v1.Workers.Start [service] workers@v1 operation Workers.Start subscribe own",
      "sub operations.v1.Workers.Start.control [service] workers@v1 operation Workers.Start subscribe own",
      // platform
      "pub rpc.v1.Auth.Requests.Validate [service] trellis.auth@v1 rpc Auth.Requests.Validate call platform",
      "sub events.v1.Auth.Sessions.Revoked [service] trellis.auth@v1 event Auth.Sessions.Revoked subscribe platform",
    ]);
  });

  test("no derived subject is broader than a contract subject", () => {
    // Every subject is W() of a subject some involved contract declares (or its .control), or a platform subject.
    const declared = new Set<string>(["rpc.v1.Auth.Requests.Validate", "events.v1.Auth.Sessions.Revoked"]);
    for (const m of [billing, partners, workers]) {
      for (const d of [
        ...Object.values(m.rpc ?? {}),
        ...Object.values(m.events ?? {}),
        ...Object.values(m.feeds ?? {}),
      ]) {
        declared.add(wildcardSubject(d.subject));
      }
      for (const d of Object.values(m.operations ?? {})) {
        declared.add(wildcardSubject(d.subject));
        declared.add(wildcardSubject(`${d.subject}.control`));
      }
    }
    for (const manifest of [billing, partners, workers]) {
      for (const rule of rulesOf(manifest)) {
        expect(declared.has(rule.subject)).toBe(true);
        expect(rule.subject.split(".")).not.toContain(">");
        expect(rule.subject.startsWith("_INBOX") || rule.subject.startsWith("$")).toBe(false);
      }
    }
  });
});

describe("use rows of the table", () => {
  const refundOp = {
    ...BILLING_A1.operations["Billing.Refund"],
    capabilities: { call: ["billing::refund"], observe: ["billing::watch"], cancel: ["billing::cancel", "admin"] },
  };
  const billingWithGates = normalized({ ...BILLING_A1, operations: { "Billing.Refund": refundOp } });
  const activeWith = (target: NormalizedManifest) => activeContractsOf([{ digest: "x", manifest: target }]);
  const rulesAgainst = (manifest: NormalizedManifest, target: NormalizedManifest) => {
    const rules = resolveUses(manifest, activeWith(target)).andThen((r) => deriveRules(manifest, r));
    if (rules.isErr()) throw new Error(rules.error.message);
    return table(rules.value);
  };
  const refundCaller = appUsing({ billing: { contract: "billing@v1", operations: { call: ["Billing.Refund"] } } });

  test("operations: observe has its own gate, and cancel adds a control rule when declared", () => {
    expect(rulesAgainst(refundCaller, billingWithGates)).toEqual([
      "pub operations.v1.Billing.Refund [billing::refund] billing@v1 operation Billing.Refund call uses:required:billing",
      "pub operations.v1.Billing.Refund.control [billing::watch] billing@v1 operation Billing.Refund observe uses:required:billing",
      "pub operations.v1.Billing.Refund.control [admin,billing::cancel] billing@v1 operation Billing.Refund cancel uses:required:billing",
    ]);
  });

  test("a cancel list without `cancel: true` adds no cancel rule", () => {
    const noCancel = normalized({ ...BILLING_A1, operations: { "Billing.Refund": { ...refundOp, cancel: false } } });
    expect(rulesAgainst(refundCaller, noCancel).some((line) => line.includes(" cancel "))).toBe(false);
  });

  test("an operation without any capabilities is authentication only on both subjects", () => {
    const { capabilities: _dropped, ...bare } = BILLING_A1.operations["Billing.Refund"];
    const open = normalized({ ...BILLING_A1, operations: { "Billing.Refund": bare } });
    expect(rulesAgainst(refundCaller, open)).toEqual([
      "pub operations.v1.Billing.Refund [] billing@v1 operation Billing.Refund call uses:required:billing",
      "pub operations.v1.Billing.Refund.control [] billing@v1 operation Billing.Refund observe uses:required:billing",
    ]);
  });

  test("events.publish is a pub rule gated by the target's publish list", () => {
    const partnersPub = normalized({
      ...PARTNERS_A2,
      events: {
        ...PARTNERS_A2.events,
        "Partner.Changed": { ...PARTNERS_A2.events["Partner.Changed"], capabilities: { publish: ["partners::write"] } },
      },
    });
    const publisher = appUsing({
      partners: { contract: "partners@v1", events: { publish: ["Partner.Changed", "Partner.Ping"] } },
    });
    expect(rulesAgainst(publisher, partnersPub)).toEqual([
      "pub events.v1.Partner.Changed.*.* [partners::write] partners@v1 event Partner.Changed publish uses:required:partners",
      "pub events.v2.Partner.Ping [] partners@v1 event Partner.Ping publish uses:required:partners",
    ]);
  });

  test("an app gets no own or platform rules", () => {
    const rules = rulesAgainst(
      appUsing({ billing: { contract: "billing@v1", rpc: { call: ["Billing.Quote"] } } }),
      billing,
    );
    expect(rules).toEqual(["pub rpc.v1.Billing.Quote [] billing@v1 rpc Billing.Quote call uses:required:billing"]);
  });
});

describe("own rules of a service", () => {
  test("partners@v1 publishes its events freely, subscribes with its own gate, serves its feed with `service`", () => {
    expect(table(rulesOf(partners))).toEqual([
      "pub events.v1.Partner.Changed.*.* [] partners@v1 event Partner.Changed publish own",
      "sub events.v1.Partner.Changed.*.* [partners::read] partners@v1 event Partner.Changed subscribe own",
      "pub events.v2.Partner.Ping [] partners@v1 event Partner.Ping publish own",
      "sub events.v2.Partner.Ping [] partners@v1 event Partner.Ping subscribe own",
      "sub feeds.v1.Partner.Watch [service] partners@v1 feed Partner.Watch subscribe own",
      "pub rpc.v1.Auth.Requests.Validate [service] trellis.auth@v1 rpc Auth.Requests.Validate call platform",
      "sub events.v1.Auth.Sessions.Revoked [service] trellis.auth@v1 event Auth.Sessions.Revoked subscribe platform",
    ]);
  });

  test("every serving rule and the platform rules require `service`; own event rules do not", () => {
    for (const rule of rulesOf(billing)) expect(rule.requiredCaps).toEqual(["service"]);
    const eventRules = rulesOf(partners).filter((r) => r.surface.kind === "event" && r.origin.source === "own");
    expect(eventRules.every((r) => !r.requiredCaps.includes("service"))).toBe(true);
  });
});

describe("subjects that would grant more than their surface", () => {
  const broadRaw = (subject: string) => ({
    format: "trellis.contract.v1",
    id: "bad@v1",
    displayName: "Bad",
    description: "Bad subjects.",
    kind: "service",
    schemas: { S: { type: "object" } },
    rpc: { "Bad.All": { version: "v1", subject, input: { schema: "S" }, output: { schema: "S" } } },
  });
  // Validation rejects all of these already; derivation must fail closed on its own too.
  const broad = (subject: string) => unvalidated(broadRaw(subject));

  for (const subject of ["rpc.v1.>", "rpc.v1.*", "$JS.API.STREAM.LIST", "_INBOX.x", "rpc..x", "{/a}.b"]) {
    test(`'${subject}' fails derivation for its owner and its callers`, () => {
      expect(loadManifest(broadRaw(subject)).isErr()).toBe(true);
      const bad = broad(subject);
      const own = deriveRules(bad, { uses: [], skippedAliases: [] });
      expect(own.isErr() && own.error.issues[0]?.path).toBe("/rpc/Bad.All/subject");

      const caller = appUsing({ bad: { contract: "bad@v1", rpc: { call: ["Bad.All"] } } });
      const active = activeContractsOf([{ digest: "b", manifest: bad }]);
      const used = resolveUses(caller, active).andThen((r) => deriveRules(caller, r));
      expect(used.isErr() && used.error.issues[0]?.path).toBe("/uses/required/bad");
    });
  }

  test("template tokens are the only wildcards allowed", () => {
    expect(deriveRules(broad("rpc.v1.Bad.{/id}"), { uses: [], skippedAliases: [] }).isOk()).toBe(true);
  });
});

describe("transfer", () => {
  const files = normalized({
    format: "trellis.contract.v1",
    id: "files@v1",
    displayName: "Files",
    description: "Files.",
    kind: "service",
    schemas: { In: { type: "object", properties: { key: { type: "string" } } }, Out: { type: "object" } },
    rpc: {
      "Files.Download": {
        version: "v1",
        subject: "rpc.v1.Files.Download",
        input: { schema: "In" },
        output: { schema: "Out" },
        capabilities: { call: ["files::read"] },
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
  const caller = appUsing({
    files: { contract: "files@v1", rpc: { call: ["Files.Download"] }, operations: { call: ["Files.Upload"] } },
  });
  const active = activeContractsOf([{ digest: "f", manifest: files }]);
  const derive = (m: NormalizedManifest, options?: DeriveOptions) => {
    const r = resolveUses(m, active).andThen((resolved) => deriveRules(m, resolved, options));
    if (r.isErr()) throw new Error(r.error.message);
    return r.value.map((rule) => rule.subject);
  };
  const sessionKey = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq";

  test("v1 derives no transfer rules by default", () => {
    expect([...derive(caller), ...derive(files)].filter((s) => s.startsWith("transfer."))).toEqual([]);
  });

  test("behind the option: caller rows and per-session owner rows", () => {
    expect(derive(caller, { transfer: { sessionKey } }).filter((s) => s.startsWith("transfer."))).toEqual([
      "transfer.v1.download.*.*",
      "transfer.v1.upload.*.*",
    ]);
    expect(derive(files, { transfer: { sessionKey } }).filter((s) => s.startsWith("transfer."))).toEqual([
      "transfer.v1.download.ABCDEFGHIJKLMNOP.*",
      "transfer.v1.upload.ABCDEFGHIJKLMNOP.*",
    ]);
  });
});

describe("inbox", () => {
  const sessionKey = "u7h2fJxPcd9HDsSh0GzM3zjFrfS8btaLSh1nx9JV-9s";

  test("prefix is _INBOX. plus the first 16 characters of the session key", () => {
    expect(inboxPrefix(sessionKey)).toBe("_INBOX.u7h2fJxPcd9HDsSh");
    expect(inboxSubscribeSubject(sessionKey)).toBe("_INBOX.u7h2fJxPcd9HDsSh.>");
  });

  test("every session's subscriptions include its inbox, merged sorted and unique", () => {
    const subjects = withSessionInbox(
      { publishSubjects: ["b", "a", "a"], subscribeSubjects: ["z.y", "_INBOX.u7h2fJxPcd9HDsSh.>"] },
      sessionKey,
    );
    expect(subjects).toEqual({ publishSubjects: ["a", "b"], subscribeSubjects: ["_INBOX.u7h2fJxPcd9HDsSh.>", "z.y"] });
    expect(withSessionInbox({ publishSubjects: [], subscribeSubjects: [] }, sessionKey).subscribeSubjects).toEqual([
      "_INBOX.u7h2fJxPcd9HDsSh.>",
    ]);
  });
});
