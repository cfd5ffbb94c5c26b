#!/usr/bin/env bash
# Profiles the Demo on one host (or bench/BareKestrel with HOST=bare-kestrel) under one load with
# Linux perf, the way bench/HostKit.Bench measures it: server on core 0, load on core 1, warm-up
# first. .NET writes /tmp/perf-PID.map (DOTNET_PerfMapEnabled) so JIT-compiled frames have names
# (and W^X is off, or perf sees them only as anonymous "doublemapper" memory).
# Prints the hottest symbols; the full profile stays in the perf.data it names.
#   bench/profile-host.sh HOST [plaintext|pipelined|post-echo-4k|ws-echo-32x32B|ws-echo-32x4KiB] [SECONDS]
# Needs: perf (linux-perf), wrk, and a Release build plus one runner run (for the compiled wsload).
set -euo pipefail
cd "$(dirname "$0")/.."
host=${1:?usage: bench/profile-host.sh HOST [WORKLOAD] [SECONDS]}
workload=${2:-plaintext}
seconds=${3:-10}
port=$((20000 + RANDOM % 20000))
out=$(mktemp -d)
wsload=bench/HostKit.Bench/obj/native/wsload

if [ "$host" = bare-kestrel ]; then
  server=(dotnet bench/BareKestrel/bin/Release/net10.0/BareKestrel.dll --urls "http://127.0.0.1:$port")
else
  server=(dotnet samples/Demo/bin/Release/net10.0/HostKit.Demo.dll --host "$host" --urls "http://127.0.0.1:$port" --log-level Warning)
fi
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 taskset -c 0 "${server[@]}" >"$out/server.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/plaintext" >/dev/null && break; sleep 0.1; done

load() { # $1: seconds
  case "$workload" in
    plaintext) taskset -c 1 wrk -t1 -c64 -d"$1"s "http://127.0.0.1:$port/plaintext" >/dev/null ;;
    pipelined) taskset -c 1 wrk -t1 -c64 -d"$1"s -s bench/wrk/pipeline.lua "http://127.0.0.1:$port/" -- 16 >/dev/null ;;
    post-echo-4k) taskset -c 1 wrk -t1 -c64 -d"$1"s -s bench/wrk/post-echo.lua "http://127.0.0.1:$port/" -- 4096 >/dev/null ;;
    ws-echo-32x32B) taskset -c 1 "$wsload" echo --port "$port" --connections 32 --size 32 --duration "$1" >/dev/null ;;
    ws-echo-32x4KiB) taskset -c 1 "$wsload" echo --port "$port" --connections 32 --size 4096 --duration "$1" >/dev/null ;;
    *) echo "unknown workload $workload" >&2; exit 64 ;;
  esac
}
load 20                                    # warm-up: tiered JIT and PGO settle in about 20 s
load "$((seconds + 2))" &
loader=$!
sleep 1
perf record -F 999 -g -p "$pid" -o "$out/perf.data" -- sleep "$seconds" 2>/dev/null
wait "$loader" # not a bare wait: that would wait for the server too
perf report -i "$out/perf.data" --no-children --sort dso,symbol --stdio 2>/dev/null | grep -v '^#' | grep -v '^$' | grep '%' | head -40
echo "profile: $out/perf.data (perf report -i $out/perf.data)"
