#!/usr/bin/env bash
# The real gale against a real galed serving a unix socket and TCP with TLS and bearer tokens
# (a self-signed certificate made by openssl here): no token, unknown token, roles, the local
# socket still working, plain TCP on a non-loopback address refused, plain loopback TCP with
# tokens, a token reload on SIGHUP, and `gale audit`. Talks only to loopback.
# CTest passes the folder of the host binaries as $1.
source "$(dirname "$0")/../e2e/lib.sh"
BIN=${1:?usage: gale_remote_test.sh BIN_DIR}
[ -x "$BIN/galed" ] || fail "$BIN/galed is missing: build it first"
export XDG_RUNTIME_DIR=$WORK/run XDG_STATE_HOME=$WORK/state
unset GALE_SOCKET GALE_LEASE GALE_TOKEN
mkdir -p "$XDG_RUNTIME_DIR/gale" "$XDG_STATE_HOME"
chmod 700 "$XDG_RUNTIME_DIR" "$XDG_RUNTIME_DIR/gale"
gale() { "$BIN/gale" "$@"; }
GALED_PID=
trap 'gale daemon stop >/dev/null 2>&1 || true; [ -z "$GALED_PID" ] || kill "$GALED_PID" 2>/dev/null || true' EXIT
cd "$WORK"

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout key.pem -out cert.pem >/dev/null 2>&1 \
  || fail "openssl could not make a certificate"
printf '# token role name\ndevtok-0123456789abcdef developer ci-dev\nrotok-0123456789abcdef read-only viewer\n' >tokens
chmod 600 tokens

# A free port: let galed pick one, and read it from its status.
"$BIN/galed" --listen "unix:$XDG_RUNTIME_DIR/gale/galed.sock" --listen tcp://127.0.0.1:0 \
  --tls-cert cert.pem --tls-key key.pem --tokens tokens >galed.log 2>&1 &
GALED_PID=$!
for _ in $(seq 100); do gale daemon status >/dev/null 2>&1 && break; sleep 0.1; done
status=$(gale daemon status --json) || { cat galed.log; fail "galed did not come up with TCP+TLS"; }
port=$(grep -o 'tcp://127.0.0.1:[0-9]*' <<<"$status" | head -1 | sed 's/.*://')
[ -n "$port" ] && [ "$port" != 0 ] || fail "daemon status lists no bound TCP port: $status"
ok "galed serves unix and TCP (port $port); daemon status on the unix socket"

R=(--socket "tcp://127.0.0.1:$port" --ca cert.pem)
if gale "${R[@]}" boards >noauth.out 2>noauth.err; then fail "a TCP call without a token succeeded"; fi
grep -q "needs a token" noauth.err || fail "no-token error: $(cat noauth.err)"
if gale "${R[@]}" --token wrong boards >/dev/null 2>wrong.err; then fail "an unknown token was accepted"; fi
grep -q "unknown token" wrong.err || fail "unknown-token error: $(cat wrong.err)"
gale "${R[@]}" --token rotok-0123456789abcdef boards >boards.out || fail "a read-only token cannot list boards"
grep -q "^qemu_cortex_m3 " boards.out || fail "boards over TCP: $(cat boards.out)"
GALE_TOKEN=rotok-0123456789abcdef gale "${R[@]}" boards >/dev/null || fail "GALE_TOKEN is not used"
if gale "${R[@]}" --token rotok-0123456789abcdef emu start -b qemu_cortex_m3 >ro.out 2>ro.err; then
  fail "a read-only token started an emulator"
fi
grep -q "needs the developer role" ro.err || fail "role refusal: $(cat ro.err)"
ok "TLS + tokens: unauthenticated refused, roles enforced, with messages that say why"

# Without --ca, a loopback address means plain TCP: that is not what this listener speaks.
if gale --socket "tcp://127.0.0.1:$port" --token rotok-0123456789abcdef boards >/dev/null 2>&1; then
  fail "plain TCP reached a TLS listener"
fi
dev=$(gale "${R[@]}" --token devtok-0123456789abcdef emu start -b qemu_cortex_m3) \
  || fail "a developer token cannot start an emulator"
[ -n "$dev" ] || fail "emu start printed no id"
if gale "${R[@]}" --token devtok-0123456789abcdef audit >/dev/null 2>audit.err; then
  fail "a developer read the audit log"
fi
grep -q "needs the admin role" audit.err || fail "audit refusal: $(cat audit.err)"
gale audit >audit.out || fail "gale audit on the unix socket"
grep -E "ci-dev +developer +ipv4:127.0.0.1:[0-9]+ +Devices/Create +$dev \(qemu_cortex_m3\) +OK" audit.out >/dev/null \
  || { cat audit.out; fail "the audit log lacks the developer's emu start"; }
grep -E "viewer +read-only .*Devices/Create .*PERMISSION_DENIED" audit.out >/dev/null \
  || { cat audit.out; fail "the audit log lacks the refused emu start"; }
gale audit --json >audit.json || fail "gale audit --json"
grep -q '"caller": "ci-dev"' audit.json || fail "gale audit --json: $(cat audit.json)"
gale emu stop "$dev" >/dev/null || fail "emu stop on the unix socket"
ok "developer starts an emulator; the audit log records it and the refusal (admin only)"

# A rotated token: SIGHUP reloads the file; the old token stops working.
printf 'newtok-0123456789abcdef read-only viewer\n' >tokens
kill -HUP "$GALED_PID"
for _ in $(seq 50); do grep -q "tokens reloaded" galed.log && break; sleep 0.1; done
grep -q "tokens reloaded" galed.log || { cat galed.log; fail "SIGHUP did not reload the tokens"; }
if gale "${R[@]}" --token rotok-0123456789abcdef boards >/dev/null 2>&1; then fail "a removed token still works"; fi
gale "${R[@]}" --token newtok-0123456789abcdef boards >/dev/null || fail "the new token does not work"
ok "SIGHUP reloads the tokens"
gale daemon stop >/dev/null || fail "daemon stop on the unix socket while TCP is served"
wait "$GALED_PID" 2>/dev/null || true
GALED_PID=

# Plain TCP: refused off loopback (saying TLS), served on loopback, still with tokens.
if timeout 10 "$BIN/galed" --listen tcp://0.0.0.0:0 --listen "unix:$WORK/other.sock" --tokens tokens \
  >plain.log 2>&1; then
  fail "galed served plain TCP on 0.0.0.0"
fi
grep -q "TLS" plain.log || fail "the refusal does not mention TLS: $(cat plain.log)"
"$BIN/galed" --listen "unix:$XDG_RUNTIME_DIR/gale/galed.sock" --listen tcp://127.0.0.1:0 \
  --tokens tokens >galed2.log 2>&1 &
GALED_PID=$!
for _ in $(seq 100); do gale daemon status >/dev/null 2>&1 && break; sleep 0.1; done
status=$(gale daemon status --json) || fail "daemon status of the second daemon"
port=$(grep -o 'tcp://127.0.0.1:[0-9]*' <<<"$status" | head -1 | sed 's/.*://')
[ -n "$port" ] || fail "no TCP port on the second daemon"
if gale --socket "tcp://127.0.0.1:$port" boards >/dev/null 2>&1; then fail "plain loopback TCP without a token"; fi
gale --socket "tcp://127.0.0.1:$port" --token newtok-0123456789abcdef boards >/dev/null \
  || fail "plain loopback TCP with a token"
ok "plain TCP: refused on 0.0.0.0, served on loopback with tokens"
