# Shared by http.sh and hyper.sh (sourced from the repository root):
# installs wrk if missing, builds the server binary, and stops the server
# on exit. Usage: `. benches/scripts/wrk-common.sh <bin name>`; sets BIN
# and defines stop_server (SERVER_PID holds the running server's pid).

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
