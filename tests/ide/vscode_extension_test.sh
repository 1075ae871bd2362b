#!/usr/bin/env bash
# The VS Code extension: install its locked dependencies (npm ci), run its tests under Node
# against a real galed (GALE_BIN_DIR, the folder of the host binaries, is passed as $1), and
# build the .vsix with vsce. Fails, naming what to install, when node or npm is missing.
source "$(dirname "$0")/../e2e/lib.sh"
BIN=${1:?usage: vscode_extension_test.sh BIN_DIR}
[ -x "$BIN/galed" ] || fail "$BIN/galed is missing: build it first"
EXT=$GALE_BASE/ide-plugin/vscode
for tool in node npm npx; do
  command -v "$tool" >/dev/null \
    || fail "$tool is not installed: the VS Code extension's test needs Node.js 20+ and npm (sdk/setup.sh installs them: apt-get install nodejs npm)"
done
major=$(node -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 20 ] || fail "node $(node --version) is too old: packaging the extension (vsce) needs Node.js 20 or newer"

cd "$EXT"
npm ci --no-audit --no-fund >"$WORK/npm-ci.log" 2>&1 \
  || { tail -30 "$WORK/npm-ci.log"; fail "npm ci in ide-plugin/vscode (log: $WORK/npm-ci.log)"; }
ok "npm ci"
rc=0
GALE_BIN_DIR=$BIN npm test >"$WORK/npm-test.log" 2>&1 || rc=$?
grep -E '^(not )?ok |^# (pass|fail)' "$WORK/npm-test.log" || true
if [ "$rc" != 0 ]; then
  grep -E -A12 '^not ok ' "$WORK/npm-test.log" | head -80 || tail -40 "$WORK/npm-test.log"
  fail "npm test exited $rc (log: $WORK/npm-test.log)"
fi
ok "npm test"
npx --no-install vsce package -o "$WORK/gale.vsix" >"$WORK/vsce.log" 2>&1 \
  || { tail -30 "$WORK/vsce.log"; fail "vsce package (log: $WORK/vsce.log)"; }
[ -s "$WORK/gale.vsix" ] || fail "vsce made no $WORK/gale.vsix"
# The package must carry the API it speaks and its runtime dependencies.
listing=$(python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$WORK/gale.vsix")
for f in extension/proto/gale/v1/devices.proto extension/out/src/extension.js \
         extension/node_modules/@grpc/grpc-js/package.json extension/node_modules/@grpc/proto-loader/package.json; do
  grep -qx "$f" <<<"$listing" || fail "the .vsix lacks $f"
done
ok "vsce package: $WORK/gale.vsix"
