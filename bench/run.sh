#!/usr/bin/env bash
# The benchmarks (vote bursts, polling, fragments, merge, export, and a wrk
# cross-check of the load client) against the real server (see bench/PERFORMANCE.md).
#
#   bench/run.sh [--quick] [--only burst,polling,fragments,merge,export,wrk]
#                [--postgres | --db postgresql://...]
#
# Starts build/rapporteur serve on a fresh database and a free port, runs
# build/rapporteur_bench against it (a load client on plain sockets, plus the
# in-process merge/render benchmark), prints the table and writes
# bench/results/latest.json. Everything goes to 127.0.0.1 only.
#
# The database is a new SQLite file by default; --postgres makes it a new
# database on a throwaway PostgreSQL server of its own (tests/pg/server.sh),
# and --db URL an empty database you created (a replicated cluster, say).
#
# Environment:
#   RAPPORTEUR_BUILD_DIR      build folder holding both binaries (default: build)
#   RAPPORTEUR_BENCH_THREADS  server worker threads (default: 300)
#   RAPPORTEUR_BENCH_OUT      JSON output (default: bench/results/latest.json)
#   RAPPORTEUR_BENCH_KEEP     1: keep the database and server log afterwards
set -euo pipefail
cd "$(dirname "$0")/.."
BACKEND=sqlite
DB_URL=""
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --postgres) BACKEND=postgres; shift ;;
    --db) BACKEND=url; DB_URL=${2:?--db needs a postgresql:// URL}; shift 2 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
set -- ${ARGS[@]+"${ARGS[@]}"}
BUILD=${RAPPORTEUR_BUILD_DIR:-build}
THREADS=${RAPPORTEUR_BENCH_THREADS:-300}
OUT=${RAPPORTEUR_BENCH_OUT:-bench/results/latest.json}
SERVER=$BUILD/rapporteur
BENCH=$BUILD/rapporteur_bench
for b in "$SERVER" "$BENCH"; do
  if [ ! -x "$b" ]; then
    echo "bench/run.sh: $b is missing; build it with" >&2
    echo "  cmake --build $BUILD --target rapporteur rapporteur_bench" >&2
    exit 1
  fi
done

# The database lives in the build folder: on the project's disk, so that
# every fsync is a real one (a tmpfs /tmp would make durability free).
WORK=$(mktemp -d "$BUILD/bench-run.XXXXXX")
DB=$WORK/bench.db
if [ "$(stat -f -c %T "$WORK")" = tmpfs ]; then
  echo "bench/run.sh: warning: $WORK is on tmpfs; fsync costs nothing there" >&2
fi
RAPPORTEUR_ADMIN_TOKEN=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
export RAPPORTEUR_ADMIN_TOKEN

SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  [ -d "$WORK/pg" ] && bash tests/pg/server.sh stop "$WORK/pg" >/dev/null 2>&1
  if [ "${RAPPORTEUR_BENCH_KEEP:-0}" = 1 ]; then
    echo "bench/run.sh: kept $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
case "$BACKEND" in
  postgres)
    bash tests/pg/server.sh start "$WORK/pg" >/dev/null
    [ -f "$WORK/pg/url" ] || { cat "$WORK/pg/missing" >&2; exit 1; }
    admin=$(cat "$WORK/pg/url")
    psql "$admin" -qAt -c "CREATE DATABASE bench" >/dev/null
    DB=${admin%/*}/bench
    ;;
  url) DB=$DB_URL ;;
esac

# --port 0: the server binds a free port itself (no race) and prints it.
"$SERVER" serve --db "$DB" --host 127.0.0.1 --port 0 --quiet --no-sample --threads "$THREADS" \
  >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!
PORT=""
for _ in $(seq 1 300); do
  PORT=$(sed -n 's|^Rapporteur serving on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$WORK/server.out" | head -1)
  [ -n "$PORT" ] && break
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "bench/run.sh: the server did not start:" >&2
    cat "$WORK/server.err" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$PORT" ]; then
  echo "bench/run.sh: the server printed no port within 30 s" >&2
  exit 1
fi
echo "bench/run.sh: server pid $SERVER_PID on 127.0.0.1:$PORT, --threads $THREADS, database $DB"

mkdir -p "$(dirname "$OUT")"
status=0
"$BENCH" --port "$PORT" --pid "$SERVER_PID" --db "$DB" --notes samples/kisumu-2022/notes \
  --out "$OUT" --command "./run.sh bench${*:+ $*}" "$@" || status=$?
if [ -s "$WORK/server.err" ]; then
  echo "bench/run.sh: the server logged (last lines):"
  tail -5 "$WORK/server.err"
fi
exit $status
