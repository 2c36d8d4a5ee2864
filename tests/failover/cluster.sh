#!/usr/bin/env bash
# A three-node PostgreSQL cluster under Patroni with one etcd, on loopback
# ports under DIR, for the failover tests. It runs deploy/patroni/patroni.yml
# and deploy/patroni/etcd.yml with their placeholders filled in; no system
# service is used or needed.
#
#   cluster.sh DIR start          starts etcd and three Patroni nodes, waits for a
#                                 leader and a synchronous standby, creates the
#                                 rapporteur role and database, prints the URL
#   cluster.sh DIR url            prints the URL again (multi-host, read-write)
#   cluster.sh DIR leader         prints the leader's name and address
#   cluster.sh DIR kill-leader    kill -9 of the leader's PostgreSQL (the postmaster
#                                 and its processes) and its Patroni; prints the time
#   cluster.sh DIR wait-leader T  waits up to T seconds until a primary accepts
#                                 writes (a commit through synchronous replication)
#   cluster.sh DIR stop           kills every process started here and waits until
#                                 none is left
#
# PostgreSQL refuses to run as root: as root, everything runs as the user
# RAPPORTEUR_CLUSTER_USER (default postgres), and DIR is given to it.
# RAPPORTEUR_PG_BIN names PostgreSQL's binaries (default: version 15's).
# Exits 77 naming the Debian package when a tool is missing.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TEMPLATES=$(cd "$HERE/../../deploy/patroni" && pwd)
PYTHON=/usr/bin/python3
PG_BIN=${RAPPORTEUR_PG_BIN:-/usr/lib/postgresql/15/bin}
NODES=(1 2 3)

usage() {
  echo "usage: cluster.sh DIR start|url|leader|kill-leader|wait-leader SECONDS|stop" >&2
  exit 2
}
[ $# -ge 2 ] || usage
DIR=$1
CMD=$2
STATE=$DIR/cluster.env

missing() {
  echo "cluster.sh: $1 is not installed (Debian package $2): the failover cluster cannot run" >&2
  exit 77
}

require_tools() {
  command -v patroni >/dev/null || missing patroni patroni
  command -v etcd >/dev/null || missing etcd etcd-server
  [ -x "$PYTHON" ] || missing "$PYTHON" python3
  local tool
  for tool in postgres initdb pg_ctl pg_basebackup pg_controldata pg_isready; do
    [ -x "$PG_BIN/$tool" ] || missing "$PG_BIN/$tool" postgresql-15
  done
  command -v psql >/dev/null || missing psql postgresql-client-15
  command -v setsid >/dev/null || missing setsid util-linux
}

now() { date +%s.%N | cut -c1-14; }

# Runs a command as the cluster's user: dropped from root, or as is.
run_as() {
  if [ "$(id -u)" -eq 0 ]; then
    setpriv --reuid="$RUN_USER" --regid="$(id -g "$RUN_USER")" --init-groups \
      env HOME="$DIR" USER="$RUN_USER" LOGNAME="$RUN_USER" "$@"
  else
    "$@"
  fi
}

load_state() {
  [ -f "$STATE" ] || { echo "cluster.sh: no cluster in $DIR (start it first)" >&2; exit 1; }
  # shellcheck disable=SC1090
  . "$STATE"
}

# Several free loopback ports at once (each bound until all are chosen).
free_ports() {
  "$PYTHON" - "$1" <<'EOF'
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

secret() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }

# The cluster as Patroni's REST API shows it (GET /cluster), asked of each
# node in turn; prints one line per member, "name role state host port", or
# nothing when no node answers.
members() {
  "$PYTHON" - "${API_PORTS[@]}" <<'EOF'
import json, sys, urllib.request
for port in sys.argv[1:]:
    try:
        with urllib.request.urlopen("http://127.0.0.1:%s/cluster" % port, timeout=1) as r:
            cluster = json.load(r)
    except Exception:
        continue
    for m in cluster.get("members", []):
        print(m.get("name"), m.get("role"), m.get("state"), m.get("host", "-"), m.get("port", "-"))
    break
EOF
}

leader_line() { members | awk '$2 == "leader" && $3 == "running"' | head -n1; }

# Every process in the sessions of the given ids (etcd and each Patroni run
# in a session of their own, started by launch).
session_pids() {
  local sids=" $* "
  ps -eo pid=,sid=,stat= | while read -r pid sid stat; do
    [ "${stat#Z}" = "$stat" ] || continue  # dead already, waiting to be reaped
    case "$sids" in *" $sid "*) echo "$pid" ;; esac
  done
}

# Every PostgreSQL process of the given nodes: each one works in its data
# directory (they share no session or process group: the postmaster's
# children call setsid, and orphans of a killed postmaster have another
# parent).
postgres_pids() {
  local n cwd
  for n in "$@"; do
    find /proc -mindepth 2 -maxdepth 2 -name cwd -lname "$DIR/node$n/data" 2>/dev/null || true  # processes come and go
  done | while read -r cwd; do
    cwd=${cwd%/cwd}
    if [ "$(cat "$cwd/comm" 2>/dev/null)" = postgres ]; then echo "${cwd#/proc/}"; fi
  done
}

postmaster_pid() {
  local pidfile=$DIR/node$1/data/postmaster.pid
  if [ -f "$pidfile" ]; then head -n1 "$pidfile"; fi
}

# kill -9 of the given sessions and of the PostgreSQL processes of the given
# nodes, the postmasters first (they fork no more then), then waits until
# none is left.
kill_all() {
  local sessions=$1 nodes=$2 n pids deadline=$((SECONDS + 10))
  # shellcheck disable=SC2086
  pids="$(session_pids $sessions) $(for n in $nodes; do postmaster_pid "$n"; done)"
  # shellcheck disable=SC2086
  [ -z "${pids// /}" ] || kill -9 $pids 2>/dev/null || true
  KILL_SENT=$(now)
  while :; do
    # shellcheck disable=SC2086
    pids="$(session_pids $sessions) $(postgres_pids $nodes)"
    [ -n "${pids//[[:space:]]/}" ] || return 0
    # shellcheck disable=SC2086
    kill -9 $pids 2>/dev/null || true
    if [ $SECONDS -ge $deadline ]; then
      echo "cluster.sh: processes still running after kill -9: $pids" >&2
      return 1
    fi
    sleep 0.1
  done
}

fill() {
  local template=$1 out=$2
  shift 2
  local args=() kv
  for kv in "$@"; do args+=(-e "s|@${kv%%=*}@|${kv#*=}|g"); done
  sed "${args[@]}" "$template" >"$out"
  if grep -v '^ *#' "$out" | grep -q '@[A-Z_]*@'; then
    echo "cluster.sh: placeholders left in $out: $(grep -v '^ *#' "$out" | grep -o '@[A-Z_]*@' | sort -u | tr '\n' ' ')" >&2
    exit 1
  fi
}

start() {
  require_tools
  RUN_USER=$(id -un)
  if [ "$(id -u)" -eq 0 ]; then
    RUN_USER=${RAPPORTEUR_CLUSTER_USER:-postgres}
    id "$RUN_USER" >/dev/null 2>&1 || {
      echo "cluster.sh: running as root needs an unprivileged user to run PostgreSQL: $RUN_USER does not exist (set RAPPORTEUR_CLUSTER_USER)" >&2
      exit 1
    }
  fi
  [ ! -e "$STATE" ] || { echo "cluster.sh: $DIR already holds a cluster" >&2; exit 1; }
  mkdir -p "$DIR"
  DIR=$(cd "$DIR" && pwd)
  STATE=$DIR/cluster.env
  [ "$(id -u)" -ne 0 ] || chown "$RUN_USER" "$DIR"
  chmod 0700 "$DIR"
  run_as test -w "$DIR" || {
    echo "cluster.sh: $RUN_USER cannot write $DIR (is every folder above it open to that user?)" >&2
    exit 1
  }

  local ports
  read -r -a ports <<<"$(free_ports 8)"
  ETCD_PORT=${ports[0]}
  PG_PORTS=("${ports[2]}" "${ports[3]}" "${ports[4]}")
  API_PORTS=("${ports[5]}" "${ports[6]}" "${ports[7]}")
  DB_PASSWORD=$(secret)
  SUPERUSER_PASSWORD=$(secret)
  {
    echo "RUN_USER=$RUN_USER"
    echo "ETCD_PORT=$ETCD_PORT"
    echo "PG_PORTS=(${PG_PORTS[*]})"
    echo "API_PORTS=(${API_PORTS[*]})"
    echo "DB_PASSWORD=$DB_PASSWORD"
    echo "SUPERUSER_PASSWORD=$SUPERUSER_PASSWORD"
    echo "SESSIONS=()"
  } >"$STATE"

  fill "$TEMPLATES/etcd.yml" "$DIR/etcd.yml" \
    ETCD_NAME=etcd1 ETCD_DATA_DIR="$DIR/etcd" \
    ETCD_CLIENT_URL="http://127.0.0.1:$ETCD_PORT" ETCD_PEER_URL="http://127.0.0.1:${ports[1]}" \
    ETCD_CLUSTER="etcd1=http://127.0.0.1:${ports[1]}"
  local replication rewind n
  replication=$(secret)
  rewind=$(secret)
  # Patroni runs the script as the cluster's user, who may not reach this
  # checkout (a clone under /root, say): it gets a copy of its own.
  cp "$TEMPLATES/post_bootstrap.sh" "$DIR/post_bootstrap.sh"
  chmod 0755 "$DIR/post_bootstrap.sh"
  for n in "${NODES[@]}"; do
    mkdir -p "$DIR/node$n/run"
    fill "$TEMPLATES/patroni.yml" "$DIR/node$n/patroni.yml" \
      NAME="node$n" ADDRESS=127.0.0.1 PG_PORT="${PG_PORTS[n - 1]}" API_PORT="${API_PORTS[n - 1]}" \
      DATA_DIR="$DIR/node$n/data" SOCKET_DIR="$DIR/node$n/run" BIN_DIR="$PG_BIN" \
      ETCD_HOSTS="127.0.0.1:$ETCD_PORT" CLIENT_NETWORK=127.0.0.1/32 PGPASS="$DIR/node$n/pgpass" \
      SUPERUSER_PASSWORD="$SUPERUSER_PASSWORD" REPLICATION_PASSWORD="$replication" REWIND_PASSWORD="$rewind" \
      POST_BOOTSTRAP="$DIR/post_bootstrap.sh"
    # This data is thrown away: initdb and the replicas' copies need not be
    # flushed to disk (seconds less; the test kills processes, not the machine).
    sed -i -e 's/^  initdb:$/  initdb:\n    - no-sync/' -e 's/^  basebackup:$/  basebackup:\n    - no-sync/' "$DIR/node$n/patroni.yml"
    chmod 0600 "$DIR/node$n/patroni.yml"
  done
  [ "$(id -u)" -ne 0 ] || chown -R "$RUN_USER" "$DIR"

  local t0=$SECONDS
  export RAPPORTEUR_DB_PASSWORD=$DB_PASSWORD  # for post_bootstrap.sh
  cd "$DIR"  # the processes' working directory: not the caller's
  launch etcd etcd --config-file "$DIR/etcd.yml"
  wait_for "etcd on port $ETCD_PORT" 30 etcd_healthy || { stop; exit 1; }
  for n in "${NODES[@]}"; do launch "node$n/patroni" patroni "$DIR/node$n/patroni.yml"; done
  wait_for "leader, synchronous standby and streaming replica" 120 cluster_complete || { stop; exit 1; }
  echo "cluster.sh: started in $((SECONDS - t0)) s: $(members | awk '{print $1 "=" $2}' | tr '\n' ' ')" >&2
  url
}

# Starts `command...` as the cluster's user in its own session, output to
# DIR/NAME.log; records the session.
launch() {
  local name=$1
  shift
  setsid bash -c "$(declare -f run_as); DIR='$DIR' RUN_USER='$RUN_USER' run_as \"\$@\"" launch "$@" \
    >"$DIR/$name.log" 2>&1 </dev/null &
  local pid=$!
  echo "SESSIONS+=($pid)" >>"$STATE"
}

wait_for() {
  local what=$1 timeout=$2
  shift 2
  local deadline=$((SECONDS + timeout))
  until "$@"; do
    if [ $SECONDS -ge $deadline ]; then
      echo "cluster.sh: no $what after $timeout s; the logs:" >&2
      tail -n 20 "$DIR"/*.log "$DIR"/node*/*.log >&2 2>/dev/null || true
      return 1
    fi
    sleep 0.2
  done
}

etcd_healthy() {
  "$PYTHON" -c 'import sys, urllib.request; urllib.request.urlopen("http://127.0.0.1:%s/health" % sys.argv[1], timeout=1)' \
    "$ETCD_PORT" 2>/dev/null
}

cluster_complete() {
  local m
  m=$(members)
  [ "$(awk '$2 == "leader" && $3 == "running"' <<<"$m" | wc -l)" -eq 1 ] &&
    [ "$(awk '$2 == "sync_standby" && ($3 == "running" || $3 == "streaming")' <<<"$m" | wc -l)" -eq 1 ] &&
    [ "$(awk '$3 == "running" || $3 == "streaming"' <<<"$m" | wc -l)" -eq 3 ]
}

# The multi-host URL of the three nodes: libpq tries them in turn and keeps
# the one that accepts writes.
url_of() {
  local hosts=() p
  for p in "${PG_PORTS[@]}"; do hosts+=("127.0.0.1:$p"); done
  local IFS=,
  echo "postgresql://$1:$2@${hosts[*]}/$3?target_session_attrs=read-write&connect_timeout=2"
}
superuser_url() { url_of postgres "$SUPERUSER_PASSWORD" postgres; }
url() { url_of rapporteur "$DB_PASSWORD" rapporteur; }

leader() {
  local line
  line=$(leader_line)
  [ -n "$line" ] || { echo "cluster.sh: no leader" >&2; return 1; }
  awk '{print $1, $4 ":" $5}' <<<"$line"
}

kill_leader() {
  local line name n patroni_session postmaster
  line=$(leader_line)
  [ -n "$line" ] || { echo "cluster.sh: no leader to kill" >&2; return 1; }
  name=$(awk '{print $1}' <<<"$line")
  n=${name#node}
  patroni_session=${SESSIONS[n]}  # etcd's is SESSIONS[0]
  postmaster=$(postmaster_pid "$n")
  kill_all "$patroni_session" "$n"
  echo "KILLED=$name KILLED_AT=$KILL_SENT" >>"$STATE"
  echo "killed $name (patroni $patroni_session, postmaster ${postmaster:-none}) at $KILL_SENT"
}

# One commit that needs the synchronous standby: true once a primary accepts writes.
writable() {
  PGCONNECT_TIMEOUT=2 timeout 5 psql -X -q -v ON_ERROR_STOP=1 "$(superuser_url)" \
    -c "CREATE TABLE IF NOT EXISTS cluster_probe (at timestamptz)" \
    -c "INSERT INTO cluster_probe VALUES (now())" >/dev/null 2>&1
}

wait_leader() {
  local timeout=$1 start promoted="" line
  start=$(now)
  local deadline=$((SECONDS + timeout))
  while :; do
    line=$(leader_line)
    if [ -n "$line" ] && [ "${line%% *}" != "${KILLED:-}" ] && [ -z "$promoted" ]; then promoted=$(now); fi
    if [ -n "$promoted" ] && writable; then break; fi
    if [ $SECONDS -ge $deadline ]; then
      echo "cluster.sh: no writable primary after $timeout s; members: $(members | tr '\n' ';')" >&2
      return 1
    fi
    sleep 0.2
  done
  local at since=${KILLED_AT:-$start}
  at=$(now)
  echo "leader ${line%% *} writable at $at: promoted $(awk -v a="$promoted" -v b="$since" 'BEGIN{printf "%.1f", a - b}') s" \
    "and writable $(awk -v a="$at" -v b="$since" 'BEGIN{printf "%.1f", a - b}') s after ${KILLED:+the kill of }${KILLED:-the wait began}"
}

stop() {
  [ -f "$STATE" ] || return 0
  load_state
  kill_all "${SESSIONS[*]}" "${NODES[*]}"
  rm -f "$STATE"
}

case "$CMD" in
  start) start ;;
  url) load_state; url ;;
  leader) load_state; leader ;;
  kill-leader) load_state; kill_leader ;;
  wait-leader) [ $# -eq 3 ] || usage; load_state; wait_leader "$3" ;;
  stop) stop ;;
  *) usage ;;
esac
