/** A JSON object: not null, not an array. The input is pure JSON by then, so no class instances. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The JSON type of a value, as messages name it ("got array"). */
export function jsonTypeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (value === undefined) return "nothing";
  return typeof value;
}

/** A string for a message, shortened so a 1 MB value never lands in an issue. */
export function quote(text: string, max = 80): string {
  if (text.length <= max) return `'${text}'`;
  const head = Array.from(text.slice(0, max))
    .slice(0, max - 3)
    .join("");
  return `'${head}...'`;
}
