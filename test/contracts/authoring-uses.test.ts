import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import {
  defineAgentContract,
  defineAppContract,
  defineDeviceContract,
  defineServiceContract,
  isUseRecord,
} from "../../src/contracts/index.ts";
import { definitionIssues, issueAt } from "./fixtures/authoring/expect-definition-error.ts";
import { notes } from "./fixtures/authoring/notes.ts";

const base = { displayName: "X", description: "X." } as const;
const io = { In: v.object({}), Out: v.object({}) };
const HEALTH = { contract: "trellis.health@v1", events: { publish: ["Health.Heartbeat"] } };
const AUTH = { contract: "trellis.auth@v1", rpc: { call: ["Auth.Sessions.Logout", "Auth.Sessions.Me"] } };
const STATE = { contract: "trellis.state@v1", rpc: { call: ["State.Delete", "State.Get", "State.List", "State.Put"] } };

/** A stand-in for the built-in health contract, to exercise merging into an explicit alias. */
const health = defineServiceContract({ schemas: io }, (ref) => ({
  id: "trellis.health@v1",
  ...base,
  rpc: { "Health.Check": { version: "v1", input: ref.schema("In"), output: ref.schema("Out") } },
  events: { "Health.Heartbeat": { version: "v1", event: ref.schema("Out") } },
}));

const partners = defineServiceContract({ schemas: io }, (ref) => ({
  id: "partners@v1",
  ...base,
  rpc: {
    "Partner.Get": { version: "v1", input: ref.schema("In"), output: ref.schema("Out") },
    "Partner.List": { version: "v1", input: ref.schema("In"), output: ref.schema("Out") },
  },
  operations: { "Partner.Import": { version: "v1", input: ref.schema("In"), output: ref.schema("Out") } },
  events: {
    "Partner.Changed": { version: "v1", event: ref.schema("Out") },
    "Partner.Moved": { version: "v1", event: ref.schema("Out") },
  },
  feeds: { "Partner.Watch": { version: "v1", input: ref.schema("In"), event: ref.schema("Out") } },
}));

describe("<module>.use(spec)", () => {
  test("returns the Use with SU lists and the selected descriptors", () => {
    const record = partners.use({
      rpc: { call: ["Partner.List", "Partner.Get", "Partner.List"] },
      events: { subscribe: ["Partner.Moved", "Partner.Changed"], publish: [] },
      feeds: { subscribe: ["Partner.Watch"] },
    });
    expect(JSON.parse(JSON.stringify(record))).toEqual({
      contract: "partners@v1",
      rpc: { call: ["Partner.Get", "Partner.List"] },
      events: { subscribe: ["Partner.Changed", "Partner.Moved"] },
      feeds: { subscribe: ["Partner.Watch"] },
    });
    expect(isUseRecord(record)).toBe(true);
    expect(Object.isFrozen(record)).toBe(true);
    expect(Object.isFrozen(record.rpc?.call)).toBe(true);
  });

  test("rejects names that are not owned surfaces of that section, and unknown sections/lists", () => {
    const issues = definitionIssues(() =>
      partners.use({
        rpc: { call: ["Partner.Get", "Partner.Import" as "Partner.Get"] },
        events: { subscribe: ["Partner.Watch" as "Partner.Moved"], listen: [] } as never,
        jobs: {} as never,
      } as never),
    );
    expect(issueAt(issues, "/rpc/call/1").message).toBe("'Partner.Import' is not an rpc owned by 'partners@v1'");
    expect(issueAt(issues, "/events/subscribe/0").message).toContain("not an event owned");
    expect(issueAt(issues, "/events/listen").message).toContain("unknown list");
    expect(issueAt(issues, "/jobs").message).toContain("unknown section");
  });

  test("uses values must be use records", () => {
    const issues = definitionIssues(() =>
      defineAppContract(() => ({
        id: "web@v1",
        ...base,
        uses: { required: { partners: { contract: "partners@v1", rpc: { call: ["Partner.Get"] } } as never } },
      })),
    );
    expect(issueAt(issues, "/uses/required/partners").message).toContain("<module>.use(spec)");
  });

  test("required and optional aliases are emitted; API.used holds their selected surfaces", () => {
    const svc = defineServiceContract({}, () => ({
      id: "billing@v1",
      ...base,
      uses: {
        required: {
          partners: partners.use({ rpc: { call: ["Partner.Get"] }, operations: { call: ["Partner.Import"] } }),
        },
        optional: { notes: notes.use({ rpc: { call: ["Notes.Get"] } }) },
      },
    }));
    expect(svc.CONTRACT.uses).toEqual({
      required: {
        partners: { contract: "partners@v1", rpc: { call: ["Partner.Get"] }, operations: { call: ["Partner.Import"] } },
        health: HEALTH,
      },
      optional: { notes: { contract: "acme.notes@v1", rpc: { call: ["Notes.Get"] } } },
    });
    expect(Object.keys(svc.API.used.rpc).sort()).toEqual(["Notes.Get", "Partner.Get"]);
    expect(svc.API.used.rpc["Partner.Get"]).toBe(partners.API.owned.rpc["Partner.Get"]);
    expect(svc.API.used.operations["Partner.Import"]).toBe(partners.API.owned.operations["Partner.Import"]);
    expect((svc.API.used.rpc as Record<string, unknown>)["Partner.List"]).toBeUndefined();
  });
});

describe("§5 baseline uses", () => {
  const cases = [
    ["service", () => defineServiceContract({}, () => ({ id: "s@v1", ...base })), { health: HEALTH }],
    ["app", () => defineAppContract(() => ({ id: "a@v1", ...base })), { auth: AUTH }],
    ["agent", () => defineAgentContract(() => ({ id: "g@v1", ...base })), { auth: AUTH }],
    ["device", () => defineDeviceContract(() => ({ id: "d@v1", ...base })), { health: HEALTH, auth: AUTH }],
  ] as const;
  for (const [kind, define, required] of cases) {
    test(`${kind}: ${Object.keys(required).join(" + ")}`, () => {
      expect(define().CONTRACT.uses).toEqual({ required });
    });
  }

  test("trellis.health@v1 does not use itself", () => {
    expect(health.CONTRACT.uses).toBeUndefined();
    expect(health.API.used.events).toEqual({});
  });

  test("state adds the state use when declared", () => {
    const app = defineAppContract({ schemas: io }, (ref) => ({
      id: "a@v1",
      ...base,
      state: { drafts: { kind: "map", schema: ref.schema("Out") } },
    }));
    expect(app.CONTRACT.uses).toEqual({ required: { auth: AUTH, state: STATE } });
    expect(Object.keys(app.API.used.rpc).sort()).toEqual([
      "Auth.Sessions.Logout",
      "Auth.Sessions.Me",
      "State.Delete",
      "State.Get",
      "State.List",
      "State.Put",
    ]);
  });

  test("merges into an explicit alias of the same contract, lists SU", () => {
    const svc = defineServiceContract({}, () => ({
      id: "s@v1",
      ...base,
      uses: {
        required: {
          health: health.use({ rpc: { call: ["Health.Check"] }, events: { subscribe: ["Health.Heartbeat"] } }),
        },
      },
    }));
    expect(svc.CONTRACT.uses?.required?.health).toEqual({
      contract: "trellis.health@v1",
      rpc: { call: ["Health.Check"] },
      events: { publish: ["Health.Heartbeat"], subscribe: ["Health.Heartbeat"] },
    });
    // The record's real descriptor replaces the pending baseline one.
    expect(svc.API.used.events["Health.Heartbeat"]).toBe(health.API.owned.events["Health.Heartbeat"]);
    expect(svc.API.used.rpc["Health.Check"]).toBe(health.API.owned.rpc["Health.Check"]);
  });

  test("an alias named like a baseline but pointing at another contract is an error", () => {
    const issues = definitionIssues(() =>
      defineServiceContract({}, () => ({
        id: "s@v1",
        ...base,
        uses: { required: { health: partners.use({ rpc: { call: ["Partner.Get"] } }) } },
      })),
    );
    expect(issueAt(issues, "/uses/required/health/contract").message).toContain(
      "alias 'health' is the baseline use of 'trellis.health@v1' but points at 'partners@v1'",
    );
    const optional = definitionIssues(() =>
      defineAppContract(() => ({ id: "a@v1", ...base, uses: { optional: { auth: partners.use({}) } } })),
    );
    expect(issueAt(optional, "/uses/optional/auth/contract").message).toContain("baseline use of 'trellis.auth@v1'");
  });
});

describe("API.trellis", () => {
  test("a name both owned and used is an error", () => {
    const issues = definitionIssues(() =>
      defineServiceContract({ schemas: io }, (ref) => ({
        id: "s@v1",
        ...base,
        rpc: {
          "Partner.Get": {
            version: "v1",
            subject: "rpc.v1.Local.Get",
            input: ref.schema("In"),
            output: ref.schema("Out"),
          },
        },
        uses: { required: { partners: partners.use({ rpc: { call: ["Partner.Get"] } }) } },
      })),
    );
    expect(issueAt(issues, "/rpc/Partner.Get").message).toContain("both owned and used");
  });

  test("the same used name from two contracts is an error", () => {
    const other = defineServiceContract({ schemas: io }, (ref) => ({
      id: "other@v1",
      ...base,
      rpc: { "Partner.Get": { version: "v1", input: ref.schema("In"), output: ref.schema("Out") } },
    }));
    const issues = definitionIssues(() =>
      defineAppContract(() => ({
        id: "a@v1",
        ...base,
        uses: {
          required: {
            partners: partners.use({ rpc: { call: ["Partner.Get"] } }),
            other: other.use({ rpc: { call: ["Partner.Get"] } }),
          },
        },
      })),
    );
    expect(issueAt(issues, "/uses").message).toContain("used from both 'partners@v1' and 'other@v1'");
  });
});
