#!/usr/bin/env bash
# Instructions per operation, magpie vs tokio, counted with callgrind.
#
#   benches/scripts/instructions.sh [ROW...]     (default: the spawn rows)
#
# For each ROW (workload/flavor, as printed by `compare`) and runtime, runs
# `compare --run RT ROW` under callgrind with 1 and with 1+N iterations;
# the difference divided by N * ops-per-iteration is the cost of one
# operation with start-up, calibration and shutdown cancelled out.
# Callgrind serialises threads, so for multi-thread rows the count also
# includes what workers spend searching and parking under that schedule.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-10}
cargo build --release -p magpie-benches --bin compare >/dev/null 2>&1
BIN=target/release/compare
OUT=${OUT:-target/callgrind}
mkdir -p "$OUT"
rows=("$@")
[ ${#rows[@]} -eq 0 ] && rows=(spawn_many_local/mt2 spawn_many_local/ct spawn_many_remote/mt2 spawn_many_remote/ct)

ops_per_iter() {
  case "${1%/*}" in
    spawn_many_local|spawn_many_remote) echo 10000 ;;
    yield_many) echo 200000 ;;
    chained_spawn) echo 1000 ;;
    ping_pong) echo 10000 ;;
    spawn_tree) echo 8191 ;;
    spawn_blocking) echo 200 ;;
    uneven_cpu) echo 400 ;;
    mpsc_fan_in) echo 16000 ;;
    oneshot_ping_pong) echo 2000 ;;
    mutex_contended|semaphore_contended|broadcast_fan_out) echo 8000 ;;
    unbounded_fan_in) echo 16000 ;;
    notify_ping_pong) echo 2000 ;;
    watch_fan_out) echo 500 ;;
    tcp_echo|uds_echo) echo 10000 ;;
    tcp_echo_16k) echo 500 ;;
    tcp_churn) echo 200 ;;
    udp_ping_pong) echo 2000 ;;
    timer_insert_cancel|timeout_ready|sleep_reset) echo 100000 ;;
    sleep_many|interval_tick) echo 10000 ;;
    timeout_yield) echo 20000 ;;
    *) echo "unknown row $1" >&2; exit 2 ;;
  esac
}

count() { # rt row iters -> total Ir
  local f="$OUT/$1.${2//\//_}.$3.out"
  valgrind --tool=callgrind --callgrind-out-file="$f" "$BIN" --run "$1" "$2" --iters "$3" >/dev/null 2>&1
  callgrind_annotate "$f" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }'
}

printf '| %-22s | %14s | %14s | %6s |\n' "row" "magpie instr/op" "tokio instr/op" "ratio"
printf '|%s|%s|%s|%s|\n' "------------------------" "----------------:" "----------------:" "-------:"
for row in "${rows[@]}"; do
  ops=$(ops_per_iter "$row")
  declare -A per=()
  for rt in magpie tokio; do
    a=$(count "$rt" "$row" 1)
    b=$(count "$rt" "$row" $((N + 1)))
    per[$rt]=$(( (b - a) / (N * ops) ))
  done
  printf '| %-22s | %15s | %14s | %6.3f |\n' "$row" "${per[magpie]}" "${per[tokio]}" \
    "$(echo "${per[magpie]} / ${per[tokio]}" | bc -l)"
done
