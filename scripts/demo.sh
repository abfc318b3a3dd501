#!/usr/bin/env bash
# The README demo: sets the machine up (idempotent), then runs scripts/demo.ts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh
. scripts/env.sh
exec bun scripts/demo.ts "$@"
