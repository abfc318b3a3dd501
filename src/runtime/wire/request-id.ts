import { randomBytesFromPool } from "./random-pool.ts";

/** Crockford's base32, as ULIDs spell it. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A new ULID (runtime-wire.md §1.1: a new `request-id` per logical call):
 * 48 bits of milliseconds in 10 characters, then 80 random bits in 16 (five
 * bits of a random byte each; 256 is a multiple of 32, so every character is
 * uniform). Same format as the `ulid` package, with the randomness from one
 * pool instead of a CSPRNG call per character.
 */
export function newRequestId(nowMs: number = Date.now()): string {
  let time = "";
  let remaining = Math.floor(nowMs);
  for (let i = 0; i < 10; i++) {
    const digit = remaining % 32;
    time = ALPHABET[digit]! + time;
    remaining = (remaining - digit) / 32;
  }
  const random = randomBytesFromPool(16);
  let tail = "";
  for (let i = 0; i < 16; i++) tail += ALPHABET[random[i]! & 31]!;
  return time + tail;
}
