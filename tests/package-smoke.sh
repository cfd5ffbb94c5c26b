#!/usr/bin/env bash
# The packages work without the repository (issue 18, item 5). Packs everything packable into a temporary folder,
# installs HostKit.Templates from it into a throwaway template hive, makes an app with `dotnet new hostkit-app`,
# builds it and runs its tests with that folder and this machine's registry as the only package sources (HostKit.*
# from the folder alone), then runs the app on Kestrel, on the raw host and on the uring host (added as a user adds it:
# its adapter's package alone, which brings the io_uring engine's) and asks each for Hello, World!; then builds
# samples/MinimalHost outside the tree from the packages and runs the packaged conformance suite on it (issue 28), and
# benchmarks the template's app with hostkit-bench --quick from the packed tool.
# Nothing outside the temporary folder is touched: its own NuGet packages folder, its own template hive, servers
# on 127.0.0.1 port 0, stopped by the PIDs this script started. Any failure exits non-zero saying what failed.
#   tests/package-smoke.sh            (from .ci/run; KEEP=1 keeps the temporary folder for a look afterwards)
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
started=$SECONDS

work="$(mktemp -d -t hostkit-package-smoke.XXXXXX)"
artifacts="$work/artifacts"
hive="$work/template-hive"
app_root="$work/app"
server_pids=()

say() { echo "package-smoke: $*"; }
fail() {
  echo "package-smoke: FAILED: $*" >&2
  exit 1
}
cleanup() {
  local pid
  for pid in "${server_pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  if [ "${KEEP:-0}" = 1 ]; then say "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
# A command that fails under set -e says where, instead of ending the run in silence.
trap 'echo "package-smoke: FAILED: line $LINENO: $BASH_COMMAND (exit $?)" >&2' ERR

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# 1. Pack. The repository's own restore keeps the machine's packages folder; only the app below gets a fresh one.
say "packing HostKit.sln into $artifacts"
dotnet pack HostKit.sln -c Release -o "$artifacts" -nologo -v quiet \
  || fail "dotnet pack HostKit.sln failed (output above)"
expected=()
for project in src/*/*.csproj templates/*/*.csproj; do
  expected+=("$(basename "$project" .csproj)")
done
for id in "${expected[@]}"; do
  compgen -G "$artifacts/$id.[0-9]*.nupkg" >/dev/null || fail "no $id package in $artifacts: $(ls "$artifacts" | tr '\n' ' ')"
done
template_package="$(compgen -G "$artifacts/HostKit.Templates.[0-9]*.nupkg" | head -n 1)"
version="$(basename "$template_package" .nupkg)"
version="${version#HostKit.Templates.}"
say "packed ${#expected[@]} packages at $version"

# 2. The template, from the packed file, into a hive of its own (the machine's templates are never changed).
dotnet new install "$template_package" --debug:custom-hive "$hive" >"$work/template-install.log" 2>&1 \
  || { cat "$work/template-install.log" >&2; fail "dotnet new install $template_package failed"; }
mkdir -p "$app_root"
dotnet new hostkit-app -n SmokeApp -o "$app_root/SmokeApp" --debug:custom-hive "$hive" --no-update-check >"$work/template-new.log" 2>&1 \
  || { cat "$work/template-new.log" >&2; fail "dotnet new hostkit-app failed"; }
app="$app_root/SmokeApp"
for made in SmokeApp.slnx SmokeApp/SmokeApp.csproj SmokeApp/App.cs SmokeApp/Program.cs SmokeApp/hostkit.json \
            SmokeApp.Tests/SmokeApp.Tests.csproj SmokeApp.Tests/AppTests.cs; do
  [ -s "$app/$made" ] || fail "dotnet new hostkit-app did not make $made (made: $(cd "$app" && find . -type f | tr '\n' ' '))"
done
grep -q "Include=\"HostKit.Hosting\" Version=\"$version\"" "$app/SmokeApp/SmokeApp.csproj" \
  || fail "the app does not reference the packed version $version: $(grep HostKit "$app/SmokeApp/SmokeApp.csproj")"

# 3. Package sources: the packed folder and this machine's registry (whatever `dotnet nuget list source` has enabled,
#    read from outside the repository), nothing else. HostKit.* may come from the folder only, never the registry.
registries=()
while read -r state url; do
  [ "$state" = E ] && registries+=("$url")
done < <(cd "$work" && dotnet nuget list source --format Short)
[ "${#registries[@]}" -gt 0 ] || fail "no enabled package source on this machine (dotnet nuget list source)"
{
  echo '<?xml version="1.0" encoding="utf-8"?>'
  echo '<configuration>'
  echo '  <packageSources>'
  echo '    <clear />'
  echo "    <add key=\"hostkit-artifacts\" value=\"$artifacts\" />"
  for i in "${!registries[@]}"; do echo "    <add key=\"registry-$i\" value=\"${registries[$i]}\" />"; done
  echo '  </packageSources>'
  echo '  <packageSourceMapping>'
  echo '    <packageSource key="hostkit-artifacts"><package pattern="HostKit.*" /></packageSource>'
  for i in "${!registries[@]}"; do echo "    <packageSource key=\"registry-$i\"><package pattern=\"*\" /></packageSource>"; done
  echo '  </packageSourceMapping>'
  echo '</configuration>'
} >"$app_root/nuget.config"
say "sources: $artifacts ${registries[*]}"

# 4. Build and test the app, with a packages folder of its own: the freshly packed HostKit version is never mixed
#    with (or left in) the machine's cache. The uring host is added first, as its README says: HostKit.Hosts.Uring
#    alone; the engine under it (HostKit.Engines.Uring) is that package's dependency, restored with it.
export NUGET_PACKAGES="$work/nuget-packages"
(cd "$app/SmokeApp" && dotnet add package HostKit.Hosts.Uring --version "$version" --no-restore >"$work/add-uring.log" 2>&1) \
  || { cat "$work/add-uring.log" >&2; fail "dotnet add package HostKit.Hosts.Uring failed"; }
(cd "$app" && dotnet build SmokeApp.slnx -c Release -nologo -v quiet) || fail "the app made from the template does not build (output above)"
(cd "$app" && dotnet test SmokeApp.slnx -c Release --no-build -nologo) || fail "the app's tests failed (output above)"
for id in HostKit.Abstractions HostKit.Hosting HostKit.Hosts.Shared HostKit.Hosts.Kestrel HostKit.Engines.KestrelH2c HostKit.Hosts.Raw \
          HostKit.Hosts.Uring HostKit.Engines.Uring HostKit.Testing; do
  [ -d "$NUGET_PACKAGES/${id,,}/$version" ] || fail "$id $version was not restored from $artifacts"
done

# 5. Its --version names the HostKit it runs on (the app's own is 1.0.0 until its author sets one).
app_version="$(cd "$app/SmokeApp" && dotnet "bin/Release/net10.0/SmokeApp.dll" --version)" || fail "SmokeApp --version failed"
[ "$app_version" = "SmokeApp 1.0.0 (HostKit $version)" ] || fail "SmokeApp --version printed '$app_version', not 'SmokeApp 1.0.0 (HostKit $version)'"
say "--version: $app_version"

# 6. Run it on three hosts, each on a free port on 127.0.0.1, and ask for Hello, World!. Where the kernel refuses
#    io_uring (a container's seccomp profile) the uring run says so and is reported as not run, never as passed;
#    with HOSTKIT_REQUIRE_ALL=1 that fails.
serve_and_check() {
  local host="$1" log="$work/serve-$1.log" pid url="" answer code
  # From the project folder, as `dotnet run` would: its hostkit.json is read and the command line overrides it.
  (cd "$app/SmokeApp" && exec dotnet "bin/Release/net10.0/SmokeApp.dll" --host "$host" --urls http://127.0.0.1:0) >"$log" 2>&1 &
  pid=$!
  server_pids+=("$pid")
  for _ in $(seq 1 300); do
    url="$(grep -o 'at http://127\.0\.0\.1:[0-9]*/' "$log" | head -n 1 | sed 's/^at //')" || true
    [ -n "$url" ] && break
    if ! kill -0 "$pid" 2>/dev/null; then
      if [ "$host" = uring ] && [ "${HOSTKIT_REQUIRE_ALL:-0}" != 1 ] && grep -q "The uring host cannot start" "$log"; then
        uring_refused="$(grep -o 'The uring host cannot start.*' "$log" | head -n 1)"
        say "uring: NOT RUN: $uring_refused"
        return 0
      fi
      cat "$log" >&2
      fail "the app on --host $host exited before serving"
    fi
    sleep 0.1
  done
  [ -n "$url" ] || { cat "$log" >&2; fail "the app on --host $host did not report its address within 30 s"; }
  grep -q "serving on $host " "$log" || { cat "$log" >&2; fail "the app did not say it serves on $host"; }
  answer="$(curl -fsS --max-time 10 "$url")" || { cat "$log" >&2; fail "GET $url on --host $host failed"; }
  [ "$answer" = "Hello, World!" ] || fail "GET $url on --host $host answered '$answer', not 'Hello, World!'"
  say "$host: GET $url -> $answer"
  kill -TERM "$pid"
  code=0
  wait "$pid" || code=$?
  [ "$code" = 0 ] || { cat "$log" >&2; fail "the app on --host $host exited with $code after SIGTERM, not 0"; }
}
uring_refused=""
serve_and_check kestrel
serve_and_check raw
serve_and_check uring

# 7. A host written outside the repository passes the packaged conformance suite: samples/MinimalHost and its test
#    project (samples/MinimalHost.Tests: HostKit.Conformance, xunit and one class naming the host) copied out of the
#    tree, the host's project file rewritten to reference the HostKit.Hosts.Shared package instead of the source.
minimal="$app_root/minimal"
mkdir -p "$minimal/MinimalHost" "$minimal/MinimalHost.Tests"
cp "$repo"/samples/MinimalHost/*.cs "$minimal/MinimalHost/"
cp "$repo"/samples/MinimalHost.Tests/*.cs "$repo"/samples/MinimalHost.Tests/*.csproj "$minimal/MinimalHost.Tests/"
cat >"$minimal/MinimalHost/HostKit.Samples.MinimalHost.csproj" <<HOST
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <RootNamespace>HostKit.Samples.MinimalHost</RootNamespace>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="HostKit.Hosts.Shared" Version="$version" />
  </ItemGroup>
  <ItemGroup>
    <Using Include="HostKit.Hosts" />
    <Using Include="HostKit.Hosts.Protocol" />
    <Using Include="HostKit.Hosts.Runtime" />
  </ItemGroup>
</Project>
HOST
suite_log="$work/minimal-suite.log"
(cd "$minimal/MinimalHost.Tests" && dotnet test -c Release -nologo "-p:HostKitVersion=$version") >"$suite_log" 2>&1 \
  || { tail -n 60 "$suite_log" >&2; fail "the minimal host, built from the packages outside the tree, failed the packaged conformance suite"; }
[ -d "$NUGET_PACKAGES/hostkit.conformance/$version" ] || fail "HostKit.Conformance $version was not restored from $artifacts"
suite_summary="$(grep -E '^(Passed|Failed)!' "$suite_log" | tail -n 1)"
case "$suite_summary" in
  Passed!*) say "minimal host, packaged conformance suite: ${suite_summary%% - MinimalHost*}" ;;
  *) tail -n 60 "$suite_log" >&2; fail "no test summary from the packaged conformance suite: $suite_summary" ;;
esac
passed="$(sed -E 's/.*Passed: *([0-9]+).*/\1/' <<<"$suite_summary")"
[ "$passed" -ge 100 ] || fail "the packaged conformance suite ran only $passed cases on the minimal host: $suite_summary"

# 8. The template's app benchmarked with the one command its README gives (the hostkit-bench tool from the packed
#    folder, nothing installed), bounded: --quick, a few seconds per workload, on kestrel and raw. Not a speed check:
#    every row must be measured (figures are not read).
bench_out="$work/bench"
(cd "$app" && dotnet tool exec "HostKit.Bench@$version" -- --app SmokeApp --hosts kestrel,raw --quick \
  --http path=/ --ws path=/ws/echo --output "$bench_out") >"$work/bench.log" 2>&1 \
  || { tail -n 40 "$work/bench.log" >&2; fail "hostkit-bench on the template's app failed"; }
for written in report.md results.json; do
  [ -s "$bench_out/$written" ] || { tail -n 40 "$work/bench.log" >&2; fail "hostkit-bench did not write $written"; }
done
python3 - "$bench_out/results.json" <<'PY' || fail "hostkit-bench did not measure every row (results above)"
import json, sys
runs = json.load(open(sys.argv[1]))["runs"]
rows = {(r["server"], r["workload"]): r for r in runs if r["server"] in ("kestrel", "raw")}
bad = [f"{s} {w}: {r['status']} {r.get('note') or ''}" for (s, w), r in rows.items() if r["status"] != "ok"]
print("package-smoke: hostkit-bench rows: " + ", ".join(f"{s} {w} {r['status']}" for (s, w), r in sorted(rows.items())))
sys.exit(1 if bad or len(rows) != 4 else 0)
PY

served="kestrel, raw and uring"
[ -z "$uring_refused" ] || served="kestrel and raw (uring NOT RUN: the kernel refuses io_uring here)"
say "passed in $((SECONDS - started)) s: ${#expected[@]} packages at $version; the template's app builds, passes its tests, says Hello, World! on $served and is benchmarked on kestrel and raw; the minimal host passes the packaged conformance suite"
