#!/usr/bin/env bash
# Rapporteur: install what is missing, build, then serve (default) or test.
#
#   ./run.sh            install, build, serve on http://127.0.0.1:8080 with the Kisumu sample
#   ./run.sh test       install, build, run every test (unit, HTTP, browser, sanitizers)
#   ./run.sh bench      install, build, run the benchmarks (bench/)
#   ./run.sh crash      100 rounds of the kill -9 crash test
#   ./run.sh fuzz [S]   run each libFuzzer target for S seconds (default 60)
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
CMD=${1:-serve}
JOBS=$(nproc 2>/dev/null || echo 2)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

APT_BUILD=(cmake g++ make pkg-config libsqlitecpp-dev libsqlite3-dev libcpp-httplib-dev libcmark-dev
  libhowardhinnant-date-dev libutf8proc-dev libvalijson-dev libpqxx-dev
  nlohmann-json3-dev catch2 libssl-dev zlib1g-dev sqlite3 tzdata pandoc chromium fonts-dejavu-core)
# postgresql-15: the throwaway server the suite's PostgreSQL run starts (tests/pg/server.sh);
# with patroni and etcd-server, the failover tests' cluster (tests/failover/cluster.sh,
# which runs them itself, as no system service).
APT_TEST=(nodejs npm poppler-utils unzip default-jre-headless nginx clang libclang-rt-14-dev wrk curl postgresql-15
  patroni etcd-server)

apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  # node may come from elsewhere than Debian (a newer install); then skip Debian's.
  if command -v node >/dev/null && command -v npm >/dev/null; then
    local kept=()
    for p in "${missing[@]}"; do [ "$p" = nodejs ] || [ "$p" = npm ] || kept+=("$p"); done
    missing=("${kept[@]}")
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    echo "run.sh: installing ${missing[*]}"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# The browser tests' tools (tests/browser/package.json) support Node 18.19 and
# later: Debian 12's own nodejs (18.20) and newer ones installed elsewhere.
NODE_MIN=18.19
check_node() {
  local v
  v=$(node -p 'process.versions.node' 2>/dev/null) || {
    echo "run.sh: no working 'node' found; install Debian's nodejs and npm (apt-get install nodejs npm)" >&2
    exit 1
  }
  echo "run.sh: using Node.js $v ($(command -v node)), npm $(npm --version 2>/dev/null || echo missing)"
  if [ "$(printf '%s\n%s\n' "$NODE_MIN" "$v" | sort -V | head -n1)" != "$NODE_MIN" ]; then
    echo "run.sh: Node.js $v is too old for the browser tests, which need $NODE_MIN or later." >&2
    echo "run.sh: Debian 12's nodejs package (18.20) works: remove the older node from PATH, then apt-get install nodejs npm" >&2
    exit 1
  fi
  command -v npm >/dev/null || { echo "run.sh: npm is missing: apt-get install npm" >&2; exit 1; }
}

# npm ci installs exactly what package-lock.json records; it runs again
# whenever the lock file or the Node version changes.
npm_install() {
  local stamp=tests/browser/node_modules/.rapporteur-installed
  local want
  want="$(sha256sum tests/browser/package-lock.json | cut -d' ' -f1) node-$(node -p 'process.versions.node')"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "run.sh: installing browser test tools (npm ci)"
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" >"$stamp"
  fi
}

build() {
  local dir=$1; shift
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "$dir" -j"$JOBS"
}

case "$CMD" in
  serve)
    apt_install "${APT_BUILD[@]}"
    cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build build -j"$JOBS" --target rapporteur
    shift || true
    exec ./build/rapporteur serve --db "${RAPPORTEUR_DB:-data/rapporteur.db}" "$@"
    ;;
  test)
    apt_install "${APT_BUILD[@]}" "${APT_TEST[@]}"
    check_node
    npm_install
    build build -DRAPPORTEUR_TESTS=ON -DRAPPORTEUR_BROWSER_TESTS=ON
    echo "run.sh: unit, HTTP and browser tests"
    (cd build && ctest --output-on-failure -j"$JOBS")
    # The crash and failover tests' figures (acknowledged, lost=N, the
    # outage), which CTest does not show for a passing test: printed last,
    # whatever the later stage gives. Each under its test's name.
    log=build/Testing/Temporary/LastTest.log
    figures=""
    [ -f "$log" ] && figures=$(awk '/^[0-9]+\/[0-9]+ Testing: /{sub(/^[^:]*: /, ""); name = $0}
      /^crash: /{if (name != cn) crash = crash "  " name "\n"; cn = name; crash = crash "    " $0 "\n"}
      /^failover: /{if (name != fn) failover = failover "  " name "\n"; fn = name; failover = failover "    " $0 "\n"}
      END {printf "%s%s", crash, failover}' "$log")
    for test in crash failover; do
      grep -q "^    $test: .*lost=" <<<"$figures" || figures+="${figures:+$'\n'}  $test: no figure (the $test test was skipped or did not run: see CTest's summary and $log)"
    done
    trap 'echo "run.sh: the crash and failover tests'"'"' figures:"; echo "$figures"' EXIT
    if [ "${RAPPORTEUR_SKIP_SANITIZERS:-0}" != 1 ]; then
      # One clang build serves both: the whole suite under AddressSanitizer and
      # UndefinedBehaviorSanitizer, and the libFuzzer targets' short run.
      echo "run.sh: the suite under ASan and UBSan, and a short fuzzing run (clang)"
      build build-sanitize -DCMAKE_CXX_COMPILER=clang++ -DRAPPORTEUR_SANITIZE=ON -DRAPPORTEUR_FUZZ=ON \
        -DRAPPORTEUR_TESTS=ON -DRAPPORTEUR_BROWSER_TESTS=OFF
      (cd build-sanitize && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        ctest --output-on-failure -j"$JOBS" -E "slow|deploy_nginx|^pg/|postgres_server|failover_cluster|PostgreSQL primary")
    fi
    ;;
  bench)
    apt_install "${APT_BUILD[@]}" wrk
    cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build build -j"$JOBS" --target rapporteur rapporteur_bench
    shift || true
    exec bench/run.sh "$@"
    ;;
  crash)
    # The kill -9 crash test (tests/crash_test.cpp) on the real binary, 100
    # rounds (or $2; RAPPORTEUR_CRASH_SEED replays a run). Its figure comes
    # last: acknowledged ballots and versions, ..., lost=N.
    apt_install "${APT_BUILD[@]}"
    build build -DRAPPORTEUR_TESTS=ON
    crash_log=$(mktemp)
    crash_rc=0
    RAPPORTEUR_CRASH_ROUNDS=${2:-100} ./build/rapporteur_tests "[crash]" 2>&1 | tee "$crash_log" || crash_rc=$?
    grep '^crash: ' "$crash_log" || { echo "crash: no figure: the test did not run to its end"; crash_rc=1; }
    rm -f "$crash_log"
    exit "$crash_rc"
    ;;
  fuzz)
    apt_install "${APT_BUILD[@]}" clang libclang-rt-14-dev
    # Builds every tests/fuzz/*_fuzz.cpp with clang in build-fuzz and runs each
    # for S seconds; a finding fails with its input saved in build-fuzz/crashes.
    CXX=clang++ RAPPORTEUR_FUZZ_JOBS=$JOBS tests/fuzz/short_run.sh --build-dir build-fuzz --seconds "${2:-60}"
    ;;
  *)
    echo "usage: ./run.sh [serve|test|bench|crash|fuzz]" >&2
    exit 2
    ;;
esac
