#!/usr/bin/env bash
# Installs the system packages Gantry and its tests need (Debian), and the workflow
# validators the tests run (PyPI) into .venv-tools/.
# Runs `apt-get update` once, then installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(docker-registry skopeo buildah apache2-utils tmux libncurses-dev imagemagick fonts-dejavu-core python3 python3-venv curl jq)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "gantry setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
# The Debian package starts a registry service on :5000 where systemd runs; Gantry
# starts its own registries, so stop it if it is there (ignore failures without systemd).
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet docker-registry 2>/dev/null; then
  systemctl stop docker-registry || true
fi

# check-jsonschema (GitHub's workflow schema, vendored) and zizmor validate the workflows
# `gantry ci github` writes; cryptography checks Gantry's signatures as cosign would, apart
# from Gantry's own code. Pinned so a new release of one cannot change the verdict.
validators=(check-jsonschema==0.39.0 zizmor==1.32.0 cryptography==50.0.2)
if ! .venv-tools/bin/python -m pip --version >/dev/null 2>&1; then
  echo "gantry setup: creating .venv-tools" >&2
  python3 -m venv .venv-tools
fi
for requirement in "${validators[@]}"; do
  if ! .venv-tools/bin/python -m pip show "${requirement%%==*}" 2>/dev/null | grep -qx "Version: ${requirement##*==}"; then
    .venv-tools/bin/python -m pip install --quiet "${validators[@]}" >&2
    break
  fi
done
