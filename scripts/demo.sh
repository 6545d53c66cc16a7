#!/usr/bin/env bash
# The quick start: installs what is missing, builds gantry, starts the two local
# registries of config/demo.yaml on 127.0.0.1 (empty each run), and releases the demo
# image to both: the console on a terminal, plain lines and --yes without one.
# Extra arguments replace the gantry command (e.g. `scripts/demo.sh plan 1.0.0`).
# GANTRY_DEMO_CONFIG=config/family.yaml releases the family demo (app, app:slim, worker)
# instead, in the same way (the console's matrix and pending tags grouped by image).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --product gantry
gantry=".build/debug/gantry"

state="${TMPDIR:-/tmp}/gantry-demo"
mkdir -p "$state"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

for port in 5401 5402; do
  if curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null 2>&1; then
    echo "demo: a registry already answers on 127.0.0.1:$port; using it" >&2
    continue
  fi
  rm -rf "$state/registry-$port"
  mkdir -p "$state/registry-$port"
  cat > "$state/registry-$port/config.yml" <<YAML
version: 0.1
log: {level: error}
storage:
  filesystem: {rootdirectory: $state/registry-$port/data}
  delete: {enabled: true}
http: {addr: 127.0.0.1:$port}
YAML
  docker-registry serve "$state/registry-$port/config.yml" >"$state/registry-$port/log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null || { echo "demo: registry on $port did not start; see $state/registry-$port/log" >&2; exit 1; }
done

config="${GANTRY_DEMO_CONFIG:-config/demo.yaml}"
if [ $# -eq 0 ]; then
  set -- release 1.0.0
  [ -t 0 ] && [ -t 1 ] || set -- "$@" --no-tui --yes
fi
rm -rf "$state/state"
"$gantry" "$@" --config "$config" --state-dir "$state/state"
