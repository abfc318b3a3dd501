/**
 * Keys of `trellis_state` (runtime-wire.md §6):
 * `<ownerType>.<ownerKey>.<contractId>.<store>.<leaf>`, `leaf` = `=value`
 * for a value store or the map key. Every part keeps `[A-Za-z0-9_/-]`; any
 * other UTF-8 byte is `=HH`, so a part never contains `.` and the literal
 * `=value` (not hex after `=`) cannot collide with an escaped map key.
 */

export type StateOwner = { type: "user" | "device"; key: string };

const KEEP = /^[A-Za-z0-9_/-]$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

export const VALUE_LEAF = "=value";
/** Spec limit on a state key: the map key a caller sends, in UTF-8 bytes. */
export const MAX_STATE_KEY_BYTES = 512;

export function escapeStatePart(part: string): string {
  let out = "";
  for (const char of part) {
    out += KEEP.test(char)
      ? char
      : [...encoder.encode(char)].map((byte) => `=${byte.toString(16).toUpperCase().padStart(2, "0")}`).join("");
  }
  return out;
}

/** The map key of an escaped leaf; `undefined` if this escaping never writes it. */
export function unescapeStatePart(part: string): string | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < part.length; i++) {
    const char = part[i]!;
    if (char === "=") {
      const pair = part.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(pair)) return undefined;
      bytes.push(parseInt(pair, 16));
      i += 2;
    } else if (KEEP.test(char)) bytes.push(char.charCodeAt(0));
    else return undefined;
  }
  try {
    return decoder.decode(new Uint8Array(bytes));
  } catch {
    return undefined;
  }
}

/** The key prefix of one store of one owner (ends with `.`). */
export function storeKeyPrefix(owner: StateOwner, contractId: string, store: string): string {
  return `${[owner.type, owner.key, contractId, store].map(escapeStatePart).join(".")}.`;
}

/** `map key` undefined: the value store's one entry. */
export function stateKey(prefix: string, mapKey: string | undefined): string {
  return `${prefix}${mapKey === undefined ? VALUE_LEAF : escapeStatePart(mapKey)}`;
}
