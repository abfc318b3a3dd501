import { afterAll, describe, expect, test } from "bun:test";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decode } from "@nats-io/jwt";
import { runTrellis } from "../support/cli.ts";

const root = mkdtempSync(join(tmpdir(), "trellis-init-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function walk(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

describe("trellis local init", () => {
  const out = join(root, "bundle");

  test("writes the bundle: NATS config, accounts, creds, secrets 0600, control-plane config, admin session, README", async () => {
    const run = await runTrellis(["local", "init", "--out", out, "--json"]);
    expect(run.exitCode).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.natsServerUrl).toBe("nats://127.0.0.1:4222");
    const files = walk(out);
    for (const expected of [
      "README.md",
      "manifest.json",
      "nats/nats.conf",
      "nats/jwt.conf",
      "nats/creds/system.creds",
      "nats/creds/trellis-auth.creds",
      "nats/creds/trellis.creds",
      "nats/creds/sentinel.creds",
      "nats/secrets/xkey.nk",
      "nats/secrets/auth-signing.nk",
      "nats/secrets/trellis-signing.nk",
      "trellis/config.json",
      "trellis/session.seed",
      "trellis/context.json",
      "trellis/data/imports/admin.json",
    ]) {
      expect(files).toContain(expected);
    }
    for (const file of files.filter((f) => /\.(creds|nk|seed)$/.test(f) || f.includes("imports/"))) {
      expect({ file, mode: statSync(join(out, file)).mode & 0o777 }).toEqual({ file, mode: 0o600 });
    }
    // Movable: no absolute path inside any text file.
    for (const file of files.filter((f) => !f.startsWith("nats/data"))) {
      expect(readFileSync(join(out, file), "utf8")).not.toContain(out);
    }
  });

  test("nats.conf: loopback listeners, JetStream, operator mode; accounts carry connection and JetStream limits and the callout", () => {
    const conf = readFileSync(join(out, "nats/nats.conf"), "utf8");
    expect(conf).toContain('listen: "127.0.0.1:4222"');
    expect(conf).toContain('http: "127.0.0.1:8222"');
    expect(conf).toContain('listen: "127.0.0.1:8080"');
    expect(conf).toContain("jetstream {");
    expect(conf).toContain('include "jwt.conf"');
    const jwtConf = readFileSync(join(out, "nats/jwt.conf"), "utf8");
    expect(jwtConf).toMatch(/resolver: \{\n {2}type: full/);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    const accountJwt = (key: string) => new RegExp(`${key}: "([^"]+)"`).exec(jwtConf)![1]!;
    type Account = { nats: { limits: Record<string, number>; authorization?: Record<string, string[] | string> } };
    const auth = decode(accountJwt(manifest.accounts.auth)) as unknown as Account;
    const trellis = decode(accountJwt(manifest.accounts.trellis)) as unknown as Account;
    expect(auth.nats.limits.conn).toBe(-1);
    expect(trellis.nats.limits.conn).toBe(-1);
    expect(trellis.nats.limits.disk_storage).toBe(-1);
    expect(auth.nats.authorization).toEqual({
      auth_users: [manifest.calloutResponder],
      allowed_accounts: [manifest.accounts.trellis],
      xkey: manifest.xkey,
    });
    const sentinel = readFileSync(join(out, "nats/creds/sentinel.creds"), "utf8");
    const sentinelJwt = decode(/JWT-----\n(.+)\n/.exec(sentinel)![1]!) as unknown as {
      nats: { pub: { deny: string[] }; sub: { deny: string[] } };
    };
    expect(sentinelJwt.nats.pub.deny).toEqual([">"]);
    expect(sentinelJwt.nats.sub.deny).toEqual([">"]);
  });

  test("a non-empty --out needs --force; non-loopback URLs and bad ports are usage errors", async () => {
    expect((await runTrellis(["local", "init", "--out", out])).exitCode).toBe(2);
    const replaced = await runTrellis(["local", "init", "--out", out, "--force", "--server-name", "other", "--json"]);
    expect(replaced.exitCode).toBe(0);
    expect(readFileSync(join(out, "nats/nats.conf"), "utf8")).toContain('server_name: "other"');
    const nonEmpty = join(root, "busy");
    mkdirSync(nonEmpty);
    writeFileSync(join(nonEmpty, "x"), "");
    expect((await runTrellis(["local", "init", "--out", nonEmpty])).exitCode).toBe(2);
    expect(existsSync(join(nonEmpty, "x"))).toBe(true);
    const remote = await runTrellis([
      "local",
      "init",
      "--out",
      join(root, "r"),
      "--nats-server-url",
      "nats://10.0.0.1:4222",
    ]);
    expect(remote.exitCode).toBe(2);
    expect(remote.stderr).toContain("loopback");
    expect((await runTrellis(["local", "init", "--out", join(root, "p"), "--trellis-port", "http"])).exitCode).toBe(2);
  });

  test("names and ports are configurable", async () => {
    const dir = join(root, "named");
    const run = await runTrellis([
      "local",
      "init",
      "--out",
      dir,
      "--operator-name",
      "Acme",
      "--auth-account",
      "CALLOUT",
      "--nats-server-url",
      "nats://127.0.0.1:5222",
      "--trellis-port",
      "3100",
      "--no-websocket",
    ]);
    expect(run.exitCode).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    expect(manifest.names).toMatchObject({ operator: "Acme", auth: "CALLOUT" });
    expect(manifest.ports).toMatchObject({ nats: 5222, trellis: 3100, websocket: null });
    expect(readFileSync(join(dir, "nats/nats.conf"), "utf8")).not.toContain("websocket");
    const config = JSON.parse(readFileSync(join(dir, "trellis/config.json"), "utf8"));
    expect(config.http.listen).toBe("127.0.0.1:3100");
  });
});
