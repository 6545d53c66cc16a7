#!/usr/bin/env bash
# Builds gantry for release and installs it under PREFIX (default /usr/local):
#   PREFIX/bin/gantry
#   PREFIX/share/man/man1/gantry.1                          (swift-argument-parser's generate-manual)
#   PREFIX/share/bash-completion/completions/gantry         (gantry --generate-completion-script bash)
#   PREFIX/share/zsh/site-functions/_gantry                 (... zsh)
#   PREFIX/share/fish/vendor_completions.d/gantry.fish      (... fish)
# `gantry --version` then names the commit it was built from.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${1:-/usr/local}"

commit="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
# A build from a working tree with changes is not that commit: say so.
if [ "$commit" != unknown ] && ! git diff --quiet HEAD -- 2>/dev/null; then commit="$commit-modified"; fi
build=(swift build -c release --product gantry -Xcc "-DGANTRY_COMMIT=\"$commit\"")

# --static-swift-stdlib gives a binary that runs without a Swift toolchain installed;
# where the toolchain cannot link it statically, build against the shared runtime instead.
if "${build[@]}" --static-swift-stdlib; then
  build+=(--static-swift-stdlib)
else
  echo "gantry install: --static-swift-stdlib did not link here; using the shared Swift runtime" >&2
  "${build[@]}"
fi
bin="$("${build[@]}" --show-bin-path)/gantry"

# The man page comes from argument-parser's generate-manual (the tool behind its
# GenerateManual plugin), built from the pinned checkout, so it describes exactly this binary.
swift build --package-path .build/checkouts/swift-argument-parser --scratch-path .build/generate-manual \
  -c release --product generate-manual
manual="$(mktemp -d)"
trap 'rm -rf "$manual"' EXIT
.build/generate-manual/release/generate-manual "$bin" --output-directory "$manual"

install -d "$prefix/bin" "$prefix/share/man/man1" "$prefix/share/bash-completion/completions" \
  "$prefix/share/zsh/site-functions" "$prefix/share/fish/vendor_completions.d"
install -m 0755 "$bin" "$prefix/bin/gantry"
install -m 0644 "$manual/gantry.1" "$prefix/share/man/man1/gantry.1"
"$prefix/bin/gantry" --generate-completion-script bash > "$prefix/share/bash-completion/completions/gantry"
"$prefix/bin/gantry" --generate-completion-script zsh > "$prefix/share/zsh/site-functions/_gantry"
"$prefix/bin/gantry" --generate-completion-script fish > "$prefix/share/fish/vendor_completions.d/gantry.fish"
echo "installed $("$prefix/bin/gantry" --version) into $prefix"
