#!/usr/bin/env bash
# The REST API's figures (issue 5), measured with wrk over loopback against the server a user starts:
#   GET  /v1/executions/{id}                        target ≥ 5,000 requests/s, p99 ≤ 20 ms
#   POST /v1/executions {"pipeline":"test.api.noop"} target ≥ 1,000 requests/s accepted (202)
# on the embedded default (spine-silo embedded, SQLite) and on a PostgreSQL-backed silo
# (spine-silo migrate, then spine-silo with SPINE_HTTP).
#
# Usage: bench/api/run.sh [embedded|postgres|all]     (default: all)
#   postgres needs SPINE_TEST_POSTGRES (an admin connection string); without it the script runs
#   itself under scripts/with-postgres.sh, which starts a throwaway PostgreSQL.
#
# Settings, from the environment:
#   DURATION=10        seconds per wrk run
#   CONNECTIONS="16 64" connection counts to measure (each run REPEAT times)
#   THREADS=2          wrk threads
#   REPEAT=3           runs per (endpoint, connection count)
#   WARMUP=5           seconds of unmeasured load per endpoint first (tiered JIT, pools)
#   DRAIN_LIMIT=300    seconds to wait, after each POST run, for the submitted executions to finish
#   MAX_BACKLOG=0      the server's Spine__Executions__MaxBacklog: 0 measures how fast submissions are
#                      accepted, unbounded; the default bound (10000) answers 429 once that many wait
#   SKIP_BUILD=1       use the existing Release build
#   OUT=dir            where wrk's output, the server logs and results.tsv go (kept; default a new /tmp dir)
#   SILO_DLL, PIPELINES_DLL  another build's spine-silo.dll and MarketSpine.Api.TestPipelines.dll
#                      (say, a copy of bin/ from before a change, for an A/B comparison; SKIP_BUILD=1 with them)
#
# Everything listens on 127.0.0.1 only; the server picks a free port itself (SPINE_HTTP port 0) and
# the script reads it from the server's log, as the API tests do. The database is a temp SQLite
# file or a fresh PostgreSQL database, removed on exit with the server.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
mode=${1:-all}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-"16 64"}
THREADS=${THREADS:-2}
REPEAT=${REPEAT:-3}
WARMUP=${WARMUP:-5}
DRAIN_LIMIT=${DRAIN_LIMIT:-300}
MAX_BACKLOG=${MAX_BACKLOG:-0}
SKIP_BUILD=${SKIP_BUILD:-0}
OUT=${OUT:-$(mktemp -d /tmp/spine-bench-api.XXXXXX)}
export DURATION CONNECTIONS THREADS REPEAT WARMUP DRAIN_LIMIT OUT

silo_dll=${SILO_DLL:-$repo/silo/MarketSpine.Silo/bin/Release/net10.0/spine-silo.dll}
pipelines_dll=${PIPELINES_DLL:-$repo/tests/MarketSpine.Api.TestPipelines/bin/Release/net10.0/MarketSpine.Api.TestPipelines.dll}
export SILO_DLL=$silo_dll PIPELINES_DLL=$pipelines_dll

case $mode in
  embedded | postgres | all) ;;
  *) echo "usage: $0 [embedded|postgres|all]" >&2; exit 2 ;;
esac

for tool in wrk curl jq dotnet; do
  command -v "$tool" >/dev/null || { echo "run.sh: '$tool' is missing (apt-get install -y wrk curl jq)" >&2; exit 2; }
done

if [[ $mode == postgres && -z ${SPINE_TEST_POSTGRES:-} ]]; then
  exec bash "$repo/scripts/with-postgres.sh" "$0" postgres
fi

mkdir -p "$OUT"
results=$OUT/results.tsv
[[ -f $results ]] || printf 'backend\tendpoint\tconnections\trun\trequests_per_s\tp50_ms\tp99_ms\tmax_ms\tnon_2xx\tsocket_errors\taccepted_202\tdrain_s\tserver_cpu_pct\tload_1m\n' >"$results"

if [[ $SKIP_BUILD != 1 ]]; then
  echo "== building Release (spine-silo, test pipelines)"
  for project in silo/MarketSpine.Silo/MarketSpine.Silo.csproj tests/MarketSpine.Api.TestPipelines/MarketSpine.Api.TestPipelines.csproj; do
    dotnet build "$repo/$project" -c Release -nologo -v quiet >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; exit 1; }
  done
fi

# Ranges over the runs in results.tsv, per backend, endpoint and connection count ($1: one backend, or "" for all).
summary() {
  echo
  echo "== summary: ranges over $REPEAT runs of ${DURATION}s each (wrk, $THREADS threads)"
  awk -F'\t' -v only="$1" 'NR > 1 && (only == "" || $1 == only) {
      key = $1 "\t" $2 "\t" $3
      if (!(key in n)) { order[++keys] = key; rmin[key] = rmax[key] = $5; p50min[key] = p50max[key] = $6; p99min[key] = p99max[key] = $7 }
      n[key]++
      if ($5 < rmin[key]) rmin[key] = $5; if ($5 > rmax[key]) rmax[key] = $5
      if ($6 < p50min[key]) p50min[key] = $6; if ($6 > p50max[key]) p50max[key] = $6
      if ($7 < p99min[key]) p99min[key] = $7; if ($7 > p99max[key]) p99max[key] = $7
    }
    END {
      printf "%-9s %-5s %5s  %-19s %-19s %-19s\n", "backend", "what", "conns", "requests/s", "p50 ms", "p99 ms"
      for (i = 1; i <= keys; i++) {
        k = order[i]; split(k, f, "\t")
        printf "%-9s %-5s %5s  %7.0f - %-9.0f %7.2f - %-9.2f %7.2f - %-9.2f\n", f[1], f[2], f[3], rmin[k], rmax[k], p50min[k], p50max[k], p99min[k], p99max[k]
      }
    }' "$results"
  echo "raw output: $OUT"
}

if [[ $mode == all ]]; then
  SKIP_BUILD=1 "$0" embedded
  # The PostgreSQL half, under its own throwaway cluster unless one is given; the build is done.
  SKIP_BUILD=1 "$0" postgres
  summary ""
  exit 0
fi

work=$(mktemp -d /tmp/spine-bench-api-work.XXXXXX)
server_pid=""
database=""
admin_psql=""

stop_server() {
  [[ -n $server_pid ]] || return 0
  if kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    # A silo leaves its membership before it exits; give it 30 s, then end it.
    for _ in $(seq 1 60); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

cleanup() {
  stop_server
  if [[ -n $database && -n $admin_psql ]]; then
    psql -X -q "$admin_psql" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts spine-silo with the given arguments and environment (NAME=value ...), sets $base once the
# API answers /health/ready.
start_server() {
  local log=$OUT/$mode.server.log
  # env execs dotnet, so $! is the server's own pid (what SIGTERM must reach).
  env -C "$work" "$@" SPINE_HTTP=http://127.0.0.1:0 SPINE_GRAIN_ASSEMBLIES="$pipelines_dll" Spine__Executions__MaxBacklog="$MAX_BACKLOG" dotnet "$silo_dll" "${server_args[@]}" >"$log" 2>&1 &
  server_pid=$!
  base=""
  for _ in $(seq 1 120); do
    kill -0 "$server_pid" 2>/dev/null || { echo "run.sh: the server exited; its log follows" >&2; cat "$log" >&2; exit 1; }
    # Kestrel logs "Now listening on: http://127.0.0.1:PORT" (port 0 becomes a free one).
    base=$(grep -m1 -o 'http://127\.0\.0\.1:[1-9][0-9]*' "$log" || true)
    [[ -n $base ]] && break
    sleep 0.5
  done
  [[ -n $base ]] || { echo "run.sh: the server did not listen within 60 s; its log follows" >&2; cat "$log" >&2; exit 1; }
  [[ $(cat "/proc/$server_pid/comm") == dotnet ]] || { echo "run.sh: pid $server_pid is not the server" >&2; exit 1; }
  for _ in $(seq 1 120); do
    curl -fsS --max-time 2 -o /dev/null "$base/health/ready" 2>/dev/null && return 0
    sleep 0.5
  done
  echo "run.sh: $base was not ready within 60 s; its log follows" >&2
  cat "$log" >&2
  exit 1
}

# The server's 202 answers to POST /v1/executions so far, from its Prometheus counter.
accepted_so_far() {
  curl -fsS --max-time 10 "$base/health/metrics" | awk '
    /^marketspine_api_requests_total\{/ && /method="POST"/ && /route="\/v1\/executions\/"/ && /status="202"/ { sum += $NF }
    END { printf "%d\n", sum }'
}

# Waits until no execution is pending, queued or running (bounded by DRAIN_LIMIT); prints the seconds it took.
drain() {
  local started=$SECONDS status count busy
  while ((SECONDS - started < DRAIN_LIMIT)); do
    busy=0
    for status in pending queued running; do
      # An answer that cannot be read counts as busy: a failing server never looks drained.
      count=$(curl -fsS --max-time 10 "$base/v1/executions?status=$status&limit=1" | jq -e '.items | length') || count=1
      ((count > 0)) && { busy=1; break; }
    done
    ((busy == 0)) && { echo $((SECONDS - started)); return 0; }
    sleep 1
  done
  echo "run.sh: executions still unfinished after ${DRAIN_LIMIT}s" >&2
  echo "timeout"
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }

# wrk output → "requests/s p50 p99 max non2xx socket_errors", latencies in ms.
parse_wrk() {
  awk '
    function ms(v) {
      if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
      if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
      if (v ~ /m$/) return substr(v, 1, length(v) - 1) * 60000
      if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
      return v + 0
    }
    $1 == "Latency" && NF >= 4 { max = ms($4) }
    /Latency Distribution/ { dist = 1; next }
    dist && $1 == "50%" { p50 = ms($2) }
    dist && $1 == "99%" { p99 = ms($2); dist = 0 }
    /Non-2xx or 3xx responses:/ { non2xx = $NF }
    /Socket errors:/ { gsub(",", ""); errors = $4 + $6 + $8 + $10 }
    /^Requests\/sec:/ { rps = $2 }
    END { printf "%.0f %.3f %.3f %.3f %d %d\n", rps, p50, p99, max, non2xx, errors }' "$1"
}

# One measured wrk run: endpoint (get|post), connections, run number.
measure() {
  local endpoint=$1 connections=$2 run=$3 file load before_cpu after_cpu accepted_before accepted=- drain_s=- figures
  file=$OUT/$mode.$endpoint.c$connections.run$run.txt
  load=$(cut -d' ' -f1 /proc/loadavg)
  [[ $endpoint == post ]] && accepted_before=$(accepted_so_far)
  before_cpu=$(cpu_ticks)
  if [[ $endpoint == get ]]; then
    wrk -t"$THREADS" -c"$connections" -d"${DURATION}s" --timeout 10s --latency "$base/v1/executions/$seed" >"$file"
  else
    wrk -t"$THREADS" -c"$connections" -d"${DURATION}s" --timeout 10s --latency -s "$here/post-noop.lua" "$base/v1/executions" >"$file"
  fi
  after_cpu=$(cpu_ticks)
  if [[ $endpoint == post ]]; then
    accepted=$(($(accepted_so_far) - accepted_before))
    drain_s=$(drain)
  fi
  figures=$(parse_wrk "$file")
  read -r rps p50 p99 max non2xx errors <<<"$figures"
  # The server's CPU over the run, in % of one core (200 % is both cores of this machine).
  local cpu_pct=$(((after_cpu - before_cpu) * 100 / ($(getconf CLK_TCK) * DURATION)))
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    "$mode" "$endpoint" "$connections" "$run" "$rps" "$p50" "$p99" "$max" "$non2xx" "$errors" "$accepted" "$drain_s" "$cpu_pct" "$load" >>"$results"
  printf '%-8s %-4s c=%-3s run %s: %7s req/s  p50 %7s ms  p99 %7s ms  max %8s ms  non-2xx %s  socket errors %s  202s %s  drained in %ss  server CPU %s%%  load %s\n' \
    "$mode" "$endpoint" "$connections" "$run" "$rps" "$p50" "$p99" "$max" "$non2xx" "$errors" "$accepted" "$drain_s" "$cpu_pct" "$load"
}

if [[ $mode == embedded ]]; then
  server_args=(embedded)
  echo "== embedded: spine-silo embedded on SQLite ($work/spine.db)"
  start_server SPINE_DATABASE_PATH="$work/spine.db"
else
  # A fresh database in the cluster SPINE_TEST_POSTGRES names, migrated by spine-silo migrate as a
  # cluster is (a silo never migrates), then one silo co-hosting the API.
  declare -A admin=()
  IFS=';' read -ra pairs <<<"$SPINE_TEST_POSTGRES"
  for pair in "${pairs[@]}"; do
    [[ $pair == *=* ]] || continue
    key=${pair%%=*}
    admin[${key,,}]=${pair#*=}
  done
  admin_psql="host=${admin[host]:-127.0.0.1} port=${admin[port]:-5432} user=${admin[username]:-postgres} dbname=${admin[database]:-postgres}"
  [[ -n ${admin[password]:-} ]] && export PGPASSWORD=${admin[password]}
  database=spine_bench_api_$$
  psql -X -q -v ON_ERROR_STOP=1 "$admin_psql" -c "CREATE DATABASE $database" >/dev/null
  postgres=$(sed -E "s/(^|;)[Dd]atabase=[^;]*/\1Database=$database/" <<<"$SPINE_TEST_POSTGRES")
  [[ $postgres == *"Database=$database"* ]] || postgres="$postgres;Database=$database"
  echo "== postgres: spine-silo migrate, then spine-silo on database $database"
  env -C "$work" SPINE_POSTGRES="$postgres" timeout 120 dotnet "$silo_dll" migrate >"$OUT/postgres.migrate.log" 2>&1 \
    || { cat "$OUT/postgres.migrate.log" >&2; exit 1; }
  server_args=()
  start_server SPINE_SILO_NAME=bench-silo-0 SPINE_SILO_ENDPOINT=127.0.0.1:0 SPINE_POSTGRES="$postgres"
fi
echo "   server pid $server_pid at $base; load average $(cut -d' ' -f1-3 /proc/loadavg); output in $OUT"

# The execution every GET reads: a completed no-op run.
seed=$(curl -fsS --max-time 60 -X POST -H 'Content-Type: application/json' -H 'Prefer: wait=30' \
  -d '{"pipeline":"test.api.noop"}' "$base/v1/executions" | jq -r '.execution_id')
[[ $seed == exec_* ]] || { echo "run.sh: could not seed an execution (got '$seed')" >&2; exit 1; }
echo "   seeded $seed ($(curl -fsS --max-time 10 "$base/v1/executions/$seed" | jq -r '.status'))"

max_connections=$(tr ' ' '\n' <<<"$CONNECTIONS" | sort -n | tail -1)
echo "   warming up: ${WARMUP}s of each endpoint at $max_connections connections"
wrk -t"$THREADS" -c"$max_connections" -d"${WARMUP}s" --timeout 10s "$base/v1/executions/$seed" >"$OUT/$mode.warmup.get.txt"
wrk -t"$THREADS" -c"$max_connections" -d"${WARMUP}s" --timeout 10s -s "$here/post-noop.lua" "$base/v1/executions" >"$OUT/$mode.warmup.post.txt"
echo "   warm-up submissions drained in $(drain)s"

for connections in $CONNECTIONS; do
  for run in $(seq 1 "$REPEAT"); do
    measure get "$connections" "$run"
  done
done
for connections in $CONNECTIONS; do
  for run in $(seq 1 "$REPEAT"); do
    measure post "$connections" "$run"
  done
done

curl -fsS --max-time 10 "$base/health/metrics" >"$OUT/$mode.metrics.txt" || true
stop_server
echo "   server stopped"
summary "$mode"
