import { createHash } from "node:crypto";

export const sha256Hex = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/** One line in `sha256sum` format: `<hex>  <file>`, so `sha256sum -c` checks it. */
export const checksumLine = (bytes: Uint8Array, fileName: string): string => `${sha256Hex(bytes)}  ${fileName}\n`;

/**
 * The digest from a `.sha256` file: its first line's leading 64 hex digits.
 * A file name after them, when present, must be `fileName` (binary mode `*name` too).
 */
export function parseChecksumFile(text: string, fileName: string): { hex: string } | { problem: string } {
  const line = text.split("\n")[0]?.trim() ?? "";
  const match = /^([0-9a-fA-F]{64})(?:\s+\*?(\S+))?$/.exec(line);
  if (match === null) return { problem: `expected '<64 hex digits>  ${fileName}', got '${line.slice(0, 80)}'` };
  if (match[2] !== undefined && match[2] !== fileName) {
    return { problem: `it names '${match[2]}', expected '${fileName}'` };
  }
  return { hex: match[1]!.toLowerCase() };
}
