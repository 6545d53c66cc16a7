#!/bin/sh
# Makes screenshots/*.png from real runs of the console: two real registries on loopback,
# the demo config, the real `gantry` binary under tmux; `capture-pane -e` rendered to PNG
# with ImageMagick (DejaVu Sans Mono). Usage: scripts/screenshots.sh [path/to/gantry]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
gantry=${1:-$root/.build/debug/gantry}
out=$root/screenshots
work=$(mktemp -d /tmp/gantry-shots.XXXXXX)
sock=gantry-shots-$$
pids=""
cleanup() {
    tmux -L "$sock" kill-server 2>/dev/null || true
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock"
    for pid in $pids; do kill "$pid" 2>/dev/null || true; done
    for pid in $pids; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
mkdir -p "$out"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_registry NAME: a docker-registry on a free loopback port; sets $registry to host:port.
# (Not run in $(...): the pid must reach the cleanup in this shell.)
start_registry() {
    port=$(free_port)
    mkdir -p "$work/$1"
    cat > "$work/$1/config.yml" <<EOF
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $work/$1/data}, delete: {enabled: true}}
http: {addr: 127.0.0.1:$port, secret: screenshots}
EOF
    docker-registry serve "$work/$1/config.yml" > "$work/$1/log" 2>&1 &
    pids="$pids $!"
    for _ in $(seq 1 200); do
        curl -fs "http://127.0.0.1:$port/v2/" > /dev/null 2>&1 && { registry="127.0.0.1:$port"; return; }
        sleep 0.05
    done
    echo "registry $1 did not start" >&2; exit 1
}

# project DIR PLATFORMS BUILDER [TAGS]: the demo config for both registries.
project() {
    mkdir -p "$1"
    cp -R "$root/config/demo" "$1/demo"
    tags=${4:-'"{{version}}", "{{major}}.{{minor}}", "{{major}}", latest'}
    cat > "$1/gantry.yaml" <<EOF
image: gantry/demo
registries: [$a, $b]
platforms: [$2]
build: {context: demo, dockerfile: demo/Dockerfile}
tags: [$tags]
builder: $3
publisher: native
attestations: none
parallel: 3
EOF
}

# open NAME COMMAND...: runs the command in a tmux window of $cols x $rows (120x40 unless set).
cols=120 rows=40
open() {
    name=$1; shift
    tmux -L "$sock" -f /dev/null new-session -d -s "$name" -x "$cols" -y "$rows" \
        env TERM=xterm-256color LANG=C.UTF-8 PATH="$PATH" "$@"
}
# wait_for NAME TEXT [SECONDS]: polls the screen until TEXT shows.
wait_for() {
    end=$(( $(date +%s) + ${3:-60} ))
    while ! tmux -L "$sock" capture-pane -p -t "$1" | grep -qF -- "$2"; do
        [ "$(date +%s)" -lt "$end" ] || { echo "timed out waiting for '$2' in $1:" >&2; tmux -L "$sock" capture-pane -p -t "$1" >&2; exit 1; }
        sleep 0.1
    done
}
keys() { tmux -L "$sock" send-keys -t "$@"; }
shot() {
    tmux -L "$sock" capture-pane -e -p -t "$1" > "$work/$2.ansi"
    python3 "$work/ansi2mvg.py" "$work/$2.ansi" "$work/$2.mvg" "$(tmux -L "$sock" display -p -t "$1" '#{pane_width}')" > "$work/$2.size"
    # One -draw argument per NUL-separated chunk.
    python3 -c 'import sys; sys.stdout.write("".join("-draw\0" + c + "\0" for c in open(sys.argv[1], encoding="utf-8").read().split("\0")))' "$work/$2.mvg" |
        SIZE=$(cat "$work/$2.size") PNG="$out/$2.png" xargs -0 sh -c \
            'convert -size "$SIZE" xc:"#1d1f21" -font DejaVu-Sans-Mono -pointsize 14 "$@" "$PNG"' convert
    echo "wrote screenshots/$2.png"
}

cat > "$work/ansi2mvg.py" <<'PY'
# Renders tmux `capture-pane -e` output (SGR escapes) as ImageMagick draw commands.
import re, sys
W, H, BASE = 0.602 * 14, 18, 13   # cell: DejaVu Sans Mono advance at 14 px, line height, baseline
BASIC = ["#1d1f21", "#cc6666", "#b5bd68", "#f0c674", "#81a2be", "#b294bb", "#8abeb7", "#c5c8c6",
         "#666666", "#d54e53", "#b9ca4a", "#e7c547", "#7aa6da", "#c397d8", "#70c0b1", "#eaeaea"]
def xterm(n):
    if n < 16: return BASIC[n]
    if n < 232:
        n -= 16; steps = [0, 95, 135, 175, 215, 255]
        return "#%02x%02x%02x" % (steps[n // 36], steps[n // 6 % 6], steps[n % 6])
    v = 8 + (n - 232) * 10; return "#%02x%02x%02x" % (v, v, v)
FG, BG = BASIC[7], BASIC[0]
lines = open(sys.argv[1], encoding="utf-8", errors="replace").read().split("\n")
while lines and lines[-1] == "": lines.pop()
cmds = []
for y, line in enumerate(lines):
    fg = bg = None; bold = rev = under = False; x = 0
    for part in re.split(r"(\x1b\[[0-9;]*m)", line):
        if part.startswith("\x1b["):
            codes = [int(c) if c else 0 for c in part[2:-1].split(";")]
            i = 0
            while i < len(codes):
                c = codes[i]
                if c == 0: fg = bg = None; bold = rev = under = False
                elif c == 1: bold = True
                elif c == 22: bold = False
                elif c == 4: under = True
                elif c == 24: under = False
                elif c == 7: rev = True
                elif c == 27: rev = False
                elif 30 <= c <= 37: fg = BASIC[c - 30]
                elif 90 <= c <= 97: fg = BASIC[c - 82]
                elif 40 <= c <= 47: bg = BASIC[c - 40]
                elif 100 <= c <= 107: bg = BASIC[c - 92]
                elif c == 39: fg = None
                elif c == 49: bg = None
                elif c in (38, 48) and i + 2 < len(codes) and codes[i + 1] == 5:
                    col = xterm(codes[i + 2]); i += 2
                    if c == 38: fg = col
                    else: bg = col
                elif c in (38, 48) and i + 4 < len(codes) and codes[i + 1] == 2:
                    col = "#%02x%02x%02x" % tuple(codes[i + 2:i + 5]); i += 4
                    if c == 38: fg = col
                    else: bg = col
                i += 1
            continue
        if not part: continue
        f, b = fg or FG, bg or BG
        if rev: f, b = b, f
        n = len(part)
        if b != BG:
            cmds.append("fill '%s' rectangle %.1f,%d %.1f,%d" % (b, 8 + x * W, 8 + y * H, 8 + (x + n) * W - 0.01, 8 + (y + 1) * H - 1))
        text = part.rstrip(" ")
        if text:
            font = "DejaVu-Sans-Mono-Bold" if bold else "DejaVu-Sans-Mono"
            # ASCII runs in one go; every other character at its own cell, since box-drawing
            # and symbol glyphs do not always advance exactly one cell.
            for m in re.finditer(r"[ -~]+|[^ -~]", text):
                if m.group().strip() == "": continue
                esc = m.group().replace("\\", "\\\\").replace("'", "\\'")
                cmds.append("font '%s' fill '%s' text %.2f,%d '%s'" % (font, f, 8 + (x + m.start()) * W, 8 + y * H + BASE, esc))
            if under:
                cmds.append("fill '%s' rectangle %.1f,%d %.1f,%d" % (f, 8 + x * W, 8 + y * H + BASE + 2, 8 + (x + len(text)) * W, 8 + y * H + BASE + 2))
        x += n
# ImageMagick's policy here forbids reading draw files (@file): hand the commands over as
# -draw arguments, each well under the kernel's 128 KiB limit for one argument.
chunks, size = [[]], 0
for c in cmds:
    if size > 60000: chunks.append([]); size = 0
    chunks[-1].append(c); size += len(c) + 1
open(sys.argv[2], "w", encoding="utf-8").write("\0".join("\n".join(c) for c in chunks if c))
print("%dx%d" % (int(16 + int(sys.argv[3]) * W), int(16 + len(lines) * H)))
PY

start_registry one; a=$registry
start_registry two; b=$registry
stubs=$root/Tests/Fixtures/bin

# 1. The matrix mid-build: the buildx stand-in takes 20 s per platform.
project "$work/mid" "linux/amd64, linux/arm64, linux/arm/v7" buildx
open mid env PATH="$stubs:$PATH" GANTRY_STUB_DURATION=20 GANTRY_STUB_LOG_LINES=40 \
    "$gantry" release 1.0.0 --config "$work/mid/gantry.yaml" --state-dir "$work/mid/state"
wait_for mid "building"
sleep 6   # let the progress bars advance to somewhere in the middle for the picture
shot mid release-matrix
keys mid q; keys mid y

# 2. Pending tags with moved tags and lost platforms: 1.0.0 has three platforms, 1.0.1 two.
project "$work/full" "linux/amd64, linux/arm64, linux/arm/v7" buildah
"$gantry" release 1.0.0 --no-tui --yes --config "$work/full/gantry.yaml" --state-dir "$work/full/state" > /dev/null
project "$work/less" "linux/amd64, linux/arm64" buildah
open less "$gantry" release 1.0.1 --config "$work/less/gantry.yaml" --state-dir "$work/less/state"
wait_for less "Every platform is built" 120
shot less pending-tags
keys less p
wait_for less "Publish 1.0.1?"
keys less -l "1.0."
wait_for less "│ 1.0."
shot less confirm
keys less Escape
wait_for less "nothing was published"
keys less q

# 3. An audit with drift: latest in the second registry overwritten with one platform.
skopeo copy --quiet --src-tls-verify=false --dest-tls-verify=false \
    "docker://$a/gantry/demo:1.0.0" "docker://$b/gantry/demo:latest"
open audit "$gantry" --config "$work/full/gantry.yaml" --state-dir "$work/full/state"
wait_for audit "Recover"
keys audit j Enter
wait_for audit "Reference"
keys audit -l "$a/gantry/demo:latest"
keys audit Enter
wait_for audit "drift" 30
shot audit audit-drift

# 4. Its repair, in the console: the second registry's finding proposes pointing latest
# there at the index the first registry holds (gantry tag); Enter opens its confirmation,
# Enter again moves the tag. The field keeps the keyboard after an audit: Tab selects the findings.
keys audit Tab
keys audit j
wait_for audit "↵ repair: gantry tag"
shot audit audit-repair
keys audit Enter
wait_for audit "Move these tags?" 60
keys audit Enter
wait_for audit "Tagged and verified" 60

# 5. A failed platform's detail: the stand-in fails linux/arm64 at its RUN step; the failure
# takes the selection and Enter shows its step and whole error above the log.
project "$work/failed" "linux/amd64, linux/arm64, linux/arm/v7" buildx
printf 'FROM scratch\nCOPY hello.txt /hello.txt\nRUN make\n' > "$work/failed/demo/Dockerfile"
open failed env PATH="$stubs:$PATH" GANTRY_STUB_FAIL_PLATFORM=linux/arm64 GANTRY_STUB_LOG_LINES=12 \
    "$gantry" release 1.0.0 --config "$work/failed/gantry.yaml" --state-dir "$work/failed/state"
wait_for failed "R builds the selected platform again" 60
keys failed Enter
wait_for failed "Error:"
shot failed failed-detail
keys failed q
# 6. 80x24, 30 pending tags (15 tag rules, two registries): the Tag column is as wide as the
# longest tag, the empty Warnings column gives its width up, and the list scrolls.
rules='"{{version}}", "{{major}}.{{minor}}", "{{major}}", latest'
for flavor in slim alpine bookworm; do
    rules="$rules, \"{{version}}-$flavor\", \"{{major}}.{{minor}}-$flavor\", \"{{major}}-$flavor\""
done
rules="$rules, slim, alpine"
project "$work/many" "linux/amd64, linux/arm64" buildah "$rules"
cols=80 rows=24
open many "$gantry" release 2.0.0 --config "$work/many/gantry.yaml" --state-dir "$work/many/state"
wait_for many "Every platform is built" 120
shot many pending-tags-80x24
keys many q
cols=120 rows=40
# Last: the tmux server ends with its last session. Esc leaves the tag move for the audit,
# read again since (no findings now); its history pane is shot, and Esc goes Home, where q quits.
keys audit Escape
wait_for audit "no findings"
# The audit's history pane: Tab to the registries' rows (after the tags), Enter reads the
# tag's release records (the release, then the repair's own record).
keys audit Tab
keys audit Tab
keys audit Enter
wait_for audit "History of" 30
wait_for audit "released by" 30
shot audit audit-history
keys audit Escape
wait_for audit "Recover"
keys audit q
