// Prints "N passed, N failed[, N skipped]" from the JUnit reports in a folder.
// Exit 0: all passed; 1: something failed; 2: no report. The optional second
// argument is the test run's own exit status: bun leaves a test file that
// fails to load out of the report, so a failed run with no failed testcase
// counts as one failure. Plain Node so CI can run it whatever state bun is in.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
const runStatus = Number(process.argv[3] ?? 0);
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
}
if (runStatus !== 0 && failed === 0) {
  console.error(`the test run exited ${runStatus} outside any test (a file that failed to load, or a crash)`);
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
