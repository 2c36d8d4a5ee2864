#!/usr/bin/env bash
# Smoke test of tests/failover/cluster.sh and deploy/patroni: a row committed
# through the multi-host URL survives kill -9 of the primary (PostgreSQL and
# Patroni), read back through the same URL from the promoted standby, and the
# new primary takes writes. Exit status 77 (CTest SKIP_RETURN_CODE) when
# Patroni, etcd or PostgreSQL is missing.
set -uo pipefail

CLUSTER=$(cd "$(dirname "$0")" && pwd)/cluster.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/rapporteur-failover.XXXXXX")
chmod 0755 "$T"  # the cluster's user (postgres, when run as root) works below it
cleanup() {
  "$CLUSTER" "$T/c" stop
  rm -rf "$T"
}
trap cleanup EXIT

fail() {
  echo "cluster_smoke: FAIL: $*" >&2
  exit 1
}

url=$("$CLUSTER" "$T/c" start)
rc=$?
[ $rc -ne 77 ] || exit 77
[ $rc -eq 0 ] || fail "the cluster did not start"
echo "cluster_smoke: started; leader $("$CLUSTER" "$T/c" leader)"

q() { psql -X -q -At -v ON_ERROR_STOP=1 "$url" -c "$1"; }
q "CREATE TABLE smoke (id int PRIMARY KEY, note text)" || fail "CREATE TABLE through $url"
q "INSERT INTO smoke VALUES (1, 'committed before the kill')" || fail "INSERT through the URL"

"$CLUSTER" "$T/c" kill-leader || fail "kill-leader"
"$CLUSTER" "$T/c" wait-leader 60 || fail "no new writable primary within 60 s"

got=$(q "SELECT note FROM smoke WHERE id = 1") || fail "SELECT through the URL after the failover"
[ "$got" = "committed before the kill" ] || fail "the row committed before the kill reads '$got'"
q "INSERT INTO smoke VALUES (2, 'committed after the failover')" || fail "INSERT after the failover"
[ "$(q "SELECT count(*) FROM smoke")" = 2 ] || fail "two rows expected after the failover"
echo "cluster_smoke: ok: the row committed before the kill was read back from $("$CLUSTER" "$T/c" leader)"
