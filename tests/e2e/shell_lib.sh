# Helpers for driving a shell over the emulator's UART, as a host script would. Source after
# lib.sh; start_shell BOARD DIR boots the image.

prompt='uart:~$ '

# start_shell BOARD DIR: boot DIR's image with the UART on a coprocess's pipes.
start_shell() {
  local -a cmd
  mapfile -t cmd < <(emulator_command "$1" "$2")
  coproc EMU { exec "${cmd[@]}" 2>&1; }
  shell_pid=$EMU_PID
  shell_in=${EMU[1]}
  shell_out=${EMU[0]}
  trap 'kill "$shell_pid" 2>/dev/null || true' EXIT
}

# read_prompts N [SECONDS]: read the output until N prompts have come; it is left in $got
# (carriage returns removed).
read_prompts() {
  local want=$1 secs=${2:-30} seen=0 c deadline
  got=
  deadline=$((SECONDS + secs))
  while [ "$seen" -lt "$want" ]; do
    [ "$SECONDS" -lt "$deadline" ] || { printf '%s\n' "$got"; fail "no prompt within ${secs}s"; }
    IFS= read -r -N 1 -t 5 c <&"$shell_out" || continue
    [ "$c" = $'\r' ] && continue
    got+=$c
    [[ $got == *"$prompt" ]] && seen=$((seen + 1))
  done
}

# run_cmd LINE-END COMMAND: send one command; $got is its output without the echoed line and
# the final prompt.
run_cmd() {
  printf "%s$1" "$2" >&"$shell_in"
  read_prompts 1
  got=${got#*$'\n'}
  got=${got%"$prompt"}
}
