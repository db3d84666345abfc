# Sourced by scripts/setup and images/temporal/build-images.sh: one progress line per build step.
#   logged <label> <log name> <command...>
# runs the command with its output in $DKMV_LOG_DIR/<log name>.log and prints "<prefix><label> … done in 42 s"; on failure it prints the
# log's path and its last lines and returns the command's exit code. cli/build/build-log.ts does the
# same for the sandbox and browser images.
DKMV_LOG_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/dkmv/logs"
: "${PROGRESS_PREFIX:=}"

logged() {
  local label=$1 log="$DKMV_LOG_DIR/$2.log" start rc
  shift 2
  mkdir -p "$DKMV_LOG_DIR"
  start=$(date +%s)
  printf '%s%s … ' "$PROGRESS_PREFIX" "$label" >&2
  # In the background and then waited for, so that `set -e` still holds inside a function step when
  # `logged` is a plain statement. (Bash ignores `set -e` inside anything run from an `if`, `&&` or
  # `||` context, so a function step ends each command that may fail with `|| return`.)
  "$@" >"$log" 2>&1 </dev/null &
  wait $! && rc=0 || rc=$?
  if [ "$rc" = 0 ]; then
    printf 'done in %s s\n' $(($(date +%s) - start)) >&2
    return 0
  fi
  printf 'failed after %s s (exit %s)\n' $(($(date +%s) - start)) "$rc" >&2
  printf '%sfull log: %s; its last lines:\n' "$PROGRESS_PREFIX" "$log" >&2
  grep -v '^[[:space:]]*$' "$log" | tail -n 30 | sed 's/^/  | /' >&2
  return "$rc"
}
