#!/usr/bin/env bash
# The runtime suite on Node.js (design/packaging.md): builds @trellis/runtime and the
# suite's node:test files into dist/, then runs them with `node --test` against real
# nats-servers. Extra arguments go to `node --test` (e.g. --test-name-pattern=feeds).
# When TRELLIS_TEST_REPORT_DIR is set (by .ci/run), a JUnit report node.xml is written there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/env.sh

bun scripts/build-node-tests.ts
mapfile -t files < <(find dist/node-tests/test -name '*.test.js' | sort)

report=(--test-reporter=spec --test-reporter-destination=stdout)
if [ -n "${TRELLIS_TEST_REPORT_DIR:-}" ]; then
  report+=(--test-reporter=junit "--test-reporter-destination=$TRELLIS_TEST_REPORT_DIR/node.xml")
fi
echo "node $(node --version): ${#files[@]} test files"
# No --test-force-exit: on Node 20 it cuts the JUnit report short. So tests must close what they open.
exec node --test --test-timeout=60000 "${report[@]}" "$@" "${files[@]}"
