import { describe, expect, test } from "bun:test";
import { createLogger, levelFromEnv, SessionKeys, ValidationError } from "../../src/runtime/index.ts";

describe("the JSON logger", () => {
  test("writes pino-compatible lines with bindings and serialized errors", () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "info", write: (line) => lines.push(line) }).child({ service: "greeter" });
    logger.debug({}, "hidden");
    logger.info({ requestId: "r1", error: new ValidationError([{ path: "/a", message: "bad" }]) }, "rpc failed");
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith("\n")).toBe(true);
    const record = JSON.parse(lines[0]!);
    expect(record).toMatchObject({ level: 30, service: "greeter", requestId: "r1", msg: "rpc failed" });
    expect(typeof record.time).toBe("number");
    expect(record.pid).toBe(process.pid);
    expect(record.error).toMatchObject({ type: "ValidationError", issues: [{ path: "/a", message: "bad" }] });
  });

  test("never writes seeds, tokens or proofs", async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "trace", write: (line) => lines.push(line) });
    const keys = await SessionKeys.generate();
    logger.warn({ keys, proof: "p-secret", auth_token: "t-secret", nested: { seed: "s-secret" } }, "careful");
    expect(lines[0]).not.toContain(keys.exportSeed());
    expect(lines[0]).not.toMatch(/p-secret|t-secret|s-secret/);
    expect(lines[0]).toContain(keys.sessionKey);
  });

  test("the level comes from PINO_LEVEL, default info", () => {
    expect(levelFromEnv(undefined)).toBe("info");
    expect(levelFromEnv("DEBUG")).toBe("debug");
    expect(levelFromEnv("loud")).toBe("info");
  });
});
