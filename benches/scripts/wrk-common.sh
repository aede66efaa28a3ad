# Shared by http.sh and hyper.sh (sourced from the repository root):
# installs wrk if missing, builds the server binary, and stops the server
# on exit. Usage: `. benches/scripts/wrk-common.sh <bin name>`; sets BIN
# and defines stop_server, launch_server, to_us and median (SERVER_PID holds
# the running server's pid).

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "wrk is missing; run as root to install it (apt-get install -y wrk)" >&2
    exit 1
  fi
  apt-get install -y wrk >/dev/null
fi
cargo build --release -p magpie-benches --bin "$1" >/dev/null 2>&1 \
  || cargo build --release -p magpie-benches --bin "$1"
BIN=target/release/$1

SERVER_PID=
stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
  fi
}
trap stop_server EXIT

launch_server() { # label, then the server's arguments; waits for "listening on"
  local label=$1; shift
  local log="$OUT/server-$label.log"
  "$BIN" "$@" >"$log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 100); do
    grep -q "listening on" "$log" && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.05
  done
  echo "server $label did not start:" >&2
  cat "$log" >&2
  exit 1
}

to_us() { # wrk duration (e.g. 1.23ms) -> microseconds
  awk -v d="$1" 'BEGIN {
    n = d + 0; u = d; sub(/^[0-9.]+/, "", u)
    if (u == "us") f = 1; else if (u == "ms") f = 1000; else if (u == "s") f = 1000000; else f = 0
    printf "%.0f", n * f }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
