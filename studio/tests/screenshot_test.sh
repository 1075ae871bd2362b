#!/usr/bin/env bash
# gale-studio --screenshot FILE against a galed it starts itself on a private runtime folder.
set -euo pipefail
studio=$1
out=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
[ -x "$studio" ] || fail "$studio is missing: build gale-studio first"
for b in galed gale; do
  [ -x "$(dirname "$studio")/$b" ] || fail "$b is missing beside $studio: build it first"
done
work=$(mktemp -d /tmp/gale-studio-test.XXXXXX)
export XDG_RUNTIME_DIR=$work/run XDG_STATE_HOME=$work/state
unset GALE_SOCKET
mkdir -m 700 -p "$XDG_RUNTIME_DIR"
socket="unix:$XDG_RUNTIME_DIR/gale/galed.sock"
cleanup() {
  # Stop the galed gale-studio started (Sdk.Shutdown through the CLI, on our private socket).
  "$(dirname "$studio")/gale" daemon stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$(dirname "$out")"
rm -f "$out"
QT_QPA_PLATFORM=offscreen timeout 90 "$studio" --screenshot "$out" >"$work/studio.log" 2>&1 \
  || { cat "$work/studio.log"; fail "gale-studio --screenshot exited with $?"; }
size=$(stat -c %s "$out" 2>/dev/null || echo 0)
[ "$size" -gt 10000 ] || fail "the screenshot $out has $size bytes (want > 10000)"
grep -q "screenshot of the main window saved" "$work/studio.log" || fail "no confirmation in the log"
echo "ok: $out ($size bytes)"
