import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { headers as natsHeaders, Match, MsgHdrsImpl } from "@nats-io/nats-core";
import { OutgoingHeaders } from "../../../src/runtime/wire/outgoing-headers.ts";

/** nats.js's own encoding (MsgHdrsImpl.encode; the MsgHdrs interface leaves it out). */
const encoded = (headers: unknown) => (headers as MsgHdrsImpl).encode();

const ENTRIES: [string, string][] = [
  ["session-key", "Xk-1swA4hfVGCH_4F32PnyfQkJijnIRCqsEkAIVcawo"],
  ["proof", "c2lnbmF0dXJl"],
  ["iat", "1796402093"],
  ["request-id", "01M90YHD3CBZ5HZ74J0S7ZJCWN"],
  ["traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"],
  ["Nats-Msg-Id", "x y"],
];

describe("OutgoingHeaders: nats.js's wire layout, built cheaply", () => {
  test("encodes byte for byte as nats.js headers() do", () => {
    const ours = new OutgoingHeaders();
    const theirs = natsHeaders();
    for (const [name, value] of ENTRIES) {
      ours.append(name, value);
      theirs.append(name, value);
    }
    ours.append("iat", "2");
    theirs.append("iat", "2");
    assert.deepEqual(ours.encode(), encoded(theirs));
    const decoded = MsgHdrsImpl.decode(ours.encode());
    assert.equal(decoded.get("request-id"), "01M90YHD3CBZ5HZ74J0S7ZJCWN");
    assert.deepEqual(decoded.values("iat"), ["1796402093", "2"]);
  });

  test("reads, replaces and deletes like MsgHdrs; refuses what nats.js refuses", () => {
    const h = new OutgoingHeaders();
    h.set("Status", "error");
    assert.equal(h.get("status"), "");
    assert.equal(h.get("status", Match.IgnoreCase), "error");
    h.set("Status", "ok");
    assert.deepEqual(h.keys(), ["Status"]);
    assert.equal(h.last("Status"), "ok");
    h.delete("status", Match.IgnoreCase);
    assert.equal(h.has("Status"), false);
    assert.throws(() => h.append("bad name", "x"));
    assert.throws(() => h.append("x", "a\r\nb"));
    assert.deepEqual(new OutgoingHeaders().encode(), encoded(natsHeaders()));
  });
});

describe("newRequestId: a ULID from the random pool", () => {
  test("is a ULID whose time part decodes to the time given, and never repeats", async () => {
    const { newRequestId } = await import("../../../src/runtime/wire/request-id.ts");
    const now = Date.UTC(2026, 11, 4, 12);
    const ids = Array.from({ length: 5000 }, () => newRequestId(now));
    for (const id of ids) assert.match(id, /^[0-9A-HJKMNP-TV-Z]{26}$/);
    assert.equal(new Set(ids).size, ids.length);
    const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    const decoded = [...ids[0]!.slice(0, 10)].reduce((total, char) => total * 32 + ALPHABET.indexOf(char), 0);
    assert.equal(decoded, now);
    // Every character of the random part is used.
    assert.equal(new Set(ids.map((id) => id.slice(10)).join("")).size, 32);
  });
});
