#!/usr/bin/env bash
# fuzz/run.sh TARGET SECONDS: builds the harness, instruments the host kit with SharpFuzz, replays the
# seed corpus, then runs afl-fuzz on TARGET for SECONDS. TARGET is head, chunked, websocket, target,
# or all (each in turn, SECONDS each). Exits non-zero when afl-fuzz found a crash or a hang (they are
# printed and replayed) or could not run. See fuzz/README.md.
#   FUZZ_OUT=DIR        where the instrumented build and the findings go (default fuzz/out; one per
#                       concurrent run, since each run rebuilds it)
#   FUZZ_TIMEOUT_MS=N   afl-fuzz's per-input timeout, past which an input is a hang (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(head chunked websocket target)
if [ $# -ne 2 ] || ! [[ "$2" =~ ^[0-9]+$ ]] || [ "$2" -lt 1 ]; then
  echo "usage: fuzz/run.sh {${targets[*]// /|}|all} SECONDS" >&2
  exit 2
fi
if [ "$1" = all ]; then
  selected=("${targets[@]}")
elif [[ " ${targets[*]} " == *" $1 "* ]]; then
  selected=("$1")
else
  echo "fuzz/run.sh: unknown target '$1' (${targets[*]}, all)" >&2
  exit 2
fi
seconds=$2

if ! command -v afl-fuzz >/dev/null; then
  echo "fuzz/run.sh: afl-fuzz is missing; on Debian: apt-get install afl++" >&2
  exit 2
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
root=${FUZZ_OUT:-fuzz/out}
out=$root/bin
harness=(dotnet "$out/HostKit.Fuzz.dll")

# A fresh publish each time: sharpfuzz rewrites the assembly in place and refuses one it already instrumented.
rm -rf "$out"
dotnet tool restore >/dev/null
dotnet publish fuzz/HostKit.Fuzz -c Release -o "$out" --nologo -v quiet
# Only the host kit is instrumented: its branches are the coverage afl-fuzz steers by; the harness's are not.
dotnet sharpfuzz "$out/HostKit.Hosts.Shared.dll"

# SharpFuzz's fork server runs inside dotnet, which afl-fuzz cannot see as instrumented (SKIP_BIN_CHECK).
# The machine is shared: no pinning to a core, and no demand on system settings (core_pattern, the CPU
# governor) that a run here must not change.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1

status=0
for target in "${selected[@]}"; do
  echo "== fuzz $target: replaying the seed corpus"
  "${harness[@]}" --replay "$target" "fuzz/corpus/$target"

  findings="$root/findings/$target"
  rm -rf "$findings"
  mkdir -p "$findings"
  echo "== fuzz $target: afl-fuzz for ${seconds}s (log: $findings/afl-fuzz.log)"
  started=$(date +%s)
  if ! afl-fuzz -i "fuzz/corpus/$target" -o "$findings" -x fuzz/http.dict -t ${FUZZ_TIMEOUT_MS:-10000} -m none -V "$seconds" \
      -- "${harness[@]}" "$target" >"$findings/afl-fuzz.log" 2>&1; then
    echo "fuzz/run.sh: afl-fuzz failed on $target:" >&2
    tail -n 30 "$findings/afl-fuzz.log" >&2
    status=1
    continue
  fi

  stats="$findings/default/fuzzer_stats"
  figure() { sed -n "s/^$1 *: *//p" "$stats"; }
  echo "   $(($(date +%s) - started))s: $(figure execs_done) execs ($(figure execs_per_sec)/s), corpus $(figure corpus_count)," \
    "coverage $(figure bitmap_cvg), crashes $(figure saved_crashes), hangs $(figure saved_hangs)"

  found=$(find "$findings/default/crashes" "$findings/default/hangs" -type f ! -name README.txt | sort)
  if [ -n "$found" ]; then
    status=1
    echo "fuzz/run.sh: afl-fuzz found $(echo "$found" | wc -l) crash(es) or hang(s) in $target:" >&2
    while read -r file; do
      echo "-- $file" >&2
      head -c 400 "$file" | od -c | head -n 12 >&2
    done <<<"$found"
    echo "-- replayed (reproduce with: dotnet $out/HostKit.Fuzz.dll --replay $target FILE):" >&2
    # shellcheck disable=SC2046
    "${harness[@]}" --replay "$target" $(echo "$found") >&2 || true
  fi
done
exit $status
