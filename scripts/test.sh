#!/usr/bin/env bash
# The whole test suite: sets the machine up (idempotent), runs bun's test runner against
# real nats-servers (everything), then the runtime suite on Node.js (scripts/test-node.sh:
# builds @trellis/runtime, runs its node:test files with `node --test`). Extra arguments go
# to `bun test`, and then only Bun runs. When TRELLIS_TEST_REPORT_DIR is set (by .ci/run),
# JUnit reports bun.xml and node.xml are written there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh
. scripts/env.sh

report=()
if [ -n "${TRELLIS_TEST_REPORT_DIR:-}" ]; then
  report=(--reporter=junit "--reporter-outfile=$TRELLIS_TEST_REPORT_DIR/bun.xml")
fi
# Tests that start nats-server clusters take seconds on a 2-core machine.
bun_status=0
bun test --timeout=30000 "${report[@]}" "$@" || bun_status=$?
if [ "$#" -gt 0 ]; then exit "$bun_status"; fi

node_status=0
scripts/test-node.sh || node_status=$?
if [ "$bun_status" -ne 0 ]; then exit "$bun_status"; fi
exit "$node_status"
