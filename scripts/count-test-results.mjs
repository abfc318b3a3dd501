// Prints "N passed, N failed[, N skipped]" from the JUnit reports in a folder (bun's
// bun.xml, Node's node.xml), after one such line per report. Exit 0: all passed; 1:
// something failed; 2: no report. The optional second argument is the test run's own
// exit status: bun leaves a test file that fails to load out of the report, so a failed
// run with no failed testcase counts as one failure. Plain Node so CI can run it whatever
// state bun is in.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

// Attribute values are quoted and never hold a quote (both reporters escape it as &quot;),
// but they may hold ">" (a test named "client.rpc.<g>.<l>"), so the tag is read attribute by attribute.
const TESTCASE = /<testcase\b(?:\s+[^\s=>]+="[^"]*")*\s*(?:\/>|>([\s\S]*?)<\/testcase>)/g;

const line = ({ passed, failed, skipped }) =>
  `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`;

const dir = process.argv[2];
const runStatus = Number(process.argv[3] ?? 0);
const files = readdirSync(dir)
  .filter((name) => name.endsWith(".xml"))
  .sort();
if (files.length === 0) process.exit(2);

const total = { passed: 0, failed: 0, skipped: 0 };
for (const file of files) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const match of readFileSync(join(dir, file), "utf8").matchAll(TESTCASE)) {
    const body = match[1] ?? "";
    // Node reports a cancelled test (its suite's hook failed) as a <failure>, and a todo as <skipped>.
    if (/<(failure|error)\b/.test(body)) counts.failed++;
    else if (/<skipped\b/.test(body)) counts.skipped++;
    else counts.passed++;
  }
  console.log(`${file}: ${line(counts)}`);
  for (const key of Object.keys(total)) total[key] += counts[key];
}
if (runStatus !== 0 && total.failed === 0) {
  console.error(`the test run exited ${runStatus} outside any test (a file that failed to load, or a crash)`);
  total.failed = 1;
}
console.log(line(total));
process.exit(total.failed > 0 ? 1 : 0);
