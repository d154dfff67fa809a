#!/usr/bin/env bash
# Peer-review benchmark (issue: peer review, item 11):
#  (a) "review next" with N reviewers (default 1,000) asking at the same moment, three waves, on a node listening
#      as `java -jar` does (one HTTP server per core) on a real
#      PostgreSQL (TEST_DATABASE_URL, else embedded); server and clients share this machine's cores. The node first
#      serves the same deadline in two other cohorts (the "rehearsals", printed: the first one's first wave is a node's
#      very first deadline), then the measured cohort's three waves;
#  (b) grading 100,000 submissions x 3 reviews x 3 criteria simulated from the PG1 model (target <= 5 s).
#
#   bash src/bench/review.sh            REVIEWERS=1000 bash src/bench/review.sh
# Each wave prints "what | measured p50, p99 | target p99 <= 1000 ms | ratio PASS/MISS" (issue #13, target 4).
set -euo pipefail
cd "$(dirname "$0")/../.."
export TEST_DATABASE_URL=${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
mvn -q test-compile
mvn -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
CP="target/classes:target/test-classes:$(cat target/bench.classpath)"
echo "== (a) review next, ${REVIEWERS:-1000} reviewers at once"
java -cp "$CP" org.knowmad.bench.ReviewNextBench "${REVIEWERS:-1000}" 2>&1 | grep -v -E "^[0-9:.]+ (INFO|DEBUG)"
echo "== (b) grading 100,000 submissions x 3 reviews"
java -cp "$CP" org.knowmad.bench.GradingBench
