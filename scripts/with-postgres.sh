#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster: initdb into a temp dir, pg_ctl on a free
# loopback port, SPINE_TEST_POSTGRES exported as an Npgsql connection string (and
# SPINE_TEST_POSTGRES_RESTART as a command that restarts the cluster), cluster removed on exit.
# Installs PostgreSQL from Debian's packages when it is missing and we are root.
# initdb refuses to run as root, so as root the cluster runs as the 'postgres' user.
set -euo pipefail

find_bindir() {
  if command -v pg_config >/dev/null 2>&1 && [[ -x "$(pg_config --bindir)/initdb" ]]; then
    pg_config --bindir; return
  fi
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x "$dir/initdb" ]] && { echo "$dir"; return; }
  done
  return 1
}

bindir=$(find_bindir || true)
if [[ -z "$bindir" ]]; then
  if [[ $(id -u) -eq 0 ]]; then
    echo "with-postgres: PostgreSQL not found; installing it from Debian's packages" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bindir=$(find_bindir)
  else
    echo "with-postgres: PostgreSQL is not installed and we are not root to install it (apt-get install postgresql)" >&2
    exit 1
  fi
fi

run_as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

datadir=$(mktemp -d /tmp/spine-pg.XXXXXX)
[[ $(id -u) -eq 0 ]] && chown postgres "$datadir"
cleanup() {
  run_as_owner "$bindir/pg_ctl" -D "$datadir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$datadir"
}
trap cleanup EXIT

run_as_owner "$bindir/initdb" -D "$datadir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null

# Pick a free loopback port; retry on the rare race where another process takes it first.
started=""
for attempt in 1 2 3 4 5; do
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  # fsync off and a small WAL: a disposable test cluster trades durability for speed.
  options="-p $port -k $datadir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=256MB"
  if run_as_owner "$bindir/pg_ctl" -D "$datadir/data" -l "$datadir/server.log" -w -t 60 -o "$options" start >/dev/null; then
    started=yes; break
  fi
done
if [[ -z "$started" ]]; then
  echo "with-postgres: PostgreSQL did not start; its log follows" >&2
  cat "$datadir/server.log" >&2
  exit 1
fi

export SPINE_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=200"

# A command that restarts this cluster, for the tests of what survives a PostgreSQL restart: fast
# shutdown (every session cut off), down for the seconds given as its argument (default 0), then a
# start with the same options, returning once the server accepts connections again.
restart="$datadir/restart"
as_owner=$([[ $(id -u) -eq 0 ]] && echo 'runuser -u postgres --' || true)
cat > "$restart" <<EOF
#!/usr/bin/env bash
set -euo pipefail
$as_owner '$bindir/pg_ctl' -D '$datadir/data' -m fast -w -t 60 stop >/dev/null
sleep "\${1:-0}"
$as_owner '$bindir/pg_ctl' -D '$datadir/data' -l '$datadir/server.log' -w -t 60 -o '$options' start >/dev/null
EOF
chmod +x "$restart"
export SPINE_TEST_POSTGRES_RESTART="$restart"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
"$@"
