// Prints "N passed, N failed[, N skipped]" from the JUnit reports in a folder
// and exits 1 when any test failed or no report exists. Plain Node so CI can
// run it whatever state bun is in.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
const files = readdirSync(dir).filter((name) => name.endsWith(".xml"));
if (files.length === 0) process.exit(2);

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of files) {
  const xml = readFileSync(join(dir, file), "utf8");
  for (const match of xml.matchAll(/<testcase\b[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const body = match[2] ?? "";
    if (/<(failure|error)\b/.test(body)) failed++;
    else if (/<skipped\b/.test(body)) skipped++;
    else passed++;
  }
  // A file that crashed outside any test shows up as a suite-level error.
  for (const match of xml.matchAll(/<testsuite\b[^>]*\berrors="(\d+)"/g)) {
    if (Number(match[1]) > 0 && !/<testcase\b/.test(xml)) failed += Number(match[1]);
  }
}
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
