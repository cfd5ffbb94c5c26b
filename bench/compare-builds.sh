#!/usr/bin/env bash
# Before and after: two builds of the Demo on one host, measured the way a change to a host's hot path should be
# checked. Same machine, one right after the other; each round starts both builds fresh, in the order the round gives
# (rotated, so a drift of the machine falls on both alike); server on core 0, load on core 1; a 15 s warm-up per
# process (tiered JIT and PGO settle in about 20 s under load) and 3 s more before each workload. Prints every round
# and, per workload, the median of new/old with its range over the rounds. Not a verdict: read the range first.
#   bench/compare-builds.sh OLD_CHECKOUT NEW_CHECKOUT HOST [ROUNDS]
# Each checkout has samples/Demo built in Release; wsload is the one bench/HostKit.Bench compiled
# (bench/HostKit.Bench/obj/native/wsload in this checkout: run the bench once to build it).
set -euo pipefail
cd "$(dirname "$0")/.."
old=${1:?usage: bench/compare-builds.sh OLD_CHECKOUT NEW_CHECKOUT HOST [ROUNDS]}
new=${2:?usage}
host=${3:?usage}
rounds=${4:-3}
wsload=$PWD/bench/HostKit.Bench/obj/native/wsload
wrk_dir=$PWD/bench/wrk
workloads=(plaintext pipelined post-4KiB ws-32B-text ws-32B-binary)
results=$(mktemp)

rate() { # $1 workload, $2 port, $3 seconds: one figure, requests or messages per second
  case "$1" in
    plaintext) taskset -c 1 wrk -t1 -c64 -d"$3"s "http://127.0.0.1:$2/plaintext" | awk '/Requests\/sec/ {print $2}' ;;
    pipelined) taskset -c 1 wrk -t1 -c64 -d"$3"s -s "$wrk_dir/pipeline.lua" "http://127.0.0.1:$2/" -- 16 | awk '/Requests\/sec/ {print $2}' ;;
    post-4KiB) taskset -c 1 wrk -t1 -c64 -d"$3"s -s "$wrk_dir/post-echo.lua" "http://127.0.0.1:$2/" -- 4096 | awk '/Requests\/sec/ {print $2}' ;;
    ws-32B-text) taskset -c 1 "$wsload" echo --port "$2" --connections 32 --size 32 --text --duration "$3" | sed -n 's/.*"rate":\([0-9.]*\).*/\1/p' ;;
    ws-32B-binary) taskset -c 1 "$wsload" echo --port "$2" --connections 32 --size 32 --duration "$3" | sed -n 's/.*"rate":\([0-9.]*\).*/\1/p' ;;
  esac
}

measure() { # $1 label, $2 checkout, $3 round
  local port=$((20000 + RANDOM % 20000))
  taskset -c 0 dotnet "$2/samples/Demo/bin/Release/net10.0/HostKit.Demo.dll" --host "$host" --urls "http://127.0.0.1:$port" --log-level Warning >/dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/plaintext" >/dev/null && break; sleep 0.1; done
  rate plaintext "$port" 10 >/dev/null
  rate ws-32B-binary "$port" 5 >/dev/null
  for workload in "${workloads[@]}"; do
    rate "$workload" "$port" 3 >/dev/null
    printf '%s %s %s %s\n' "$3" "$1" "$workload" "$(rate "$workload" "$port" 5)" | tee -a "$results"
  done
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

echo "host $host; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$rounds"); do
  if ((round % 2)); then measure old "$old" "$round"; measure new "$new" "$round"; else measure new "$new" "$round"; measure old "$old" "$round"; fi
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$results" <<'EOF'
import sys, statistics, collections
rows = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    round_, label, workload, value = line.split()
    rows[(workload, round_)][label] = float(value)
by_workload = collections.defaultdict(list)
for (workload, _), pair in rows.items():
    if pair.get("old") and "new" in pair:
        by_workload[workload].append(pair["new"] / pair["old"])
print(f"{'workload':<15} {'new/old median':>15} {'range':>13}")
for workload, ratios in by_workload.items():
    print(f"{workload:<15} {statistics.median(ratios):>15.2f} {min(ratios):>6.2f}-{max(ratios):.2f}")
EOF
