import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createLogger, levelFromEnv, SessionKeys, ValidationError } from "../../src/runtime/index.ts";
import { assertIncludes, assertMatch } from "../support/assert.ts";

describe("the JSON logger", () => {
  test("writes pino-compatible lines with bindings and serialized errors", () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "info", write: (line) => lines.push(line) }).child({ service: "greeter" });
    logger.debug({}, "hidden");
    logger.info({ requestId: "r1", error: new ValidationError([{ path: "/a", message: "bad" }]) }, "rpc failed");
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.endsWith("\n"), true);
    const record = JSON.parse(lines[0]!);
    assertMatch(record, { level: 30, service: "greeter", requestId: "r1", msg: "rpc failed" });
    assert.equal(typeof record.time, "number");
    assert.equal(record.pid, process.pid);
    assertMatch(record.error, { type: "ValidationError", issues: [{ path: "/a", message: "bad" }] });
  });

  test("never writes seeds, tokens or proofs", async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "trace", write: (line) => lines.push(line) });
    const keys = await SessionKeys.generate();
    logger.warn({ keys, proof: "p-secret", auth_token: "t-secret", nested: { seed: "s-secret" } }, "careful");
    assert.ok(!lines[0]!.includes(keys.exportSeed()));
    assert.doesNotMatch(lines[0]!, /p-secret|t-secret|s-secret/);
    assertIncludes(lines[0], keys.sessionKey);
  });

  test("the level comes from PINO_LEVEL, default info", () => {
    assert.equal(levelFromEnv(undefined), "info");
    assert.equal(levelFromEnv("DEBUG"), "debug");
    assert.equal(levelFromEnv("loud"), "info");
  });
});
