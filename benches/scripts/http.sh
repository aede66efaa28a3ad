#!/usr/bin/env bash
# HTTP/1.1 hello-world, magpie vs tokio: wrk throughput and p99 latency,
# then syscalls per request.
#
#   benches/scripts/http.sh          (run as root if wrk must be installed)
#
# Environment (defaults in brackets):
#   ROUNDS [3]      wrk rounds; each round runs both servers, the order
#                   alternating round by round
#   DURATION [10s]  wrk -d;  CONNS [64] wrk -c;  THREADS [2] wrk -t
#   WORKERS [2]     server worker threads
#   REQS [200000]   requests per syscall count
#   PORT [18080]    loopback port
#   SKIP_WRK=1 / SKIP_SYSCALLS=1   skip one of the two parts
#
# Throughput: each server (`http_server --runtime RT --workers 2`) is
# started fresh, `wrk -tTHREADS -cCONNS -dDURATION --latency` runs against
# it, the server is stopped. Req/s and p99 are wrk's.
#
# Syscalls: a fresh server started with `--exit-after REQS` (it exits after
# sending REQS responses) is attached with `perf stat -e syscalls:...`
# (all its threads) before wrk starts; the counts divided by REQS are the
# syscalls per request, server side only; `task-clock` over the same
# requests gives the server's CPU time per request ("CPU us", all threads,
# which depends less on the machine's load than req/s). Without working
# syscall tracepoints, `strace -c -f -p` is used instead (it slows every
# syscall, which changes batching; prefer perf).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
WORKERS=${WORKERS:-2}
REQS=${REQS:-200000}
PORT=${PORT:-18080}
URL="http://127.0.0.1:$PORT/"
OUT=${OUT:-target/http-bench}
mkdir -p "$OUT"

. benches/scripts/wrk-common.sh http_server

start_server() { # rt [extra args]
  local rt=$1; shift
  launch_server "$rt" --runtime "$rt" --workers "$WORKERS" --addr "127.0.0.1:$PORT" "$@"
}

if [ -z "${SKIP_WRK:-}" ]; then
  echo "wrk -t$THREADS -c$CONNS -d$DURATION --latency, servers with $WORKERS workers, $ROUNDS rounds"
  echo
  printf "| %-5s | %-7s | %10s | %9s | %9s |\n" round runtime "req/s" "p50 us" "p99 us"
  printf "|%s|%s|%s|%s|%s|\n" ------- --------- ------------ ----------- -----------
  : >"$OUT/results"
  for round in $(seq "$ROUNDS"); do
    if [ $((round % 2)) -eq 1 ]; then order="magpie tokio"; else order="tokio magpie"; fi
    for rt in $order; do
      start_server "$rt"
      f="$OUT/wrk-$rt-$round.txt"
      wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$URL" >"$f"
      stop_server
      rps=$(awk '/^Requests\/sec:/ { print $2 }' "$f")
      p50=$(to_us "$(awk '$1 == "50%" { print $2 }' "$f")")
      p99=$(to_us "$(awk '$1 == "99%" { print $2 }' "$f")")
      if grep -q "Non-2xx\|Socket errors" "$f"; then
        echo "wrk reported errors against $rt:" >&2
        cat "$f" >&2
      fi
      echo "$rt $rps $p50 $p99" >>"$OUT/results"
      printf "| %-5s | %-7s | %10s | %9s | %9s |\n" "$round" "$rt" "$rps" "$p50" "$p99"
    done
  done
  echo
  for rt in magpie tokio; do
    printf "%-7s median req/s %s, median p99 %s us\n" "$rt" \
      "$(awk -v r="$rt" '$1 == r { print $2 }' "$OUT/results" | median)" \
      "$(awk -v r="$rt" '$1 == r { print $4 }' "$OUT/results" | median)"
  done
  echo
fi

[ -n "${SKIP_SYSCALLS:-}" ] && exit 0

EVENTS=(recvfrom sendto read write epoll_wait epoll_pwait futex sched_yield epoll_ctl)
if perf stat -e syscalls:sys_enter_futex true >/dev/null 2>&1; then
  tool=perf
  ev=$(printf "syscalls:sys_enter_%s," "${EVENTS[@]}")raw_syscalls:sys_enter,task-clock
else
  tool=strace
fi
echo "syscalls per request ($tool, server process, all threads, $REQS requests, wrk -t$THREADS -c$CONNS)"
echo
printf "| %-7s |" runtime
for e in "${EVENTS[@]}" total; do printf " %11s |" "$e"; done
[ $tool = perf ] && printf " %11s |" "CPU us"
echo
for rt in magpie tokio; do
  start_server "$rt" --exit-after "$REQS"
  f="$OUT/syscalls-$rt.txt"
  if [ $tool = perf ]; then
    perf stat -x, -e "$ev" -p "$SERVER_PID" -o "$f" &
  else
    strace -c -f -p "$SERVER_PID" -o "$f" 2>/dev/null &
  fi
  TRACER=$!
  sleep 1
  wrk -t"$THREADS" -c"$CONNS" -d600s "$URL" >/dev/null 2>&1 &
  WRK=$!
  # The server exits by itself after REQS responses.
  while kill -0 "$SERVER_PID" 2>/dev/null; do sleep 0.1; done
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
  kill "$WRK" 2>/dev/null || true
  wait "$WRK" 2>/dev/null || true
  kill -INT "$TRACER" 2>/dev/null || true
  wait "$TRACER" 2>/dev/null || true
  grep -q "served" "$OUT/server-$rt.log" || { echo "server $rt did not reach $REQS requests" >&2; exit 1; }
  printf "| %-7s |" "$rt"
  for e in "${EVENTS[@]}" total; do
    if [ $tool = perf ]; then
      if [ "$e" = total ]; then name=raw_syscalls:sys_enter; else name="syscalls:sys_enter_$e"; fi
      n=$(awk -F, -v n="$name" '$3 == n { print $1 }' "$f")
    else
      if [ "$e" = total ]; then
        n=$(awk '$2 == "total" { print $3 }' "$f")
      else
        n=$(awk -v n="$e" '$NF == n { print $4 }' "$f")
      fi
    fi
    printf " %11s |" "$(awk -v n="${n:-0}" -v r="$REQS" 'BEGIN { printf "%.3f", (n ~ /^[0-9]+$/ ? n : 0) / r }')"
  done
  if [ $tool = perf ]; then
    # task-clock: CPU time of all the server's threads, in ms.
    ms=$(awk -F, '$3 == "task-clock" { print $1 }' "$f")
    printf " %11s |" "$(awk -v ms="${ms:-0}" -v r="$REQS" 'BEGIN { printf "%.2f", ms * 1000 / r }')"
  fi
  echo
done
