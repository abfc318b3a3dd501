// Cold start of the compiled binary (`dist/trellis version`) against the
// cheapest possible Bun process (`bun -e 0`), measured in the same run.
// Build first: `bun run build`. Usage: `bun bench/cold-start.ts [runs]`.
import { existsSync } from "node:fs";
import { formatMs, median, percentile, timeRuns } from "./stats.ts";

const runs = Number(process.argv[2] ?? 40);
const binary = "dist/trellis";
if (!existsSync(binary)) {
  console.error(`${binary} is missing: run \`bun run build\` first`);
  process.exit(2);
}

const spawn = (cmd: string[]) => () => {
  const result = Bun.spawnSync(cmd, { stdout: "ignore", stderr: "ignore" });
  if (result.exitCode !== 0) throw new Error(`${cmd.join(" ")} exited ${result.exitCode}`);
};

const baseline = await timeRuns(runs, 3, spawn([process.execPath, "-e", "0"]));
const trellis = await timeRuns(runs, 3, spawn([binary, "version"]));

const row = (name: string, samples: number[]) =>
  `${name.padEnd(24)} median ${formatMs(median(samples)).padStart(9)}   p90 ${formatMs(percentile(samples, 90)).padStart(9)}`;
console.log(`cold start, ${runs} runs each`);
console.log(row("bun -e 0 (baseline)", baseline));
console.log(row("dist/trellis version", trellis));
console.log(`ratio trellis/baseline (median): ${(median(trellis) / median(baseline)).toFixed(2)}`);
