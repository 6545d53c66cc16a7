#!/usr/bin/env bash
# Installs what the tests need, builds, and runs the whole test suite under a watchdog
# (scripts/watchdog.py: a hung test is named and stopped; the last line sums the run up).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --build-tests
python3 scripts/watchdog.py "$@"
