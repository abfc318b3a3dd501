/**
 * A tiny fixed pretty printer for generated code. Expressions and types are
 * built as documents and printed flat when they fit in the line width, else
 * broken one element per line with two-space indentation and trailing commas.
 * The printer is fixed (not a formatter's), so the output is byte-identical
 * everywhere; `generated/` is meant to stay out of formatters.
 */
export type Doc =
  | string
  | { readonly kind: "call"; readonly callee: string; readonly args: readonly Doc[] }
  | { readonly kind: "object"; readonly entries: readonly (readonly [key: string, value: Doc])[] }
  | { readonly kind: "array"; readonly items: readonly Doc[] }
  | { readonly kind: "typeObject"; readonly members: readonly (readonly [key: string, value: Doc])[] }
  | { readonly kind: "union" | "intersection"; readonly parts: readonly Doc[] }
  | { readonly kind: "arrayType"; readonly element: Doc }
  | { readonly kind: "tupleType"; readonly items: readonly Doc[] }
  | { readonly kind: "generic"; readonly name: string; readonly args: readonly Doc[] };

export const WIDTH = 120;

export const call = (callee: string, ...args: Doc[]): Doc => ({ kind: "call", callee, args });
export const objectLiteral = (entries: readonly (readonly [string, Doc])[]): Doc => ({ kind: "object", entries });
/** An object literal entry `...expression` (its value is ignored). */
export const spreadEntry = (expression: string): readonly [string, Doc] => [`...${expression}`, ""];
const isSpread = (key: string) => key.startsWith("...");
export const arrayLiteral = (items: readonly Doc[]): Doc => ({ kind: "array", items });
export const typeObject = (members: readonly (readonly [string, Doc])[]): Doc => ({ kind: "typeObject", members });
export const arrayType = (element: Doc): Doc => ({ kind: "arrayType", element });
export const tupleType = (items: readonly Doc[]): Doc => ({ kind: "tupleType", items });
/** A type application `Name<A, B>`. */
export const generic = (name: string, args: readonly Doc[]): Doc => ({ kind: "generic", name, args });

/** `A | B` without repeats; a single part is itself, none is `never`. */
export function union(parts: readonly Doc[]): Doc {
  const flat = dedupe(
    parts.flatMap((part) => (typeof part !== "string" && part.kind === "union" ? part.parts : [part])),
  );
  if (flat.some((part) => part === "unknown")) return "unknown";
  const kept = flat.filter((part) => part !== "never");
  return kept.length === 0 ? "never" : kept.length === 1 ? kept[0]! : { kind: "union", parts: kept };
}

/** `A & B` without `unknown` parts; a single part is itself, none is `unknown`. */
export function intersection(parts: readonly Doc[]): Doc {
  const flat = dedupe(
    parts.flatMap((part) => (typeof part !== "string" && part.kind === "intersection" ? part.parts : [part])),
  );
  if (flat.some((part) => part === "never")) return "never";
  const kept = flat.filter((part) => part !== "unknown");
  return kept.length === 0 ? "unknown" : kept.length === 1 ? kept[0]! : { kind: "intersection", parts: kept };
}

function dedupe(parts: readonly Doc[]): Doc[] {
  const seen = new Set<string>();
  const kept: Doc[] = [];
  for (const part of parts) {
    const key = printFlat(part);
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(part);
  }
  return kept;
}

/**
 * Prints `doc` on a line indented by `indent`, starting `offset` characters
 * after the indentation (after `key: ` for a member value).
 */
export function print(doc: Doc, indent = 0, offset = 0): string {
  const flat = printFlat(doc);
  if (!flat.includes("\n") && indent + offset + flat.length <= WIDTH) return flat;
  return printBroken(doc, indent, offset);
}

function printFlat(doc: Doc): string {
  if (typeof doc === "string") return doc;
  switch (doc.kind) {
    case "call":
      return `${doc.callee}(${doc.args.map(printFlat).join(", ")})`;
    case "object":
      return doc.entries.length === 0
        ? "{}"
        : `{ ${doc.entries.map(([key, value]) => (isSpread(key) ? key : `${key}: ${printFlat(value)}`)).join(", ")} }`;
    case "array":
      return `[${doc.items.map(printFlat).join(", ")}]`;
    case "typeObject":
      return doc.members.length === 0
        ? "{}"
        : `{ ${doc.members.map(([key, value]) => `${key}: ${printFlat(value)}`).join("; ")} }`;
    case "union":
      return doc.parts.map((part) => wrapIn("union", part, printFlat(part))).join(" | ");
    case "intersection":
      return doc.parts.map((part) => wrapIn("intersection", part, printFlat(part))).join(" & ");
    case "arrayType":
      return `${wrapIn("arrayType", doc.element, printFlat(doc.element))}[]`;
    case "tupleType":
      return `[${doc.items.map(printFlat).join(", ")}]`;
    case "generic":
      return `${doc.name}<${doc.args.map(printFlat).join(", ")}>`;
  }
}

function printBroken(doc: Doc, indent: number, offset: number): string {
  const inner = " ".repeat(indent + 2);
  const close = " ".repeat(indent);
  if (typeof doc === "string") return doc;
  switch (doc.kind) {
    case "call": {
      if (doc.args.length === 0) return `${doc.callee}()`;
      // A last object or array argument hugs the call: `f(a, {` ... `})`.
      const last = doc.args.at(-1)!;
      const head = doc.args.slice(0, -1).map(printFlat);
      if (
        typeof last !== "string" &&
        (last.kind === "object" || last.kind === "array") &&
        !head.some((h) => h.includes("\n"))
      ) {
        const prefix = `${doc.callee}(${head.map((h) => `${h}, `).join("")}`;
        if (indent + offset + prefix.length < WIDTH) return `${prefix}${printBroken(last, indent, 0)})`;
      }
      return `${doc.callee}(\n${doc.args.map((arg) => `${inner}${print(arg, indent + 2)},\n`).join("")}${close})`;
    }
    case "object":
      return `{\n${doc.entries
        .map(
          ([key, value]) => `${inner}${isSpread(key) ? key : `${key}: ${print(value, indent + 2, key.length + 2)}`},\n`,
        )
        .join("")}${close}}`;
    case "array":
      return `[\n${doc.items.map((item) => `${inner}${print(item, indent + 2)},\n`).join("")}${close}]`;
    case "typeObject":
      return `{\n${doc.members
        .map(([key, value]) => `${inner}${key}: ${print(value, indent + 2, key.length + 2)};\n`)
        .join("")}${close}}`;
    case "union":
    case "intersection": {
      const operator = doc.kind === "union" ? "|" : "&";
      return doc.parts
        .map((part) => `\n${inner}${operator} ${wrapIn(doc.kind, part, print(part, indent + 2, 2))}`)
        .join("");
    }
    case "arrayType":
      return `${wrapIn("arrayType", doc.element, print(doc.element, indent, offset))}[]`;
    case "tupleType":
      return `[\n${doc.items.map((item) => `${inner}${print(item, indent + 2)},\n`).join("")}${close}]`;
    case "generic":
      // Type argument lists allow no trailing comma.
      return `${doc.name}<\n${doc.args.map((arg) => `${inner}${print(arg, indent + 2)}`).join(",\n")}\n${close}>`;
  }
}

/** Parentheses where TypeScript's precedence needs them (and around mixed `&`/`|` for clarity). */
function wrapIn(context: "union" | "intersection" | "arrayType", part: Doc, text: string): string {
  if (typeof part === "string") return text;
  const needs =
    (part.kind === "union" && context !== "union") || (part.kind === "intersection" && context !== "intersection");
  return needs ? `(${text.trimStart()})` : text;
}

/** `<prefix> = <doc>` (or `: <doc>`), with a broken union starting on its own lines. */
export function assigned(prefix: string, doc: Doc, indent = 0): string {
  const text = print(doc, indent, prefix.length + 1);
  return text.startsWith("\n") ? `${prefix}${text}` : `${prefix} ${text}`;
}
