/**
 * A minimal ustar writer and reader: regular files only, which is all a
 * release tarball holds. Written here rather than adding a dependency
 * (design/dependencies.md); GNU and BSD tar read what it writes.
 */
export type TarEntry = { name: string; mode: number; data: Uint8Array };

const BLOCK = 512;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function writeField(header: Uint8Array, offset: number, length: number, text: string): void {
  header.set(encoder.encode(text).subarray(0, length), offset);
}

const octal = (value: number, digits: number) => value.toString(8).padStart(digits, "0");

function headerFor(entry: TarEntry, mtime: number): Uint8Array {
  const header = new Uint8Array(BLOCK);
  writeField(header, 0, 100, entry.name);
  writeField(header, 100, 8, `${octal(entry.mode & 0o7777, 7)}\0`);
  writeField(header, 108, 8, `${octal(0, 7)}\0`);
  writeField(header, 116, 8, `${octal(0, 7)}\0`);
  writeField(header, 124, 12, `${octal(entry.data.length, 11)}\0`);
  writeField(header, 136, 12, `${octal(mtime, 11)}\0`);
  writeField(header, 148, 8, "        ");
  writeField(header, 156, 1, "0");
  writeField(header, 257, 8, "ustar\u000000");
  const sum = header.reduce((total, byte) => total + byte, 0);
  writeField(header, 148, 8, `${octal(sum, 6)}\0 `);
  return header;
}

/** A tar archive of `entries` in name order, owned by 0:0 with one fixed mtime, so equal inputs give equal bytes. */
export function writeTar(entries: readonly TarEntry[], mtime = 0): Uint8Array {
  for (const entry of entries) {
    if (encoder.encode(entry.name).length > 100 || entry.name === "" || entry.name.includes("..")) {
      throw new Error(`tar entry name '${entry.name}' must be 1-100 bytes without '..'`);
    }
  }
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const parts: Uint8Array[] = [];
  for (const entry of sorted) {
    parts.push(headerFor(entry, mtime), entry.data);
    const padding = (BLOCK - (entry.data.length % BLOCK)) % BLOCK;
    if (padding > 0) parts.push(new Uint8Array(padding));
  }
  parts.push(new Uint8Array(BLOCK * 2));
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function readString(block: Uint8Array, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return decoder.decode(end === -1 ? field : field.subarray(0, end));
}

function readOctal(block: Uint8Array, offset: number, length: number): number | undefined {
  const text = readString(block, offset, length).trim();
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : undefined;
}

/**
 * The regular files of a tar archive (ustar, and GNU/pax archives whose
 * extension records are skipped), or a message saying where it is malformed.
 */
export function readTar(bytes: Uint8Array): { entries: TarEntry[] } | { problem: string } {
  const entries: TarEntry[] = [];
  let offset = 0;
  while (offset + BLOCK <= bytes.length) {
    const header = bytes.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) return { entries };
    const stored = readOctal(header, 148, 8);
    const computed = header.reduce((total, byte, i) => total + (i >= 148 && i < 156 ? 32 : byte), 0);
    if (stored !== computed) return { problem: `tar header at byte ${offset}: checksum does not match` };
    const size = readOctal(header, 124, 12);
    const mode = readOctal(header, 100, 8);
    if (size === undefined || mode === undefined) return { problem: `tar header at byte ${offset}: bad size or mode` };
    const dataStart = offset + BLOCK;
    if (dataStart + size > bytes.length) return { problem: `tar entry at byte ${offset} runs past the end` };
    const type = String.fromCharCode(header[156]!);
    if (type === "0" || type === "\0") {
      const prefix = readString(header, 345, 155);
      const name = readString(header, 0, 100);
      entries.push({
        name: prefix === "" ? name : `${prefix}/${name}`,
        mode,
        data: bytes.slice(dataStart, dataStart + size),
      });
    }
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
  }
  return { problem: "tar archive ends without its end-of-archive blocks" };
}
