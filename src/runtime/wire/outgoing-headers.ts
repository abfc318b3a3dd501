import { Match, type MsgHdrs } from "@nats-io/nats-core";

const encoder = new TextEncoder();
const INVALID_VALUE = /[\r\n]/;
/** RFC 7230 token characters: what nats.js accepts in a header name. */
const NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Headers the runtime sends. nats.js's `headers()` validates and looks up
 * every key on every `append` (it lists and filters all keys each time); a
 * request carries five, on every call. This keeps names in order in a Map
 * and encodes once, in the same `NATS/1.0` layout (`publish` only calls
 * `encode()`); names and values are checked as nats.js checks them.
 */
export class OutgoingHeaders implements MsgHdrs {
  readonly #entries = new Map<string, string[]>();
  #encoded: Uint8Array | undefined;
  code = 0;
  description = "";

  get hasError(): boolean {
    return this.code >= 300;
  }

  get status(): string {
    return `${this.code} ${this.description}`.trim();
  }

  append(name: string, value: string, match: Match = Match.Exact): void {
    if (!NAME.test(name)) throw new TypeError(`invalid header name: ${name}`);
    if (INVALID_VALUE.test(value)) throw new TypeError("header values cannot contain \\r or \\n");
    const key = this.#key(name, match) ?? name;
    const values = this.#entries.get(key);
    if (values === undefined) this.#entries.set(key, [value.trim()]);
    else values.push(value.trim());
    this.#encoded = undefined;
  }

  set(name: string, value: string, match: Match = Match.Exact): void {
    this.delete(name, match);
    this.append(name, value, match);
  }

  get(name: string, match: Match = Match.Exact): string {
    const key = this.#key(name, match);
    return key === undefined ? "" : (this.#entries.get(key)?.[0] ?? "");
  }

  last(name: string, match: Match = Match.Exact): string {
    const key = this.#key(name, match);
    return key === undefined ? "" : (this.#entries.get(key)?.at(-1) ?? "");
  }

  has(name: string, match: Match = Match.Exact): boolean {
    return this.#key(name, match) !== undefined;
  }

  keys(): string[] {
    return [...this.#entries.keys()];
  }

  values(name: string, match: Match = Match.Exact): string[] {
    const key = this.#key(name, match);
    return key === undefined ? [] : [...(this.#entries.get(key) ?? [])];
  }

  delete(name: string, match: Match = Match.Exact): void {
    const key = this.#key(name, match);
    if (key !== undefined) this.#entries.delete(key);
    this.#encoded = undefined;
  }

  [Symbol.iterator](): IterableIterator<[string, string[]]> {
    return this.#entries.entries();
  }

  encode(): Uint8Array {
    if (this.#encoded === undefined && this.#entries.size === 0 && this.code === 0) this.#encoded = new Uint8Array();
    if (this.#encoded === undefined) {
      let text = this.code > 0 && this.description !== "" ? `NATS/1.0 ${this.code} ${this.description}` : "NATS/1.0";
      for (const [name, values] of this.#entries) for (const value of values) text += `\r\n${name}: ${value}`;
      this.#encoded = encoder.encode(`${text}\r\n\r\n`);
    }
    return this.#encoded;
  }

  #key(name: string, match: Match): string | undefined {
    if (this.#entries.has(name)) return name;
    if (match === Match.Exact) return undefined;
    const wanted = name.toLowerCase();
    for (const key of this.#entries.keys()) if (key.toLowerCase() === wanted) return key;
    return undefined;
  }
}
