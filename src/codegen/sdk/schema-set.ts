import type { JsonValue } from "../../contracts/index.ts";
import type { Doc } from "../code/doc.ts";
import type { Helper } from "../json-schema/helpers.ts";
import { stableKey } from "../json-schema/json-value.ts";
import { readSchema, type Diagnostics, type Located, type Schema } from "../json-schema/read-schema.ts";
import type { RenderContext, SchemaReference } from "../json-schema/render-context.ts";
import { toTypeScript } from "../json-schema/to-typescript.ts";
import { toValibot } from "../json-schema/to-valibot.ts";

/**
 * The named schemas one SDK declares: the contract's own (`/schemas/<key>`)
 * and those of its dependencies that used surfaces refer to. Each becomes a
 * TypeScript type and a valibot const; a subschema equal to another named
 * schema of the same contract is written as a reference to it.
 */
export type SchemaDecl = {
  /** The contract whose manifest holds the schema. */
  readonly provenance: string;
  readonly key: string;
  readonly own: boolean;
  readonly schema: Schema;
  /** Where notes and problems point: `/schemas/<key>` for own schemas, `<id>#/schemas/<key>` for others. */
  readonly pointer: string;
  typeName: string;
  constName: string;
};

export type RenderedDecl = {
  readonly decl: SchemaDecl;
  readonly type: Doc;
  readonly value: Doc;
  readonly references: ReadonlySet<SchemaDecl>;
};

export class SchemaSet {
  readonly #decls = new Map<string, SchemaDecl>();
  readonly helpers = new Set<Helper>();

  constructor(readonly diagnostics: Diagnostics) {}

  add(provenance: string, key: string, schema: Schema, own: boolean): SchemaDecl {
    const id = `${provenance}\u0000${key}`;
    const existing = this.#decls.get(id);
    if (existing !== undefined) return existing;
    const pointer = own ? `/schemas/${escape(key)}` : `${provenance}#/schemas/${escape(key)}`;
    const decl: SchemaDecl = { provenance, key, own, schema, pointer, typeName: "", constName: "" };
    this.#decls.set(id, decl);
    return decl;
  }

  get(provenance: string, key: string): SchemaDecl | undefined {
    return this.#decls.get(`${provenance}\u0000${key}`);
  }

  /** Own schemas first, then by contract id and key. */
  all(): SchemaDecl[] {
    return [...this.#decls.values()].sort(
      (a, b) => Number(b.own) - Number(a.own) || compare(a.provenance, b.provenance) || compare(a.key, b.key),
    );
  }

  /** Every declaration with its type and valibot value, each after the declarations it refers to. */
  render(): RenderedDecl[] {
    const rendered = new Map<SchemaDecl, RenderedDecl>();
    for (const decl of this.all()) {
      const references = new Set<SchemaDecl>();
      const context = this.#context(decl.provenance, decl, references);
      const located = { schema: decl.schema, pointer: decl.pointer };
      rendered.set(decl, {
        decl,
        type: toTypeScript(located, context),
        value: toValibot(located, context),
        references,
      });
    }
    return declarationOrder(this.all(), rendered);
  }

  /** A subschema of `provenance` (an error field), referring to its named schemas where equal. */
  expression(provenance: string, located: Located): { value: Doc; type: Doc; references: Set<SchemaDecl> } {
    const references = new Set<SchemaDecl>();
    const context = this.#context(provenance, undefined, references);
    return { value: toValibot(located, context), type: toTypeScript(located, context), references };
  }

  #index = new Map<string, Map<string, SchemaDecl>>();

  #context(provenance: string, declaring: SchemaDecl | undefined, references: Set<SchemaDecl>): RenderContext {
    const index = this.#indexOf(provenance);
    return {
      diagnostics: this.diagnostics,
      helpers: this.helpers,
      // The declaration itself is written out (an equal one earlier by key is referred to instead).
      reference: (located: Located): SchemaReference | undefined => {
        const target = index.get(stableKey(located.schema as JsonValue));
        if (target === undefined || target === declaring) return undefined;
        references.add(target);
        return { value: target.constName, type: target.typeName };
      },
    };
  }

  /** Named schemas worth referring to (objects, arrays, enums, combinations), first by key for equal ones. */
  #indexOf(provenance: string): Map<string, SchemaDecl> {
    let index = this.#index.get(provenance);
    if (index !== undefined) return index;
    index = new Map();
    for (const decl of this.all()) {
      if (decl.provenance !== provenance || !structured(decl, this.diagnostics)) continue;
      const key = stableKey(decl.schema as JsonValue);
      if (!index.has(key)) index.set(key, decl);
    }
    this.#index.set(provenance, index);
    return index;
  }
}

function structured(decl: SchemaDecl, diagnostics: Diagnostics): boolean {
  if (typeof decl.schema === "boolean") return false;
  const facts = readSchema({ schema: decl.schema, pointer: decl.pointer }, diagnostics);
  if (facts.trivial !== undefined) return false;
  const objectOrArray = facts.types?.some((t) => t === "object" || t === "array") ?? false;
  return (
    objectOrArray ||
    (facts.values?.length ?? 0) > 1 ||
    facts.anyOf !== undefined ||
    facts.oneOf !== undefined ||
    facts.allOf.length > 0
  );
}

/** Stable topological order: a declaration comes after those it refers to, ties in `order`. */
function declarationOrder(order: readonly SchemaDecl[], rendered: Map<SchemaDecl, RenderedDecl>): RenderedDecl[] {
  const done = new Set<SchemaDecl>();
  const result: RenderedDecl[] = [];
  const visit = (decl: SchemaDecl) => {
    if (done.has(decl)) return;
    done.add(decl);
    const entry = rendered.get(decl)!;
    // References always point at strictly smaller schemas (or an equal one earlier by key), so there are no cycles.
    for (const target of [...entry.references].sort((a, b) => order.indexOf(a) - order.indexOf(b))) visit(target);
    result.push(entry);
  };
  for (const decl of order) visit(decl);
  return result;
}

function escape(token: string): string {
  return token.replaceAll("~", "~0").replaceAll("/", "~1");
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
