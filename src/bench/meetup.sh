#!/usr/bin/env bash
# Meetup benchmark (issue: live meetup, item 10):
#  (a) the registration burst: N (default 2,000) people register at the same moment over two server nodes on
#      one PostgreSQL; two warm-up bursts, then the measured one, then N lock-free reads of the same meetup;
#      prints the burst / reads ratio beside its target (<= 1.2x, issue #13);
#  (b) live Q&A: VOTERS (default 500) attendees hold the live event stream open and vote; votes/s and the
#      time until a vote's event has reached every stream.
#
#   bash src/bench/meetup.sh          PEOPLE=2000 VOTERS=500 bash src/bench/meetup.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export TEST_DATABASE_URL=${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
mvn -q test-compile
mvn -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
CP="target/classes:target/test-classes:$(cat target/bench.classpath)"
quiet() { grep -v -E "^[0-9:.]+ (INFO|DEBUG|WARN)"; }
echo "== (a) registration burst, ${PEOPLE:-2000} people, two nodes"
java -cp "$CP" org.knowmad.meetup.MeetupBurstBench "${PEOPLE:-2000}" 2>&1 | quiet
echo "== (b) live Q&A, ${VOTERS:-500} attendees voting"
java -cp "$CP" org.knowmad.meetup.LiveQaBench "${VOTERS:-500}" 2>&1 | quiet
