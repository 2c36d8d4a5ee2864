#!/usr/bin/env bash
# Smoke test of deploy/nginx.conf: Debian's nginx, run in the foreground as
# the current user with everything in a temporary folder, terminates TLS (a
# throwaway self-signed certificate) in front of the real rapporteur binary,
# and a few requests go through it.
#
#   tests/deploy/nginx_smoke.sh PATH/TO/rapporteur
#
# The site configuration under test is the shipped file, with only its
# ports, upstream address, certificate and log paths rewritten (the lines
# marked "smoke:"); a check fails when a rewrite no longer applies.
# Exit status 77 (CTest SKIP_RETURN_CODE) when nginx or openssl is missing.
set -uo pipefail

BIN=${1:?usage: nginx_smoke.sh PATH/TO/rapporteur}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
if [ ! -x "$NGINX" ] || ! command -v openssl >/dev/null || ! command -v curl >/dev/null; then
  echo "nginx_smoke: SKIP (needs nginx, openssl and curl)"
  exit 77
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/rapporteur-nginx.XXXXXX")
APP_PID=""
NGINX_PID=""
cleanup() {
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT

FAILS=0
CHECKS=0
check() {  # check "what" command...
  local what=$1; shift
  CHECKS=$((CHECKS + 1))
  if "$@"; then
    echo "ok   - $what"
  else
    echo "FAIL - $what"
    FAILS=$((FAILS + 1))
  fi
}
die() {
  echo "nginx_smoke: $*" >&2
  for f in app.log error.log; do [ -f "$T/$f" ] && { echo "--- $f"; tail -20 "$T/$f"; } >&2; done
  exit 1
}

# A port nobody listens on now (nginx retries below if it is taken meanwhile).
free_port() {
  local p
  for _ in $(seq 50); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
  die "no free port found"
}

# --- the app, on a free port -------------------------------------------------
ADMIN=smoke-admin-token-$(openssl rand -hex 16)  # the app wants at least 24 characters
RAPPORTEUR_ADMIN_TOKEN=$ADMIN "$BIN" serve --db "$T/rapporteur.db" --port 0 --no-sample --quiet \
  --web "$ROOT/web" >"$T/app.log" 2>&1 &
APP_PID=$!
APP_PORT=""
for _ in $(seq 100); do
  APP_PORT=$(sed -n 's#^Rapporteur serving on http://127.0.0.1:\([0-9]*\)/.*#\1#p' "$T/app.log")
  [ -n "$APP_PORT" ] && break
  kill -0 "$APP_PID" 2>/dev/null || die "rapporteur did not start"
  sleep 0.1
done
[ -n "$APP_PORT" ] || die "rapporteur did not report its port"

# --- a throwaway certificate -------------------------------------------------
HOST=rapporteur.example.org
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$HOST" -addext "subjectAltName=DNS:$HOST" \
  -keyout "$T/key.pem" -out "$T/cert.pem" >/dev/null 2>&1 || die "openssl could not make a certificate"

# --- the shipped site configuration, rewritten for loopback -------------------
mkdir -p "$T/logs" "$T/tmp"
start_nginx() {
  HTTP_PORT=$(free_port)
  HTTPS_PORT=$(free_port)
  sed -e "/# smoke: ipv6/d" \
    -e "s#^\(\s*server\) 127\.0\.0\.1:8080;\(.*smoke: upstream\)#\1 127.0.0.1:$APP_PORT;\2#" \
    -e "s#^\(\s*listen\) 80;\(.*smoke: http listen\)#\1 127.0.0.1:$HTTP_PORT;\2#" \
    -e "s#^\(\s*listen\) 443 \(ssl.*smoke: https listen\)#\1 127.0.0.1:$HTTPS_PORT \2#" \
    -e "s#/etc/ssl/rapporteur/fullchain\.pem;\(.*smoke: cert\)#$T/cert.pem;\1#" \
    -e "s#/etc/ssl/rapporteur/privkey\.pem;\(.*smoke: key\)#$T/key.pem;\1#" \
    -e "s#/var/log/nginx/#$T/logs/#" \
    "$ROOT/deploy/nginx.conf" >"$T/site.conf"
  # nginx refuses to drop to another user than root when started as root.
  local user=""
  [ "$(id -u)" -eq 0 ] && user="user root root;"
  cat >"$T/nginx.conf" <<EOF
$user
worker_processes 1;
pid $T/nginx.pid;
error_log $T/error.log info;
events { worker_connections 256; }
http {
  client_body_temp_path $T/tmp/body;
  proxy_temp_path $T/tmp/proxy;
  fastcgi_temp_path $T/tmp/fastcgi;
  uwsgi_temp_path $T/tmp/uwsgi;
  scgi_temp_path $T/tmp/scgi;
  include $T/site.conf;
}
EOF
  "$NGINX" -p "$T" -c "$T/nginx.conf" -e "$T/error.log" -g "daemon off;" &
  NGINX_PID=$!
  for _ in $(seq 50); do
    curl -s -o /dev/null "http://127.0.0.1:$HTTP_PORT/" && return 0
    kill -0 "$NGINX_PID" 2>/dev/null || { NGINX_PID=""; return 1; }
    sleep 0.1
  done
  return 1
}

rewritten() {
  grep -q "server 127.0.0.1:$APP_PORT;" "$T/site.conf" &&
    grep -q "listen 127.0.0.1:$HTTP_PORT;" "$T/site.conf" &&
    grep -q "listen 127.0.0.1:$HTTPS_PORT ssl" "$T/site.conf" &&
    grep -q "ssl_certificate *$T/cert.pem;" "$T/site.conf" &&
    grep -q "ssl_certificate_key *$T/key.pem;" "$T/site.conf" &&
    ! grep -q "/var/log/nginx\|/etc/ssl\|:8080;\|listen 80;\|listen 443" "$T/site.conf"
}

started=0
for _ in 1 2 3; do
  if start_nginx; then
    started=1
    break
  fi
  if ! rewritten; then break; fi
done
check "every rewrite of deploy/nginx.conf applied" rewritten
check "nginx -t accepts the configuration" \
  "$NGINX" -t -q -p "$T" -c "$T/nginx.conf" -e "$T/error.log"
[ "$started" = 1 ] || die "nginx did not start"
# The three-machine layout's upstream block (deploy/patroni/) in place of
# the single one. nginx -t binds the ports it is given and opens its logs
# and temporary folders, so those point into $T as above.
cat >"$T/upstream.conf" <<EOF
pid $T/upstream.pid;
events {}
http {
  access_log $T/logs/upstream-access.log;
  client_body_temp_path $T/tmp/body;
  proxy_temp_path $T/tmp/proxy;
  fastcgi_temp_path $T/tmp/fastcgi;
  uwsgi_temp_path $T/tmp/uwsgi;
  scgi_temp_path $T/tmp/scgi;
  include $ROOT/deploy/patroni/nginx-upstream.conf;
  server { listen 127.0.0.1:$(free_port); location / { proxy_pass http://rapporteur; } }
}
EOF
check "nginx -t accepts deploy/patroni/nginx-upstream.conf" \
  "$NGINX" -t -q -p "$T" -c "$T/upstream.conf" -e "$T/error.log"

BASE="https://$HOST:$HTTPS_PORT"
CURL=(curl -sS --max-time 20 --cacert "$T/cert.pem" --resolve "$HOST:$HTTPS_PORT:127.0.0.1")

# --- checks --------------------------------------------------------------------
# status_of [curl args...]: prints the status code, headers in $T/h, body in $T/b.
status_of() {
  rm -f "$T/b" "$T/h"
  "${CURL[@]}" -o "$T/b" -D "$T/h" -w '%{http_code}' "$@"
}
header() { grep -i "^$1:" "$T/h" | head -1 | cut -d: -f2- | tr -d '\r' | sed 's/^ *//'; }

code=$(status_of "$BASE/healthz")
check "GET /healthz over TLS is 200" [ "$code" = 200 ]
check "healthz says ok" grep -q '"status":"ok"' "$T/b"
check "HSTS is set" [ -n "$(header Strict-Transport-Security)" ]
check "X-Frame-Options is DENY" [ "$(header X-Frame-Options)" = DENY ]
check "the app's nosniff comes through once" [ "$(grep -ci '^X-Content-Type-Options:' "$T/h")" = 1 ]
APP_ID=$(header X-Request-Id)
check "the app's X-Request-Id comes through" [ -n "$APP_ID" ]
check "nginx does not say its version" bash -c "! grep -qi '^server: nginx/' '$T/h'"

code=$(curl -sS -o /dev/null -D "$T/h" -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/healthz" -H "Host: $HOST")
check "plain HTTP redirects to HTTPS" [ "$code" = 301 ]
check "the redirect points to https" bash -c "grep -qi '^location: https://$HOST/healthz' '$T/h'"

code=$(status_of -X POST "$BASE/api/v1/sessions" -H "Authorization: Bearer $ADMIN" \
  -H "Content-Type: application/json" --data-binary "@$ROOT/samples/kisumu-2022/session.json")
check "POST /api/v1/sessions with the admin token is 201" [ "$code" = 201 ]
SID=$(grep -o '"id":"kisumu-2022-partnerships"' "$T/b" | head -1 | cut -d'"' -f4)
TOKEN=$(grep -o '"token":"[A-Za-z0-9_-]*"' "$T/b" | head -1 | cut -d'"' -f4)
check "the session and a token are in the answer" [ -n "$SID" -a -n "$TOKEN" ]

code=$(status_of "$BASE/api/v1/sessions" -X POST -H "Content-Type: application/json" -d '{}')
check "POST /api/v1/sessions without a token is 401" [ "$code" = 401 ]

code=$(status_of "$BASE/api/v1/sessions/$SID")
check "GET the session is 200" [ "$code" = 200 ]
check "the session is the one created" grep -q '"timezone":"Africa/Nairobi"' "$T/b"

code=$(status_of "$BASE/api/v1/sessions/$SID/live")
ETAG=$(header ETag)
check "GET /live is 200 with an ETag" [ "$code" = 200 -a -n "$ETAG" ]
code=$(status_of "$BASE/api/v1/sessions/$SID/live" -H "If-None-Match: $ETAG")
check "GET /live with If-None-Match is 304" [ "$code" = 304 ]
check "the 304 has no body" [ ! -s "$T/b" ]

# The stream never ends: whatever arrives before curl gives up came through
# unbuffered. The first event must be there within 3 seconds.
"${CURL[@]}" -N --max-time 3 "$BASE/api/v1/sessions/$SID/stream" -o "$T/sse" 2>/dev/null
check "the SSE stream's first event arrives at once" grep -q '^event: state' "$T/sse"
check "the SSE event carries the state" grep -q '^data: {.*"phase":"drafting"' "$T/sse"
# A change while the stream is open reaches the client as a second event.
"${CURL[@]}" -N --max-time 4 "$BASE/api/v1/sessions/$SID/stream" -o "$T/sse2" 2>/dev/null &
SSE_PID=$!
sleep 1.5
code=$(status_of -X POST "$BASE/api/v1/sessions/$SID/people" -H "Authorization: Bearer $ADMIN" \
  -H "Content-Type: application/json" -d '{"name": "Late delegate", "roles": ["participant"]}')
wait "$SSE_PID"
check "a person is added through nginx" [ "$code" = 201 ]
check "the change arrives on the open stream" [ "$(grep -c '^event: state' "$T/sse2")" -ge 2 ]

# A Range of 400 parts: refused (416), or at most the document itself.
WHOLE=$("${CURL[@]}" -o /dev/null -w '%{size_download}' "$BASE/api/v1/openapi.json")
RANGES="bytes=0-$(printf ',0-%.0s' $(seq 399))"
code=$(status_of "$BASE/api/v1/openapi.json" -H "Range: $RANGES")
SIZE=$(stat -c %s "$T/b" 2>/dev/null || echo 0)
check "a Range of 400 parts is refused through nginx ($code, $SIZE bytes; the document is $WHOLE)" \
  bash -c "[ '$code' = 416 ] || { [ '$code' = 200 ] && [ '$SIZE' -le '$WHOLE' ]; }"

# Event streams: 4 per client address pass nginx, the fifth gets 503 with
# Retry-After and the app's error code.
STREAM_PIDS=()
for i in 1 2 3 4; do
  "${CURL[@]}" -N --max-time 6 "$BASE/api/v1/sessions/$SID/stream" -o "$T/held$i" 2>/dev/null &
  STREAM_PIDS+=($!)
done
sleep 1.5
code=$(status_of --max-time 3 "$BASE/api/v1/sessions/$SID/stream")
check "a fifth stream from one address gets 503 from nginx" [ "$code" = 503 ]
check "with Retry-After" [ -n "$(header Retry-After)" ]
check "and the app's error code" grep -q '"too_many_streams"' "$T/b"
check "the four held streams got their first event" \
  bash -c "for i in 1 2 3 4; do grep -q '^event: state' '$T/held'\$i || exit 1; done"
code=$(status_of "$BASE/healthz")
check "/healthz answers while they are held" [ "$code" = 200 ]
wait "${STREAM_PIDS[@]}" 2>/dev/null

head -c $((10 * 1024 * 1024)) /dev/zero | tr '\0' ' ' >"$T/big.json"
code=$(status_of -X POST "$BASE/api/v1/sessions" -H "Authorization: Bearer $ADMIN" \
  -H "Content-Type: application/json" --data-binary "@$T/big.json")
check "a 10 MB body gets 413" [ "$code" = 413 ]
check "the 413 comes from nginx (the app never saw it)" [ -z "$(header X-Request-Id)" ]

code=$(status_of "$BASE/metrics")
check "/metrics is not reachable through nginx" [ "$code" = 404 ]
check "the app's /metrics refuses a scraper without the token, even on loopback" \
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$APP_PORT/metrics")" = 401 ]
check "the app's /metrics answers the admin token on loopback" \
  bash -c "curl -sf -H 'Authorization: Bearer $ADMIN' 'http://127.0.0.1:$APP_PORT/metrics' | grep -q rapporteur_requests_total"

code=$(status_of -H 'Sec-Fetch-Dest: document' -H 'Sec-Fetch-Site: none' "$BASE/join/$TOKEN")
check "a join link opened as a page redirects with the cookie" [ "$code" = 303 -a -n "$(header Set-Cookie)" ]
code=$(status_of -H 'Sec-Fetch-Dest: image' "$BASE/join/$TOKEN")
check "a join link fetched as an image is refused, no cookie" [ "$code" = 403 -a -z "$(header Set-Cookie)" ]
check "join tokens stay out of the access log" bash -c "! grep -q '$TOKEN' '$T/logs/rapporteur.access.log'"
check "the access log has nginx's and the app's request ids" \
  grep -Eq "req=[0-9a-f]{32} app=$APP_ID\$" "$T/logs/rapporteur.access.log"

# --- clean stop on SIGTERM -------------------------------------------------------
kill -TERM "$APP_PID"
stopped=""
for _ in $(seq 100); do
  if ! kill -0 "$APP_PID" 2>/dev/null; then stopped=1; break; fi
  sleep 0.1
done
wait "$APP_PID"
rc=$?
APP_PID=""
check "rapporteur stops within 10 s of SIGTERM" [ -n "$stopped" ]
check "and exits 0" [ "$rc" = 0 ]
code=$(status_of "$BASE/healthz")
check "nginx answers 502 while the app is down" [ "$code" = 502 ]
# A join link while the app is down: nginx logs an upstream error, and
# every error entry quotes the request line. The token must not be there.
code=$(status_of "$BASE/join/$TOKEN")
check "a join link while the app is down is 502" [ "$code" = 502 ]
check "nginx did log the upstream failures" grep -q "connect() failed" "$T/logs/rapporteur.error.log"
check "join tokens stay out of nginx's error logs" \
  bash -c "! grep -q '$TOKEN' '$T/logs/rapporteur.error.log' '$T/error.log'"
check "the join link's access-log line has no token" \
  bash -c "grep -q '/join/(token)\" 502' '$T/logs/rapporteur.access.log' && ! grep -q '$TOKEN' '$T/logs/rapporteur.access.log'"

echo "nginx_smoke: $((CHECKS - FAILS))/$CHECKS checks passed"
[ "$FAILS" = 0 ]
