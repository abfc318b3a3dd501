import type { Json } from "./manifest-test-helpers.ts";
import { intBelow, pick, type Random } from "./prng.ts";

/**
 * Mutations of valid manifests for the fuzz test. Each one knows what it
 * does to validity: `same-digest` keeps the manifest valid and its digest
 * unchanged (copy, unknown members, key order, SU duplicates...), `valid`
 * keeps it valid, `invalid` must make it invalid whatever else was done.
 * A mutation returns undefined when the manifest has nothing it applies to.
 */
export type Outcome = "same-digest" | "valid" | "invalid";
export type Case = { root: unknown; random: Random; counter: () => number };
export type Mutation = { name: string; outcome: Outcome; weight: number; apply: (c: Case) => boolean };

const SECTIONS = ["rpc", "operations", "events", "feeds"] as const;
type Section = (typeof SECTIONS)[number];
type Slot = { obj: Json; key: string };
const CAPABILITY_LISTS: Readonly<Record<Section, readonly string[]>> = {
  rpc: ["call"],
  operations: ["call", "observe", "cancel", "control"],
  events: ["publish", "subscribe"],
  feeds: ["subscribe"],
};

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const entriesOf = (value: unknown): [string, Json][] =>
  isObject(value) ? (Object.entries(value) as [string, Json][]) : [];
const root = (c: Case) => c.root as Json;

/** A megabyte string (immutable, so shared) and fresh 5,000-level structures (later mutations may write into them). */
export const HUGE = "h".repeat(1 << 20);
const nest = (levels: number, wrap: (inner: unknown) => Json, leaf: unknown): unknown => {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = wrap(value);
  return value;
};
const deepData = () => nest(5000, (inner) => ({ d: [inner] }), 1);
const deepSchema = () => nest(5000, (inner) => ({ type: "object", properties: { a: inner } }), { type: "string" });

function surfaces(m: Json): { section: Section; name: string; d: Json }[] {
  return SECTIONS.flatMap((section) => entriesOf(m[section]).map(([name, d]) => ({ section, name, d })));
}

/** Every `Ref` object of a manifest. */
function refs(m: Json): Json[] {
  const found: Json[] = [];
  const add = (value: unknown) => {
    if (isObject(value) && typeof value.schema === "string") found.push(value);
  };
  for (const [, s] of entriesOf(m.state)) {
    add(s.schema);
    entriesOf(s.acceptedVersions).forEach(([, r]) => add(r));
  }
  for (const [, kv] of entriesOf(m.resources?.kv)) add(kv.schema);
  for (const { d } of surfaces(m)) {
    ["input", "output", "progress", "event"].forEach((key) => add(d[key]));
    entriesOf(d.signals).forEach(([, signal]) => add(signal.input));
  }
  for (const [, e] of entriesOf(m.errors)) add(e.schema);
  for (const [, j] of entriesOf(m.jobs)) {
    add(j.payload);
    add(j.result);
  }
  return found;
}

/** Objects whose unknown members are dropped (v.object, not records, not `resources`, not schemas). */
function descriptorObjects(m: Json): Json[] {
  const found: Json[] = [m, ...refs(m)];
  const withDocs = (d: Json) => {
    found.push(d);
    if (isObject(d.docs)) found.push(d.docs);
  };
  if (isObject(m.docs)) found.push(m.docs);
  if (isObject(m.exports)) found.push(m.exports);
  for (const { d } of surfaces(m)) {
    withDocs(d);
    for (const key of ["capabilities", "transfer"]) if (isObject(d[key])) found.push(d[key]);
    entriesOf(d.signals).forEach(([, signal]) => withDocs(signal));
  }
  for (const section of ["state", "jobs", "eventConsumers", "errors", "capabilities"])
    entriesOf(m[section]).forEach(([, d]) => withDocs(d));
  for (const kind of ["kv", "store"]) entriesOf(m.resources?.[kind]).forEach(([, d]) => withDocs(d));
  if (isObject(m.uses)) {
    found.push(m.uses);
    for (const group of ["required", "optional"]) {
      for (const [, use] of entriesOf(m.uses[group])) {
        found.push(use);
        for (const key of ["rpc", "operations", "events", "feeds"]) if (isObject(use[key])) found.push(use[key]);
      }
    }
  }
  return found;
}

/** Present members that §1 requires. */
function requiredSlots(m: Json): Slot[] {
  const slots: Slot[] = ["format", "id", "displayName", "description", "kind"].map((key) => ({ obj: m, key }));
  const add = (obj: unknown, ...keys: string[]) => {
    if (isObject(obj)) for (const key of keys) if (key in obj) slots.push({ obj, key });
  };
  refs(m).forEach((r) => add(r, "schema"));
  for (const { section, d } of surfaces(m)) {
    add(
      d,
      "version",
      "subject",
      ...(section === "events" ? ["event"] : section === "feeds" ? ["input", "event"] : ["input", "output"]),
    );
    add(d.transfer, "direction", ...(section === "operations" ? ["store", "key"] : []));
    add(d.docs, "markdown");
  }
  for (const [, cap] of entriesOf(m.capabilities)) add(cap, "displayName", "description");
  for (const [, s] of entriesOf(m.state)) add(s, "kind", "schema");
  for (const [, j] of entriesOf(m.jobs)) add(j, "payload");
  for (const [, kv] of entriesOf(m.resources?.kv)) add(kv, "purpose", "schema");
  for (const [, st] of entriesOf(m.resources?.store)) add(st, "purpose");
  for (const [, e] of entriesOf(m.errors)) add(e, "type");
  for (const group of ["required", "optional"]) for (const [, use] of entriesOf(m.uses?.[group])) add(use, "contract");
  add(m.docs, "markdown");
  return slots;
}

/** Every container (object or array) of a value, schemas and unknown members included. */
function containers(value: unknown): (Json | unknown[])[] {
  const found: (Json | unknown[])[] = [];
  const stack = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (Array.isArray(current)) {
      found.push(current);
      stack.push(...current);
    } else if (isObject(current)) {
      found.push(current);
      stack.push(...Object.values(current));
    }
  }
  return found;
}

const objectSchemas = (m: Json): Json[] =>
  entriesOf(m.schemas)
    .map(([, s]) => s)
    .filter(isObject);
const schemaName = (m: Json): string | undefined => Object.keys(m.schemas ?? {})[0];

/** Lists that the digest projects through SU (duplicates vanish). */
function suLists(m: Json): string[][] {
  const lists: string[][] = [];
  const add = (value: unknown) => {
    if (Array.isArray(value) && value.length > 0) lists.push(value as string[]);
  };
  for (const { d } of surfaces(m)) entriesOf(d.capabilities).forEach(([, list]) => add(list));
  for (const group of ["required", "optional"]) {
    for (const [, use] of entriesOf(m.uses?.[group])) {
      for (const key of ["rpc", "operations", "events", "feeds"]) entriesOf(use[key]).forEach(([, list]) => add(list));
    }
  }
  for (const [, consumer] of entriesOf(m.eventConsumers)) {
    entriesOf(consumer.uses).forEach(([, list]) => add(list));
    add(consumer.self);
  }
  return lists;
}

function shuffledCopy(obj: Json, random: Random): Json {
  const keys = Object.keys(obj);
  for (let i = keys.length - 1; i > 0; i--) {
    const j = intBelow(random, i + 1);
    [keys[i], keys[j]] = [keys[j]!, keys[i]!];
  }
  const out: Json = {};
  for (const key of keys)
    Object.defineProperty(out, key, { value: obj[key], enumerable: true, writable: true, configurable: true });
  return out;
}

function randomSchema(random: Random, depth = 0): unknown {
  const scalar = () => ({ type: pick(random, ["string", "integer", "number", "boolean", "null"]) });
  if (depth > 3 || random() < 0.3) return random() < 0.1 ? random() < 0.5 : scalar();
  switch (intBelow(random, 4)) {
    case 0:
      return {
        type: "object",
        properties: { a: randomSchema(random, depth + 1), "b/c~": randomSchema(random, depth + 1) },
        required: ["a"],
      };
    case 1:
      return { type: "array", items: randomSchema(random, depth + 1), minItems: 1 };
    case 2:
      return { anyOf: [randomSchema(random, depth + 1), randomSchema(random, depth + 1)] };
    default:
      return { enum: ["x", 1, null], description: "é😀" };
  }
}

const junk = (random: Random): unknown =>
  pick(random, [1, "x", true, null, [], {}, [1, { a: "b" }], { nested: { deeper: [0.5, -2] } }]);

export const MUTATIONS: readonly Mutation[] = [
  // ---- must stay valid, same digest ----
  {
    name: "unknown member on a descriptor",
    outcome: "same-digest",
    weight: 6,
    apply: (c) => {
      pick(c.random, descriptorObjects(root(c)))[`x-future-${c.counter()}`] = junk(c.random);
      return true;
    },
  },
  {
    name: "copy change (displayName, description, docs)",
    outcome: "same-digest",
    weight: 5,
    apply: (c) => {
      const m = root(c);
      const docsHolders = [
        m,
        ...surfaces(m).map((s) => s.d),
        ...entriesOf(m.jobs).map(([, j]) => j),
        ...entriesOf(m.state).map(([, s]) => s),
      ];
      switch (intBelow(c.random, 3)) {
        case 0:
          m.displayName = pick(c.random, ["Renamed", "Ünïcødé 😀", "x"]);
          break;
        case 1:
          m.description = `Changed ${c.counter()}.`;
          break;
        default:
          pick(c.random, docsHolders).docs = {
            markdown: `# Doc ${c.counter()}`,
            ...(c.random() < 0.5 ? { summary: "" } : {}),
          };
      }
      return true;
    },
  },
  {
    name: "reorder the keys of any object",
    outcome: "same-digest",
    weight: 4,
    apply: (c) => {
      const m = root(c);
      const parents = containers(m).filter((parent) => Object.values(parent).some(isObject));
      const parent = pick(c.random, parents) as Json;
      const key = pick(
        c.random,
        Object.keys(parent).filter((k) => isObject(parent[k])),
      );
      parent[key] = shuffledCopy(parent[key], c.random);
      if (c.random() < 0.3) c.root = shuffledCopy(root(c), c.random);
      return true;
    },
  },
  {
    name: "unreachable extra schema",
    outcome: "same-digest",
    weight: 3,
    apply: (c) => {
      const m = root(c);
      m.schemas = { ...(m.schemas ?? {}), [`Extra_${c.counter()}`]: randomSchema(c.random) };
      return true;
    },
  },
  {
    name: "megabyte string in an unreachable schema",
    outcome: "same-digest",
    weight: 1,
    apply: (c) => {
      const m = root(c);
      m.schemas = { ...(m.schemas ?? {}), [`Extra_${c.counter()}`]: { type: "string", description: HUGE } };
      return true;
    },
  },
  {
    name: "5,000 levels of nesting in an unknown member",
    outcome: "same-digest",
    weight: 1,
    apply: (c) => {
      pick(c.random, descriptorObjects(root(c)))[`x-deep-${c.counter()}`] = deepData();
      return true;
    },
  },
  {
    name: "duplicate an entry of an SU list",
    outcome: "same-digest",
    weight: 3,
    apply: (c) => {
      const lists = suLists(root(c));
      if (lists.length === 0) return false;
      const list = pick(c.random, lists);
      list.splice(intBelow(c.random, list.length + 1), 0, pick(c.random, list));
      return true;
    },
  },
  {
    name: "stray alias directly under uses",
    outcome: "same-digest",
    weight: 2,
    apply: (c) => {
      const m = root(c);
      m.uses = { ...(m.uses ?? {}), [`stray${c.counter()}`]: { contract: "whatever", subjects: ["x"], rpc: 5 } };
      return true;
    },
  },
  // ---- must stay valid ----
  {
    name: "capability display copy (capabilities are projected whole)",
    outcome: "valid",
    weight: 1,
    apply: (c) => {
      const caps = entriesOf(root(c).capabilities);
      if (caps.length === 0) return false;
      pick(c.random, caps)[1].displayName = `Cap ${c.counter()}`;
      return true;
    },
  },
  {
    name: "new job on an existing schema",
    outcome: "valid",
    weight: 2,
    apply: (c) => {
      const m = root(c);
      const schema = schemaName(m);
      if (schema === undefined) return false;
      m.jobs = {
        ...(m.jobs ?? {}),
        [`job-${c.counter()}`]: {
          payload: { schema },
          maxDeliver: 1 + intBelow(c.random, 9),
          backoffMs: [0, 10],
          logs: c.random() < 0.5,
        },
      };
      return true;
    },
  },
  {
    name: "new rpc with a fresh subject",
    outcome: "valid",
    weight: 2,
    apply: (c) => {
      const m = root(c);
      const schema = schemaName(m);
      if (schema === undefined) return false;
      const name = `Fuzz.Call${c.counter()}`;
      m.rpc = {
        ...(m.rpc ?? {}),
        [name]: {
          version: "v3",
          subject: `rpc.v3.${name}`,
          input: { schema },
          output: { schema },
          capabilities: { call: ["admin"] },
        },
      };
      return true;
    },
  },
  // ---- must make invalid ----
  {
    name: "wrong JSON type for a required member",
    outcome: "invalid",
    weight: 6,
    apply: (c) => {
      const { obj, key } = pick(c.random, requiredSlots(root(c)));
      const current = obj[key];
      obj[key] =
        typeof current === "string"
          ? pick(c.random, [5, true, null, [], {}, ["x"]])
          : pick(c.random, ["x", 5, [], null, false]);
      return true;
    },
  },
  {
    name: "missing required member",
    outcome: "invalid",
    weight: 5,
    apply: (c) => {
      const { obj, key } = pick(c.random, requiredSlots(root(c)));
      delete obj[key];
      return true;
    },
  },
  {
    name: "empty required string",
    outcome: "invalid",
    weight: 2,
    apply: (c) => {
      const slots = requiredSlots(root(c)).filter(({ obj, key }) => typeof obj[key] === "string");
      const { obj, key } = pick(c.random, slots);
      obj[key] = "";
      return true;
    },
  },
  {
    name: "dangling ref",
    outcome: "invalid",
    weight: 5,
    apply: (c) => {
      const all = refs(root(c));
      if (all.length === 0) return false;
      pick(c.random, all).schema = `Missing_${c.counter()}`;
      return true;
    },
  },
  {
    name: "dangling or duplicate export",
    outcome: "invalid",
    weight: 1,
    apply: (c) => {
      const m = root(c);
      const names = Object.keys(m.schemas ?? {});
      const entry = names.length > 0 && c.random() < 0.5 ? names[0]! : `Missing_${c.counter()}`;
      m.exports = { schemas: names.length > 0 && entry === names[0] ? [entry, entry] : [entry] };
      return true;
    },
  },
  {
    name: "bad subject",
    outcome: "invalid",
    weight: 5,
    apply: (c) => {
      const all = surfaces(root(c));
      if (all.length === 0) return false;
      const { d } = pick(c.random, all);
      const s = d.subject as string;
      d.subject = pick(c.random, [
        `${s}.`,
        `${s}..x`,
        `.${s}`,
        `${s} x`,
        `${s}.*`,
        `${s}.>`,
        `other.${s}`,
        `$JS.API.${s}`,
        s.replace(/^[a-z]+\./, "nope."),
        `${s}.{/x`,
        `${s}.a{/x}`,
        `${s}.}`,
        "",
        `${s}.${HUGE}`,
      ]);
      return true;
    },
  },
  {
    name: "overlapping subjects",
    outcome: "invalid",
    weight: 4,
    apply: (c) => {
      const m = root(c);
      const all = surfaces(m);
      if (all.length === 0) return false;
      const { section, d } = pick(c.random, all);
      const clone = structuredClone(d);
      if (section === "operations" && c.random() < 0.5) clone.subject = `${d.subject}.control`;
      m[section][`Clone.N${c.counter()}`] = clone;
      return true;
    },
  },
  {
    name: "bad version",
    outcome: "invalid",
    weight: 3,
    apply: (c) => {
      const all = surfaces(root(c));
      if (all.length === 0) return false;
      pick(c.random, all).d.version = pick(c.random, ["1", "V1", "v", "v1.2", "", "v-1", "version1", " v1"]);
      return true;
    },
  },
  {
    name: "bad pointer",
    outcome: "invalid",
    weight: 3,
    apply: (c) => {
      const m = root(c);
      const targets = [
        ...surfaces(m)
          .filter((s) => s.section === "events")
          .map((s) => ({ obj: s.d, key: "params" })),
        ...surfaces(m)
          .filter((s) => isObject(s.d.transfer) && s.section === "operations")
          .map((s) => ({ obj: s.d.transfer as Json, key: "key" })),
      ];
      if (targets.length === 0) return false;
      const { obj, key } = pick(c.random, targets);
      const bad = pick(c.random, ["noslash", "/a~2b", "~", "a/b", ""]);
      obj[key] = key === "params" ? [bad] : bad === "" ? "x" : bad;
      return true;
    },
  },
  {
    name: "$ref inserted into a schema",
    outcome: "invalid",
    weight: 4,
    apply: (c) => {
      const schemas = objectSchemas(root(c));
      if (schemas.length === 0) return false;
      const nodes = containers(pick(c.random, schemas)).filter(isObject);
      pick(c.random, nodes).$ref = pick(c.random, ["#", "#/$defs/x", "other.json", 5]);
      return true;
    },
  },
  {
    name: "bad type keyword",
    outcome: "invalid",
    weight: 2,
    apply: (c) => {
      const schemas = objectSchemas(root(c));
      if (schemas.length === 0) return false;
      pick(c.random, schemas).type = pick(c.random, ["strin", "map", ["string", "date"], [], ["null", "null"], 5]);
      return true;
    },
  },
  {
    name: "megabyte string where a limit applies",
    outcome: "invalid",
    weight: 1,
    apply: (c) => {
      const m = root(c);
      switch (intBelow(c.random, 3)) {
        case 0:
          m.displayName = HUGE;
          break;
        case 1:
          m.description = HUGE;
          break;
        default: {
          const all = surfaces(m);
          if (all.length === 0) return false;
          const { section, name } = pick(c.random, all);
          m[section][HUGE] = m[section][name];
          delete m[section][name];
        }
      }
      return true;
    },
  },
  {
    name: "5,000 levels of nesting in a schema",
    outcome: "invalid",
    weight: 1,
    apply: (c) => {
      const m = root(c);
      m.schemas = { ...(m.schemas ?? {}), [`Deep_${c.counter()}`]: deepSchema() };
      return true;
    },
  },
  {
    name: "-0, NaN or Infinity anywhere",
    outcome: "invalid",
    weight: 4,
    apply: (c) => {
      const target = pick(c.random, containers(root(c)));
      const bad = pick(c.random, [-0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
      if (Array.isArray(target)) target.push(bad);
      else target[`x-impure-${c.counter()}`] = bad;
      return true;
    },
  },
  {
    name: "member not supported in v1",
    outcome: "invalid",
    weight: 2,
    apply: (c) => {
      const m = root(c);
      const aliases = ["required", "optional"].flatMap((group) => entriesOf(m.uses?.[group]).map(([, use]) => use));
      switch (intBelow(c.random, 3)) {
        case 0:
          m.subjects = {};
          break;
        case 1:
          m.resources = { ...(m.resources ?? {}), [pick(c.random, ["jobs", "stream", "streams"])]: {} };
          break;
        default:
          if (aliases.length === 0) return false;
          pick(c.random, aliases).subjects = ["a.b"];
      }
      return true;
    },
  },
  {
    name: "unknown resources key",
    outcome: "invalid",
    weight: 1,
    apply: (c) => {
      const m = root(c);
      m.resources = { ...(m.resources ?? {}), buckets: {} };
      return true;
    },
  },
  {
    name: "not an object",
    outcome: "invalid",
    weight: 1,
    apply: (c) => {
      c.root = pick(c.random, [[], [c.root], "manifest", 5, null, true]);
      return true;
    },
  },
  {
    name: "integer out of bounds",
    outcome: "invalid",
    weight: 3,
    apply: (c) => {
      const m = root(c);
      const schema = schemaName(m);
      if (schema === undefined) return false;
      const field = pick(c.random, ["maxDeliver", "ackWaitMs", "concurrency", "defaultDeadlineMs"]);
      m.jobs = {
        ...(m.jobs ?? {}),
        [`bounded-${c.counter()}`]: { payload: { schema }, [field]: pick(c.random, [0, -1, 1.5, 2 ** 60, "3"]) },
      };
      return true;
    },
  },
  {
    name: "bad kind, format or id",
    outcome: "invalid",
    weight: 2,
    apply: (c) => {
      const m = root(c);
      switch (intBelow(c.random, 3)) {
        case 0:
          m.kind = pick(c.random, ["robot", "Service", "", "services"]);
          break;
        case 1:
          m.format = pick(c.random, ["trellis.contract.v2", "trellis.contract", ""]);
          break;
        default:
          m.id = pick(c.random, ["noversion", "a@1", "a@v", "@v1", "a b@v1", "a@v01", "a..b@v1"]);
      }
      return true;
    },
  },
  {
    name: "capability key outside the namespace",
    outcome: "invalid",
    weight: 1,
    apply: (c) => {
      const m = root(c);
      m.capabilities = {
        ...(m.capabilities ?? {}),
        [pick(c.random, ["other.ns::x", "read", "::x"])]: { displayName: "X", description: "X." },
      };
      return true;
    },
  },
  {
    name: "bad capability list entry",
    outcome: "invalid",
    weight: 2,
    apply: (c) => {
      const all = surfaces(root(c));
      if (all.length === 0) return false;
      const { section, d } = pick(c.random, all);
      const list = pick(c.random, CAPABILITY_LISTS[section]);
      d.capabilities = {
        ...(d.capabilities ?? {}),
        [list]: ["admin", pick(c.random, ["read", "Admin", "a:b", "x::"])],
      };
      return true;
    },
  },
  {
    name: "consumer group breaking §2.8",
    outcome: "invalid",
    weight: 2,
    apply: (c) => {
      const m = root(c);
      const events = Object.keys(m.events ?? {});
      const group = `g${c.counter()}`;
      const broken = pick(c.random, [
        events.length > 0 ? { self: [events[0]], concurrency: 2 } : { self: ["Nope"] },
        { self: [] },
        { uses: { ghost: ["X.Y"] } },
        { self: [`Missing.E${c.counter()}`] },
      ]);
      m.eventConsumers = { ...(m.eventConsumers ?? {}), [group]: broken };
      return true;
    },
  },
  {
    name: "unknown rpc error type",
    outcome: "invalid",
    weight: 1,
    apply: (c) => {
      const rpcs = entriesOf(root(c).rpc);
      if (rpcs.length === 0) return false;
      const [, rpc] = pick(c.random, rpcs);
      rpc.errors = [...(rpc.errors ?? []), { type: `Nope${c.counter()}Error` }];
      return true;
    },
  },
];
