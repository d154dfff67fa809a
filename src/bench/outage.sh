#!/usr/bin/env bash
# Live updates after a database outage (issue 10, item 7): a node on its own embedded PostgreSQL with STREAMS open
# event streams; each of ROUNDS rounds stops PostgreSQL for OUTAGE_SECONDS and starts it again on the same port and
# data, then reports how long /health, the resync of every stream and a reply's live event take (target <= 5 s).
#
#   bash src/bench/outage.sh            STREAMS=200 OUTAGE_SECONDS=10 ROUNDS=3 bash src/bench/outage.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q test-compile
mvn -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
CP="target/classes:target/test-classes:$(cat target/bench.classpath)"
java -cp "$CP" org.knowmad.bench.OutageRecoveryBench "${STREAMS:-200}" "${OUTAGE_SECONDS:-10}" "${ROUNDS:-3}" 2>&1 \
  | grep -v -E "^[0-9:.]+ \[?[a-z_:()0-9 -]*\]? ?(INFO|DEBUG)|^[0-9:.]+ (INFO|DEBUG|WARN)  ?i\.z\." || true
