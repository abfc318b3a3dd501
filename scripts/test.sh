#!/usr/bin/env bash
# The whole test suite: sets the machine up (idempotent), then runs bun's test
# runner against real nats-servers. Extra arguments go to `bun test`. When
# TRELLIS_TEST_REPORT_DIR is set (by .ci/run), a JUnit report is written there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh
. scripts/env.sh

report=()
if [ -n "${TRELLIS_TEST_REPORT_DIR:-}" ]; then
  report=(--reporter=junit "--reporter-outfile=$TRELLIS_TEST_REPORT_DIR/bun.xml")
fi
# Tests that start nats-server clusters take seconds on a 2-core machine.
exec bun test --timeout=30000 "${report[@]}" "$@"
