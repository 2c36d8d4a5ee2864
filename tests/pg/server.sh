#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite, started once by CTest
# (fixture "postgres") and shared by every test process of the PostgreSQL
# run, each of which works in databases of its own.
#
#   server.sh start DIR   initdb in DIR/data, postgres on a free loopback
#                         port; writes the server's URL to DIR/url
#   server.sh stop DIR    stops it and removes DIR
#
# As root, the server runs as the unprivileged `postgres` user (PostgreSQL
# refuses to run as root), or as `nobody` where there is none; its files
# then live in a folder of their own under /tmp (DIR/datadir names it), as
# that user may not reach DIR (a checkout under /root, say). When the
# PostgreSQL server binaries are missing, start writes DIR/missing instead of
# DIR/url and succeeds: every test that needs the server then reports itself
# skipped, naming the package.
set -euo pipefail
cmd=${1:?usage: server.sh start|stop DIR}
dir=${2:?usage: server.sh start|stop DIR}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    local user=postgres
    id "$user" >/dev/null 2>&1 || user=nobody
    setpriv --reuid="$(id -u "$user")" --regid="$(id -g "$user")" --clear-groups -- "$@"
  else
    "$@"
  fi
}

stop() {
  if [ -f "$dir/datadir" ]; then
    local data
    data=$(cat "$dir/datadir")
    if [ -f "$data/data/postmaster.pid" ]; then
      as_owner "$bin/pg_ctl" -D "$data/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    case "$data" in /tmp/rapporteur-pg.*) rm -rf "$data" ;; esac
  fi
  rm -rf "$dir"
}

case "$cmd" in
  start)
    stop
    mkdir -p "$dir"
    if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
      echo "postgresql-15 (the server) is not installed: apt-get install postgresql-15" >"$dir/missing"
      echo "server.sh: $(cat "$dir/missing"); the PostgreSQL tests will be skipped"
      exit 0
    fi
    data=$(mktemp -d /tmp/rapporteur-pg.XXXXXX)
    echo "$data" >"$dir/datadir"
    [ "$(id -u)" -eq 0 ] && chown "$(id -u postgres 2>/dev/null || id -u nobody)" "$data"
    as_owner "$bin/initdb" -D "$data/data" -U rapporteur --auth=trust -E UTF8 --locale=C.UTF-8 >"$data/initdb.log" 2>&1 ||
      { cat "$data/initdb.log"; exit 1; }
    # A free port: a random one, tried again if taken.
    started=0
    for _ in 1 2 3 4 5 6 7 8; do
      port=$((20000 + RANDOM % 40000))
      (: <"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
      # Durable as in production (fsync on), small, and quiet.
      if as_owner "$bin/pg_ctl" -D "$data/data" -l "$data/server.log" -w -t 60 \
        -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c max_connections=400 -c shared_buffers=64MB" \
        start >/dev/null; then
        started=1
        break
      fi
    done
    [ "$started" = 1 ] || { cat "$data/server.log"; exit 1; }
    # Every test database is made from template1: it gets pageinspect, with
    # which the secrecy tests read table pages as an attacker would.
    as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U rapporteur -d template1 -qAt \
      -c "CREATE EXTENSION IF NOT EXISTS pageinspect" >/dev/null
    echo "postgresql://rapporteur@127.0.0.1:$port/postgres" >"$dir/url"
    echo "server.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($data)"
    ;;
  stop)
    stop
    ;;
  *)
    echo "usage: server.sh start|stop DIR" >&2
    exit 2
    ;;
esac
