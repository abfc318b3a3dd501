import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, linkSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pkg from "../../package.json" with { type: "json" };
import { checksumLine } from "../../src/cli/release/checksum.ts";
import { compareSemVer, parseSemVer } from "../../src/cli/release/semver.ts";
import { readTar } from "../../src/cli/release/tar.ts";
import { gunzipSync } from "node:zlib";
import { REPO_ROOT, runTrellis } from "../support/cli.ts";

// Releases are made by scripts/release.ts with --binary: a small shell script stands in for the compiled
// executable, so nothing is compiled. They are served from 127.0.0.1 only.
const dir = mkdtempSync(join(tmpdir(), "trellis-upgrade-"));
const releases = join(dir, "releases");
const currentOnly = join(dir, "current-only");
const platform = `${process.platform}-${process.arch}`;
const artifact = (version: string) => `trellis-${version}-${platform}.tar.gz`;
let server: ReturnType<typeof Bun.serve>;
let base = "";
let unreachable = "";
let requests: string[] = [];

function release(version: string, out: string): void {
  const standIn = join(dir, `stand-in-${version}`);
  writeFileSync(standIn, `#!/bin/sh\necho "trellis ${version}"\n`);
  chmodSync(standIn, 0o755);
  const run = Bun.spawnSync(
    [process.execPath, "scripts/release.ts", "--binary", standIn, "--version", version, "--out", out],
    { cwd: REPO_ROOT, stdout: "pipe", stderr: "pipe" },
  );
  if (run.exitCode !== 0) throw new Error(`release ${version} failed: ${run.stderr.toString()}`);
}

/**
 * `/good/<file>` serves the releases; `/tampered/` the same with a wrong `.sha256`; `/current/` only this
 * version; `/broken/` an invalid index.
 */
function serve(request: Request): Response {
  const path = new URL(request.url).pathname;
  requests.push(path);
  const [, root, file] = /^\/(good|tampered|current|broken)\/([^/]+)$/.exec(path) ?? [];
  if (root === undefined || file === undefined) return new Response("not found", { status: 404 });
  if (root === "broken" && file === "index.json") {
    return Response.json({ format: "trellis.releases.v1", releases: [{ version: "latest", artifacts: {} }] });
  }
  if (root === "tampered" && file.endsWith(".sha256")) {
    return new Response(checksumLine(new TextEncoder().encode("something else"), file.slice(0, -".sha256".length)));
  }
  const bytes = (() => {
    try {
      return readFileSync(join(root === "current" ? currentOnly : releases, file));
    } catch {
      return undefined;
    }
  })();
  return bytes === undefined ? new Response("not found", { status: 404 }) : new Response(bytes);
}

beforeAll(async () => {
  release("0.2.0", releases);
  release("0.3.0-rc.1", releases);
  release(pkg.version, currentOnly);
  server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: serve });
  base = `http://127.0.0.1:${server.port}`;
  // A port that was just free and is closed again: connecting is refused.
  const closed = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  unreachable = `http://127.0.0.1:${closed.port}/`;
  await closed.stop(true);
});
afterAll(async () => {
  await server.stop(true);
  rmSync(dir, { recursive: true, force: true });
});

/** A directory holding a copy of an "old trellis" and a hard link to it, standing in for a running process's inode. */
function installTarget(name: string): { target: string; link: string; folder: string } {
  const folder = mkdtempSync(join(dir, `${name}-`));
  const target = join(folder, "trellis");
  writeFileSync(target, `#!/bin/sh\necho "trellis old"\n`);
  chmodSync(target, 0o755);
  const link = join(folder, "running");
  linkSync(target, link);
  return { target, link, folder };
}

const upgrade = (args: string[], url: string, target?: string) =>
  runTrellis(["upgrade", ...args], {
    env: { TRELLIS_RELEASES_URL: url, TRELLIS_UPGRADE_TARGET: target ?? "" },
  });

describe("scripts/release.ts", () => {
  test("writes the tarball with trellis (755), its sha256sum line and an index, newest first", () => {
    const tarball = readFileSync(join(releases, artifact("0.2.0")));
    expect(readFileSync(join(releases, `${artifact("0.2.0")}.sha256`), "utf8")).toBe(
      checksumLine(tarball, artifact("0.2.0")),
    );
    const read = readTar(gunzipSync(tarball));
    if ("problem" in read) throw new Error(read.problem);
    const entry = read.entries.find((e) => e.name === "trellis");
    expect(entry?.mode).toBe(0o755);
    expect(new TextDecoder().decode(entry?.data)).toContain("trellis 0.2.0");
    expect(read.entries.map((e) => e.name)).toEqual([...read.entries.map((e) => e.name)].sort());
    const listing = Bun.spawnSync(["tar", "-tzf", join(releases, artifact("0.2.0"))]);
    expect(listing.stdout.toString()).toContain("trellis\n");

    expect(JSON.parse(readFileSync(join(releases, "index.json"), "utf8"))).toEqual({
      format: "trellis.releases.v1",
      releases: [
        { version: "0.3.0-rc.1", prerelease: true, artifacts: { [platform]: artifact("0.3.0-rc.1") } },
        { version: "0.2.0", prerelease: false, artifacts: { [platform]: artifact("0.2.0") } },
      ],
    });
  });

  test("is deterministic: the same input gives the same tarball", () => {
    const again = join(dir, "again");
    release("0.2.0", again);
    expect(readFileSync(join(again, artifact("0.2.0")))).toEqual(readFileSync(join(releases, artifact("0.2.0"))));
  });
});

describe("trellis upgrade check", () => {
  test("reports the current and latest release and that an upgrade exists", async () => {
    const run = await upgrade(["check", "--json"], `${base}/good/`);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      current: pkg.version,
      latest: "0.2.0",
      upgradeAvailable: true,
      prerelease: false,
      platform,
      releasesUrl: `${base}/good/`,
    });
    const text = await upgrade(["check"], `${base}/good`);
    expect(text.stdout).toBe(`current: ${pkg.version}\nlatest: 0.2.0\nupgrade: available (trellis upgrade install)\n`);
  });

  test("--prerelease counts prereleases; an index with only this version is up to date", async () => {
    const pre = JSON.parse((await upgrade(["check", "--prerelease", "--json"], `${base}/good/`)).stdout);
    expect(pre).toMatchObject({ latest: "0.3.0-rc.1", upgradeAvailable: true, prerelease: true });
    const same = await upgrade(["check", "--json"], `${base}/current/`);
    expect(JSON.parse(same.stdout)).toMatchObject({ latest: pkg.version, upgradeAvailable: false });
  });

  test("an unreachable host is reported, and still exits 0", async () => {
    const run = await upgrade(["check", "--json"], unreachable);
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ current: pkg.version, latest: null, upgradeAvailable: false });
    expect(report.error.code).toBe("release_unreachable");
    expect(report.error.message).toContain(`${unreachable}index.json`);
    const text = await upgrade(["check"], unreachable);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain("upgrade: unknown\nerror: GET ");
  });
});

describe("trellis upgrade install", () => {
  test("replaces the target by rename: the new file is executable and runs, the old inode is untouched", async () => {
    const { target, link, folder } = installTarget("install");
    const run = await upgrade(["install", "--json"], `${base}/good/`, target);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      previous: pkg.version,
      version: "0.2.0",
      path: target,
      upgraded: true,
      artifact: artifact("0.2.0"),
    });
    expect(statSync(target).mode & 0o777).toBe(0o755);
    expect(Bun.spawnSync([target]).stdout.toString()).toBe("trellis 0.2.0\n");
    // A rename gives the path a new inode; a process running the old file would keep its copy intact.
    expect(statSync(target).ino).not.toBe(statSync(link).ino);
    expect(readFileSync(link, "utf8")).toContain("trellis old");
    expect(readdirSync(folder).sort()).toEqual(["running", "trellis"]);
  });

  test("--version installs exactly that version, a prerelease too", async () => {
    const { target } = installTarget("version");
    const run = await upgrade(["install", "--version", "0.3.0-rc.1"], `${base}/good/`, target);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toStartWith("ok installed trellis 0.3.0-rc.1 previous=");
    expect(Bun.spawnSync([target]).stdout.toString()).toBe("trellis 0.3.0-rc.1\n");
  });

  test("a wrong sha256 exits 1 and leaves the target as it was", async () => {
    const { target, folder } = installTarget("tampered");
    const before = readFileSync(target);
    const run = await upgrade(["install", "--json"], `${base}/tampered/`, target);
    expect(run.exitCode).toBe(1);
    const { error } = JSON.parse(run.stderr);
    expect(error.code).toBe("checksum_mismatch");
    expect(error.message).toContain(`${base}/tampered/${artifact("0.2.0")}: sha256 is `);
    expect(readFileSync(target)).toEqual(before);
    expect(readdirSync(folder).sort()).toEqual(["running", "trellis"]);
  });

  test("an unknown version exits 6 naming the index and the versions it has", async () => {
    const { target } = installTarget("unknown");
    const run = await upgrade(["install", "--version", "9.9.9"], `${base}/good/`, target);
    expect(run.exitCode).toBe(6);
    expect(run.stderr).toContain(`error: version 9.9.9 is not in ${base}/good/index.json`);
    expect(run.stderr).toContain("hint: available: 0.3.0-rc.1, 0.2.0");
    expect(readFileSync(target, "utf8")).toContain("trellis old");
  });

  test("nothing newer: up to date, exit 0, nothing downloaded or replaced", async () => {
    const { target } = installTarget("current");
    requests = [];
    const run = await upgrade(["install"], `${base}/current/`, target);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toStartWith(`ok trellis ${pkg.version} is up to date`);
    expect(requests).toEqual(["/current/index.json"]);
    expect(readFileSync(target, "utf8")).toContain("trellis old");
  });

  test("a malformed index exits 1 naming the URL and the field", async () => {
    const { target } = installTarget("broken");
    const run = await upgrade(["install"], `${base}/broken/`, target);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`error: ${base}/broken/index.json /releases/0/version: expected a semantic version`);
    const check = await upgrade(["check", "--json"], `${base}/broken/`);
    expect(check.exitCode).toBe(0);
    expect(JSON.parse(check.stdout).error.code).toBe("release_index_invalid");
  });

  test("an unreachable host exits 5", async () => {
    const { target } = installTarget("unreachable");
    const run = await upgrade(["install"], unreachable, target);
    expect(run.exitCode).toBe(5);
    expect(run.stderr).toContain(`error: GET ${unreachable}index.json: `);
  });

  test("from source (execPath is bun) it refuses with exit 2 before fetching anything", async () => {
    requests = [];
    const run = await upgrade(["install"], `${base}/good/`);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("runs from source");
    expect(requests).toEqual([]);
  });

  test("a non-loopback plain-http host is refused (exit 2)", async () => {
    const { target } = installTarget("insecure");
    const run = await upgrade(["install"], "http://releases.example/", target);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("TRELLIS_RELEASES_URL: expected https://");
  });
});

test("versions are ordered by semver precedence, prereleases below their release", () => {
  const order = [
    "0.9.0",
    "1.0.0-alpha",
    "1.0.0-alpha.1",
    "1.0.0-alpha.beta",
    "1.0.0-beta.2",
    "1.0.0-beta.11",
    "1.0.0-rc.1",
    "1.0.0",
    "1.0.1",
    "1.10.0",
  ];
  const shuffled = [...order].reverse();
  expect(shuffled.sort((a, b) => compareSemVer(parseSemVer(a)!, parseSemVer(b)!))).toEqual(order);
  expect(parseSemVer("1.0")).toBeUndefined();
  expect(parseSemVer("01.0.0")).toBeUndefined();
});
