#!/usr/bin/env bash
# Installs what bench/HostKit.Bench needs beyond the .NET SDK: wrk and a C compiler (Debian), the
# Python stacks HostKit's users come from (Debian packages, for /usr/bin/python3), and Node with
# the ws package (npm ci from the committed lock file). Run as root; safe to run again.
#   bench/install-baselines.sh            everything
#   bench/install-baselines.sh --minimal  wrk, gcc, zlib and a font only (enough for --quick on the HostKit hosts)
set -euo pipefail
cd "$(dirname "$0")"

packages=(wrk gcc libc6-dev zlib1g-dev fonts-dejavu-core) # the font is for the charts' text
if [ "${1:-}" != --minimal ]; then
  packages+=(python3-flask python3-gevent python3-gevent-websocket gunicorn
             uwsgi uwsgi-plugin-python3 uwsgi-plugin-gevent-python3 python3-tornado)
  # Node may come from elsewhere already (nodesource); Debian's nodejs only when there is none.
  command -v node >/dev/null || packages+=(nodejs)
  command -v npm >/dev/null || packages+=(npm)
fi

if [ "$(id -u)" = 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
else
  echo "not root: skipping apt-get install ${packages[*]}" >&2
fi

if [ "${1:-}" != --minimal ]; then
  # node_modules is not committed: the lock file pins ws.
  (cd baselines/node && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "bench baselines installed"
