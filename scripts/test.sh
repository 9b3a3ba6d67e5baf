#!/usr/bin/env bash
# Runs every test: builds the solution, starts a throwaway PostgreSQL, runs all test projects,
# and prints one closing line "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build MarketSpine.sln -c Release -nologo -v quiet

log=$(mktemp)
status=0
# --blame-hang-timeout: a hung test fails the run with a dump instead of eating CI's time.
# -m:1: one test assembly at a time. The cluster tests measure failover in real seconds and the
# machine has two cores; assemblies running side by side made timing-bound tests flaky.
bash scripts/with-postgres.sh dotnet test MarketSpine.sln -c Release --no-build -nologo -m:1 \
  --blame-hang-timeout 5m 2>&1 | tee "$log" || status=$?

sum() { grep -oE "$1: +[0-9]+" "$log" | awk '{s+=$2} END {print s+0}'; }
passed=$(sum Passed); failed=$(sum Failed); skipped=$(sum Skipped)
rm -f "$log"
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [[ $status -ne 0 || $failed -ne 0 || $passed -eq 0 ]]; then
  exit 1
fi
