import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { SUITES } from "./suites.ts";
import type { VectorReport } from "./types.ts";

/** Every `*.json` file below `dir`, sorted, so reports are stable. */
function vectorFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...vectorFiles(path));
    else if (entry.endsWith(".json")) found.push(path);
  }
  return found;
}

const nameOf = (vector: unknown, index: number) =>
  typeof vector === "object" && vector !== null && "name" in vector && typeof vector.name === "string"
    ? vector.name
    : `#${index}`;

export async function runConformance(dir: string): Promise<VectorReport[]> {
  const reports: VectorReport[] = [];
  for (const path of vectorFiles(dir)) {
    const file = relative(dir, path).split(sep).join("/");
    const suiteName = basename(dirname(path));
    const suite = SUITES.find((candidate) => candidate.name === suiteName);
    const base = { suite: suiteName, file };
    if (suite === undefined) {
      reports.push({ ...base, name: "*", status: "fail", checks: [], error: `no runner for folder '${suiteName}' (known: ${SUITES.map((s) => s.name).join(", ")})` });
      continue;
    }
    let vectors: unknown;
    try {
      vectors = JSON.parse(readFileSync(path, "utf8")) as unknown;
    } catch (error) {
      reports.push({ ...base, name: "*", status: "fail", checks: [], error: `not valid JSON: ${String(error)}` });
      continue;
    }
    if (!Array.isArray(vectors)) {
      reports.push({ ...base, name: "*", status: "fail", checks: [], error: "expected a JSON array of vectors" });
      continue;
    }
    for (const [index, vector] of (vectors as unknown[]).entries()) {
      const name = nameOf(vector, index);
      if (suite.run === "not-implemented") {
        reports.push({ ...base, name, status: "not-implemented", checks: [] });
        continue;
      }
      const outcome = await suite.run(vector);
      if ("error" in outcome) {
        reports.push({ ...base, name, status: "fail", checks: [], error: outcome.error });
        continue;
      }
      const status = outcome.every((check) => check.expected === check.actual) ? "pass" : "fail";
      reports.push({ ...base, name, status, checks: outcome });
    }
  }
  return reports;
}
