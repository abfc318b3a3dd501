import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  checkStoredFilter,
  checkStoredKey,
  decodeKvKey,
  encodeKvFilter,
  encodeKvKey,
} from "../../src/runtime/kv/kv-keys.ts";

describe("kv resource keys (runtime-wire.md §6)", () => {
  test("tokens are encoded as subject tokens: NUL, whitespace, *, >, ~ escaped; empty and $ tokens prefixed", () => {
    const cases: [string, string][] = [
      ["orders.o-1", "orders.o-1"],
      ["a b", "a~20~b"],
      ["tab\there", "tab~9~here"],
      ["nul\u0000", "nul~0~"],
      ["star.*", "star.~2A~"],
      ["gt.>", "gt.~3E~"],
      ["tilde~", "tilde~7E~"],
      ["", "_"],
      ["a..b", "a._.b"],
      ["$sys", "_$sys"],
      ["x.$y", "x._$y"],
      // Everything else is kept: NATS subjects allow it.
      ["ünï@=/#", "ünï@=/#"],
      ["_plain", "_plain"],
    ];
    for (const [key, stored] of cases) assert.equal(encodeKvKey(key), stored, JSON.stringify(key));
  });

  test("a token that only looks prefixed keeps its own `_` as ~5F~, so distinct keys never share a stored key", () => {
    assert.equal(encodeKvKey("_"), "~5F~");
    assert.equal(encodeKvKey("_$a"), "~5F~$a");
    const keys = ["", "_", "$a", "_$a", "__", "_$", "$", "~5F~", "a b", "a~20~b", "a", "_a"];
    const stored = keys.map(encodeKvKey);
    assert.equal(new Set(stored).size, keys.length, stored.join(" | "));
  });

  test("decoding gives back every key, and every stored key is a valid subject", () => {
    for (const key of [
      "",
      "_",
      "$a",
      "_$a",
      "a b.c d",
      "x.*.>",
      "~",
      "a~20~b",
      "ünï.😀",
      "..",
      "_plain.$.",
      "\u0000",
    ]) {
      const stored = encodeKvKey(key);
      assert.equal(decodeKvKey(stored), key, JSON.stringify(key));
      assert.doesNotThrow(() => checkStoredKey(stored), JSON.stringify(stored));
    }
  });

  test("filters keep whole * and > tokens as wildcards and encode the rest", () => {
    assert.equal(encodeKvFilter(">"), ">");
    assert.equal(encodeKvFilter("orders.*.a b"), "orders.*.a~20~b");
    assert.equal(encodeKvFilter("a*.>"), "a~2A~.>");
    assert.doesNotThrow(() => checkStoredFilter("orders.*.>"));
    assert.throws(() => checkStoredFilter("a.>.b"));
    assert.throws(() => checkStoredKey("a.*"));
    assert.throws(() => checkStoredKey("a..b"));
  });
});
