#!/usr/bin/env bash
# Start-up benchmark (issue #13, target 5): the time from `java -jar target/knowmad.jar` to the first page
# (`GET /` answering 200), and the CPU the JVMs used until then (the launcher and the server JVM it starts,
# ClassArchive), in RUNS (default 5) alternating rounds of:
#   external  DATABASE_URL pointing at a database whose schema is current (the usual restart);
#   embedded  no DATABASE_URL and an empty KNOWMAD_DATA_DIR (a new user's first start: initdb, all migrations).
# Prints each case's median, min and max beside its target (<= 3 s external, <= 5 s fresh embedded).
# BEFORE_JAR=/path/to/older/knowmad.jar adds the same rounds for that jar, run in turn with this one.
#
#   bash src/bench/start.sh        RUNS=9 BEFORE_JAR=/tmp/knowmad-old.jar bash src/bench/start.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-5}
PORT=${BENCH_PORT:-8197}
SERVER=${BENCH_SERVER_URL:-postgresql://postgres@127.0.0.1:5432}
DB=${BENCH_DB:-knowmad_bench_start}
[ -f target/knowmad.jar ] || mvn -q package -DskipTests
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

psql "$SERVER/postgres" -q -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null

# One start: prints "<ms to first page> <cpu ms>".
one() {
  local jar=$1; shift
  local t0 t1 pid ticks
  t0=$(date +%s%N)
  env -u DATABASE_URL PORT="$PORT" "$@" java -jar "$jar" >"$work/out.log" 2>&1 &
  pid=$!
  until curl -sf --max-time 5 -o /dev/null "http://127.0.0.1:$PORT/"; do
    kill -0 "$pid" 2>/dev/null || { echo "the server stopped:" >&2; cat "$work/out.log" >&2; exit 1; }
    (( $(date +%s%N) - t0 < 60000000000 )) || { echo "no first page within 60 s:" >&2; cat "$work/out.log" >&2; kill "$pid"; exit 1; }
    sleep 0.02
  done
  t1=$(date +%s%N)
  # The JVM's CPU and that of the server JVM it may have started (ClassArchive), not PostgreSQL's.
  ticks=0
  for p in "$pid" $(pgrep -P "$pid" java || true); do ticks=$(( ticks + $(awk '{print $14 + $15}' "/proc/$p/stat") )); done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  while curl -s --max-time 1 -o /dev/null "http://127.0.0.1:$PORT/"; do sleep 0.05; done # the port is free again
  echo "$(( (t1 - t0) / 1000000 )) $(( ticks * 1000 / $(getconf CLK_TCK) ))"
}

external() { one "$1" DATABASE_URL="$SERVER/$DB"; }
embedded() { rm -rf "$work/data"; one "$1" KNOWMAD_DATA_DIR="$work/data"; }

jars=(target/knowmad.jar)
[ -n "${BEFORE_JAR:-}" ] && jars+=("$BEFORE_JAR")
for jar in "${jars[@]}"; do external "$jar" >/dev/null; done # migrates the database once, warms the file cache
for _ in $(seq "$RUNS"); do
  for i in "${!jars[@]}"; do
    external "${jars[$i]}" >>"$work/external.$i"
    embedded "${jars[$i]}" >>"$work/embedded.$i"
  done
done

report() { # file target label
  sort -n "$1" | awk -v target="$2" -v label="$3" '
    { ms[NR] = $1; cpu[NR] = $2 }
    END {
      m = ms[int((NR + 1) / 2)]; c = cpu[int((NR + 1) / 2)]
      printf "%-34s median %5d ms (min %d, max %d, %d runs), JVM CPU %d ms; target <= %d ms: %s\n",
        label, m, ms[1], ms[NR], NR, c, target, (m <= target ? "PASS" : "MISS")
    }'
}
for i in "${!jars[@]}"; do
  name=$([ "$i" = 0 ] && echo "this build" || echo "before ($(basename "${jars[$i]}"))")
  report "$work/external.$i" 3000 "$name, external database"
  report "$work/embedded.$i" 5000 "$name, fresh embedded"
done
