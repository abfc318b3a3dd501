# Sourced by the project's scripts after scripts/setup.sh: puts the tools that
# setup installed under .trellis/ on PATH. Safe to source when they are absent.
TRELLIS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$TRELLIS_ROOT/.trellis/bin:$TRELLIS_ROOT/.trellis/tools/node_modules/.bin:$TRELLIS_ROOT/node_modules/.bin:$PATH"
