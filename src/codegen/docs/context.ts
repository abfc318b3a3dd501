import type { Docs, JsonSchema, NormalizedManifest, Ref } from "../../contracts/index.ts";
import { code, verbatim } from "./markdown.ts";
import { schemaTable } from "./schema-table.ts";

/** The manifest being documented, with the helpers every section uses. */
export class DocsContext {
  constructor(readonly manifest: NormalizedManifest) {}

  schema(ref: Ref): JsonSchema {
    return this.manifest.schemas?.[ref.schema] ?? true;
  }

  /** A labelled schema table: "**Input** `OrderCreate`" and the table. */
  schemaBlock(label: string, ref: Ref): string[] {
    return [`**${label}** ${code(ref.schema)}`, schemaTable(this.schema(ref))];
  }
}

/** A descriptor's own docs: summary, then the Markdown. */
export function docsBlocks(docs: Docs | undefined): string[] {
  if (docs === undefined) return [];
  return [
    ...(docs.summary ? [verbatim(docs.summary)] : []),
    ...(docs.markdown.trim() === "" ? [] : [verbatim(docs.markdown)]),
  ];
}

/** An all-of capability list in words (contracts.md §1: absent or empty = authentication only). */
export function capsText(caps: readonly string[] | undefined): string {
  return caps === undefined || caps.length === 0 ? "authentication only" : [...caps].sort().map(code).join(" + ");
}

/** A setting with its effective value; `(default)` marks what the manifest leaves out. */
export function withDefault(value: unknown, fallback: unknown): string {
  const show = (v: unknown) => (Array.isArray(v) ? (v.length === 0 ? "[]" : v.join(", ")) : String(v));
  return value === undefined ? `${show(fallback)} (default)` : show(value);
}
