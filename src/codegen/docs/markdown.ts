/** Small Markdown builders for the contract reference. GitHub-flavoured tables; LF only. */

/** Text safe inside a table cell: pipes escaped, line breaks folded to spaces. */
export function cell(text: string): string {
  return text.replace(/\r\n?|\n/g, " ").replaceAll("|", "\\|");
}

/** An inline code span that survives backticks in its content. */
export function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((run) => run[0].length));
  const fence = "`".repeat(longest + 1);
  const padded = text.startsWith("`") || text.endsWith("`") ? ` ${text} ` : text;
  return `${fence}${padded}${fence}`;
}

export function codeList(items: readonly string[], empty = "—"): string {
  return items.length === 0 ? empty : items.map(code).join(", ");
}

/** A table; cells are escaped here, so callers pass plain or inline-Markdown text. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** A descriptor's facts as a list: "- **Subject**: `rpc.v1.X`". */
export function facts(rows: readonly (readonly [string, string])[]): string {
  return rows.map(([key, value]) => `- **${key}**: ${value.replace(/\r\n?|\n/g, " ")}`).join("\n");
}

/** Markdown from the manifest (`docs`), kept verbatim but with LF line ends and no trailing blank lines. */
export function verbatim(markdown: string): string {
  return markdown.replace(/\r\n?/g, "\n").trimEnd();
}

/** Code-unit order, so output does not depend on locale or on the key order of the input. */
export function sortedKeys(record: object | undefined): string[] {
  return Object.keys(record ?? {}).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
