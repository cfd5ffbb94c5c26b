#!/usr/bin/env bash
# Compares the hosts on the same Demo app: plaintext req/s (wrk), websocket echo msgs/s, and server
# memory per idle websocket (RSS growth over 5,000 sockets on a fresh server). The server is pinned to core 0, the load to core 1; each HTTP figure is
# the median of 3 runs after a 20 s warm-up (.NET servers keep speeding up for ~20 s under load).
# Usage: bench/compare-hosts.sh [hosts...]   (default: bare-kestrel kestrel raw httplistener)
# Needs: wrk (apt-get install -y wrk). Builds in Release first.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build HostKit.sln -c Release -v q -nologo >/dev/null
hosts=("${@:-bare-kestrel kestrel raw httplistener}")
read -r -a hosts <<<"${hosts[*]}"
port=18080
for host in "${hosts[@]}"; do
  port=$((port + 1))
  if [ "$host" = bare-kestrel ]; then
    cmd=(dotnet bench/BareKestrel/bin/Release/net10.0/BareKestrel.dll --urls "http://127.0.0.1:$port")
  else
    cmd=(dotnet samples/Demo/bin/Release/net10.0/HostKit.Demo.dll --host "$host" --urls "http://127.0.0.1:$port" --log-level Warning)
  fi
  taskset -c 0 "${cmd[@]}" >/dev/null 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null || true' EXIT
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/plaintext" >/dev/null && break; sleep 0.2; done
  # Memory first, on a fresh server: after a load phase, GC churn would hide a few MiB either way.
  taskset -c 1 dotnet bench/WebSocketLoad/bin/Release/net10.0/WebSocketLoad.dll idle "ws://127.0.0.1:$port/ws/echo" 5000 "$server" | sed "s/^/$host /"
  taskset -c 1 wrk -t1 -c32 -d20s "http://127.0.0.1:$port/plaintext" >/dev/null
  runs=()
  for _ in 1 2 3; do runs+=("$(taskset -c 1 wrk -t1 -c32 -d10s "http://127.0.0.1:$port/plaintext" | awk '/Requests\/sec/ {print int($2)}')"); done
  median=$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 2p)
  echo "$host plaintext: median ${median} req/s (runs: ${runs[*]})"
  taskset -c 1 dotnet bench/WebSocketLoad/bin/Release/net10.0/WebSocketLoad.dll echo "ws://127.0.0.1:$port/ws/echo" 32 32 15 10 | sed "s/^/$host /"
  kill "$server"; wait "$server" 2>/dev/null || true
done
