import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import { defineServiceContract } from "../../src/contracts/index.ts";
import { definitionIssues, issueAt } from "./fixtures/authoring/expect-definition-error.ts";

const schemas = { In: v.object({ id: v.string() }), Out: v.object({}) };
const cap = (displayName: string) => ({ displayName, description: `${displayName}.` });

describe("§7.1 capability keys", () => {
  test("declared local names become <NS(id)>::<local>, consequence kept", () => {
    const m = defineServiceContract({ schemas }, () => ({
      id: "acme.notes@v12",
      displayName: "Notes",
      description: "Notes.",
      capabilities: { read: cap("Read"), "admin.write": { ...cap("Write"), consequence: "Changes data." } },
    }));
    expect(m.CONTRACT.capabilities).toEqual({
      "acme.notes::read": cap("Read"),
      "acme.notes::admin.write": { ...cap("Write"), consequence: "Changes data." },
    });
  });

  for (const local of ["notes.read", "acme.notes.read"]) {
    test(`rejects local name '${local}' (starts with <NS>. or <last segment>.)`, () => {
      const issues = definitionIssues(() =>
        defineServiceContract({}, () => ({
          id: "acme.notes@v1",
          displayName: "Notes",
          description: "Notes.",
          capabilities: { [local]: cap("Read") },
        })),
      );
      expect(issueAt(issues, `/capabilities/${local}`).message).toContain("must not start with");
    });
  }

  test("accepts a local name that only shares a prefix without the dot", () => {
    const m = defineServiceContract({}, () => ({
      id: "acme.notes@v1",
      displayName: "Notes",
      description: "Notes.",
      capabilities: { "notesy.read": cap("Read") },
    }));
    expect(Object.keys(m.CONTRACT.capabilities ?? {})).toEqual(["acme.notes::notesy.read"]);
  });

  test("rejects unknown members of a declaration", () => {
    const issues = definitionIssues(() =>
      defineServiceContract({}, () => ({
        id: "acme.notes@v1",
        displayName: "Notes",
        description: "Notes.",
        capabilities: { read: { ...cap("Read"), consequenc: "typo" } as never },
      })),
    );
    expect(issueAt(issues, "/capabilities/read/consequenc").message).toContain("unknown member");
  });

  test("rejects locals that are platform capabilities or contain '::'", () => {
    const issues = definitionIssues(() =>
      defineServiceContract({}, () => ({
        id: "acme.notes@v1",
        displayName: "Notes",
        description: "Notes.",
        capabilities: { admin: cap("A"), service: cap("S"), "x::y": cap("X") },
      })),
    );
    expect(issues.map((issue) => issue.path).sort()).toEqual([
      "/capabilities/admin",
      "/capabilities/service",
      "/capabilities/x::y",
    ]);
  });
});

describe("§7.1 capability lists", () => {
  const contract = defineServiceContract({ schemas }, (ref) => ({
    id: "acme.notes@v1",
    displayName: "Notes",
    description: "Notes.",
    capabilities: { read: cap("Read"), write: cap("Write") },
    rpc: {
      "Notes.Get": {
        version: "v1",
        input: ref.schema("In"),
        output: ref.schema("Out"),
        capabilities: { call: ["write", "read", "service", "other.ns::x", "admin", "read", "acme.notes::write"] },
      },
    },
    operations: {
      "Notes.Export": {
        version: "v1",
        input: ref.schema("In"),
        output: ref.schema("Out"),
        capabilities: { call: ["read"], observe: ["write", "read"], cancel: ["admin"], control: [] },
      },
    },
    events: {
      "Notes.Changed": {
        version: "v1",
        event: ref.schema("In"),
        capabilities: { publish: ["write"], subscribe: ["read", "read"] },
      },
    },
    feeds: {
      "Notes.Watch": {
        version: "v1",
        input: ref.schema("In"),
        event: ref.schema("Out"),
        capabilities: { subscribe: ["read"] },
      },
    },
  }));

  test("maps locals to keys, keeps admin/service/:: entries, SU by UTF-16 code units", () => {
    expect(contract.CONTRACT.rpc?.["Notes.Get"]?.capabilities).toEqual({
      call: ["acme.notes::read", "acme.notes::write", "admin", "other.ns::x", "service"],
    });
  });

  test("maps every list of operations, events and feeds", () => {
    expect(contract.CONTRACT.operations?.["Notes.Export"]?.capabilities).toEqual({
      call: ["acme.notes::read"],
      observe: ["acme.notes::read", "acme.notes::write"],
      cancel: ["admin"],
      control: [],
    });
    expect(contract.CONTRACT.events?.["Notes.Changed"]?.capabilities).toEqual({
      publish: ["acme.notes::write"],
      subscribe: ["acme.notes::read"],
    });
    expect(contract.CONTRACT.feeds?.["Notes.Watch"]?.capabilities).toEqual({ subscribe: ["acme.notes::read"] });
  });

  test("descriptors carry the emitted (global) capability keys", () => {
    expect(contract.API.owned.operations["Notes.Export"].capabilities.observe).toEqual([
      "acme.notes::read",
      "acme.notes::write",
    ]);
  });

  test("rejects undeclared bare names, naming the list entry", () => {
    const issues = definitionIssues(() =>
      defineServiceContract({ schemas }, (ref) => ({
        id: "acme.notes@v1",
        displayName: "Notes",
        description: "Notes.",
        capabilities: { read: cap("Read") },
        rpc: {
          "Notes.Get": {
            version: "v1",
            input: ref.schema("In"),
            output: ref.schema("Out"),
            capabilities: { call: ["read", "write"] },
          },
        },
        feeds: {
          "Notes.Watch": {
            version: "v1",
            input: ref.schema("In"),
            event: ref.schema("Out"),
            capabilities: { subscribe: ["owner"] },
          },
        },
      })),
    );
    expect(issueAt(issues, "/rpc/Notes.Get/capabilities/call/1").message).toContain("unknown capability 'write'");
    expect(issueAt(issues, "/feeds/Notes.Watch/capabilities/subscribe/0").message).toContain(
      "unknown capability 'owner'",
    );
  });
});
