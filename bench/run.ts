// Runs every benchmark in turn: `bun run bench` (builds dist/trellis first).
const scripts = ["cold-start.ts", "digest.ts", "auth.ts", "generate.ts", "rpc.ts"];

const build = Bun.spawnSync([process.execPath, "scripts/build.ts"], { stdout: "ignore", stderr: "inherit" });
if (build.exitCode !== 0) process.exit(build.exitCode ?? 1);
for (const script of scripts) {
  console.log(`\n# bench/${script}`);
  const run = Bun.spawnSync([process.execPath, `bench/${script}`], { stdout: "inherit", stderr: "inherit" });
  if (run.exitCode !== 0) process.exit(run.exitCode ?? 1);
}
