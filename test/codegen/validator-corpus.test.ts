import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import * as v from "valibot";
import { authContract, healthContract, type WireErrorClass } from "../../src/contracts/index.ts";
import { seededRandom } from "../contracts/prng.ts";
import { generatedExamples } from "./support/example-tree.ts";
import { arrayAtObject, mutate, validInstance } from "./support/instances.ts";

/**
 * The validators an SDK generates from the manifest's JSON Schemas accept and
 * reject the same documents as the valibot schemas of the contract sources,
 * on a seeded corpus of valid instances and targeted invalid mutations (at
 * least 200 per schema, both kinds well represented).
 *
 * One difference is known and asserted as such: valibot's `v.object` (and
 * `v.record`) accept arrays, while the JSON Schema (`type: "object"`) and so
 * the SDK reject them. Every disagreement must be exactly that case.
 */

const PER_SCHEMA = 240;
/** `rebuilt`: the schema `defineError` builds for a rebuilt class (a `v.object`, which strips unknown members). */
type Pair = { name: string; json: unknown; source: v.GenericSchema; generated: v.GenericSchema; rebuilt?: boolean };

async function pairs(): Promise<Pair[]> {
  const tree = await generatedExamples();
  const ordersSource = (await import(join(tree.examples, "orders", "contract.ts"))).default;
  const orders = await import(join(tree.generated, "packages", "ts", "acme-orders", "index.ts"));
  const web = await import(join(tree.generated, "packages", "ts", "acme-orders-web", "index.ts"));
  const list: Pair[] = [];
  // Every schema the orders source declares, by name.
  for (const [name, source] of Object.entries(ordersSource.SCHEMAS as Record<string, v.GenericSchema>)) {
    list.push({
      name: `acme.orders ${name}`,
      json: orders.JSON_SCHEMAS[name],
      source,
      generated: orders.SCHEMAS[name],
    });
  }
  // Declared errors: the source class's schema against the rebuilt class's schema.
  for (const [key, source] of Object.entries(ordersSource.ERRORS as Record<string, WireErrorClass>)) {
    const errorSchema = orders.CONTRACT.errors[key].schema.schema as string;
    list.push({
      name: `acme.orders error ${key}`,
      json: orders.JSON_SCHEMAS[errorSchema],
      source: source.schema,
      generated: orders.ERRORS[key].schema,
      rebuilt: true,
    });
  }
  // Surfaces orders-web uses, from built-in contracts (auth's Caller is a variant) and from acme.orders.
  const sourceOf: Record<string, Record<string, v.GenericSchema>> = {
    "trellis.auth@v1": authContract().SCHEMAS,
    "trellis.health@v1": healthContract().SCHEMAS,
    "acme.orders@v1": ordersSource.SCHEMAS,
  };
  for (const section of ["rpc", "events", "feeds", "operations"] as const) {
    for (const [name, descriptor] of Object.entries(web.API.used[section] as Record<string, Record<string, unknown>>)) {
      const manifest =
        descriptor.contractId === "acme.orders@v1"
          ? orders.CONTRACT
          : (await import("../../src/contracts/index.ts"))
              .builtinManifests()
              .find((m) => m.id === descriptor.contractId)!;
      const entry = (manifest as Record<string, Record<string, Record<string, { schema: string } | undefined>>>)[
        section
      ]![name]!;
      for (const member of ["input", "output", "event"]) {
        const ref = entry[member];
        if (ref === undefined || descriptor[member] === undefined) continue;
        const source = sourceOf[descriptor.contractId as string]?.[ref.schema];
        if (source === undefined) continue;
        list.push({
          name: `acme.orders-web uses ${name} ${member}`,
          json: (manifest.schemas as Record<string, unknown>)[ref.schema],
          source,
          generated: descriptor[member] as v.GenericSchema,
        });
      }
    }
  }
  return list;
}

describe("generated validators against the source valibot schemas", () => {
  test("the same verdict on a seeded corpus per schema (arrays at object positions excepted, as documented)", async () => {
    const all = await pairs();
    expect(all.length).toBeGreaterThan(20);
    const summary: string[] = [];
    for (const [index, pair] of all.entries()) {
      const random = seededRandom(0x7e11 + index);
      let valid = 0;
      let invalid = 0;
      let arrays = 0;
      for (let i = 0; i < PER_SCHEMA; i++) {
        const base = validInstance(pair.json as Record<string, unknown>, random);
        const value = i % 2 === 0 ? base : mutate(pair.json as Record<string, unknown>, base, random);
        const expected = v.safeParse(pair.source, value).success;
        const actual = v.safeParse(pair.generated, value).success;
        if (expected !== actual) {
          // The only accepted disagreement: valibot's object schemas take arrays, the JSON Schema does not.
          const explained = expected && !actual && arrayAtObject(pair.json as Record<string, unknown>, value);
          if (!explained)
            throw new Error(`${pair.name}: source says ${expected}, SDK says ${actual} for ${JSON.stringify(value)}`);
          arrays++;
          continue;
        }
        if (expected) valid++;
        else invalid++;
        // Generated validators never transform: what they accept they return unchanged.
        if (actual && pair.rebuilt !== true) expect(v.parse(pair.generated, value)).toEqual(value);
      }
      summary.push(`${pair.name}: ${valid} valid, ${invalid} invalid, ${arrays} arrays`);
      expect(valid + invalid + arrays).toBe(PER_SCHEMA);
      // Both kinds well represented (an open, field-less schema like Empty accepts most mutations).
      expect(valid).toBeGreaterThan(PER_SCHEMA / 5);
      if (!pair.name.endsWith(" Empty")) expect(invalid).toBeGreaterThan(PER_SCHEMA / 5);
    }
    expect(summary.length).toBe(all.length);
    if (process.env.TRELLIS_CORPUS_SUMMARY) console.log(summary.join("\n"));
  });
});
