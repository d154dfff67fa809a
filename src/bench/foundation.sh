#!/usr/bin/env bash
# Foundation benchmark: course validation time, cold start to first page, and cohort-home throughput
# and latency for a signed-in participant at 64 connections.
#
#   bash src/bench/foundation.sh            (needs wrk and curl; PostgreSQL at BENCH_DATABASE_ADMIN_URL)
#
# It creates a fresh database, starts the packaged jar against it, warms the JVM up, then measures.
set -euo pipefail
cd "$(dirname "$0")/../.."

ADMIN_URL=${BENCH_DATABASE_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
DB=knowmad_bench
PORT=${BENCH_PORT:-8091}
DURATION=${BENCH_DURATION:-20s}
JAR=target/knowmad.jar
BASE="http://localhost:$PORT"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
[ -f "$JAR" ] || mvn -q package -DskipTests

psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
export DATABASE_URL="${ADMIN_URL%/*}/$DB" PORT BASE_URL="$BASE" KNOWMAD_DATA_DIR="$(mktemp -d)"

echo "== course validation (both examples, in-process time; JVM start excluded)"
java -jar "$JAR" validate courses | tail -n 1

echo "== cold start to first page"
java -jar "$JAR" migrate >/dev/null
start=$(date +%s%N)
java -jar "$JAR" serve > /tmp/knowmad-bench.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
until curl -sf -o /dev/null "$BASE/"; do sleep 0.05; done
echo "first page after $(( ($(date +%s%N) - start) / 1000000 )) ms (JVM launch included)"

echo "== sign in a participant and join the self-paced Dutch cohort"
jar=$(mktemp)
link=$(java -jar "$JAR" signin-link bench@example.org | tail -n 1)
path=${link#"$BASE"}
csrf=$(curl -s -c "$jar" -b "$jar" "$BASE$path" | sed -n 's/.*data-csrf="\([^"]*\)".*/\1/p')
curl -s -o /dev/null -c "$jar" -b "$jar" -X POST --data-urlencode "_csrf=$csrf" "$BASE$path"
csrf=$(curl -s -c "$jar" -b "$jar" "$BASE/courses/knowmad/zelfstudie" | sed -n 's/.*data-csrf="\([^"]*\)".*/\1/p')
curl -s -o /dev/null -c "$jar" -b "$jar" -X POST --data-urlencode "_csrf=$csrf" -d acceptGuidelines=on "$BASE/courses/knowmad/zelfstudie/join"
cookie=$(awk '$6=="knowmad_session"{print "knowmad_session=" $7}' "$jar")
[ -n "$cookie" ] || { echo "sign-in failed" >&2; exit 1; }
curl -s -b "$cookie" "$BASE/courses/knowmad/zelfstudie" | grep -q "cohort.leave\|Deze groep verlaten" || { echo "not enrolled?" >&2; exit 1; }

echo "== warm-up (15 s)"
wrk -t2 -c64 -d15s -H "Cookie: $cookie" "$BASE/courses/knowmad/zelfstudie" >/dev/null

echo "== cohort home, signed-in participant, 64 connections, $DURATION"
wrk -t2 -c64 -d"$DURATION" --latency -H "Cookie: $cookie" "$BASE/courses/knowmad/zelfstudie" | grep -E "Requests/sec|Latency |50%|90%|99%|Non-2xx|Socket errors"
# The JVM that serves: `java -jar` runs the server in a second JVM when the build wrote a class archive (ClassArchive).
server_jvm=$(pgrep -P "$pid" java || echo "$pid")
echo "server RSS: $(( $(awk '/VmRSS/{print $2}' /proc/$server_jvm/status) / 1024 )) MB"
