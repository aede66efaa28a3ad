#!/usr/bin/env bash
# hyper 1.x hello-world server, magpie vs tokio, under wrk: req/s and p99.
#
#   benches/scripts/hyper.sh          (run as root if wrk must be installed)
#
# Environment (defaults in brackets):
#   ROUNDS [5]      rounds; each round runs every variant once, the order
#                   rotating round by round
#   DURATION [10s]  wrk -d;  CONNS [64] wrk -c;  THREADS [1] wrk -t
#   WORKERS [2]     server worker threads (multi-thread runtime)
#   PORT [18081]    loopback port
#   VARIANTS ["magpie tokio"]  any of
#                   magpie          magpie's TcpStream as hyper I/O (its own
#                                   hyper::rt impls), magpie::compat::hyper::
#                                   {Executor, Timer}
#                   magpie-io       the same through the generic
#                                   magpie::compat::hyper::Io adapter
#                   tokio           hyper_util::rt::{TokioIo, TokioExecutor, TokioTimer}
#                   magpie-tokioio  hyper_util::rt::TokioIo over magpie's
#                                   `tokio-io` impls, magpie's Executor/Timer
#
# Each server (`hyper_server`, see benches/src/bin/hyper_server.rs) is
# started fresh for each run and stopped after it. Req/s and p99 are wrk's;
# "CPU us" is the server's CPU time (all threads, `perf stat -e task-clock
# -p`, if perf works) divided by the requests wrk completed: it depends
# less on the machine's load than req/s. The summary gives per-variant
# medians over the rounds and the ratio of each median to tokio's.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
THREADS=${THREADS:-1}
WORKERS=${WORKERS:-2}
PORT=${PORT:-18081}
VARIANTS=${VARIANTS:-magpie tokio}
URL="http://127.0.0.1:$PORT/"
OUT=${OUT:-target/hyper-bench}
mkdir -p "$OUT"

. benches/scripts/wrk-common.sh hyper_server

start_server() { # variant
  local args
  case $1 in
    magpie) args=(--runtime magpie --io direct) ;;
    magpie-io) args=(--runtime magpie --io compat) ;;
    magpie-tokioio) args=(--runtime magpie --io tokio-io) ;;
    tokio) args=(--runtime tokio) ;;
    *) echo "unknown variant $1" >&2; exit 2 ;;
  esac
  launch_server "$1" "${args[@]}" --workers "$WORKERS" --addr "127.0.0.1:$PORT"
}

read -r -a vs <<<"$VARIANTS"
echo "wrk -t$THREADS -c$CONNS -d$DURATION --latency, servers with $WORKERS workers, $ROUNDS rounds"
echo
PERF=
perf stat -e task-clock true >/dev/null 2>&1 && PERF=1
printf "| %-5s | %-14s | %10s | %9s | %9s | %7s |\n" round variant "req/s" "p50 us" "p99 us" "CPU us"
printf "|%s|%s|%s|%s|%s|%s|\n" ------- ---------------- ------------ ----------- ----------- ---------
: >"$OUT/results"
for round in $(seq "$ROUNDS"); do
  # Rotate the order so that no variant always runs first.
  n=${#vs[@]}
  for k in $(seq 0 $((n - 1))); do
    v=${vs[$(((k + round - 1) % n))]}
    start_server "$v"
    f="$OUT/wrk-$v-$round.txt"
    pf="$OUT/perf-$v-$round.txt"
    PERF_PID=
    if [ -n "$PERF" ]; then
      perf stat -x, -e task-clock -p "$SERVER_PID" -o "$pf" &
      PERF_PID=$!
    fi
    wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$URL" >"$f"
    cpu=-
    if [ -n "$PERF_PID" ]; then
      kill -INT "$PERF_PID" 2>/dev/null || true
      wait "$PERF_PID" 2>/dev/null || true
      reqs=$(awk '/requests in/ { print $1 }' "$f")
      ms=$(awk -F, '$3 == "task-clock" { print $1 }' "$pf")
      cpu=$(awk -v ms="${ms:-0}" -v r="${reqs:-0}" 'BEGIN { if (r > 0) printf "%.1f", ms * 1000 / r; else print "-" }')
    fi
    stop_server
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$f")
    p50=$(to_us "$(awk '$1 == "50%" { print $2 }' "$f")")
    p99=$(to_us "$(awk '$1 == "99%" { print $2 }' "$f")")
    if grep -q "Non-2xx\|Socket errors" "$f"; then
      echo "wrk reported errors against $v:" >&2
      cat "$f" >&2
    fi
    echo "$v $rps $p50 $p99 $cpu" >>"$OUT/results"
    printf "| %-5s | %-14s | %10s | %9s | %9s | %7s |\n" "$round" "$v" "$rps" "$p50" "$p99" "$cpu"
  done
done
echo
tokio_rps=$(awk '$1 == "tokio" { print $2 }' "$OUT/results" | median)
tokio_p99=$(awk '$1 == "tokio" { print $4 }' "$OUT/results" | median)
tokio_cpu=$(awk '$1 == "tokio" { print $5 }' "$OUT/results" | median)
for v in "${vs[@]}"; do
  rps=$(awk -v r="$v" '$1 == r { print $2 }' "$OUT/results" | median)
  p99=$(awk -v r="$v" '$1 == r { print $4 }' "$OUT/results" | median)
  cpu=$(awk -v r="$v" '$1 == r { print $5 }' "$OUT/results" | median)
  printf "%-14s median req/s %10s, p99 %6s us, CPU %5s us/req" "$v" "$rps" "$p99" "$cpu"
  if [ -n "$tokio_rps" ] && [ "$v" != tokio ]; then
    awk -v a="$rps" -v b="$tokio_rps" -v c="$p99" -v d="$tokio_p99" -v e="$cpu" -v f="$tokio_cpu" \
      'BEGIN { printf "; / tokio: req/s %.3f, p99 %.3f", a / b, c / d; if (f > 0) printf ", CPU %.3f", e / f }'
  fi
  echo
done
