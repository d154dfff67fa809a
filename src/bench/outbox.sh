#!/usr/bin/env bash
# Outbox benchmark (issue 10, parts 3 and 7): one node against a local SMTP sink on a real PostgreSQL
# (TEST_DATABASE_URL, else embedded); node, sink and database share this machine's cores.
#  (a) mails/s per node for a bulk backlog, per number of SMTP connections;
#  (b) time for a sign-in link to reach the SMTP server with 100,000 bulk mails queued (target <= 5 s).
#
#   bash src/bench/outbox.sh        MAILS=20000 BACKLOG=100000 CONNECTIONS="1 4 8 16" bash src/bench/outbox.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export TEST_DATABASE_URL=${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
mvn -q test-compile
mvn -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
CP="target/classes:target/test-classes:$(cat target/bench.classpath)"
java -cp "$CP" org.knowmad.bench.OutboxBench 2>&1 | grep -v -E "^[0-9:.]+ (INFO|DEBUG|WARN)"
