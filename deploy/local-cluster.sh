#!/usr/bin/env bash
# A local HostKit chat cluster: Redis, two Demo nodes on different hosts (kestrel and raw) sharing it, and nginx in
# front (deploy/nginx.conf, no sticky sessions), all on free ports of 127.0.0.1. Ctrl+C stops everything it started.
#   deploy/local-cluster.sh            then open the address it prints, in two browsers or tabs
# Needs redis-server, nginx, python3 (any: it only asks the kernel for free ports) and curl
# (apt-get install redis-server nginx-light python3 curl) and the .NET SDK.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in redis-server nginx python3 curl dotnet; do
  command -v "$tool" >/dev/null || { echo "error: $tool is not installed (apt-get install redis-server nginx-light python3 curl; the .NET 10 SDK: see the README)" >&2; exit 2; }
done

# A free port from the kernel: bind port 0, read it, release it.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

work=$(mktemp -d -t hostkit-cluster-XXXXXX)
pids=()
stop() {
  trap - INT TERM EXIT
  echo "stopping..."
  # Last started first: nginx, then the nodes (they close their websockets with 1001), then Redis.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -TERM "${pids[i]}" 2>/dev/null || true
    wait "${pids[i]}" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap stop EXIT
trap 'exit 130' INT TERM   # exit runs the EXIT trap: everything started is stopped

redis_port=$(free_port); node_a=$(free_port); node_b=$(free_port); nginx_port=$(free_port)

redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
pids+=($!)
until redis-cli -p "$redis_port" ping >/dev/null 2>&1; do sleep 0.1; done
backplane="redis://127.0.0.1:$redis_port"

echo "building the Demo..."
dotnet build -c Release samples/Demo -v quiet -nologo </dev/null >/dev/null
demo=samples/Demo/bin/Release/net10.0/HostKit.Demo.dll
# Output through a process substitution, so that $! is the node itself (it gets the SIGTERM), not a pipe's last command.
dotnet "$demo" --host kestrel --urls "http://127.0.0.1:$node_a" --backplane "$backplane" > >(sed -u 's/^/[kestrel] /') 2>&1 &
pids+=($!)
dotnet "$demo" --host raw --urls "http://127.0.0.1:$node_b" --backplane "$backplane" > >(sed -u 's/^/[raw] /') 2>&1 &
pids+=($!)
for port in "$node_a" "$node_b"; do
  until curl -s -o /dev/null "http://127.0.0.1:$port/plaintext"; do sleep 0.2; done
done

sed -e "s/127.0.0.1:8080/127.0.0.1:$nginx_port/" -e "s/127.0.0.1:8001/127.0.0.1:$node_a/" -e "s/127.0.0.1:8002/127.0.0.1:$node_b/" \
  deploy/nginx.conf >"$work/nginx.conf"
nginx -p "$work/" -c "$work/nginx.conf" -g 'daemon off;' &
pids+=($!)
until curl -s -o /dev/null "http://127.0.0.1:$nginx_port/plaintext"; do sleep 0.1; done

cat <<INFO

  chat:       http://127.0.0.1:$nginx_port/   (nginx; each tab may land on either node)
  nodes:      kestrel http://127.0.0.1:$node_a/   raw http://127.0.0.1:$node_b/
  backplane:  $backplane
  post:       dotnet $demo emit --backplane $backplane --room lobby --text 'hello from the shell'

  Ctrl+C stops Redis, both nodes and nginx.
INFO
wait
