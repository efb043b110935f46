#!/usr/bin/env bash
# The main job on the embedded default: set up, initialise a demo home, drop sample 850s, one pass.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
home="${ORDERGATE_HOME:-${TMPDIR:-/tmp}/ordergate-demo}"
exec ordergate demo --home "$home" "$@"
