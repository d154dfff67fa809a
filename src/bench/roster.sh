#!/usr/bin/env bash
# Roster benchmark (issue 11, cohort pulse: roster): a cohort of 5,000 participants with a term of activity
# (12 weeks of activity_day rows, ~30,000 posts, 4,000 submissions), plus a second cohort of 5,000 as
# neighbours in the same tables. Measures, one request at a time through the packaged jar, a facilitator's
#   roster page (100 rows), the JSON (sorted by last seen, and the "not seen for 7 days" filter) and the whole CSV,
# printing p50 and p99 beside the target (<= 300 ms). The 50,000-participant cohort is in scale.sh.
#
#   bash src/bench/roster.sh                    (needs curl, psql; PostgreSQL at BENCH_DATABASE_ADMIN_URL)
#   PEOPLE=5000 REQUESTS=100 bash src/bench/roster.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

ADMIN_URL=${BENCH_DATABASE_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
DB=knowmad_bench_roster
PORT=${BENCH_PORT:-8095}
PEOPLE=${PEOPLE:-5000}
REQUESTS=${REQUESTS:-100}
BASE="http://localhost:$PORT"
JAR=target/knowmad.jar
[ -n "${SKIP_PACKAGE:-}" ] || mvn -q package -DskipTests
wait_for() { for _ in $(seq 1 600); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done; echo "$1 did not answer" >&2; exit 1; }

psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
export DATABASE_URL="${ADMIN_URL%/*}/$DB" PORT BASE_URL="$BASE" KNOWMAD_DATA_DIR="$(mktemp -d)"
java -jar "$JAR" migrate >/dev/null

echo "== generating two cohorts of $PEOPLE with a term of activity"
gen_start=$(date +%s)
psql "$DATABASE_URL" -q -v ON_ERROR_STOP=1 -v people="$PEOPLE" <<'SQL'
-- People of the measured cohort (knowmad/2017-01) and of a neighbouring one (knowmad/zelfstudie).
INSERT INTO account (email, name, created_at)
SELECT c || g || '@bench.example', initcap(c) || ' participant ' || g, now()
FROM generate_series(1, :people) g, unnest(ARRAY['r', 'z']) c;
INSERT INTO enrolment (course_id, cohort_id, account_id, joined_at, guidelines_accepted_at)
SELECT 'knowmad', CASE WHEN email LIKE 'r%' THEN '2017-01' ELSE 'zelfstudie' END, id,
       now() - interval '84 days' + (id % 14) * interval '1 day', now()
FROM account WHERE email LIKE '%@bench.example';
-- A term of activity: 12 weeks, two modules a day, each person active on ~3 days in 10; one in ten never came.
INSERT INTO activity_day (course_id, cohort_id, account_id, day, module_id, visits, reads, reactions, threads, replies, last_at)
SELECT e.course_id, e.cohort_id, e.account_id, current_date - d, m, 1 + (e.account_id + d) % 5, (e.account_id * d) % 4,
       (e.account_id + d) % 3 / 2, 0, (e.account_id + d) % 7 / 6,
       ((current_date - d) + time '08:00' + (e.account_id % 600) * interval '1 minute')::timestamptz
FROM enrolment e, generate_series(0, 83) d, unnest(ARRAY['week-1', 'week-2']) m
WHERE (e.account_id * 7 + d * 13) % 10 < 3 AND e.account_id % 10 <> 0;
-- Discussions: 300 threads per cohort, 100 posts each; most posts by the 10% who post, some by everyone.
WITH base AS (SELECT cohort_id, min(account_id) AS first FROM enrolment GROUP BY cohort_id)
INSERT INTO thread (course_id, cohort_id, module_id, title, author_id, created_at, last_posted_at, post_count)
SELECT 'knowmad', b.cohort_id, 'week-1', 'Thread ' || g, b.first + (g * 17) % (:people / 10), now(), now(), 100
FROM base b, generate_series(1, 300) g;
WITH base AS (SELECT cohort_id, min(account_id) AS first FROM enrolment GROUP BY cohort_id)
INSERT INTO post (thread_id, number, author_id, body, created_at, helpful_count)
SELECT t.id, n,
       CASE WHEN n = 1 THEN t.author_id
            WHEN n % 10 = 0 THEN b.first + (t.id * 31 + n * 7) % :people
            ELSE b.first + (t.id * 31 + n * 7) % (:people / 10) END,
       'A reply in the benchmark.', now(), (t.id + n) % 4
FROM thread t JOIN base b ON b.cohort_id = t.cohort_id, generate_series(1, 100) n;
-- Peer review: four in five submitted week 3's assignment; the review window is open now.
INSERT INTO submission (course_id, cohort_id, module_id, author_id, draft, body, submitted_at, updated_at, pool_from, grade_due,
                        needed, reviews_given, reviews_received)
SELECT 'knowmad', cohort_id, 'week-3', account_id, '', 'My practice.', now() - interval '3 days', now(), now() - interval '2 days',
       now() + interval '2 days', 3, account_id % 5, account_id % 4
FROM enrolment WHERE account_id % 5 <> 0;
VACUUM ANALYZE;  -- as autovacuum leaves a table at rest: visibility map set, statistics fresh
SQL
echo "generated in $(( $(date +%s) - gen_start )) s: $(psql "$DATABASE_URL" -tAc "SELECT count(*) FROM activity_day") activity rows, $(psql "$DATABASE_URL" -tAc "SELECT count(*) FROM post") posts"

java ${SERVER_OPTS:-} -jar "$JAR" serve > /tmp/knowmad-bench-roster.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
wait_for "$BASE/health"
# The JVM that serves: `java -jar` runs the server in a second JVM when the build wrote a class archive (ClassArchive).
server_jvm=$(pgrep -P "$server" java || echo "$server")
token=$(java -jar "$JAR" token create anna@example.org | tail -n 1)

# CPU time (user + system, in clock ticks) a process used so far: on a machine shared with other work, wall time
# says little, CPU time per request says what a quiet machine would take.
TICKS=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# Times REQUESTS sequential requests of a URL after 10 warm-up ones; prints p50 and p99 in ms beside the target.
measure() {
  local label=$1 url=$2
  for _ in $(seq 1 10); do curl -sf -o /dev/null -H "Authorization: Bearer $token" "$url"; done
  local before times
  before=$(cpu_ticks "$server_jvm")
  times=$(for _ in $(seq 1 "$REQUESTS"); do
    curl -sf -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" "$url"
  done | sort -n)
  local p50 p99 cpu
  p50=$(echo "$times" | awk -v n="$REQUESTS" 'NR == int(n * 0.50 + 0.5) {printf "%.0f", $1 * 1000}')
  p99=$(echo "$times" | awk -v n="$REQUESTS" 'NR == int(n * 0.99 + 0.5) {printf "%.0f", $1 * 1000}')
  cpu=$(( ($(cpu_ticks "$server_jvm") - before) * 1000 / TICKS / REQUESTS ))
  printf '%-52s p50 %4s ms   p99 %4s ms   (target <= 300 ms)   server CPU %3s ms/request\n' "$label" "$p50" "$p99" "$cpu"
}

C=/courses/knowmad/2017-01
rows=$(curl -sf -H "Authorization: Bearer $token" "$BASE/api/v1/courses/knowmad/2017-01/roster" | sed -n 's/.*"total":\([0-9]*\).*/\1/p') \
  || { echo "no roster for knowmad/2017-01: see /tmp/knowmad-bench-roster.log" >&2; exit 1; }
echo "(machine load: $(cut -d" " -f1-3 /proc/loadavg))"
echo "== roster of $rows participants, $REQUESTS requests each, one at a time"
measure "page, 100 rows, by name" "$BASE$C/roster"
measure "JSON, 100 rows, by last seen (descending)" "$BASE/api/v1/courses/knowmad/2017-01/roster?sort=last-seen&dir=desc"
measure "JSON, filter: not seen for 7 days" "$BASE/api/v1/courses/knowmad/2017-01/roster?filter=unseen"
measure "JSON, filter: owes reviews, by reviews owed" "$BASE/api/v1/courses/knowmad/2017-01/roster?filter=owes-reviews&sort=owed&dir=desc"
measure "CSV, all $rows rows" "$BASE$C/roster.csv"
measure "CSV, all $rows rows, pseudonymised" "$BASE$C/roster.csv?pseudonymise=1"

echo "(machine load while measuring: $(cut -d' ' -f1-3 /proc/loadavg))"
