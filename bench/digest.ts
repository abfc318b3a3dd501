// Validating, normalizing and digesting a generated contract with 500
// surfaces, against `JSON.stringify` of the same manifest in the same run.
// Usage: `bun bench/digest.ts [runs]`.
import { contractDigest, loadManifest, normalizeManifest, parseManifest } from "../src/contracts/index.ts";
import { formatMs, median, percentile, timeRuns } from "./stats.ts";

const runs = Number(process.argv[2] ?? 200);

/** 500 surfaces: 200 rpc, 150 events, 100 feeds, 50 operations, with their schemas. */
function bigManifest(): Record<string, unknown> {
  const schemas: Record<string, unknown> = {};
  const rpc: Record<string, unknown> = {};
  const events: Record<string, unknown> = {};
  const feeds: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const object = (i: number) => ({
    type: "object",
    properties: {
      id: { type: "string" },
      count: { type: "integer", minimum: 0 },
      tags: { type: "array", items: { type: "string" } },
      [`f${i}`]: { type: "boolean" },
    },
    required: ["id"],
  });
  for (let i = 0; i < 200; i++) {
    schemas[`In${i}`] = object(i);
    schemas[`Out${i}`] = object(i + 1);
    rpc[`Bench.Rpc${i}`] = {
      version: "v1",
      subject: `rpc.v1.Bench.Rpc${i}`,
      input: { schema: `In${i}` },
      output: { schema: `Out${i}` },
      capabilities: { call: ["bench::use"] },
      errors: [{ type: "ValidationError" }],
    };
  }
  for (let i = 0; i < 150; i++) {
    schemas[`Ev${i}`] = object(i);
    events[`Bench.Event${i}`] = {
      version: "v1",
      subject: `events.v1.Bench.Event${i}.{/id}`,
      params: ["/id"],
      event: { schema: `Ev${i}` },
      capabilities: { subscribe: ["bench::use"] },
    };
  }
  for (let i = 0; i < 100; i++) {
    feeds[`Bench.Feed${i}`] = {
      version: "v1",
      subject: `feeds.v1.Bench.Feed${i}`,
      input: { schema: `In${i}` },
      event: { schema: `Ev${i}` },
    };
  }
  for (let i = 0; i < 50; i++) {
    operations[`Bench.Op${i}`] = {
      version: "v1",
      subject: `operations.v1.Bench.Op${i}`,
      input: { schema: `In${i}` },
      output: { schema: `Out${i}` },
      progress: { schema: `Ev${i}` },
      cancel: true,
      capabilities: { call: ["bench::use"], cancel: ["admin"] },
    };
  }
  return {
    format: "trellis.contract.v1",
    id: "bench@v1",
    displayName: "Bench",
    description: "A 500-surface contract.",
    kind: "service",
    capabilities: { "bench::use": { displayName: "Use", description: "Use everything." } },
    schemas,
    rpc,
    events,
    feeds,
    operations,
  };
}

const manifest = bigManifest();
if (process.env.BENCH_DUMP) await Bun.write(process.env.BENCH_DUMP, JSON.stringify(manifest));
const bytes = JSON.stringify(manifest).length;
const loaded = loadManifest(manifest);
if (loaded.isErr()) throw new Error(`the bench manifest is invalid: ${loaded.error.message}`);
const normalized = loaded.value.manifest;

const baseline = await timeRuns(runs, 20, () => JSON.stringify(manifest));
const parse = await timeRuns(runs, 20, () => parseManifest(manifest));
const normalize = await timeRuns(runs, 20, () => normalizeManifest(parseManifest(manifest).orThrow()));
const digestOnly = await timeRuns(runs, 20, () => contractDigest(normalized));
const full = await timeRuns(runs, 20, () => loadManifest(manifest));

const row = (name: string, samples: number[]) =>
  `${name.padEnd(40)} median ${formatMs(median(samples)).padStart(9)}   p90 ${formatMs(percentile(samples, 90)).padStart(9)}   x${(median(samples) / median(baseline)).toFixed(1)}`;
console.log(`500-surface manifest, ${(bytes / 1024).toFixed(0)} KiB of JSON, ${runs} runs each`);
console.log(row("JSON.stringify (baseline)", baseline));
console.log(row("parseManifest (validate)", parse));
console.log(row("parse + normalize", normalize));
console.log(row("contractDigest (project + JCS + SHA-256)", digestOnly));
console.log(row("loadManifest (all of it)", full));
