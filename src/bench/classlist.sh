#!/usr/bin/env bash
# Writes src/main/cds/knowmad.classlist, the classes the build archives into target/knowmad.jsa (ClassArchive; README,
# Performance: Start): what a new user's first start loads (embedded PostgreSQL, every migration, the course files),
# its first pages, and what the node does in its first seconds (every template compiled, the pulse warmed).
# Run it after a change that adds many classes to a start; a class missing from the list only loads the slow way.
#
#   bash src/bench/classlist.sh && mvn package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${BENCH_PORT:-8197}
mvn -q package -DskipTests
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# -XX:DumpLoadedClassList keeps the server in this JVM (ClassArchive starts no second one then).
env -u DATABASE_URL PORT="$PORT" KNOWMAD_DATA_DIR="$work/data" \
  java -XX:DumpLoadedClassList="$work/classes.lst" -jar target/knowmad.jar >"$work/out.log" 2>&1 &
pid=$!
until curl -sf --max-time 5 -o /dev/null "http://127.0.0.1:$PORT/"; do
  kill -0 "$pid" 2>/dev/null || { echo "the server stopped:" >&2; cat "$work/out.log" >&2; exit 1; }
  sleep 0.1
done
for path in / /courses/knowmad /signin /health /courses/knowmad/nowhere; do
  curl -s -o /dev/null "http://127.0.0.1:$PORT$path"
done
sleep 8 # App compiles every template and warms the pulse 5 s after the start
kill "$pid"; wait "$pid" 2>/dev/null || true

# What the dump would skip with a warning each: proxy classes (generated per run), JFR's event classes (never
# archived), Netty's OpenSSL contexts (they fail verification without the native library, which Knowmad does not use).
grep -v -e '\$Proxy[0-9]' -e '^jdk/internal/event/' -e '^jdk/jfr/internal/handlers/' -e '^jdk/jfr/Event$' -e '^io/netty/buffer/[A-Za-z]*Event$' \
  -e '^io/netty/handler/ssl/.*OpenSsl' "$work/classes.lst" >src/main/cds/knowmad.classlist
echo "src/main/cds/knowmad.classlist: $(wc -l <src/main/cds/knowmad.classlist) classes"
