import { createConsola } from "consola";
import type { CliFailure } from "./cli-failure.ts";

/** Results go to stdout; logs, progress and errors go to stderr (tooling.md §4). */
export const log = createConsola({ stdout: process.stderr, stderr: process.stderr });

export function writeResult(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

/** One JSON document on stdout, two-space indented, keys in insertion order. */
export function writeJson(value: unknown): void {
  writeResult(JSON.stringify(value, null, 2));
}

export function writeFailure(failure: CliFailure, json: boolean): void {
  if (json) {
    const { exit, code, type, message, hint, issues } = failure;
    process.stderr.write(`${JSON.stringify({ error: { code, exit, type, message, hint, issues } })}\n`);
    return;
  }
  const lines = [`error: ${failure.message}`];
  for (const issue of failure.issues ?? [])
    lines.push(`  ${issue.path === "" ? "(root)" : issue.path}: ${issue.message}`);
  if (failure.hint !== undefined) lines.push(`hint: ${failure.hint}`);
  process.stderr.write(`${lines.join("\n")}\n`);
}

/** Whether the invocation asked for JSON output (`--json` or `--format json`). */
export function wantsJson(rawArgs: readonly string[]): boolean {
  return rawArgs.some(
    (arg, i) => arg === "--json" || arg === "--format=json" || (arg === "--format" && rawArgs[i + 1] === "json"),
  );
}

/** Renders rows as borderless columns with a header. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}
