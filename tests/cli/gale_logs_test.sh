#!/usr/bin/env bash
# gale logs through the real galed and QEMU: samples/logging built with text output and with
# dictionary output (binary records on the UART, format strings only in the ELF) is flashed to two
# devices; the daemon decodes both into the store, and the two runs must give the same records
# (level, module, message) in the same order. Also the --level and --module filters.
# CTest passes the folder of the host binaries as $1.
source "$(dirname "$0")/../e2e/lib.sh"
use_private_daemon "${1:?usage: gale_logs_test.sh BIN_DIR}"
gale daemon start >/dev/null || fail "gale daemon start"

app=$GALE_BASE/samples/logging
gale build -b qemu_cortex_m3 -d text "$app" >text.log 2>&1 || { tail -20 text.log; fail "build text"; }
gale build -b qemu_cortex_m3 -d dict "$app" -- -DEXTRA_CONF_FILE=dictionary.conf >dict.log 2>&1 ||
  { tail -20 dict.log; fail "build dictionary"; }

# Records without the device and the timestamp: "<inf> app: message".
records() { gale logs --device "$1" --limit 100 | sed -E 's/^[^ ]+ (\[[^]]*\] )?//'; }
run() {
  local mode=$1 dev
  dev=$(gale emu start -b qemu_cortex_m3) || fail "gale emu start"
  gale flash -d "$mode" --device "$dev" >/dev/null 2>&1 || fail "flash $mode"
  # The records as of the first listing that holds the last message (one listing, kept).
  local out=
  for _ in $(seq 60); do
    out=$(records "$dev") && grep -q "logging sample done" <<<"$out" && break
    sleep 0.5
  done
  printf '%s\n' "$out" >"$mode.records"
  grep -q "logging sample done" "$mode.records" || { cat "$mode.records"; fail "$mode: the last message was not stored"; }
  echo "$dev"
}
text_dev=$(run text)
dict_dev=$(run dict)
n=$(wc -l <text.records)
[ "$n" -ge 10 ] || { cat text.records; fail "text mode stored only $n records"; }
diff -u text.records dict.records || fail "dictionary records differ from the text ones"
grep -q '^<inf> app: char G, long -123456, 64-bit -9000000000, hex 123456789abc, width \[   42\] \[7   \]$' dict.records ||
  { cat dict.records; fail "the formatted message is not as the target formats it"; }
ok "dictionary logs decoded by the daemon: $n records, the same as text mode"

gale logs --device "$dict_dev" --level wrn | grep -v '<err>\|<wrn>' && fail "--level wrn let other levels through"
gale logs --device "$dict_dev" --module sensor | sed -E 's/^[^ ]+ (\[[^]]*\] )?//' | grep -v '^<...> sensor: ' &&
  fail "--module sensor let other modules through"
gale logs --device "$dict_dev" --module sensor --json | grep -q '"module": *"sensor"' || fail "--json has no module field"
ok "filters by level and module"
