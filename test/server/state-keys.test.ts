import { describe, expect, test } from "bun:test";
// bun:test: the control plane's code, which runs on Bun only.
import {
  escapeStatePart,
  stateKey,
  storeKeyPrefix,
  unescapeStatePart,
  VALUE_LEAF,
} from "../../src/server/state/state-keys.ts";

describe("trellis_state keys (runtime-wire.md §6)", () => {
  test("<ownerType>.<ownerKey>.<contractId>.<store>.<leaf>, each part keeping [A-Za-z0-9_/-] and =HH for the rest", () => {
    const prefix = storeKeyPrefix({ type: "user", key: "ada@example.com" }, "acme.notes@v1", "prefs");
    expect(prefix).toBe("user.ada=40example=2Ecom.acme=2Enotes=40v1.prefs.");
    expect(stateKey(prefix, undefined)).toBe(`${prefix}=value`);
    expect(stateKey(prefix, "a b/c_d-e")).toBe(`${prefix}a=20b/c_d-e`);
    expect(storeKeyPrefix({ type: "device", key: "dev-1" }, "x@v2", "s")).toBe("device.dev-1.x=40v2.s.");
  });

  test("UTF-8 bytes are escaped one by one, and = itself, so a map key can never be the value leaf", () => {
    expect(escapeStatePart("é")).toBe("=C3=A9");
    expect(escapeStatePart("=value")).toBe("=3Dvalue");
    expect(escapeStatePart("*.>")).toBe("=2A=2E=3E");
    expect(stateKey("p.", "=value")).not.toBe(stateKey("p.", undefined));
  });

  test("unescaping gives back every part; what this escaping never writes is refused", () => {
    for (const part of ["", "plain", "a b", "=value", "ünï😀", "user.1", "~$"]) {
      expect(unescapeStatePart(escapeStatePart(part))).toBe(part);
    }
    expect(unescapeStatePart(VALUE_LEAF)).toBeUndefined();
    expect(unescapeStatePart("=c3")).toBeUndefined(); // lowercase hex is never written
    expect(unescapeStatePart("=FF")).toBeUndefined(); // not UTF-8
    expect(unescapeStatePart("a.b")).toBeUndefined();
  });
});
